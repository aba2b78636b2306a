"""Write the corpus files that are not plain UTF-8 text: workbooks, binaries, other encodings.

Run from the repository root: ``.venv/bin/python tests/bad_inputs/make_xlsx.py``.
The output is deterministic (fixed workbook properties and zip entry times, as in
:mod:`evallib.synth.write`), so running it again changes no committed byte;
``tests/test_bad_inputs.py`` checks that.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).parent
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
BOOK_TIME = dt.datetime(2016, 8, 1)
STAFF = [
    "docent_id",
    "brin",
    "vestiging",
    "geboortejaar",
    "datum_in_dienst",
    "datum_uit_dienst",
    "reden_uit_dienst",
    "starter",
    "jaar_bevoegdheid",
]
HOURS = ["docent_id", "brin", "vestiging", "schooljaar", "lesuren_totaal", "lesuren_digitaal"]
ROWS = [
    ["P001", "01GX", "00", 1965, dt.date(2001, 1, 8), None, None, "nee", None],
    ["P002", "01GX", "00", 1979, dt.date(2004, 8, 1), dt.date(2015, 7, 31), "andere school", "nee", None],
    ["P003", "01GX", "00", 1989, dt.date(2012, 8, 1), None, None, "ja", 2012],
]  # fmt: skip


def serial(day: dt.date) -> int:
    """Excel's day number of a date (1900 date system)."""
    return (day - dt.date(1899, 12, 30)).days


def fixed_zip(data: bytes, patches: dict[str, list[tuple[bytes, bytes]]] | None = None) -> bytes:
    """The same zip with fixed entry times; ``patches`` replace bytes inside members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            for old, new in (patches or {}).get(name, []):
                assert old in content, (name, old)
                content = content.replace(old, new)
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()


def book_bytes(
    book: openpyxl.Workbook, patches: dict[str, list[tuple[bytes, bytes]]] | None = None
) -> bytes:
    props = book.properties
    props.creator, props.lastModifiedBy, props.title = "evallib tests", None, None
    props.created = props.modified = BOOK_TIME
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return fixed_zip(raw.getvalue(), patches)


def sheet_book(title: str, rows: list[list], header: list[str] | None = STAFF) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book


def staff_book(rows: list[list] = ROWS, title: str = "personeel") -> openpyxl.Workbook:
    return sheet_book(title, rows)


def dates_as_serials_and_text() -> bytes:
    book = staff_book(
        [
            ["P001", "01GX", 0, 1965, dt.datetime(2001, 1, 8), None, None, False, None],
            [
                "P002",
                "01GX",
                "00",
                1979,
                serial(dt.date(2004, 8, 1)),
                serial(dt.date(2015, 7, 31)),
                "andere school",
                "nee",
                None,
            ],
            ["P003", "01GX", "0", 1989, "01-08-2012", None, None, True, 2012],
        ]
    )
    book.active["E2"].number_format = "dd-mm-yyyy"
    return book_bytes(book)


def extra_sheets() -> bytes:
    book = sheet_book("grafiek", [["jaar", "aantal"], [2014, 12], [2015, 15]], header=None)
    book.create_sheet("LEESMIJ")["A1"] = "Personeel van het Christelijk Lyceum Delft"
    data = book.create_sheet("personeel")
    for row in [STAFF, *ROWS[:2]]:
        data.append(row)
    return book_bytes(book)


def default_sheets() -> bytes:
    book = staff_book(ROWS[:2], title="Blad1")
    book.create_sheet("Blad2")
    book.create_sheet("Blad3")
    return book_bytes(book)


def stale_dimension() -> bytes:
    patch = [(b'<dimension ref="A1:I4"', b'<dimension ref="A1:I2"')]
    return book_bytes(staff_book(), {"xl/worksheets/sheet1.xml": patch})


def merged_header() -> bytes:
    book = staff_book(ROWS[:1])
    book.active["B1"] = None
    book.active.merge_cells("A1:B1")
    return book_bytes(book)


def merged_title() -> bytes:
    book = sheet_book("personeel", [STAFF, *ROWS[:2]], header=None)
    book.active.insert_rows(1)
    book.active["A1"] = "Personeel Christelijk Lyceum Delft 2016"
    book.active.merge_cells("A1:I1")
    return book_bytes(book)


def merged_data() -> bytes:
    rows = [*ROWS, ["P004", "01GX", "00", 1982, dt.date(2010, 8, 1), None, None, "nee", None]]
    book = staff_book(rows)
    book.active["B3"] = book.active["B4"] = None
    book.active.merge_cells("B2:B4")
    return book_bytes(book)


def ambiguous_sheets() -> bytes:
    book = staff_book(ROWS[:1], title="2015")
    other = book.create_sheet("2016")
    for row in [STAFF, *ROWS[1:2]]:
        other.append(row)
    return book_bytes(book)


def outside_header() -> bytes:
    book = staff_book()
    book.active["K3"] = "navragen"
    return book_bytes(book)


def formulas() -> bytes:
    book = staff_book(
        [
            [
                '=HYPERLINK("http://x.nl","klik")',
                "01GX",
                "00",
                1965,
                dt.date(2001, 1, 8),
                None,
                None,
                "nee",
                None,
            ],
            ["P002", "01GX", "00", "=1970+9", dt.date(2004, 8, 1), None, None, "nee", None],
            ["P003", "01GX", "00", "=1960+5", dt.date(2004, 8, 1), None, None, "nee", None],
        ]
    )
    # Excel stores the computed value beside a formula; openpyxl does not: add one by hand.
    patch = [(b"<f>1970+9</f><v />", b"<f>1970+9</f><v>1979</v>")]
    return book_bytes(book, {"xl/worksheets/sheet1.xml": patch})


def hours_book() -> bytes:
    rows = [["ACZ2BX", "14WE", "00", "2014/15", 640, 96.5]]
    return book_bytes(sheet_book("lesuren", rows, header=HOURS))


def a_zip(name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), text)
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HOURS_TEXT = "\n".join(
    [
        "# SYNTHETISCHE DATA — geen echte schoolgegevens",
        "# Lesuren Adelbert College, geëxporteerd uit het rooster",
        ";".join(HOURS),
        "ACZ2BX;14WE;00;2014/15;640,5;96,5",
        "AUD988;14WE;0;2014/15;290;0",
        "",
    ]
)

FILES: dict[str, Callable[[], bytes]] = {
    "01_cp1252_semicolon_decimal_comma/14WE/lesuren.csv": lambda: HOURS_TEXT.encode("cp1252"),
    "03_utf16_tab_unicode_text/14WE/lesuren.txt": lambda: (
        "\t".join(HOURS) + "\r\nACZ2BX\t14WE\t00\t2014/15\t640,5\t96,5\r\n"
        "AUD988\t14WE\t00\t2014/15\t290\t0\r\n"
    ).encode("utf-16"),
    "09_xlsx_serial_and_text_dates/01GX/personeel.xlsx": dates_as_serials_and_text,
    "10_xlsx_extra_sheets/01GX/personeel.xlsx": extra_sheets,
    "11_xlsx_default_empty_sheets/01GX/personeel.xlsx": default_sheets,
    "13_other_files_in_school_folder/14WE/~$lesuren.xlsx": lambda: b"\x0bevallib\x00" + bytes(40),
    "13_other_files_in_school_folder/14WE/Thumbs.db": lambda: OLE2,
    "13_other_files_in_school_folder/14WE/toelichting.docx": lambda: a_zip(
        "word/document.xml", "<w:document/>"
    ),
    "14_stale_dimension_xlsx/01GX/personeel.xlsx": stale_dimension,
    "23_header_only_xlsx/01GX/personeel.xlsx": lambda: book_bytes(staff_book([])),
    "24_png_named_csv/00PJ/personeel.csv": lambda: PNG,
    "25_pdf_named_xlsx/14WE/lesuren.xlsx": lambda: PDF,
    "26_zip_not_xlsx/00PJ/personeel.xlsx": lambda: a_zip("notities.txt", "geen werkmap"),
    "27_old_xls_file/00PJ/personeel.xls": lambda: OLE2,
    "28_old_excel_bytes_named_xlsx/14WE/lesuren.xlsx": lambda: OLE2,
    "30_bad_encoding/14WE/lesuren.csv": lambda: (
        ",".join(HOURS).encode() + b"\nACZ2BX,14WE,00,2014/15,640,96.5\n"
        b"AUD\x81988,14WE,00,2014/15,290.5,0\n"
    ),
    "31_xlsx_empty_workbook/01GX/personeel.xlsx": lambda: book_bytes(
        sheet_book("Blad1", [], header=None)
    ),
    "32_merged_header_cells/01GX/personeel.xlsx": merged_header,
    "33_merged_title_row/01GX/personeel.xlsx": merged_title,
    "34_merged_data_cells/01GX/personeel.xlsx": merged_data,
    "35_xlsx_ambiguous_sheets/01GX/personeel.xlsx": ambiguous_sheets,
    "36_xlsx_value_outside_header/01GX/personeel.xlsx": outside_header,
    "60_formula_cells_xlsx/01GX/personeel.xlsx": formulas,
    "64_two_files_of_one_kind/14WE/lesuren.xlsx": hours_book,
}


def build() -> dict[str, bytes]:
    """The bytes of every generated file, by path relative to ``tests/bad_inputs``."""
    return {name: make() for name, make in FILES.items()}


if __name__ == "__main__":
    for name, data in build().items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(HERE)}: {len(data)} bytes")
