"""A school's report in English: the same sections, English headings and numbers.

The Dutch reports are checked byte for byte against a reference run elsewhere (the
pipeline's golden files); here the English texts of evallib.reporting.school, evallib.reporting.changes,
evallib.reporting.glossary and evallib.engine.provenance are checked, figures included. That
no text escapes translation is checked in the pseudo-language (test_pseudo_locale.py).
"""

from __future__ import annotations

import re

import matplotlib.text
import nbformat
import pytest
from pseudo import visible

from evallib.engine.provenance import Provenance, herkomst
from evallib.reporting import html as report_module
from evallib.reporting.changes import changes_section
from evallib.reporting.glossary import TERMS, explanation, reading_guide, term, term_link
from evallib.reporting.school import SchoolReport
from evallib.reporting.sections import digital, dropout, survey

PROGRAMME_FILE = "programmes/haaglanden-2013.yaml"
DATA = "data/processed/example"

#: A Dutch decimal comma in a percentage (24,3%), which English writes 24.3% (1,412% is English).
_DUTCH_NUMBER = re.compile(r"\d,\d{1,2}%")


# --- a whole school report --------------------------------------------------------------


def _sections(report: SchoolReport) -> list[str]:
    """Every section the notebook shows, in its order."""
    return [
        report.header(),
        report.summary(),
        report.projects_intro(),
        *(report.project(project) for project in report.projects()),
        report.reading_guide(),
        report.data_basis(),
    ]


@pytest.fixture(scope="module")
def english() -> tuple[SchoolReport, list[str], list[str]]:
    """21HC in English: it takes part in starters, e-coaching and duo (most sections)."""
    figure_texts: list[str] = []
    original = report_module.figure
    modules = (dropout, digital, survey)

    def figure(fig, alt, caption=""):
        html = original(fig, alt, caption)  # draws the figure, so its tick labels exist
        figure_texts.extend(x.get_text() for x in fig.findobj(matplotlib.text.Text) if x.get_text())
        return html

    report = SchoolReport.load(PROGRAMME_FILE, DATA, "21HC", lang="en")
    with pytest.MonkeyPatch.context() as patch:
        for module in modules:
            patch.setattr(module, "figure", figure)
        sections = _sections(report)
    return report, sections, figure_texts


def test_english_report_has_english_headings(english) -> None:
    _, sections, _ = english
    html = "".join(sections)
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html)
    for heading in (
        "Summary",
        "A strong programme for starting teachers",
        "Dropout of starting teachers after 1, 2 and 3 years",
        "Digital didactics: e-coaching team members",
        "How to read this report",
        "Data",
    ):
        assert heading in headings, headings
    assert "How to read this report" in html and "Where the figures come from" in html
    assert "<strong>baseline</strong>" in html  # the paragraph before the projects


def test_english_report_has_english_numbers(english) -> None:
    _, sections, figure_texts = english
    for section in sections:
        assert not _DUTCH_NUMBER.findall("\n".join(visible(section)))
    assert figure_texts, "the figures were drawn"
    assert not [t for t in figure_texts if _DUTCH_NUMBER.search(t)], figure_texts


def test_english_records_and_changes(english) -> None:
    report, _, _ = english
    records = report.statuses().records
    assert {r["title"] for r in records} >= {"Dropout of starting teachers halved"}
    earlier = [dict(r, status="onvoldoende_gegevens", estimate=None) for r in records]
    section = changes_section(earlier, records, "run-1", lang="en")
    assert "What has changed since run-1?" in section
    assert "No earlier results found in run-1." in changes_section([], records, "run-1", "en")
    assert "No status or outcome has changed." in changes_section(records, records, "x", "en")


def test_dutch_report_keeps_its_words() -> None:
    report = SchoolReport.load(PROGRAMME_FILE, DATA, "02DZ")
    header, intro = report.header(), report.projects_intro()
    assert "Hoe lees je dit rapport?" in header and "Herkomst van de cijfers" in header
    assert intro == (
        "<p>Hieronder volgt elk project waaraan de school meedoet. Per doel staan de "
        "<strong>nulmeting</strong> (de toestand vóór het programma), de <strong>meting</strong> "
        "(de uitkomst), de verandering met het <strong>95%-interval</strong> en het aantal "
        "personen (<strong>n</strong>) waarop elk getal rust.</p>"
    )
    assert "<h2>Gegevens</h2>" in report.data_basis()


# --- glossary and provenance -------------------------------------------------------------


def test_glossary_in_both_languages() -> None:
    for key in TERMS:
        assert term(key, "nl") and term(key, "en") and explanation(key, "en")
    guide = reading_guide("en")
    assert guide.startswith('<h2 id="hoe-lees-je-dit">How to read this report</h2>')
    assert term_link("uitval", lang="en") == '<a href="#begrip-uitval" class="term">Dropout</a>'
    assert term_link("interval", "95%", lang="en").endswith(">95%</a>")


def test_provenance_in_english() -> None:
    p = Provenance(
        report="21HC",
        parameters={"school": "21HC", "vergeleken_met": "run-1"},
        inputs={"21HC/personeel.xlsx": "a" * 64},
        input_groups={"00PJ": {"files": 3, "sha256": "b" * 64}},
        programme={"file": "programmes/haaglanden-2013.yaml", "sha256": "c" * 64},
        code={"commit": "0123abc", "clean": False},
        environment={"evallib": "1.0", "pandas": "2.2"},
        data={"raw_dir": "data/raw/example", "seed": 7},
    )
    section = herkomst(p, lang="en")
    assert '<h2 id="herkomst">Provenance</h2>' in section
    for text in ("00PJ/ (3 files)", "with uncommitted changes", "compared_with = run-1"):
        assert text in section
    assert '<h2 id="herkomst">Herkomst</h2>' in herkomst(p)


def test_notebook_shows_no_dutch_of_its_own() -> None:
    """Visible words come from the library; a markdown cell may only hold an HTML comment."""
    nb = nbformat.read("notebooks/school.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert re.fullmatch(r"\s*<!--.*?-->\s*", cell.source, re.S), cell.source
    assert any("report.projects_intro()" in c.source for c in nb.cells)
