"""The target statuses a report hands to the run (for the index, the ledger and ``--compare-to``).

A notebook shows :class:`ResultsOutput` as its last output: invisible to a reader, it carries
the statuses under :data:`RESULTS_MIME`, which the engine collects from the executed notebook.
"""

from __future__ import annotations

import re

from evallib.evaluation.privacy import MIN_GROUP, SUPPRESSED
from evallib.evaluation.targets import TargetResult
from evallib.reporting.wording import effect_text, reason_text

#: Output MIME type carrying the target statuses from a notebook to the engine; never rendered.
RESULTS_MIME = "application/vnd.evallib.results+json"


def target_anchor(target: str, level: str, scope: str) -> str:
    """The ``id`` of a target's row in a report, which the index links to.

    Stable between runs and languages: ``doel-<target id>``, and for a location
    ``doel-<target id>-<vestiging>`` (``scope`` is the record's scope key, ``<brin>/<vestiging>``
    for a location). Characters that an address would have to encode become ``-``.

    Examples
    --------
    >>> target_anchor("starters-uitval", "school", "01GX")
    'doel-starters-uitval'
    >>> target_anchor("halverwege-per-locatie", "location", "02DZ/04")
    'doel-halverwege-per-locatie-04'
    """
    parts = ["doel", target]
    if level == "location":
        parts.append(scope.rsplit("/", 1)[-1])
    return re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))


def result_records(
    results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> list[dict]:
    """Target statuses as plain records (for the index and the run ledger)."""
    return [
        {
            "target": r.target.id,
            "title": r.target.label(lang),
            "project": r.target.project,
            "level": r.scope.level,
            "scope": r.scope.key,
            "scope_name": r.scope.name,
            "status": r.status.value,
            "reason": reason_text(r, lang, min_group),
            # the number the decision rests on, as readers see it (suppressed for small groups)
            "estimate": None
            if r.evidence.effect is None
            or not r.evidence.effect.estimable
            or effect_text(r.evidence, lang, min_group) == SUPPRESSED[lang]
            else r.evidence.effect.estimate,
            "shown": effect_text(r.evidence, lang, min_group),
        }
        for r in results
    ]


class ResultsOutput:
    """Displays nothing for a reader; carries the statuses to the batch engine."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        return {RESULTS_MIME: self.records, "text/plain": ""}
