"""Read an Excel workbook (``.xlsx``) as a school made it.

Which sheet: the one named after the file (``personeel``, ...), or else the only
sheet with content that is not an information sheet (``LEESMIJ``, ``readme``,
``info``, ``toelichting``, ``lijsten``). Rows are numbered as Excel numbers them. Dates and
numbers arrive as Excel stores them. Two things Excel users do that a table
cannot hold are reported rather than guessed at:

- *merged cells*: in the header they are an error for the file; in the data each
  merged range is one problem and its rows are left out (and counted);
- *size*: before anything is parsed, the workbook's unpacked size (from the zip's
  directory) and each sheet's declared dimension are checked against the limits in
  :mod:`evallib.contract.schema`; while reading, rows and columns are bounded too, so a
  small file that declares a billion cells is refused at once;
- *formulas*: in number and date columns the value Excel computed is read (a
  formula without a stored result is an error); in text columns (codes, BRIN,
  categories) a formula is an error, because such cells are a known way to smuggle
  commands into spreadsheets that are opened later.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from evallib.contract.schema import (
    ALL_FILES,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SYNTHETIC_MARK,
)
from evallib.core.errors import Problem
from evallib.ingest.frames import (
    RawTable,
    ReadError,
    build_frame,
    finish_table,
    is_empty,
    normalise_header,
)
from evallib.ingest.parsers import TEXT_KINDS

INFO_SHEETS = {"leesmij", "readme", "info", "toelichting", "lijsten"}
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
#: Rows a sheet may hold above and between its data rows (titles, notes, blank lines).
_SPARE_ROWS = 1000


def _too_large(label: str, found: str) -> ReadError:
    return ReadError(
        "Excel-bestand is te groot om te lezen",
        code="too_large",
        file=label,
        expected=f"hoogstens {MAX_ROWS:_} regels en {MAX_COLUMNS} kolommen, ".replace("_", ".")
        + f"uitgepakt hoogstens {MAX_FILE_BYTES >> 20} MB",
        found=found,
        hint="Lever alleen het werkblad met de gegevens aan, zonder lege opmaak tot ver "
        "buiten de tabel, of sla het op als CSV",
    )


def check_limits(data: bytes, label: str) -> None:
    """Refuse a workbook over the limits from its zip directory and sheet dimensions alone.

    Nothing is parsed: the unpacked sizes come from the zip's directory, and each sheet's
    declared size from the ``<dimension>`` element at the top of its XML.

    Examples
    --------
    >>> import openpyxl, io as _io
    >>> book = openpyxl.Workbook(); book.active["XFD1048576"] = 1
    >>> buffer = _io.BytesIO(); book.save(buffer)
    >>> check_limits(buffer.getvalue(), "personeel.xlsx")
    Traceback (most recent call last):
    evallib.ingest.frames.ReadError: personeel.xlsx: Excel-bestand is te groot om te lezen (verwacht: ...
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # not a workbook at all: reading says so
    with archive:
        parts = archive.infolist()
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_FILE_BYTES:
            raise _too_large(label, f"uitgepakt {unpacked >> 20} MB")
        for part in parts:
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", part.filename):
                continue
            with archive.open(part) as xml:
                head = xml.read(1 << 16)
            match = _DIMENSION.search(head)
            if match is None:
                continue
            ref = match.group(1).decode()
            min_col, min_row, max_col, max_row = range_boundaries(
                ref if ":" in ref else f"{ref}:{ref}"
            )
            if max_row > MAX_ROWS + _SPARE_ROWS or max_col > MAX_COLUMNS:
                cells = (max_row - min_row + 1) * (max_col - min_col + 1)
                found = f"werkblad van {ref} ({cells:,} cellen)".replace(",", ".")
                raise _too_large(label, found)


def _open(data: bytes, label: str, data_only: bool = True) -> Any:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # any parser failure on an untrusted file means: not a usable workbook
        raise ReadError(
            "Excel-bestand niet leesbaar",
            code="bad_xlsx",
            file=label,
            expected="een Excel-werkmap (.xlsx)",
            found="een zip-bestand zonder (leesbare) werkmap",
            hint="Open het bestand in Excel en sla het op als .xlsx",
        ) from None


def _has_content(sheet: Any) -> bool:
    rows = sheet.iter_rows(max_row=100, max_col=MAX_COLUMNS, values_only=True)
    return any(not is_empty(v) for row in rows for v in row)


def _choose_sheet(book: Any, kind: str, label: str) -> str:
    names = book.sheetnames
    by_kind = [n for n in names if normalise_header(n) == kind]
    if by_kind:
        return by_kind[0]
    data = [n for n in names if n.strip().lower() not in INFO_SHEETS and _has_content(book[n])]
    if len(data) == 1:
        return data[0]
    listed = ", ".join(f"'{n}'" for n in names)
    raise ReadError(
        "Niet duidelijk welk werkblad de gegevens bevat"
        if data
        else "Werkmap bevat geen werkblad met gegevens",
        code="sheet_unclear" if data else "empty_file",
        file=label,
        expected=f"een werkblad met de naam '{kind}'",
        found=f"werkbladen {listed}"[:200],
        hint=f"Geef het werkblad met de gegevens de naam '{kind}'",
    )


def _sheet_xml(data: bytes, sheet: Any) -> bytes:
    path = getattr(sheet, "_worksheet_path", None)  # openpyxl keeps the part name here
    if not path:
        return b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(path)


def _formulas(data: bytes, label: str, sheet_name: str) -> dict[tuple[int, int], str]:
    """``{(row, column): "=..."}`` for every formula cell of the sheet (1-based)."""
    book = _open(data, label, data_only=False)
    found = {}
    for row in book[sheet_name].iter_rows(max_row=MAX_ROWS + _SPARE_ROWS, max_col=MAX_COLUMNS):
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                text = getattr(cell.value, "text", cell.value)
                found[(cell.row, cell.column)] = str(text or "=")
    book.close()
    return found


def read_xlsx(kind: str, label: str, data: bytes, digest: str) -> RawTable:
    """Read the data sheet of a workbook; see the module docstring for the rules.

    Examples
    --------
    >>> import openpyxl, io as _io
    >>> book = openpyxl.Workbook(); ws = book.active; ws.title = "lesuren"
    >>> ws.append(["docent_id", "lesuren_totaal"]); ws.append(["D1", 640.5])
    >>> buffer = _io.BytesIO(); book.save(buffer)
    >>> t = read_xlsx("lesuren", "lesuren.xlsx", buffer.getvalue(), "")
    >>> t.sheet, t.frame.to_dict("records")
    ('lesuren', [{'docent_id': 'D1', 'lesuren_totaal': 640.5, '_row': 2}])
    """
    check_limits(data, label)
    book = _open(data, label)
    try:
        name = _choose_sheet(book, kind, label)
        synthetic = SYNTHETIC_MARK in str(book.properties.title or "")
        for info in book.sheetnames:
            if info.strip().lower() in INFO_SHEETS:
                for row in book[info].iter_rows(values_only=True, max_row=20):
                    synthetic = synthetic or any(SYNTHETIC_MARK in str(c) for c in row if c)
        sheet = book[name]
        sheet.reset_dimensions()  # never trust the stored size: it may cut rows off
        header, header_row, rows, blank, synthetic = _scan(sheet, label, synthetic)
    except ReadError:
        raise
    except Exception:
        raise ReadError(
            "Excel-bestand niet leesbaar",
            code="bad_xlsx",
            file=label,
            expected="een Excel-werkmap (.xlsx)",
            found="een beschadigd werkblad",
            hint="Open het bestand in Excel en sla het op als .xlsx",
        ) from None
    finally:
        book.close()
    xml = _sheet_xml(data, sheet)
    if header is None:
        raise ReadError(
            "Werkblad is leeg",
            code="empty_file",
            file=label,
            expected="een kopregel met kolomnamen en daaronder gegevens",
            found=f"werkblad '{name}' zonder gegevens",
            hint="Vul het werkblad en lever opnieuw aan",
        )
    names = [normalise_header(h) for h in header]
    merged = [range_boundaries(m.decode()) for m in _MERGE.findall(xml)]
    problems, rejected = _merged(kind, label, names, merged, header_row)
    if _FORMULA.search(xml):
        _mark_formulas(kind, names, rows, _formulas(data, label, name))
    fitting = [(n, c) for n, c in rows if n not in rejected]
    frame, misfits, more = build_frame(kind, label, header, fitting, header_row, True)
    return finish_table(
        kind,
        label,
        frame,
        header_row,
        digest,
        synthetic,
        rows,
        blank,
        [*problems, *misfits],
        rejected | more,
        sheet=name,
    )


def _scan(sheet: Any, label: str, synthetic: bool) -> tuple:
    """One pass over the sheet's rows: header, data rows, blank rows; bounded by the limits.

    Returns ``(header, header_row, rows, blank, synthetic)``.
    """
    header: list[Any] | None = None
    header_row = 0
    rows: list[tuple[int, list[Any]]] = []
    blank: list[int] = []
    for number, raw in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + _SPARE_ROWS:
            raise _too_large(label, f"meer dan {MAX_ROWS + _SPARE_ROWS:,} regels".replace(",", "."))
        cells = ["" if v is None else v for v in raw]
        if len(cells) > MAX_COLUMNS:  # a cell far to the right: refuse it, or drop empty padding
            if any(not is_empty(c) for c in cells[MAX_COLUMNS:]):
                raise _too_large(label, f"regel {number} heeft gegevens na kolom {MAX_COLUMNS}")
            del cells[MAX_COLUMNS:]
        if header is None:
            first = str(cells[0]).strip() if cells else ""
            if first.startswith("#"):
                synthetic = synthetic or SYNTHETIC_MARK in first
            elif any(not is_empty(c) for c in cells):
                header, header_row = cells, number
            continue
        if any(not is_empty(c) for c in cells):
            rows.append((number, cells))
        else:
            blank.append(number)
    return header, header_row, rows, blank, synthetic


def _merged(
    kind: str,
    label: str,
    names: list[str],
    merged: list[tuple[int, int, int, int]],
    header_row: int,
) -> tuple[list[Problem], frozenset[int]]:
    problems = []
    rejected: set[int] = set()
    for min_col, min_row, max_col, max_row in sorted(merged, key=lambda b: (b[1], b[0])):
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        if min_row <= header_row:
            raise ReadError(
                "Samengevoegde cellen in of boven de kopregel",
                code="merged_header",
                file=label,
                row=min_row,
                column=ref,
                expected="één kolomnaam per cel in één kopregel, zonder samengevoegde cellen",
                found=f"samengevoegde cellen {ref}",
                hint="Maak het samenvoegen ongedaan en geef elke kolom een eigen naam "
                "uit docs/data-format.md; zet een titel boven de kopregel achter een #",
            )
        column = names[min_col - 1] if min_col <= len(names) else ""
        problems.append(
            Problem(
                file=label,
                row=min_row,
                column=column or get_column_letter(min_col),
                code="merged_cells",
                message=f"Samengevoegde cellen: regel {min_row} t/m {max_row} niet gelezen",
                expected="één waarde per cel, zonder samengevoegde cellen",
                found=f"samengevoegde cellen {ref}",
            )
        )
        rejected.update(range(min_row, max_row + 1))
    return problems, frozenset(rejected)


def _mark_formulas(
    kind: str,
    names: list[str],
    rows: list[tuple[int, list[Any]]],
    formulas: dict[tuple[int, int], str],
) -> None:
    """Put the formula text in cells where a formula may not stand or left no value.

    :mod:`evallib.ingest.coerce` then reports those cells as formulas.
    """
    spec = ALL_FILES[kind]
    by_row = dict(rows)
    for (row, col), formula in formulas.items():
        cells = by_row.get(row)
        if cells is None or col > len(names) or col > len(cells):
            continue
        name = names[col - 1]
        if name not in spec.column_names:
            continue
        if spec.column(name).kind in TEXT_KINDS or is_empty(cells[col - 1]):
            cells[col - 1] = formula if formula.startswith("=") else "=" + formula
