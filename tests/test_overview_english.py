"""The regional overview, the index and the failure pages in English (``evallib run --lang en``).

Dutch stays the default and its output is checked byte for byte elsewhere (the golden
index in test_pipeline, the reference run); here: with ``lang="en"`` the pages are in
English, and a language the reports do not have is refused with a clear message. That no
text escapes translation is checked in the pseudo-language (test_pseudo_locale.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.text
import nbformat
import pytest
from typer.testing import CliRunner

from evallib.cli import app
from evallib.contract.programme import load_programme
from evallib.core.errors import EvallibError, Problem
from evallib.engine.run import RunConfig, SchoolOutcome, report_name, run
from evallib.evaluation.status import Status
from evallib.reporting.html import Html, esc, script_text, tag
from evallib.reporting.index import failure_page, index_page
from evallib.reporting.region import RegionReport
from evallib.reporting.sections import counts, digital, dropout

PROGRAMME_FILE = "programmes/haaglanden-2013.yaml"
PROGRAMME = load_programme(PROGRAMME_FILE)

# --- Regional overview -------------------------------------------------------------------


@pytest.fixture(scope="module")
def overview() -> tuple[str, list[str]]:
    """The English overview's HTML (every section, as regio.ipynb shows them) and its figures' texts."""
    texts: list[str] = []

    def figure(fig, alt: str, caption: str = "") -> Html:  # texts instead of PNG bytes: faster
        texts.extend(x.get_text() for x in fig.findobj(matplotlib.text.Text))
        plt.close(fig)
        return tag("figure", [tag("img", "", alt=alt), tag("figcaption", caption)])

    report = RegionReport.load(PROGRAMME_FILE, "data/processed/example", lang="en")
    with pytest.MonkeyPatch.context() as patch:
        for module in (counts, digital, dropout):
            patch.setattr(module, "figure", figure)
        sections = [
            report.header(),
            report.summary(),
            report.school_matrix(),
            report.sections(),
            report.reading_guide(),
            report.data_basis(),
        ]
    return "".join(sections), texts


def test_overview_headings_are_english(overview) -> None:
    html, _ = overview
    headings = re.findall(r"<h[123][^>]*>(.*?)</h[123]>", html)
    for heading in (
        "Regional overview Haaglanden",
        "Targets of the region",
        "All schools at a glance",
        "Comparison with the schools that did not take part",
        "Starters leaving: participants and comparison schools",
        "Digital teaching per school",
        "Data",
    ):
        assert heading in headings, (heading, headings)


def test_overview_figures_are_english(overview) -> None:
    _, texts = overview
    assert texts and not [t for t in texts if re.search(r"\d,\d", t)], texts  # 0.5, not 0,5


def test_overview_matrix_uses_english_target_titles(overview) -> None:
    html, _ = overview
    for target in PROGRAMME.targets:
        if "school" in target.levels:
            assert f'<th scope="col">{esc(target.label("en"))}</th>' in html, target.id


def test_overview_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="nl, en"):
        RegionReport(PROGRAMME, None, lang="de")  # type: ignore[arg-type]


def test_notebook_has_no_prose_of_its_own() -> None:
    """Every reader-visible word of the overview comes from RegionReport, so it follows ``lang``."""
    nb = nbformat.read(Path("notebooks/regio.ipynb"), as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":  # only comments for whoever opens the notebook
            assert re.fullmatch(r"\s*<!--.*?-->\s*", cell.source, flags=re.S), cell.source
    assert any("report.sections()" in c.source for c in nb.cells)


# --- Index and failure pages ----------------------------------------------------------------


def _outcomes() -> tuple[list[SchoolOutcome], SchoolOutcome]:
    records = [
        {
            "target": target.id,
            "title": target.title,  # the records of a Dutch run: the index still shows English
            "level": "school",
            "scope": "s",
            "scope_name": "",
            "status": status.value,
            "estimate": None,
            "shown": "",
            "reason": "",
        }
        for target, status in zip(PROGRAMME.targets, Status, strict=False)
    ]
    records += [  # a target per location: two locations fold into one cell
        {**records[0], "target": "halverwege-per-locatie", "level": "location", "scope": f"s/{v}"}
        for v in ("00", "01")
    ]
    records[-2]["status"] = Status.NIET_GEHAALD.value
    outcomes = [
        SchoolOutcome(
            brin=s.brin,
            name=s.name,
            ok=i != 1,
            seconds=1.0,
            report=report_name(s.brin, s.name),
            error="" if i != 1 else "2 error(s) in the delivery",
            results=records if i != 1 else [],
        )
        for i, s in enumerate(PROGRAMME.participating)
    ]
    return outcomes, SchoolOutcome(
        brin="regio",
        name="Regional overview",
        ok=False,
        seconds=1.0,
        report="regio.html",
        error="boom",
    )


def test_index_in_english() -> None:
    outcomes, regio = _outcomes()
    html = index_page(PROGRAMME, outcomes, regio, True, "en", {"01GX": []})
    assert '<html lang="en">' in html
    for text in (
        "<h1>Reports Knelpuntregio Haaglanden 2013–2016</h1>",
        "Reference date 31 July 2016",
        "Regional overview (not made: boom)",
        "Schools (8)",
        "Search school or place",
        "report not made",
        ">Changed<",
        "A status is never just a colour",
        '{"shown": "{shown} of {total} schools"}',  # the script's words, as JSON
        "Comparison schools",
        "comparison school (did not take part)",
        "1 of 2 locations met",
        PROGRAMME.targets[0].label("en"),
    ):
        assert text in html, text


def test_index_script_holds_no_words_and_gets_them_in_the_page_language() -> None:
    outcomes, regio = _outcomes()
    assert '{"shown": "{shown} van {total} scholen"}' in index_page(
        PROGRAMME, outcomes, regio, True, "nl"
    )
    script = str(script_text("index.js"))
    literals = set(re.findall(r'"([^"]*)"', script))
    assert {x for x in literals if " " in x} <= {"use strict", " "}  # ids and names, no words


def test_failure_page_in_english() -> None:
    school = PROGRAMME.participating[0]
    problem = Problem(
        file="personeel.csv",
        row=3,
        column="geboortejaar",
        message="Not a year",
        expected="a year",
        found="1970",
        severity="error",
        school=school.brin,
        code="x",
    )
    html = failure_page(school, [problem] * 202, "202 error(s) in the delivery", True, "en")
    assert '<html lang="en">' in html
    assert f"<title>{school.name} – report not made</title>" in html
    assert "The report for this school could not be made: </strong>" in html
    for text in (
        "File",
        "Row",
        "Column",
        "Problem",
        "Expected",
        "Found",
        "not shown",
        "And 2 more errors",
    ):
        assert text in html, text
    unexpected = failure_page(school, [], "Kernel died", False, "en", detail="Traceback")
    assert "Something went wrong while making the report" in unexpected


# --- Command line and run ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["xx", "EN", ""])
def test_run_refuses_an_unknown_language(lang: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", "--lang", lang, "--reports", str(tmp_path / "reports")]
    )
    assert result.exit_code == 2
    output = " ".join(result.output.split())  # stdout and stderr
    assert "Onbekende taal" in output and "nl of en" in output, output
    assert not (tmp_path / "reports").exists()  # refused before anything was written


def test_library_run_refuses_an_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(EvallibError, match="nl of en"):
        run(RunConfig(root=Path.cwd(), reports_dir=tmp_path / "reports", lang="fr"))
