"""A report's inputs, declared once: they give both its cache fingerprint and its provenance."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from evallib.core.fingerprint import json_fingerprint
from evallib.engine.provenance import Provenance


@dataclass(frozen=True, kw_only=True)
class ReportInputs:
    """Everything one report depends on.

    :attr:`provenance` is what a reader and ``evallib verify`` are told (the raw files,
    programme, code version, parameters, environment and seed: the report's *Herkomst*
    section and its ``manifest.json`` record). The other fields only go into the cache
    key: the notebook, evallib's source, the locked dependencies, the typed tables the
    report reads, the run's suppression decisions (``disclosure.json``), validation's notes on the schools' files, the title and, with
    ``--compare-to``, the earlier results it is compared with. Any change to any field
    changes :meth:`fingerprint`, so the report is rebuilt.

    Examples
    --------
    >>> p = Provenance(report="r.html", parameters={"school": "01GX"}, inputs={},
    ...                programme={}, code={}, environment={}, data={})
    >>> a = ReportInputs(provenance=p, lang="nl", notebook="n", code="c", lock="l",
    ...                  tables="t", delivery=[], title="Rapport", previous=[], disclosure="d")
    >>> from dataclasses import replace
    >>> a.fingerprint() == replace(a, tables="other").fingerprint()
    False
    """

    provenance: Provenance
    lang: str
    notebook: str  # SHA-256 of the notebook
    code: str  # fingerprint of evallib's own source and templates
    lock: str  # SHA-256 of requirements/constraints.txt, if the project has one
    tables: str  # fingerprint of the typed tables in the report's scope
    delivery: list  # validation's record of the files of the schools the report reads
    title: str
    previous: list  # the earlier run's results that 'what changed' compares with
    disclosure: str = ""  # fingerprint of the run's secondary suppressions (all reports)

    def fingerprint(self) -> str:
        """SHA-256 over every input: the cache key of the report.

        Where the raw data and the programme file lie (``raw_path``, ``path``) is left out:
        it tells ``evallib verify`` where to find them again, and no report shows it, so a
        moved project keeps its cache (the manifest gets the new place). Their contents and
        shown names stay in.
        """
        inputs = asdict(self)
        provenance = inputs["provenance"]
        provenance["data"] = {k: v for k, v in provenance["data"].items() if k != "raw_path"}
        provenance["programme"] = {k: v for k, v in provenance["programme"].items() if k != "path"}
        return json_fingerprint(inputs)
