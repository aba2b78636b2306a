"""Tables as files a reader downloads: CSV and Excel, inert and byte-for-byte reproducible.

Two dangers and one promise:

* **Formula injection.** A spreadsheet opens a CSV cell that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return as a formula (OWASP, *CSV Injection*). A school name from
  a delivery could be ``=HYPERLINK(...)``. :func:`inert` puts an apostrophe before such text,
  and :func:`xlsx_bytes` writes every text cell as a string, never as a formula.
* **Reproducibility.** The same table gives the same bytes: CSV has a fixed dialect, and the
  Excel file gets fixed document dates and fixed dates on its zip entries (openpyxl stamps
  both with the time of writing).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def inert(value: Cell) -> Cell:
    """A cell that no spreadsheet runs: text that starts like a formula gets a leading ``'``.

    Numbers stay numbers (a negative number is data, not a formula).

    Examples
    --------
    >>> inert("=HYPERLINK(\\"http://x\\")"), inert("-1"), inert(-1.5), inert("Delft")
    ('\\'=HYPERLINK("http://x")', "'-1", -1.5, 'Delft')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV table (comma-separated, RFC 4180 quoting and line ends), every cell inert.

    Numbers are written in full with a decimal point; ``None`` is an empty cell.

    Examples
    --------
    >>> csv_text(["school", "n"], [["=1+1", 12], ["Delft, Zuid", None]])
    'school,n\\r\\n\\'=1+1,12\\r\\n"Delft, Zuid",\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([inert(h) for h in header])
    for row in rows:
        writer.writerow(["" if c is None else inert(c) for c in row])
    return buffer.getvalue()


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip archive with every entry dated ``when`` and stored the same way."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet: str,
    when: dt.datetime,
    title: str = "",
) -> bytes:
    """An Excel workbook of one sheet, the same bytes for the same table and ``when``.

    Text cells are strings, never formulas (a name like ``=HYPERLINK(...)`` shows as written).
    The header row is bold and frozen. The document's created and modified dates are ``when``
    (give a date from the data, e.g. the programme's reference date, not the clock).

    Examples
    --------
    >>> when = dt.datetime(2016, 7, 31)
    >>> a = xlsx_bytes(["school"], [["=1+1"]], sheet="t", when=when)
    >>> a == xlsx_bytes(["school"], [["=1+1"]], sheet="t", when=when), a[:2]
    (True, b'PK')
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for r, row in enumerate([list(header), *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = worksheet.cell(r, c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # openpyxl would make "=..." a formula
            else:
                cell.value = value
            if r == 1:
                cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    properties = workbook.properties
    properties.created = properties.modified = when
    properties.creator = properties.lastModifiedBy = "evallib"
    properties.title = title or None
    buffer = io.BytesIO()
    # ExcelWriter rather than workbook.save(): save() stamps 'modified' with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _fixed_zip(buffer.getvalue(), when)
