"""Line the rows of a delivered file up with its header: shared by the CSV and XLSX readers.

A :class:`RawTable` is a file read but not typed: cells as found, under
normalised header names, each row with its number as the school sees it. Rows
that cannot be lined up with the header are left out, counted and reported;
a header that cannot be used, or a file without data rows, is a
:class:`ReadError` for the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from evallib.contract.schema import ALL_FILES
from evallib.core.errors import InputError, Problem
from evallib.core.text import visible

ROW = "_row"  # column that holds the source row number


class ReadError(InputError):
    """A file that cannot be read as a table at all; ``code`` says why.

    Examples
    --------
    >>> ReadError("Bestand is leeg", code="empty_file", file="01GX/personeel.csv").code
    'empty_file'
    """

    def __init__(self, message: str, *, code: str, **where: Any) -> None:
        self.code = code
        super().__init__(message, **where)


@dataclass(frozen=True)
class RawTable:
    """One delivered file, read but not yet typed.

    ``frame`` holds the cells as read (strings for CSV; numbers, dates or strings
    for XLSX) under normalised header names, plus ``_row``. ``rows_read`` counts
    the data rows (not the header, comments or blank lines), ``blank_lines`` the
    empty lines skipped between the header and the last data row, and
    ``rejected_rows`` the rows left out of ``frame`` because they could not be
    read; ``problems`` says why.
    """

    kind: str
    label: str
    frame: pd.DataFrame
    header: tuple[str, ...]
    header_row: int
    sha256: str
    synthetic: bool
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows_read: int = 0
    blank_lines: int = 0
    rejected_rows: frozenset[int] = frozenset()
    problems: tuple[Problem, ...] = field(default=())


def normalise_header(name: Any) -> str:
    """Header names are matched case-insensitively, with spaces as underscores.

    Examples
    --------
    >>> normalise_header("  Datum in dienst ")
    'datum_in_dienst'
    """
    return "_".join(str(name if name is not None else "").strip().lower().split())


def is_empty(value: Any) -> bool:
    """True for a cell with nothing in it (``None``, ``""`` or only spaces)."""
    return value is None or str(value).strip() == ""


def shown(value: Any, limit: int = 40) -> str:
    """A cell value as shown in a message: stripped, one line, at most ``limit`` characters.

    Examples
    --------
    >>> shown("x" * 100)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return visible(text)  # a cell never controls the terminal or the reading direction


def column_label(position: int, spreadsheet: bool) -> str:
    """How a school finds a column without a name: ``'C'`` in a sheet, ``'veld 3'`` in a CSV line.

    Examples
    --------
    >>> column_label(2, True), column_label(2, False)
    ('C', 'veld 3')
    """
    if not spreadsheet:
        return f"veld {position + 1}"
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def _check_header(kind: str, label: str, names: list[str], header_row: int) -> None:
    known = set(ALL_FILES[kind].column_names)
    if not known & set(names):
        raise ReadError(
            "Eerste regel is geen kopregel met kolomnamen",
            code="no_header",
            file=label,
            row=header_row,
            expected="kolomnamen zoals " + ", ".join(ALL_FILES[kind].column_names[:3]) + ", …",
            found=shown(" ".join(n for n in names if n), 60) or "lege kopregel",
            hint="Zet de kolomnamen uit docs/data-format.md in de eerste regel",
        )
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise ReadError(
                "Kolomnaam komt twee keer voor",
                code="duplicate_column",
                file=label,
                row=header_row,
                column=name,
                expected="elke kolom één keer",
                found=f"'{name}' twee keer",
                hint="Verwijder of hernoem de dubbele kolom",
            )
        seen.add(name)


def build_frame(
    kind: str,
    label: str,
    header: list[Any],
    rows: list[tuple[int, list[Any]]],
    header_row: int,
    spreadsheet: bool,
) -> tuple[pd.DataFrame, list[Problem], frozenset[int]]:
    """Line the data rows up with the header; report rows that do not fit.

    Columns without a name are dropped when they hold no data at all (trailing
    ``;;;`` of spreadsheet exports) and are an error otherwise. In a CSV file a row
    must have as many fields as the header names (extra empty fields are fine);
    in a sheet, missing cells at the end of a row are empty cells.

    Returns
    -------
    frame, problems, rejected
        The table of strings/cells plus ``_row``; one problem per row that does
        not fit; the row numbers of those rows.
    """
    names = [normalise_header(h) for h in header]
    _check_header(kind, label, names, header_row)
    for i, name in enumerate(names):
        if not name and any(i < len(cells) and not is_empty(cells[i]) for _, cells in rows):
            raise ReadError(
                "Kolom zonder naam in de kopregel",
                code="unnamed_column",
                file=label,
                row=header_row,
                column=column_label(i, spreadsheet),
                expected="een kolomnaam boven elke kolom met gegevens",
                found="lege cel in de kopregel",
                hint="Geef de kolom een naam uit docs/data-format.md, of verwijder de kolom",
            )
    keep = [i for i, name in enumerate(names) if name]
    needed = keep[-1] + 1
    problems: list[Problem] = []
    rejected: set[int] = set()
    records = []
    for line, cells in rows:
        if spreadsheet and len(cells) < needed:
            cells = [*cells, *[""] * (needed - len(cells))]
        extra = [j for j in range(len(names), len(cells)) if not is_empty(cells[j])]
        if len(cells) < needed or extra:
            rejected.add(line)
            problems.append(_misfit(label, line, cells, needed, extra, spreadsheet))
            continue
        records.append([*(cells[i] for i in keep), line])
    columns = [*(names[i] for i in keep), ROW]
    frame = pd.DataFrame(records, columns=columns) if records else pd.DataFrame(columns=columns)
    return frame.astype({ROW: "int64"}), problems, frozenset(rejected)


def _misfit(
    label: str, line: int, cells: list[Any], needed: int, extra: list[int], spreadsheet: bool
) -> Problem:
    if spreadsheet:
        return Problem(
            file=label,
            row=line,
            column=column_label(extra[0], True),
            code="outside_header",
            message="Waarde staat in een kolom zonder kolomnaam",
            expected=f"gegevens alleen in de kolommen A t/m {column_label(needed - 1, True)}",
            found=shown(cells[extra[0]]),
        )
    fields = len(cells) if not extra else extra[-1] + 1
    more = fields > needed
    return Problem(
        file=label,
        row=line,
        column=None,
        code="field_count",
        message=(
            "Regel heeft meer velden dan de kopregel: staat er een scheidingsteken in een waarde?"
            if more
            else "Regel heeft minder velden dan de kopregel: ontbreekt een scheidingsteken "
            "of sluit een aanhalingsteken niet?"
        ),
        expected=f"{needed} velden, zoals de kopregel",
        found=f"{fields} velden",
    )


def finish_table(
    kind: str,
    label: str,
    frame: pd.DataFrame,
    header_row: int,
    digest: str,
    synthetic: bool,
    rows: list[tuple[int, list[Any]]],
    blank: list[int],
    problems: list[Problem],
    rejected: frozenset[int],
    **how: str | None,
) -> RawTable:
    """Assemble a :class:`RawTable`; a file with a header but no data rows is an error."""
    if not rows:
        raise ReadError(
            "Bestand bevat geen gegevens, alleen een kopregel",
            code="no_rows",
            file=label,
            row=header_row,
            expected="ten minste één regel met gegevens onder de kopregel",
            found="geen regels met gegevens",
            hint="Vul de gegevens in; lever het bestand niet aan als er niets te melden is",
        )
    last = rows[-1][0]
    return RawTable(
        kind,
        label,
        frame,
        tuple(frame.columns[:-1]),
        header_row,
        digest,
        synthetic,
        rows_read=len(rows),
        blank_lines=sum(1 for b in blank if b < last),
        rejected_rows=rejected,
        problems=tuple(problems),
        **how,
    )
