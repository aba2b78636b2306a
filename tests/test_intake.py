"""Intake templates: generated from the contract, filled in, read back without loss."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evallib.contract.programme import load_programme
from evallib.contract.schema import FILES, REGION_FILES, files_for
from evallib.validation.intake import LISTS, template_bytes, write_templates
from evallib.validation.validate import validate_directory

PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")

#: A school's delivery as typed into the templates, the way Excel stores it.
FILLED = {
    "personeel": [
        ["T01", "14WE", "00", 1988, dt.datetime(2013, 8, 1), dt.datetime(2015, 7, 31),
         "andere school", "ja", 2012],
        ["T02", "14WE", "00", 1971, dt.datetime(1999, 8, 1), None, None, "nee", None],
    ],
    "deelname": [
        ["T01", "14WE", "00", "2013/14", "starters", "deelnemer", None],
        ["T02", "14WE", "00", "2014/15", "halverwege", "trainer", dt.datetime(2014, 5, 15)],
    ],
    "lesuren": [
        ["T01", "14WE", "00", "2014/15", 640.5, 96.25],
        ["T02", "14WE", "00", "2014/15", 700, 0],
    ],
    "enquete": [
        ["R0001", "14WE", "00", "2013/14", "personeel", 4, 3, 5, None],
        ["R0002", "14WE", "00", "2013/14", "leerlingen", 2, None, None, 5],
    ],
}  # fmt: skip


SPECS = {**files_for(PROGRAMME), **REGION_FILES}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    return {p.stem: p for p in write_templates(out, PROGRAMME)}


def test_one_template_per_kind_with_explanation(templates: dict[str, Path]) -> None:
    assert list(templates) == list(SPECS)
    for kind, path in templates.items():
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == [kind, "toelichting", LISTS]
        assert book[LISTS].sheet_state == "hidden"
        sheet = book[kind]
        assert [c.value for c in sheet[1]] == list(SPECS[kind].column_names)
        assert all(c.font.bold and c.comment for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        listed = [r[0] for r in book["toelichting"].iter_rows(values_only=True)]
        assert set(SPECS[kind].column_names) <= set(listed)


def test_every_column_is_validated_and_coded_columns_have_drop_downs(
    templates: dict[str, Path],
) -> None:
    for kind, path in templates.items():
        book = openpyxl.load_workbook(path)
        sheet = book[kind]
        rules = {str(r.sqref).split(":")[0][:-1]: r for r in sheet.data_validations.dataValidation}
        assert len(rules) == len(SPECS[kind].columns)
        for j, column in enumerate(SPECS[kind].columns, start=1):
            letter = openpyxl.utils.get_column_letter(j)
            rule = rules[letter]
            if column.allowed or column.kind in ("bool", "brin", "vestiging", "schoolyear"):
                assert rule.type == "list", column.name
                _, cells = rule.formula1.split("!")
                values = [c.value for row in book[LISTS][cells.replace("$", "")] for c in row]
                if column.allowed:
                    assert values == list(column.allowed)
                if column.kind == "vestiging":
                    assert "00" in values and "05" in values  # text, with the leading zero
            expected = {"int": "whole", "likert": "whole", "decimal": "decimal", "date": "date"}
            if column.kind in expected:
                assert rule.type == expected[column.kind], column.name
            formats = sheet.column_dimensions[letter].number_format
            if column.kind in ("id", "brin", "vestiging"):
                assert formats == "@", column.name  # text, so Excel keeps 00
            if column.kind == "date":
                assert formats == "DD-MM-YYYY"


def test_filled_templates_read_back_without_loss(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    (raw / "14WE").mkdir(parents=True)
    for kind, path in templates.items():
        if kind in REGION_FILES:  # delivered next to the school folders, not in them
            continue
        book = openpyxl.load_workbook(path)  # keeps the validations and formats
        for row in FILLED[kind]:
            book[kind].append(row)
        book.save(raw / "14WE" / f"{kind}.xlsx")
    result = validate_directory(raw, PROGRAMME)
    assert not [p for p in result.problems if p.file.startswith("14WE/")], result.problems
    assert {f.sheet for f in result.files} == set(FILES)
    staff = result.tables["personeel"].set_index("docent_id")
    assert staff.loc["T01", "datum_in_dienst"] == pd.Timestamp("2013-08-01")
    assert staff.loc["T01", "datum_uit_dienst"] == pd.Timestamp("2015-07-31")
    assert pd.isna(staff.loc["T02", "datum_uit_dienst"])
    assert staff["vestiging"].tolist() == ["00", "00"]
    assert staff["starter"].tolist() == [True, False]
    assert staff.loc["T01", "jaar_bevoegdheid"] == 2012 and pd.isna(
        staff.loc["T02", "jaar_bevoegdheid"]
    )
    hours = result.tables["lesuren"].set_index("docent_id")
    assert (
        hours.loc["T01", "lesuren_totaal"] == 640.5
        and hours.loc["T01", "lesuren_digitaal"] == 96.25
    )
    assert hours.loc["T01", "schooljaar"] == 2014
    joined = result.tables["deelname"].set_index("docent_id")
    assert joined.loc["T02", "datum_selectie"] == pd.Timestamp("2014-05-15")
    assert joined["project"].tolist() == ["starters", "halverwege"]
    survey = result.tables["enquete"].set_index("respondent")
    assert survey.loc["R0001", ["tevredenheid", "inzetbaarheid", "samenwerking"]].tolist() == [
        4,
        3,
        5,
    ]
    assert pd.isna(survey.loc["R0001", "digitaal"]) and survey.loc["R0002", "digitaal"] == 5
    assert str(survey["tevredenheid"].dtype) == "Int64"
    assert result.counts().rows_read == sum(len(rows) for rows in FILLED.values())


def test_an_unfilled_template_is_reported_as_header_only(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    raw = tmp_path / "raw" / "14WE"
    raw.mkdir(parents=True)
    shutil.copy(templates["personeel"], raw / "personeel.xlsx")
    result = validate_directory(raw.parent, PROGRAMME)
    assert [p.code for p in result.problems if p.file.startswith("14WE/")] == ["no_rows"]


def test_templates_are_reproducible_and_programme_free_ones_work() -> None:
    assert template_bytes("personeel", PROGRAMME) == template_bytes("personeel", PROGRAMME)
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("personeel")))
    rules = {r.type for r in book["personeel"].data_validations.dataValidation}
    assert {"list", "whole", "date", "textLength"} <= rules
