"""The index grid (school × target) and the page shell, without a run or a browser.

The browser tests (test_browser.py) check the same page with its script in Chromium; the
golden file (test_pipeline.py) checks it byte for byte on the example run.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from evallib.contract.programme import load_programme
from evallib.core.errors import Problem
from evallib.core.text import CATALOGUE
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.status import Status
from evallib.evaluation.targets import evaluate_school
from evallib.reporting.html import page
from evallib.reporting.index import (
    INDEX,
    SEVERITY,
    failure_page,
    fold,
    grid_groups,
    index_page,
)
from evallib.reporting.records import result_records, target_anchor
from evallib.reporting.school import targets_table

PROGRAMME_FILE = Path("programmes/haaglanden-2013.yaml")
PROGRAMME = load_programme(PROGRAMME_FILE)


def _record(target: str, status: Status, level: str = "school", scope: str = "01GX") -> dict:
    return {"target": target, "level": level, "scope": scope, "status": status.value}


def _outcome(brin: str, records: list[dict], ok: bool = True, error: str = "") -> SimpleNamespace:
    return SimpleNamespace(brin=brin, ok=ok, report=f"{brin}.html", error=error, results=records)


REGIO = SimpleNamespace(brin="regio", ok=True, report="regio.html", error="", results=[])


def test_every_status_has_a_place_in_the_order_and_a_line_in_the_legend() -> None:
    assert sorted(SEVERITY) == sorted(Status)
    for status in Status:
        assert f"index.legend.{status.value}" in CATALOGUE, status


def test_every_school_role_has_words() -> None:
    for school in PROGRAMME.schools:
        assert f"index.role.{school.role}" in CATALOGUE, school.role


def test_locations_fold_into_the_least_favourable_status_and_link_to_it() -> None:
    records = [
        _record("t", Status.GEHAALD, "location", "02DZ/00"),
        _record("t", Status.ONVOLDOENDE_GEGEVENS, "location", "02DZ/02"),
        _record("t", Status.GEHAALD, "location", "02DZ/04"),
        _record("t", Status.ONVOLDOENDE_GEGEVENS, "location", "02DZ/10"),
    ]
    cell = fold(records, "r.html", "p")
    assert cell.status is Status.ONVOLDOENDE_GEGEVENS
    assert cell.href == "r.html#doel-t-02"  # the first location that needs a look
    assert cell.note == "2 van 4 locaties gehaald"
    assert fold(records[:1], "r.html", "p", "en").note == ""  # one location: the badge says it
    assert fold(records, "r.html", "p", "en").note == "2 of 4 locations met"


@pytest.mark.parametrize("worst", list(Status))
def test_a_single_bad_location_is_never_hidden_by_the_others(worst: Status) -> None:
    records = [_record("t", Status.GEHAALD, "location", f"X/{i:02d}") for i in range(5)]
    records.insert(3, _record("t", worst, "location", "X/99"))
    assert fold(records, "r.html", "p").status is worst


def test_grid_has_a_cell_for_every_school_and_target_of_any_programme(tmp_path: Path) -> None:
    """No project or target id lives in the index: rename them all and the grid follows."""
    raw = yaml.safe_load(PROGRAMME_FILE.read_text(encoding="utf-8"))
    for project in raw["projects"]:
        project["id"] = "p-" + project["id"]
        for target in project["targets"]:
            target["id"] = "x-" + target["id"]
            if isinstance(target.get("measure"), dict) and "project" in target["measure"]:
                target["measure"]["project"] = "p-" + target["measure"]["project"]
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    programme = load_programme(tmp_path / "other.yaml")
    groups = grid_groups(programme)
    columns = [c.target for g in groups for c in g.columns]
    expected = [t.id for t in programme.targets if {"school", "location"} & set(t.levels)]
    assert columns == expected and all(c.startswith("x-") for c in columns)
    outcomes = [
        _outcome(s.brin, [_record(columns[0], Status.GEHAALD, "school", s.brin)])
        for s in programme.participating
    ]
    outcomes[1] = _outcome(outcomes[1].brin, [], ok=False, error="kapot <b>")
    html = index_page(programme, outcomes, REGIO, synthetic=False)
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr .*?</tr>", body, flags=re.S)
    assert len(rows) == len(programme.participating)
    for i, row in enumerate(rows):
        cells = re.findall(r"<td[ >]", row)
        if i == 1:  # a failed report: one cell across the targets, with its reason escaped
            assert f'colspan="{len(columns)}"' in row and "kapot &lt;b&gt;" in row
        else:
            assert len(cells) == len(columns), i  # one per target
    assert html.count('href="') - html.count(f'href="{REGIO.report}"') >= len(rows)
    for group in groups:  # one column group header per project, spanning its targets
        assert f'colspan="{len(group.columns)}" data-project="{group.project}"' in html


def test_index_lists_the_comparison_schools_with_their_role_and_a_legend() -> None:
    html = index_page(PROGRAMME, [], REGIO, synthetic=True, lang="en")
    for school in PROGRAMME.comparison:
        assert f"<strong>{school.name}</strong>" in html
    assert html.count("comparison school (did not take part)") == len(PROGRAMME.comparison)
    for status in Status:
        assert CATALOGUE[f"index.legend.{status.value}"]["en"] in html


def test_index_reads_without_script_and_does_not_link_to_itself() -> None:
    html = index_page(PROGRAMME, [], REGIO, synthetic=False)
    assert '<div id="controls" class="controls" hidden>' in html  # the script shows them
    assert f'href="{INDEX}"' not in html
    assert "<button" not in html  # headers become buttons only when the script runs
    assert "</input>" not in html


def test_every_page_but_the_index_links_back_to_it() -> None:
    school = PROGRAMME.participating[0]
    assert f'<a href="{INDEX}">' in failure_page(school, [], "weg", synthetic=False)
    assert f'<a href="{INDEX}">' in page("T", "<p>x</p>", synthetic=False, home=INDEX)
    assert "<nav" not in page("T", "<p>x</p>", synthetic=False)


def test_page_shell_escapes_title_and_language() -> None:
    html = page('<script>"', "<p>ok</p>", synthetic=False, lang='nl"><x')
    assert "<title>&lt;script&gt;&#34;</title>" in html
    assert '<html lang="nl&#34;&gt;&lt;x">' in html
    assert "<p>ok</p>" in html  # the body is already HTML


def test_the_index_links_to_the_ids_the_school_report_gives_its_target_rows() -> None:
    """Anchors from records (what the index sees) equal the ids of the report's target rows."""
    data = load_dataset(Path("data/processed/example"))
    for brin in ("02DZ", "20BC"):  # school and location targets
        results = evaluate_school(PROGRAMME, data, brin)
        html = str(targets_table(results))
        ids = re.findall(r'<tr [^>]*\bid="(doel-[^"]+)"', html)
        anchors = [
            target_anchor(r["target"], r["level"], r["scope"]) for r in result_records(results)
        ]
        assert ids == anchors and len(set(ids)) == len(ids), brin


def test_second_programme_gets_its_own_grid() -> None:
    programme = load_programme("programmes/onderwijsregio-haaglanden-2024.yaml")
    columns = [c.target for g in grid_groups(programme) for c in g.columns]
    outcomes = [
        _outcome(s.brin, [_record(c, Status.NIET_ZEKER, "school", s.brin) for c in columns])
        for s in programme.participating
    ]
    html = index_page(programme, outcomes, REGIO, synthetic=True, lang="en")
    assert html.count('data-status="niet_zeker"') == len(columns) * len(outcomes)
    for school in programme.comparison:
        assert f"<strong>{school.name}</strong>" in html


def test_a_failure_page_offers_its_problem_list_as_csv_with_no_hidden_value() -> None:
    from urllib.parse import unquote

    school = PROGRAMME.participating[0]
    problem = Problem(
        file=f"{school.brin}/personeel.csv",
        row=3,
        column="docent_id",
        code="duplicate",
        message="Docent-id komt vaker voor",
        expected="unieke waarde",
        found="D0042",
    )
    html = failure_page(school, [problem] * 3, "3 fouten", synthetic=False)
    link = re.search(r'<a href="data:text/csv;charset=utf-8,([^"]*)" download="[^"]+\.csv">', html)
    assert link, "no CSV link on the failure page"
    text = unquote(link.group(1))
    assert text.count("personeel.csv,3,docent_id") == 3
    assert "D0042" not in text and "D0042" not in html  # a person's id stays hidden
    assert '<a href="data:text/csv' not in failure_page(school, [], "weg", synthetic=False)
