"""Validate a directory of school deliveries and write the valid data as Parquet.

Layout of a raw data directory: one folder per school, named by its BRIN code
(``01GX/`` or ``01GX_Christelijk_Lyceum/``), holding ``personeel``, ``deelname``,
``lesuren`` and ``enquete`` as ``.csv`` or ``.xlsx`` (see :mod:`evallib.folders`).

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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from .checks import add_helper_columns, run_suite
from .coerce import coerce_table
from .errors import EvallibError, InputError, Problem
from .folders import school_files, school_folders
from .io import normalise_header, read_raw, sha256_of
from .programme import Programme
from .schema import FILES, REQUIRED_FILES

PROCESSED_VERSION = 1


@dataclass(frozen=True)
class FileInfo:
    """What was read from one delivered file.

    ``rows`` counts the data rows read (header, comment lines and blank lines not
    included), ``blank_lines`` the empty lines skipped between them, and
    ``error_rows`` the data rows with at least one error (including rows that
    could not be lined up with the header). ``readable`` is false when the file
    could not be read as a table at all (its rows are then unknown), and
    ``processed`` says whether its rows went into the processed data (only when
    the school has no errors).
    """

    label: str
    kind: str
    school: str
    rows: int
    sha256: str
    synthetic: bool
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    blank_lines: int = 0
    error_rows: int = 0
    readable: bool = True
    processed: bool = False


@dataclass(frozen=True)
class RowCounts:
    """How many rows were read, skipped, wrong, processed: for the run summary and reports.

    Examples
    --------
    >>> RowCounts(files=4, unreadable_files=0, rows_read=120, blank_lines=1, error_rows=3,
    ...           rows_processed=0).text()
    '4 bestanden, 120 regels gelezen, 1 lege regel overgeslagen, 3 regels met fouten; 0 regels verwerkt, 120 regels niet verwerkt'
    """

    files: int
    unreadable_files: int
    rows_read: int
    blank_lines: int
    error_rows: int
    rows_processed: int

    @property
    def rows_not_processed(self) -> int:
        return self.rows_read - self.rows_processed

    def text(self) -> str:
        """The counts as one Dutch sentence."""

        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        parts = [
            n(self.files, "bestand", "bestanden"),
            n(self.rows_read, "regel gelezen", "regels gelezen"),
            n(self.blank_lines, "lege regel overgeslagen", "lege regels overgeslagen"),
            n(self.error_rows, "regel met fouten", "regels met fouten"),
        ]
        if self.unreadable_files:
            parts.append(n(self.unreadable_files, "bestand onleesbaar", "bestanden onleesbaar"))
        tail = n(self.rows_processed, "regel verwerkt", "regels verwerkt")
        if self.rows_not_processed:
            tail += ", " + n(self.rows_not_processed, "regel niet verwerkt", "regels niet verwerkt")
        return ", ".join(parts) + "; " + tail


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

    def counts(self, school: str | None = None) -> RowCounts:
        """Rows read, skipped, with errors and processed, for all schools or one."""
        files = [f for f in self.files if school is None or f.school == school]
        return RowCounts(
            files=len(files),
            unreadable_files=sum(not f.readable for f in files),
            rows_read=sum(f.rows for f in files),
            blank_lines=sum(f.blank_lines for f in files),
            error_rows=sum(f.error_rows for f in files),
            rows_processed=sum(f.rows for f in files if f.processed),
        )


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
    if any(normalise_header(p.stem) == kind for p in folder.iterdir() if p.is_file()):
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
    >>> from evallib.programme import load_programme
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
    folders = school_folders(raw_dir, programme, result.problems)
    result.schools = sorted(folders)
    typed: dict[str, list[pd.DataFrame]] = defaultdict(list)
    not_in_rows: dict[str, tuple[int, frozenset[int]]] = {}  # label: header row, rejected rows
    for brin, folder in sorted(folders.items()):
        files = school_files(folder, brin, result.problems)
        for kind in FILES:
            path = files.get(kind)
            if path is None:
                missing = _missing_file(folder, kind, brin)
                result.problems.extend([missing] if missing else [])
                continue
            label = f"{folder.name}/{path.name}"
            try:
                raw = read_raw(path, kind, label)
            except InputError as exc:
                result.problems.append(_read_problem(exc, label, brin))
                result.files.append(
                    FileInfo(label, kind, brin, 0, _checksum(path), False, readable=False)
                )
                continue
            frame, problems = coerce_table(raw)
            result.problems.extend(replace(p, school=brin) for p in problems)
            result.files.append(
                FileInfo(
                    label,
                    kind,
                    brin,
                    raw.rows_read,
                    raw.sha256,
                    raw.synthetic,
                    raw.encoding,
                    raw.delimiter,
                    raw.sheet,
                    blank_lines=raw.blank_lines,
                )
            )
            not_in_rows[label] = (raw.header_row, raw.rejected_rows)
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
    staff_schools = set(staff["_folder"])
    # A cell that could not be typed is reported once, not again by the rules that miss it.
    bad_cells = {(p.file, p.row, p.column) for p in result.problems}
    for kind, frame in tables.items():
        frame = add_helper_columns(kind, frame, programme, staff_keys, staff_schools)
        result.problems.extend(
            p
            for p in run_suite(kind, frame, programme)
            if (p.file, p.row, p.column) not in bad_cells
        )

    failed = set(result.failed_schools)
    for kind, frame in tables.items():
        keep = frame[~frame["_folder"].isin(failed)]
        columns = [*FILES[kind].column_names]
        result.tables[kind] = keep[columns].reset_index(drop=True)
    result.files = _with_row_counts(result, failed, not_in_rows)
    result.problems.sort(key=lambda p: (p.school or "", p.file, p.row or 0, p.column or ""))
    return result


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
        "counts": asdict(result.counts()),
        "counts_by_school": {s: asdict(result.counts(s)) for s in result.schools},
        "problems": [asdict(p) for p in result.problems],
    }
    (out_dir / "meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return out_dir
