"""Validate a directory of school deliveries and write the valid data as Parquet.

Layout of a raw data directory: one folder per school, named by its BRIN code
(``01GX/`` or ``01GX_Christelijk_Lyceum/``), holding ``personeel``, ``deelname``,
``lesuren`` and ``enquete`` as ``.csv`` or ``.xlsx`` (see :mod:`evallib.ingest.folders`).

Policy for bad data: a school whose files have any *error* is left out of the
processed data as a whole and reported as failed, so no half-read delivery is
ever evaluated; the other schools go on. Warnings (an extra column, say) are
reported but do not stop a school. No row disappears uncounted: every file's
rows read, blank lines skipped and rows with errors are kept in
:class:`FileInfo`, and :meth:`ValidationResult.counts` adds them up (also per
school) together with the rows processed and not processed. Nothing under the
raw directory is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from evallib.contract.programme import Programme
from evallib.contract.schema import ALL_FILES, REGION_FILES, REQUIRED_FILES, FileSpec, files_for
from evallib.core.errors import EvallibError, InputError, Problem
from evallib.core.files import atomic_folder, output_error, remove_stale_temporaries, write_atomic
from evallib.core.text import visible
from evallib.ingest.coerce import coerce_table
from evallib.ingest.folders import (
    REGION,
    entries,
    region_files,
    school_files,
    school_folders,
)
from evallib.ingest.read import normalise_header, read_raw, sha256_of
from evallib.validation.checks import add_helper_columns, run_suite
from evallib.validation.indicators import check_indicators
from evallib.validation.results import FileInfo, RowCounts, ValidationResult

__all__ = [
    "PROCESSED_VERSION",
    "FileInfo",
    "RowCounts",
    "ValidationResult",
    "validate_directory",
    "write_processed",
]

PROCESSED_VERSION = 1


def _read_problem(exc: InputError, label: str, brin: str) -> Problem:
    return Problem(
        file=label,
        row=exc.row,
        column=exc.column,
        code=getattr(exc, "code", "unreadable"),
        message=exc.message,
        expected=exc.expected or "",
        found=exc.found or "",
        school=brin,
    )


def _missing_file(folder: Path, kind: str, brin: str) -> Problem | None:
    if kind not in REQUIRED_FILES:
        return None
    if any(normalise_header(e.path.stem) == kind for e in entries(folder)):
        return None  # there is such a file, already reported as unreadable or doubled
    return Problem(
        file=f"{folder.name}/{kind}",
        row=None,
        column=None,
        code="missing_file",
        message=f"Bestand '{kind}' ontbreekt",
        expected=f"{kind}.csv of {kind}.xlsx",
        found="geen bestand",
        school=brin,
    )


def _checksum(path: Path) -> str:
    try:
        return sha256_of(path)
    except OSError:
        return ""


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
        ``problems`` sorted by school, file and row; ``tables`` hold the typed
        rows of the schools without errors; ``files`` and ``counts()`` say how
        many rows were read, skipped and processed.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> result = validate_directory("data/raw/example", load_programme("programmes/haaglanden-2013.yaml"))
    >>> result.ok, len(result.valid_schools), result.synthetic
    (True, 10, True)
    >>> result.counts().rows_not_processed
    0
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise InputError(
            "Map met ruwe gegevens niet gevonden",
            file=str(raw_dir),
            hint="Geef de map met één submap per school, bijv. data/raw/example",
        )
    result = ValidationResult(raw_dir=raw_dir)
    specs = files_for(programme)
    reading = _Reading(result)
    _read_school_files(raw_dir, programme, specs, reading)
    _read_region_files(raw_dir, programme, reading)
    tables = {
        kind: pd.concat(frames, ignore_index=True)
        for kind, frames in reading.typed.items()
        if frames
    }
    _check_tables(tables, programme, result)
    failed = set(result.failed_schools)
    for kind, frame in tables.items():
        keep = frame[~frame["_folder"].isin(failed)]
        columns = (
            [*ALL_FILES[kind].column_names] if kind in REGION_FILES else [*specs[kind].column_names]
        )
        result.tables[kind] = keep[columns].reset_index(drop=True)
    result.files = _with_row_counts(result, failed, reading.not_in_rows)
    result.problems.sort(key=lambda p: (p.school or "", p.file, p.row or 0, p.column or ""))
    return result


@dataclass
class _Reading:
    """What reading the files collects: the result, typed frames per kind, rows not in them."""

    result: ValidationResult
    typed: dict[str, list[pd.DataFrame]] = field(default_factory=lambda: defaultdict(list))
    #: label: (header row, rejected rows)
    not_in_rows: dict[str, tuple[int, frozenset[int]]] = field(default_factory=dict)

    def read(
        self,
        path: Path,
        kind: str,
        spec: FileSpec,
        label: str,
        school: str,
        check: Callable[[pd.DataFrame], list[Problem]] | None = None,
    ) -> None:
        """Read and type one file, note its problems and counts, and keep its typed rows.

        ``check`` adds the problems of rules checked as soon as the file is read.
        """
        result = self.result
        try:
            raw = read_raw(path, kind, label)
        except InputError as exc:
            result.problems.append(_read_problem(exc, label, school))
            result.files.append(
                FileInfo(label, kind, school, 0, _checksum(path), False, readable=False)
            )
            return
        frame, problems = coerce_table(raw, spec)
        if check is not None:
            problems += check(frame)
        result.problems.extend(replace(p, school=school) for p in problems)
        result.files.append(
            FileInfo(
                label,
                kind,
                school,
                raw.rows_read,
                raw.sha256,
                raw.synthetic,
                raw.encoding,
                raw.delimiter,
                raw.sheet,
                blank_lines=raw.blank_lines,
            )
        )
        self.not_in_rows[label] = (raw.header_row, raw.rejected_rows)
        if not any(p.code == "missing_column" for p in problems):
            frame["_folder"], frame["_label"] = school, label
            self.typed[kind].append(frame)


def _read_school_files(
    raw_dir: Path, programme: Programme, specs: dict[str, FileSpec], reading: _Reading
) -> None:
    """Read and type every file of every school folder; a missing required file is a problem."""
    problems = reading.result.problems
    folders = school_folders(raw_dir, programme, problems)
    reading.result.schools = sorted(folders)
    for brin, folder in sorted(folders.items()):
        files = school_files(folder, brin, problems)
        for kind, spec in specs.items():
            path = files.get(kind)
            if path is None:
                missing = _missing_file(folder, kind, brin)
                problems.extend([missing] if missing else [])
                continue
            reading.read(path, kind, spec, visible(f"{folder.name}/{path.name}"), brin)


def _read_region_files(raw_dir: Path, programme: Programme, reading: _Reading) -> None:
    """Read, type and check the files delivered for the whole region (the indicator file)."""
    for kind, path in region_files(raw_dir, reading.result.problems).items():
        label = path.name
        reading.read(
            path,
            kind,
            ALL_FILES[kind],
            label,
            REGION,
            check=lambda frame, label=label: check_indicators(frame, programme, label),
        )


def _check_tables(
    tables: dict[str, pd.DataFrame], programme: Programme, result: ValidationResult
) -> None:
    """Run each school file's suite over all schools' rows at once, adding the problems."""
    staff = tables.get("personeel", pd.DataFrame(columns=["_folder", "docent_id"]))
    staff_keys = set(staff["_folder"].astype(str) + "/" + staff["docent_id"].astype(str))
    staff_schools = set(staff["_folder"])
    # A cell that could not be typed is reported once, not again by the rules that miss it.
    bad_cells = {(p.file, p.row, p.column) for p in result.problems}
    for kind, frame in tables.items():
        if kind in REGION_FILES:
            continue  # checked when read
        frame = add_helper_columns(kind, frame, programme, staff_keys, staff_schools)
        result.problems.extend(
            p
            for p in run_suite(kind, frame, programme)
            if (p.file, p.row, p.column) not in bad_cells
        )


def _with_row_counts(
    result: ValidationResult, failed: set[str], not_in_rows: dict[str, tuple[int, frozenset[int]]]
) -> list[FileInfo]:
    bad: dict[str, set[int]] = defaultdict(set)
    for problem in result.errors:
        if problem.row is not None:
            bad[problem.file].add(problem.row)
    files = []
    for info in result.files:
        if info.label not in not_in_rows:  # unreadable: its rows are unknown
            files.append(replace(info, processed=False))
            continue
        header_row, rejected = not_in_rows[info.label]
        rows = {r for r in bad[info.label] if r > header_row} | rejected
        files.append(
            replace(
                info,
                error_rows=len(rows),
                processed=info.school not in failed,
            )
        )
    return files


def check_output_dir(out_dir: str | Path, raw_dir: str | Path) -> Path:
    """``out_dir``, after checking that it is not inside the raw data directory.

    Called before validating, so a wrong ``--out`` is refused at once, and again by
    :func:`write_processed`.

    Examples
    --------
    >>> check_output_dir("data/processed/x", "data/raw/x")
    PosixPath('data/processed/x')
    >>> check_output_dir("data/raw/x/out", "data/raw/x")
    Traceback (most recent call last):
    ...
    evallib.core.errors.EvallibError: data/raw/x/out: De uitvoermap ligt in de map met ruwe gegevens. Ruwe gegevens worden nooit overschreven; kies een map onder data/processed/
    """
    out_dir = Path(out_dir)
    if out_dir.resolve().is_relative_to(Path(raw_dir).resolve()):
        raise EvallibError(
            "De uitvoermap ligt in de map met ruwe gegevens",
            file=str(out_dir),
            hint="Ruwe gegevens worden nooit overschreven; kies een map onder data/processed/",
        )
    return out_dir


def write_processed(
    result: ValidationResult,
    out_dir: str | Path,
    programme: Programme,
    key: Mapping[str, object] | None = None,
) -> Path:
    """Write the typed tables of valid schools as Parquet, with a ``meta.json``, all at once.

    The set is written to a hidden folder beside ``out_dir`` and swapped in whole
    (:func:`evallib.core.files.atomic_folder`): an interrupted validation leaves the
    previous set as it was, never new tables under an old key. ``key`` (the run's
    ``input_key`` and ``raw_files``) goes into ``meta.json`` with the tables it describes.
    The raw directory is only read. Parquet keeps the types (dates, nullable integers) so
    the notebooks never parse text again.
    """
    out_dir = check_output_dir(out_dir, result.raw_dir)
    meta = {
        "version": PROCESSED_VERSION,
        "programme": programme.id,
        "raw_dir": result.raw_dir.name,
        "synthetic": result.synthetic,
        "schools": result.valid_schools,
        "failed_schools": sorted(result.failed_schools),
        "files": [asdict(f) for f in result.files],
        "counts": asdict(result.counts()),
        "counts_by_school": {s: asdict(result.counts(s)) for s in result.schools},
        "problems": [asdict(p) for p in result.problems],
        **(key or {}),
    }
    remove_stale_temporaries(out_dir.parent, of=out_dir.name)  # left by an interrupted one
    with atomic_folder(out_dir) as new:
        try:
            for kind, frame in result.tables.items():
                frame.to_parquet(new / f"{kind}.parquet", index=False)
        except OSError as exc:
            raise output_error(exc, out_dir) from None
        write_atomic(
            new / "meta.json", json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        )
    return out_dir
