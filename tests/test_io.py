"""Reading raw files as schools deliver them: separators, encodings, Excel, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from evallib.core.errors import InputError
from evallib.ingest.coerce import coerce_table, looks_like_formula, parse_date, parse_decimal
from evallib.ingest.read import ReadError, read_raw

HEADER = "docent_id;brin;vestiging;schooljaar;lesuren_totaal;lesuren_digitaal"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_variants_give_the_same_table(tmp_path: Path, encoding: str, sep: str) -> None:
    decimal = "," if sep == ";" else "."
    text = (
        f"# SYNTHETISCHE DATA — geen echte schoolgegevens\n{HEADER.replace(';', sep)}\n"
        f"D1{sep}01GX{sep}0{sep}2014/15{sep}640{decimal}5{sep}64\n"
    )
    table = read_raw(write(tmp_path, "lesuren.csv", text, encoding), "lesuren")
    typed, problems = coerce_table(table)
    assert not problems
    assert table.synthetic and table.delimiter == sep
    row = typed.iloc[0]
    assert (row["vestiging"], row["schooljaar"], row["lesuren_totaal"]) == ("00", 2014, 640.5)
    assert int(row["_row"]) == 3  # the line in the file, comment line included


def test_header_is_case_and_space_insensitive_and_order_free(tmp_path: Path) -> None:
    text = "Lesuren Digitaal,Docent_ID,BRIN,vestiging,schooljaar,lesuren_totaal\n10,D1,01gx,00,2014/15,600\n"
    typed, problems = coerce_table(read_raw(write(tmp_path, "lesuren.csv", text), "lesuren"))
    assert (
        not problems and typed.loc[0, "brin"] == "01GX" and typed.loc[0, "lesuren_digitaal"] == 10
    )


def test_bad_cells_are_reported_with_line_and_column(tmp_path: Path) -> None:
    text = f"{HEADER}\nD1;01GX;00;2014/15;veel;10\nD2;01GX;00;2014-2016;600;10\n"
    _, problems = coerce_table(
        read_raw(write(tmp_path, "lesuren.csv", text), "lesuren", "01GX/lesuren.csv")
    )
    assert sorted((p.file, p.row, p.column, p.found) for p in problems) == [
        ("01GX/lesuren.csv", 2, "lesuren_totaal", "veel"),
        ("01GX/lesuren.csv", 3, "schooljaar", "2014-2016"),
    ]


def test_missing_and_extra_columns(tmp_path: Path) -> None:
    text = (
        "docent_id;brin;vestiging;schooljaar;lesuren_totaal;opmerking\nD1;01GX;00;2014/15;600;x\n"
    )
    _, problems = coerce_table(read_raw(write(tmp_path, "lesuren.csv", text), "lesuren"))
    assert {(p.code, p.column, p.severity) for p in problems} == {
        ("missing_column", "lesuren_digitaal", "error"),
        ("extra_column", "opmerking", "warning"),
    }


def test_xlsx_with_dates_numbers_and_an_info_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "deelname"
    sheet.append(
        ["docent_id", "brin", "vestiging", "schooljaar", "project", "rol", "datum_selectie"]
    )
    sheet.append(["D1", "01GX", 0, "2013/14", "E-coaching", "e-coach", dt.datetime(2013, 5, 2)])
    sheet.append(
        ["D2", "01GX", 0, "2013/14", "e-coaching", "e-coach", 41397]
    )  # Excel serial 2013-05-03
    book.create_sheet("LEESMIJ")["A1"] = "SYNTHETISCHE DATA — geen echte schoolgegevens"
    book.save(tmp_path / "deelname.xlsx")
    table = read_raw(tmp_path / "deelname.xlsx", "deelname")
    typed, problems = coerce_table(table)
    assert not problems and table.synthetic and table.sheet == "deelname"
    assert typed["datum_selectie"].dt.strftime("%Y-%m-%d").tolist() == ["2013-05-02", "2013-05-03"]
    assert typed["project"].tolist() == ["e-coaching", "e-coaching"]
    assert typed["_row"].tolist() == [2, 3]


def test_a_workbook_read_again_is_parsed_once_and_each_reader_gets_its_own_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evallib.ingest import sheets

    book = openpyxl.Workbook()
    book.active.title = "lesuren"
    book.active.append(["docent_id", "lesuren_totaal"])
    book.active.append(["D1", 640.5])
    book.save(tmp_path / "lesuren.xlsx")
    parse, parsed = sheets.read_xlsx, []
    monkeypatch.setattr(sheets, "read_xlsx", lambda *args: parsed.append(args) or parse(*args))
    first = read_raw(tmp_path / "lesuren.xlsx", "lesuren", "school/lesuren.xlsx")
    first.frame.loc[0, "lesuren_totaal"] = 0.0  # a reader changing its frame
    again = read_raw(tmp_path / "lesuren.xlsx", "lesuren", "school/lesuren.xlsx")
    assert len(parsed) == 1 and again.frame["lesuren_totaal"].tolist() == [640.5]
    book.active.append(["D2", 12])  # new bytes: read again
    book.save(tmp_path / "lesuren.xlsx")
    assert len(read_raw(tmp_path / "lesuren.xlsx", "lesuren", "school/lesuren.xlsx").frame) == 2
    assert len(parsed) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Bestand is leeg"),
        (b"# alleen commentaar\n\n", "Bestand is leeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "geen spreadsheet"),
        (b"a;b\n1;2;3;4\n", "geen kopregel"),
        (b"docent_id;brin\n", "alleen een kopregel"),
        (b"%PDF-1.4\n1 0 obj\n", "geen spreadsheet"),
    ],
)
def test_unusable_files_raise_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "lesuren.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_raw(path, "lesuren")
    assert str(path) in str(info.value)


def test_date_and_number_parsers() -> None:
    assert parse_date("31-07-2016") == dt.date(2016, 7, 31)
    assert parse_date("2016-07-31 00:00:00") == dt.date(2016, 7, 31)
    with pytest.raises(ValueError):
        parse_date("31-02-2016")
    assert parse_decimal("1.234,5") == 1234.5 and parse_decimal("1,234.5") == 1234.5


def test_rows_that_do_not_fit_the_header_are_reported_counted_and_left_out(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\nD1;01GX;00;2014/15;640;10\n\nD2;01GX;00;2014/15;640;10;x\nD3;01GX;00\n;;;;;\n"
    )
    table = read_raw(write(tmp_path, "lesuren.csv", text), "lesuren", "01GX/lesuren.csv")
    assert table.frame["docent_id"].tolist() == ["D1"]
    assert (table.rows_read, table.blank_lines, sorted(table.rejected_rows)) == (3, 1, [4, 5])
    assert [(p.row, p.code, p.found) for p in table.problems] == [
        (4, "field_count", "7 velden"),
        (5, "field_count", "3 velden"),
    ]


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    text = HEADER.replace(";", "\t") + "\r\nD1\t01GX\t00\t2014/15\t640,5\t1\r\n"
    table = read_raw(write(tmp_path, "lesuren.txt", text, "utf-16"), "lesuren")
    assert (table.encoding, table.delimiter, table.frame.loc[0, "lesuren_totaal"]) == (
        "utf-16",
        "\t",
        "640,5",
    )


def test_an_overlong_csv_field_gives_a_dutch_message(tmp_path: Path) -> None:
    text = f'{HEADER}\nD1;01GX;00;2014/15;"{"9" * 200_000}";1\n'
    with pytest.raises(ReadError) as info:
        read_raw(write(tmp_path, "lesuren.csv", text), "lesuren", "01GX/lesuren.csv")
    assert info.value.code == "bad_csv" and info.value.row == 2
    assert "field" not in str(info.value)  # no Python exception text ("field larger than ...")


def test_cells_are_typed_with_specific_codes(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n=1+1;01GX;00;2014/15;1.000;1\nD2;01GX;00;2014/15;640;@x\n"
        f"D3;01GX;00;2014/15;640;٣\n{'D' * 40};01GX;00;2014/15;640;1\n"
    )
    _, problems = coerce_table(read_raw(write(tmp_path, "lesuren.csv", text), "lesuren"))
    assert [(p.row, p.column, p.code) for p in problems] == [
        (2, "docent_id", "formula"),
        (5, "docent_id", "too_long"),
        (2, "lesuren_totaal", "ambiguous_number"),
        (3, "lesuren_digitaal", "formula"),
        (4, "lesuren_digitaal", "type"),
    ]


def test_formula_detection_and_impossible_years() -> None:
    assert looks_like_formula("+31 6 1234") and looks_like_formula("@SUM(A1)")
    assert not looks_like_formula("-") and not looks_like_formula("D-1")
    for text in ("01-08-0213", "01-08-3000"):
        with pytest.raises(ValueError, match="Jaartal"):
            parse_date(text)
    assert parse_decimal("0,125") == 0.125  # a leading zero is never a thousands group
    with pytest.raises(ValueError, match="eenduidig"):
        parse_decimal("2,500")


def test_xlsx_stale_dimension_blank_rows_and_trailing_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "lesuren"
    sheet.append(HEADER.split(";"))
    sheet.append(["D1", "01GX", 0, "2013/14", 640, 10])
    sheet.append([])
    sheet.append(["D2", "01GX", 0, "2013/14", 640])  # the last (empty) cell is simply absent
    book.save(tmp_path / "lesuren.xlsx")
    table = read_raw(tmp_path / "lesuren.xlsx", "lesuren")
    assert table.frame["_row"].tolist() == [2, 4] and table.blank_lines == 1
    assert table.frame.loc[1, "lesuren_digitaal"] == ""
