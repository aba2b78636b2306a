"""What validation learned: files read, row counts, problems and the typed tables.

:class:`ValidationResult` is what :func:`evallib.validation.validate.validate_directory`
returns; :class:`FileInfo` describes one delivered file and :class:`RowCounts`
adds up rows read, skipped, with errors, processed and not processed, for the
run summary and the reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evallib.core.errors import Problem
from evallib.core.text import t_count


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

    def text(self, lang: str = "nl") -> str:
        """The counts as one sentence in ``lang`` (words from the catalogue, ``counts.*``).

        Examples
        --------
        >>> RowCounts(files=1, unreadable_files=1, rows_read=0, blank_lines=0, error_rows=0,
        ...           rows_processed=0).text("en")
        '1 file, 0 rows read, 0 blank lines skipped, 0 rows with errors, 1 file unreadable; 0 rows processed'
        """
        parts = [
            t_count("counts.files", self.files, lang),
            t_count("counts.rows_read", self.rows_read, lang),
            t_count("counts.blank_lines", self.blank_lines, lang),
            t_count("counts.error_rows", self.error_rows, lang),
        ]
        if self.unreadable_files:
            parts.append(t_count("counts.unreadable_files", self.unreadable_files, lang))
        tail = t_count("counts.rows_processed", self.rows_processed, lang)
        if self.rows_not_processed:
            tail += ", " + t_count("counts.rows_not_processed", self.rows_not_processed, lang)
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
