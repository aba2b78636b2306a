"""Excel templates that schools fill in: one workbook per kind of file, made from the contract.

Each template has a data sheet named after the kind (``personeel``, ...) with the
header row (bold, frozen, a filter), a Dutch comment on every header cell, cells
pre-formatted per column (text for codes so Excel keeps ``00``, dates as
dd-mm-jjjj), data validation on every column (drop-down lists for coded values
and ja/nee, whole numbers and decimals within their range, dates up to the
peildatum) and a ``toelichting`` sheet that lists every column. With a programme,
the BRIN, vestiging and schooljaar lists hold its schools, locations and years.
``evallib validate`` reads a filled template back without loss.

Every text the tool writes is stored as text: a value that starts with ``=``,
``+``, ``-`` or ``@`` could otherwise run as a formula. Output is byte-for-byte
reproducible (fixed workbook properties and zip entry times).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from evallib.contract.programme import Programme
from evallib.contract.schema import ALL_FILES, KIND_FORMATS, Column, FileSpec, files_for
from evallib.core.dates import format_school_year
from evallib.core.files import write_atomic

#: Rows of the data sheet that carry the validations (the header is row 1).
ROWS = 5000
LISTS = "lijsten"  # hidden sheet with the drop-down values
_TIME = dt.datetime(2016, 8, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FORMULA_START = ("=", "+", "-", "@")
_TEXT_KINDS = {"id", "brin", "vestiging", "schoolyear", "category", "bool", "text", "period"}
_NUMBER_FORMATS = {"date": "DD-MM-YYYY", "int": "0", "likert": "0", "decimal": "0.0#"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` to ``cell``; text that looks like a formula is stored as plain text.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> cell = put(Workbook().active["A1"], '=HYPERLINK("http://x","y")')
    >>> cell.data_type, cell.quotePrefix
    ('s', True)
    """
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _choices(column: Column, programme: Programme | None) -> list[str]:
    """The drop-down values of a column (empty: no list)."""
    if column.allowed:
        return list(column.allowed)
    if column.kind == "bool":
        return ["ja", "nee"]
    if programme is None:
        return []
    if column.kind == "brin":
        return [s.brin for s in programme.schools]
    if column.kind == "vestiging":
        return sorted({loc for s in programme.schools for loc in s.locations})
    if column.kind == "schoolyear":
        first, last = programme.baseline_years[0], programme.programme_years[1]
        return [format_school_year(y) for y in range(first, last + 1)]
    if column.name == "indicator":
        return [spec.id for spec in programme.indicators]
    if column.name == "categorie":
        return sorted({c for spec in programme.indicators for c in spec.categories})
    return []


def _validation(
    column: Column, choices: list[str], list_ref: str, last_date: dt.date
) -> DataValidation:
    kind = column.kind
    if choices:
        rule = DataValidation(type="list", formula1=list_ref)
        text = "Kies een waarde uit de lijst."
    elif kind in ("int", "likert", "decimal"):
        whole = kind != "decimal"
        what = "Een geheel getal" if whole else "Een getal"
        if column.maximum is None:
            rule = DataValidation(
                type="whole" if whole else "decimal",
                operator="greaterThanOrEqual",
                formula1=f"{column.minimum or 0:g}",
            )
            text = f"{what} van {column.minimum or 0:g} of meer."
        else:
            rule = DataValidation(
                type="whole" if whole else "decimal",
                operator="between",
                formula1=f"{column.minimum:g}",
                formula2=f"{column.maximum:g}",
            )
            text = f"{what} van {column.minimum:g} t/m {column.maximum:g}."
    elif kind == "date":
        rule = DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1950,1,1)",
            formula2=f"DATE({last_date.year},{last_date.month},{last_date.day})",
        )
        text = f"Een datum van 01-01-1950 t/m {last_date:%d-%m-%Y}."
    else:  # codes, BRIN, vestiging and school years without a programme: their length
        low, high = {
            "id": (1, 32),
            "brin": (4, 4),
            "vestiging": (2, 2),
            "text": (1, 200),
            "period": (4, 9),
        }.get(kind, (7, 9))
        rule = DataValidation(
            type="textLength", operator="between", formula1=str(low), formula2=str(high)
        )
        text = KIND_FORMATS[kind].capitalize() + "."
    rule.allow_blank = not column.required
    rule.showErrorMessage = rule.showInputMessage = True
    rule.errorTitle, rule.error = "Ongeldige waarde", f"{column.name}: {text}"[:255]
    rule.promptTitle, rule.prompt = column.name[:32], column.description[:255]
    return rule


def _allowed_text(column: Column, choices: list[str]) -> str:
    if choices:
        return ", ".join(choices)
    if column.minimum is not None and column.maximum is not None:
        return f"{column.minimum:g} t/m {column.maximum:g}"
    return KIND_FORMATS[column.kind]


def _data_sheet(book: Workbook, spec: FileSpec, programme: Programme | None) -> None:
    sheet = book.active
    sheet.title = spec.name
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    last_date = programme.reference_date if programme else dt.date(2100, 12, 31)
    for j, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(j)
        header = put(sheet.cell(row=1, column=j), column.name)
        header.font, header.fill = Font(bold=True), _HEADER_FILL
        header.comment = Comment(
            f"{column.description}\n\nVorm: {KIND_FORMATS[column.kind]}\n"
            f"{'Verplicht' if column.required else 'Mag leeg blijven'}. "
            f"Voorbeeld: {column.example}",
            "evallib",
            width=300,
            height=160,
        )
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(12, len(column.name) + 4)
        dimension.number_format = (
            "@" if column.kind in _TEXT_KINDS else _NUMBER_FORMATS[column.kind]
        )
        choices = _choices(column, programme)
        for i, value in enumerate(choices, start=1):
            put(lists.cell(row=i, column=j), value)
        list_ref = f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${max(len(choices), 1)}"
        rule = _validation(column, choices, list_ref, last_date)
        rule.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}1"


def _explanation(book: Workbook, spec: FileSpec, programme: Programme | None) -> None:
    sheet = book.create_sheet("toelichting")
    intro = [
        f"{spec.title}: sjabloon voor het bestand '{spec.name}'",
        spec.description,
        f"Vul het werkblad '{spec.name}' in, vanaf regel 2; laat de kopregel staan. "
        "Voeg geen kolommen samen en zet geen formules in de cellen.",
        f"Sla op als {spec.name}.xlsx in de map van de school, genoemd naar de BRIN-code "
        "(bijv. 01GX/). Controleer de aanlevering met: evallib validate <map>.",
    ]
    if programme is not None:
        intro.append(
            f"Programma: {programme.name} (peildatum {programme.reference_date:%d-%m-%Y})."
        )
    for i, text in enumerate(intro, start=1):
        put(sheet.cell(row=i, column=1), text).font = Font(bold=i == 1)
    top = len(intro) + 2
    for j, title in enumerate(
        ["kolom", "verplicht", "beschrijving", "toegestane waarden", "voorbeeld"], start=1
    ):
        put(sheet.cell(row=top, column=j), title).font = Font(bold=True)
    for i, column in enumerate(spec.columns, start=top + 1):
        row = [
            column.name,
            "ja" if column.required else "nee",
            column.description,
            _allowed_text(column, _choices(column, programme)),
            column.example,
        ]
        for j, value in enumerate(row, start=1):
            put(sheet.cell(row=i, column=j), value).alignment = Alignment(wrap_text=True)
    if spec.rules:
        put(sheet.cell(row=top + len(spec.columns) + 2, column=1), "Verder geldt:").font = Font(
            bold=True
        )
        for i, rule in enumerate(spec.rules, start=top + len(spec.columns) + 3):
            put(sheet.cell(row=i, column=1), f"• {rule}")
    for letter, width in zip("ABCDE", (22, 10, 60, 40, 16), strict=True):
        sheet.column_dimensions[letter].width = width


def template_bytes(kind: str, programme: Programme | None = None) -> bytes:
    """The template workbook of one kind of file, as reproducible ``.xlsx`` bytes.

    Examples
    --------
    >>> template_bytes("lesuren")[:2], template_bytes("lesuren") == template_bytes("lesuren")
    (b'PK', True)
    """
    specs = {**ALL_FILES, **(files_for(programme) if programme else {})}
    spec = specs[kind]
    book = Workbook()
    _data_sheet(book, spec, programme)
    _explanation(book, spec, programme)
    book.move_sheet("toelichting", offset=-1)  # data, toelichting, (hidden) lijsten
    book.active = 0
    props = book.properties
    props.title, props.creator, props.lastModifiedBy = f"Sjabloon {spec.name}", "evallib", None
    props.created = props.modified = _TIME
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def write_templates(out_dir: Path, programme: Programme | None = None) -> list[Path]:
    """Write one Excel template per kind of file (``personeel.xlsx``, ...) into ``out_dir``.

    Parameters
    ----------
    out_dir
        Directory to write to; created if needed. Existing templates are replaced.
    programme
        If given, the drop-down lists of BRIN, vestiging and schooljaar hold the
        programme's schools, locations and years, and dates are limited to its
        peildatum.

    Returns
    -------
    list of Path
        The files written, in contract order.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_templates(Path(tempfile.mkdtemp()))]
    ['personeel.xlsx', 'deelname.xlsx', 'lesuren.xlsx', 'enquete.xlsx', 'indicatoren.xlsx']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in ALL_FILES:
        path = out_dir / f"{kind}.xlsx"
        write_atomic(path, template_bytes(kind, programme))
        paths.append(path)
    return paths
