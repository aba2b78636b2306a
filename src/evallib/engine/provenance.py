"""Where a report comes from: input files, programme, code, parameters, environment, seed.

Each report ends with a *Herkomst* (provenance) section in its language, and ``reports/manifest.json``
holds the same for every report in machine-readable form; ``evallib verify``
reruns from it. Nothing here varies between two runs on the same inputs (no
times, no paths outside the project), so the reports stay byte-identical.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evallib.core.fingerprint import combine, environment
from evallib.core.text import CATALOGUE, t, t_count
from evallib.reporting.html import Html, table, tag

MANIFEST = "manifest.json"


@functools.cache
def code_version(where: str) -> dict[str, object]:
    """The git commit of the code at ``where`` and whether tracked files were changed."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", where, *args], capture_output=True, text=True, timeout=20, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        clean = git("status", "--porcelain", "--untracked-files=no") == ""
        return {"commit": commit, "clean": clean}
    except (OSError, subprocess.SubprocessError):
        return {"commit": "onbekend", "clean": None}


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Everything one report depends on."""

    report: str
    parameters: Mapping[str, object]
    inputs: Mapping[str, str]  # raw file (relative to the data directory) -> SHA-256
    #: schools whose files are listed as one entry: BRIN -> {"files": n, "sha256": combined}
    input_groups: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    programme: Mapping[str, str]  # {"file": ..., "sha256": ...}
    code: Mapping[str, object]
    environment: Mapping[str, str] = field(default_factory=environment)
    data: Mapping[str, object] = field(default_factory=dict)  # raw_dir, synthetic, seed

    def record(self) -> dict:
        return asdict(self)


#: Above this many files, a provenance table lists one combined fingerprint per school instead.
DETAIL_LIMIT = 40


def _school_of(name: str) -> str:
    return name.split("/", 1)[0][:4].upper()


def input_set(
    raw_files: Mapping[str, str], own: list[str], others: list[str], limit: int = DETAIL_LIMIT
) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
    """The inputs a report names: its own schools' files one by one, the others' combined if many.

    ``raw_files`` maps raw file names (``01GX/personeel.xlsx``) to SHA-256. Files of
    ``own`` schools are always listed one by one; files of ``others`` (e.g. the
    comparison schools) too while there are few, and otherwise as one group per school
    (``{"files": n, "sha256": combined}``), so that a national run's reports and manifest
    stay small.

    Returns
    -------
    files, groups
        The files listed one by one, and the schools whose files are combined.

    Examples
    --------
    >>> files = {"01GX/a.csv": "1" * 64, "00PJ/a.csv": "2" * 64, "00PJ/b.csv": "3" * 64}
    >>> one_by_one, groups = input_set(files, ["01GX"], ["00PJ"])
    >>> sorted(one_by_one), groups
    (['00PJ/a.csv', '00PJ/b.csv', '01GX/a.csv'], {})
    >>> one_by_one, groups = input_set(files, [], ["01GX", "00PJ"], limit=1)
    >>> one_by_one, {school: group["files"] for school, group in groups.items()}
    ({}, {'00PJ': 2, '01GX': 1})
    """
    mine = {n: h for n, h in raw_files.items() if _school_of(n) in own}
    theirs = {
        n: h for n, h in raw_files.items() if _school_of(n) in others and _school_of(n) not in own
    }
    if len(theirs) <= limit:
        return {**mine, **theirs}, {}
    grouped: dict[str, list[str]] = {}
    for name in sorted(theirs):
        grouped.setdefault(_school_of(name), []).append(name)
    groups = {
        school: {"files": len(names), "sha256": combine(f"{n}:{theirs[n]}" for n in names)}
        for school, names in grouped.items()
    }
    return mine, groups


def seed_of(raw_dir: Path) -> int | None:
    """The generator seed of a synthetic data set (from its ``planted.json``), else None."""
    try:
        return int(
            json.loads((raw_dir / "planted.json").read_text(encoding="utf-8"))["settings"]["seed"]
        )
    except (OSError, KeyError, ValueError, TypeError):
        return None


def _input_rows(p: Provenance, lang: str) -> list[list]:
    """One table row per input file, and one per school whose files are combined, by name."""
    rows = [(name, [name, tag("code", digest)]) for name, digest in p.inputs.items()]
    for school, group in p.input_groups.items():
        shown = t_count("provenance.files_of_school", int(group["files"]), lang, school=school)
        rows.append((f"{school}/", [shown, tag("code", str(group["sha256"]))]))
    return [row for _, row in sorted(rows)]


def herkomst(p: Provenance, lang: str = "nl") -> Html:
    """The provenance section of a report ('Herkomst'), in ``lang``.

    Examples
    --------
    >>> p = Provenance(report="r", parameters={"school": "01GX"}, inputs={"01GX/a.csv": "ab"},
    ...                programme={"file": "p.yaml"}, code={"commit": "onbekend", "clean": None},
    ...                environment={"evallib": "1.0"}, data={"raw_dir": "x"})
    >>> section = herkomst(p, "en")
    >>> '<h2 id="herkomst">Provenance</h2>' in section, "state unknown" in section
    (True, True)
    """
    code = p.code
    commit = str(code.get("commit", "onbekend"))
    if commit == "onbekend":
        commit = t("provenance.unknown", lang)
    state = t(
        {True: "provenance.clean", False: "provenance.dirty", None: "provenance.state_unknown"}[
            code.get("clean")
        ],
        lang,
    )
    seed = p.data.get("seed")
    rows = _input_rows(p, lang)
    parameters = ", ".join(
        f"{_parameter_name(k, lang)} = {v}" for k, v in sorted(p.parameters.items())
    )
    packages = ", ".join(f"{k} {v}" for k, v in p.environment.items())
    return Html(
        tag("h2", t("provenance.heading", lang), id="herkomst")
        + tag("p", t("provenance.intro", lang))
        + table(
            [t("provenance.input_file", lang), "SHA-256"],
            rows,
            caption=t("provenance.data_from", lang, raw_dir=p.data.get("raw_dir", "?")),
        )
        + tag(
            "ul",
            [
                tag(
                    "li",
                    [
                        t("provenance.programme_file", lang, file=p.programme.get("file")),
                        tag("code", p.programme.get("sha256", "")),
                        ")",
                    ],
                ),
                tag(
                    "li",
                    [
                        t("provenance.code", lang, version=p.environment.get("evallib", "?")),
                        tag("code", commit),
                        f", {state}.",
                    ],
                ),
                tag("li", t("provenance.parameters", lang, parameters=parameters)),
                tag("li", t("provenance.environment", lang, packages=packages)),
                tag(
                    "li",
                    t("provenance.seed", lang, seed=seed)
                    if seed is not None
                    else t("provenance.no_seed", lang),
                ),
            ],
            class_="provenance",
        )
    )


def _parameter_name(name: str, lang: str) -> str:
    """A parameter's name as shown; the few Dutch ones have a catalogue entry."""
    key = f"provenance.parameter.{name}"
    return t(key, lang) if key in CATALOGUE else name


def write_manifest(reports: Path, records: Mapping[str, Mapping]) -> Path:
    """``reports/manifest.json``: one provenance record per report, keys sorted (deterministic)."""
    from evallib.core.files import write_atomic

    path = reports / MANIFEST
    write_atomic(
        path,
        json.dumps({"version": 1, "reports": records}, indent=2, sort_keys=True, ensure_ascii=False)
        + "\n",
    )
    return path


def read_manifest(reports: Path) -> dict[str, dict]:
    """The records of ``reports/manifest.json`` by report file, checked for their shape.

    Raises :class:`~evallib.core.errors.EvallibError` when there is no manifest or it is not
    one evallib wrote: not JSON, another version, ``reports`` not a mapping of report file
    names (no folders) to records that each hold a SHA-256.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / MANIFEST).write_text('{"version": 1, "reports": ["x.html"]}')
    >>> read_manifest(folder)
    Traceback (most recent call last):
    evallib.core.errors.EvallibError: ...manifest.json: Manifest heeft niet de vorm die evallib schrijft (verwacht: ...
    """
    from evallib.core.errors import EvallibError

    path = reports / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvallibError(
            "Geen manifest gevonden",
            file=str(path),
            hint="Draai eerst 'evallib run'; die schrijft reports/manifest.json",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvallibError("Manifest is onleesbaar", file=str(path), found=str(exc)) from None
    records = manifest.get("reports") if isinstance(manifest, dict) else None
    problem = _shape_problem(manifest, records)
    if problem:
        raise EvallibError(
            "Manifest heeft niet de vorm die evallib schrijft",
            file=str(path),
            expected='{"version": 1, "reports": {"<rapport>.html": {"sha256": ..., ...}}}',
            found=problem,
            hint="Het manifest is beschadigd of met de hand veranderd; draai 'evallib run --force'",
        )
    return records


def _shape_problem(manifest: object, records: object) -> str:
    if not isinstance(manifest, dict) or manifest.get("version") != 1:
        return "geen versie 1"
    if not isinstance(records, dict):
        return f"'reports' is {type(records).__name__}"
    for name, record in records.items():
        if Path(name).name != name or not name.endswith(".html"):
            return f"rapportnaam {name!r}"
        digest = record.get("sha256") if isinstance(record, dict) else None
        if not isinstance(digest, str) or len(digest) != 64:
            return f"{name}: geen sha256"
        if "data" in record and not isinstance(record["data"], dict):
            return f"{name}: 'data' is geen object"
    return ""
