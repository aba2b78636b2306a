"""Validate a directory of school deliveries and write the valid data as Parquet.

Layout of a raw data directory: one folder per school, named by its BRIN code
(``01GX/`` or ``01GX_Christelijk_Lyceum/``), holding ``personeel``, ``deelname``,
``lesuren`` and ``enquete`` as ``.csv`` or ``.xlsx``.

Policy for bad data: a school whose files have any *error* is left out of the
processed data as a whole and reported as failed, so no half-read delivery is
ever evaluated; the other schools go on. Warnings (an extra column, say) are
reported but do not stop a school. Nothing under the raw directory is written.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .coerce import coerce_table
from .errors import EvallibError, InputError, Problem
from .io import EXTENSIONS, ROW, read_raw
from .programme import Programme
from .schema import FILES, REQUIRED_FILES, ROLES, SURVEY_ITEMS
from .suites import build_suite, gx_context

_FOLDER = re.compile(r"^([0-9]{2}[A-Za-z]{2})(?:$|[ _-])")
_HIDDEN_COLUMNS = {"docent_id", "respondent"}  # found values never shown outside the validator
PROCESSED_VERSION = 1


@dataclass(frozen=True)
class FileInfo:
    """What was read from one delivered file."""

    label: str
    kind: str
    school: str
    rows: int
    sha256: str
    synthetic: bool
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


@dataclass
class ValidationResult:
    """Everything validation learned: files, problems and the typed tables of valid schools."""

    raw_dir: Path
    files: list[FileInfo] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    schools: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def failed_schools(self) -> dict[str, list[Problem]]:
        failed: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.errors:
            failed[problem.school or "?"].append(problem)
        return dict(failed)

    @property
    def valid_schools(self) -> list[str]:
        failed = self.failed_schools
        return [s for s in self.schools if s not in failed]

    @property
    def synthetic(self) -> bool:
        return any(f.synthetic for f in self.files)

    @property
    def ok(self) -> bool:
        return not self.errors


def _school_folders(
    raw_dir: Path, programme: Programme, result: ValidationResult
) -> dict[str, Path]:
    folders: dict[str, Path] = {}
    known = {s.brin for s in programme.schools}
    for entry in sorted(raw_dir.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        match = _FOLDER.match(entry.name)
        brin = match.group(1).upper() if match else None
        if brin is None or brin not in known:
            result.problems.append(
                Problem(
                    file=entry.name + "/",
                    row=None,
                    column=None,
                    code="unknown_school",
                    message="Map hoort niet bij een school uit het programma",
                    expected="een map per school, genoemd naar de BRIN-code (bijv. 01GX)",
                    found=entry.name,
                    school=brin or entry.name,
                )
            )
            continue
        if brin in folders:
            result.problems.append(
                Problem(
                    file=entry.name + "/",
                    row=None,
                    column=None,
                    code="duplicate_folder",
                    message="Twee mappen voor dezelfde school",
                    expected="één map per school",
                    found=f"{folders[brin].name} en {entry.name}",
                    school=brin,
                )
            )
            continue
        folders[brin] = entry
    for school in programme.schools:
        if school.brin not in folders:
            result.problems.append(
                Problem(
                    file=f"{school.brin}/",
                    row=None,
                    column=None,
                    code="missing_school",
                    message=f"Geen aanlevering van {school.name}",
                    expected=f"een map {school.brin}/",
                    found="geen map",
                    school=school.brin,
                    severity="warning",
                )
            )
    return folders


def _find_file(
    folder: Path, kind: str, label_root: Path, brin: str, result: ValidationResult
) -> Path | None:
    candidates = sorted(
        p for p in folder.iterdir() if p.stem.lower() == kind and p.suffix.lower() in EXTENSIONS
    )
    if len(candidates) > 1:
        result.problems.append(
            Problem(
                file=f"{folder.name}/",
                row=None,
                column=None,
                code="duplicate_file",
                message=f"Meer dan één bestand '{kind}'",
                expected="één bestand per soort",
                found=", ".join(p.name for p in candidates),
                school=brin,
            )
        )
        return None
    return candidates[0] if candidates else None


def _add_helper_columns(
    kind: str, frame: pd.DataFrame, programme: Programme, staff_keys: set[str]
) -> pd.DataFrame:
    """Columns that let one suite check school-specific rules for all schools at once."""
    frame = frame.copy()
    known_locations = {f"{s.brin}/{loc}" for s in programme.schools for loc in s.locations}
    known_schools = {s.brin for s in programme.schools}
    frame["_known_school"] = frame["brin"].isna() | frame["brin"].isin(known_schools)
    frame["_own_school"] = (
        frame["brin"].isna() | ~frame["_known_school"] | (frame["brin"] == frame["_folder"])
    )
    key = frame["_folder"].astype(str) + "/" + frame["vestiging"].astype(str)
    frame["_known_location"] = frame["vestiging"].isna() | key.isin(known_locations)
    if kind in ("deelname", "lesuren"):
        teacher = frame["_folder"].astype(str) + "/" + frame["docent_id"].astype(str)
        frame["_known_teacher"] = frame["docent_id"].isna() | teacher.isin(staff_keys)
    if kind == "personeel":
        frame["_has_left"] = frame["datum_uit_dienst"].notna()
        frame["_is_starter"] = frame["starter"].fillna(False).astype(bool)
        frame["_years_since_qualifying"] = (
            frame["datum_in_dienst"].dt.year.astype("Int64") - frame["jaar_bevoegdheid"]
        ).astype("float64")
    if kind == "deelname":
        pairs = {f"{p}/{r}" for p, roles in ROLES.items() for r in roles}
        combo = frame["project"].astype(str) + "/" + frame["rol"].astype(str)
        frame["_role_fits_project"] = (
            frame["project"].isna() | frame["rol"].isna() | combo.isin(pairs)
        )
        allowed = {
            f"{brin}/{loc}/{p.id}"
            for p in programme.projects
            for brin, locs in p.participants.items()
            for loc in locs
        }
        where = (
            frame["_folder"].astype(str)
            + "/"
            + frame["vestiging"].astype(str)
            + "/"
            + frame["project"].astype(str)
        )
        frame["_location_in_project"] = (
            frame["project"].isna() | frame["vestiging"].isna() | where.isin(allowed)
        )
    if kind == "enquete":
        frame["_scores"] = frame[list(SURVEY_ITEMS)].notna().sum(axis=1)
    return frame


def _shown(column: str, value: object) -> str:
    if column in _HIDDEN_COLUMNS:
        return str(value)
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, tuple):
        return " / ".join(_shown(column, v) for v in value)
    return "(leeg)" if value is None or value is pd.NA else str(value)


def _run_suite(kind: str, frame: pd.DataFrame, programme: Programme) -> list[Problem]:
    context = gx_context()
    name = f"evallib_{kind}"
    try:
        source = context.data_sources.get(name)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(name)
    try:
        asset = source.get_asset(kind)
    except LookupError:
        asset = source.add_dataframe_asset(kind)
    try:
        definition = asset.get_batch_definition("all")
    except (KeyError, LookupError, ValueError):
        definition = asset.add_batch_definition_whole_dataframe("all")
    frame = frame.reset_index(drop=True)
    batch = definition.get_batch(batch_parameters={"dataframe": frame})
    outcome = batch.validate(
        build_suite(kind, programme), result_format={"result_format": "COMPLETE"}
    )
    problems = []
    for result in outcome.results:
        if result.success:
            continue
        config = result.expectation_config
        meta = config.meta or {}
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise EvallibError(
                f"Validatieregel {config.type} kon niet draaien: {result.exception_info.get('exception_message')}"
            )
        indexes = result.result.get("unexpected_index_list") or []
        values = result.result.get("unexpected_list") or []
        column = (
            meta.get("column")
            or config.kwargs.get("column")
            or config.kwargs.get("column_A")
            or ", ".join(config.kwargs.get("column_list", []))
        )
        for index, value in zip(indexes, values, strict=False):
            index = (
                index
                if isinstance(index, int)
                else index.get("index", index)
                if isinstance(index, dict)
                else index
            )
            row = frame.loc[index]
            found = row[column] if column in frame.columns else value
            problems.append(
                Problem(
                    file=str(row["_label"]),
                    row=int(row[ROW]),
                    column=column,
                    code=meta.get("code", config.type),
                    message=meta.get("message", config.type),
                    expected=meta.get("expected", ""),
                    found=_shown(
                        column,
                        found if not isinstance(found, float) or not pd.isna(found) else None,
                    ),
                    school=str(row["_folder"]),
                )
            )
    return problems


def validate_directory(raw_dir: str | Path, programme: Programme) -> ValidationResult:
    """Read, type and validate every school's delivery in ``raw_dir``.

    Parameters
    ----------
    raw_dir
        Directory with one folder per school (see the module docstring).
    programme
        The programme: which schools, locations and projects exist.

    Returns
    -------
    ValidationResult
        ``problems`` in the order of the files; ``tables`` hold the typed rows of
        the schools without errors.

    Examples
    --------
    >>> from evallib.programme import load_programme
    >>> result = validate_directory("data/raw/example", load_programme("programmes/haaglanden-2013.yaml"))
    >>> result.ok, len(result.valid_schools), result.synthetic
    (True, 10, True)
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(
            "Map met ruwe gegevens niet gevonden",
            file=str(raw_dir),
            hint="Geef de map met één submap per school, bijv. data/raw/example",
        )
    result = ValidationResult(raw_dir=raw_dir)
    folders = _school_folders(raw_dir, programme, result)
    result.schools = sorted(folders)
    typed: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for brin, folder in sorted(folders.items()):
        for kind in FILES:
            path = _find_file(folder, kind, raw_dir, brin, result)
            label = f"{folder.name}/{path.name}" if path else f"{folder.name}/{kind}"
            if path is None:
                if kind in REQUIRED_FILES:
                    result.problems.append(
                        Problem(
                            file=label,
                            row=None,
                            column=None,
                            code="missing_file",
                            message=f"Bestand '{kind}' ontbreekt",
                            expected=f"{kind}.csv of {kind}.xlsx",
                            found="geen bestand",
                            school=brin,
                        )
                    )
                continue
            try:
                raw = read_raw(path, kind, label)
            except InputError as exc:
                result.problems.append(
                    Problem(
                        file=label,
                        row=exc.row,
                        column=exc.column,
                        code="unreadable",
                        message=exc.message,
                        expected=exc.expected or "",
                        found=exc.found or "",
                        school=brin,
                    )
                )
                continue
            frame, problems = coerce_table(raw)
            result.problems.extend(Problem(**{**asdict(p), "school": brin}) for p in problems)
            result.files.append(
                FileInfo(
                    label,
                    kind,
                    brin,
                    len(frame),
                    raw.sha256,
                    raw.synthetic,
                    raw.encoding,
                    raw.delimiter,
                    raw.sheet,
                )
            )
            if any(p.code == "missing_column" for p in problems):
                continue
            frame["_folder"] = brin
            frame["_label"] = label
            typed[kind].append(frame)

    tables = {
        kind: pd.concat(frames, ignore_index=True) for kind, frames in typed.items() if frames
    }
    staff = tables.get("personeel", pd.DataFrame(columns=["_folder", "docent_id"]))
    staff_keys = set(staff["_folder"].astype(str) + "/" + staff["docent_id"].astype(str))
    for kind, frame in tables.items():
        frame = _add_helper_columns(kind, frame, programme, staff_keys)
        result.problems.extend(_run_suite(kind, frame, programme))

    failed = set(result.failed_schools)
    for kind, frame in tables.items():
        keep = frame[~frame["_folder"].isin(failed)]
        columns = [*FILES[kind].column_names]
        result.tables[kind] = keep[columns].reset_index(drop=True)
    result.problems.sort(key=lambda p: (p.school or "", p.file, p.row or 0, p.column or ""))
    return result


def write_processed(result: ValidationResult, out_dir: str | Path, programme: Programme) -> Path:
    """Write the typed tables of valid schools as Parquet, with a ``meta.json``.

    The raw directory is only read. Parquet keeps the types (dates, nullable
    integers) so the notebooks never parse text again.
    """
    out_dir = Path(out_dir)
    if out_dir.resolve().is_relative_to(result.raw_dir.resolve()):
        raise EvallibError(
            "De uitvoermap ligt in de map met ruwe gegevens",
            file=str(out_dir),
            hint="Ruwe gegevens worden nooit overschreven; kies een map onder data/processed/",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind, frame in result.tables.items():
        frame.to_parquet(out_dir / f"{kind}.parquet", index=False)
    meta = {
        "version": PROCESSED_VERSION,
        "programme": programme.id,
        "raw_dir": result.raw_dir.name,
        "synthetic": result.synthetic,
        "schools": result.valid_schools,
        "failed_schools": sorted(result.failed_schools),
        "files": [asdict(f) for f in result.files],
        "problems": [asdict(p) for p in result.problems],
    }
    (out_dir / "meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return out_dir
