"""Every word a reader sees comes from the catalogue: the pages in a pseudo-language.

In the pseudo-language (``tests/pseudo.py``) every catalogue text is wrapped in ``⟦…⟧``.
The school reports, the overview, the index, a failure page and the charts are rendered in
it; any word outside the markers that is not data (a name or title from the programme
file, a number, a date, a file name) was written in code or left untranslated. This
replaces lists of Dutch words: it also finds a missed English word, and needs no upkeep.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.text
import pytest
import yaml
from pseudo import pseudo_locale, unmarked, visible, wrap
from test_english import all_figures, figure_texts

from evallib.contract.programme import load_programme
from evallib.contract.schema import FILES
from evallib.core import text
from evallib.core.errors import Problem
from evallib.core.text import lower_first
from evallib.engine.provenance import Provenance, herkomst
from evallib.engine.run import SchoolOutcome, report_name
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.status import Status
from evallib.evaluation.subjects import subject
from evallib.evaluation.targets import evaluate_region
from evallib.reporting.changes import changes_section
from evallib.reporting.html import Html, tag
from evallib.reporting.index import failure_page, index_page
from evallib.reporting.region import RegionReport
from evallib.reporting.school import SchoolReport
from evallib.reporting.sections import counts, digital, dropout, survey
from evallib.reporting.verdicts import verdict
from evallib.reporting.wording import (
    effect_text,
    power_text,
    reason_text,
    sentence,
    share_with_n,
    target_text,
)
from evallib.validation.results import RowCounts

PROGRAMME_FILE = "programmes/haaglanden-2013.yaml"
DATA = "data/processed/example"
PROGRAMME = load_programme(PROGRAMME_FILE)
#: Words that are the same in every language: names of methods, codes and file formats.
NEUTRAL = ("SHA-256", "Kaplan–Meier", "Python", "evallib", "BRIN", "PDF")


def programme_data(path: str) -> list[str]:
    """Every text of the programme file (names, places, titles, roles, survey questions,
    each with its English): shown as the file gives it, or after a colon with its first
    letter in lower case (:func:`~evallib.core.text.lower_first`), so data here."""

    def walk(value: object) -> list[str]:
        if isinstance(value, dict):
            return [*map(str, value), *(x for v in value.values() for x in walk(v))]
        if isinstance(value, list):
            return [x for v in value for x in walk(v)]
        return [str(value)]

    texts = walk(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    return [*texts, *map(lower_first, texts)]


#: Data as well: the names of the raw files (and their sheets) from the data contract.
DATA_WORDS = (*programme_data(PROGRAMME_FILE), *FILES, *NEUTRAL)


def test_wrap_keeps_the_blanks_and_unmarked_finds_what_is_outside() -> None:
    assert wrap("{n} of {total}") == "{n}⟦ of ⟧{total}"
    assert wrap("{n} of {total}").format(n=3, total=4) == "3⟦ of ⟧4"
    assert unmarked("3⟦ of ⟧4") == []
    assert unmarked(visible("<p>⟦The ⟧<strong>⟦baseline⟧</strong>⟦ is⟧ 24.3%</p>")) == []
    assert unmarked(visible('<p>⟦Dropout⟧ gehaald</p><img alt="Figuur">')) == ["gehaald", "Figuur"]
    assert unmarked("Christelijk Lyceum Delft", DATA_WORDS) == []


def test_the_pseudo_language_is_for_tests_only() -> None:
    assert text.LANGUAGES == ("nl", "en")
    with pseudo_locale() as xx:
        assert text.t("privacy.suppressed", xx) == "⟦suppressed⟧"
        assert text.t("reason.too_few", xx, group="g", n=6, min_n=10).startswith("⟦")
    assert "xx" not in text.CATALOGUE["privacy.suppressed"]


@pytest.fixture(scope="module")
def xx():
    with pseudo_locale() as lang:
        yield lang


#: The section modules that embed charts (each imports html.figure).
CHARTS = (counts, digital, dropout, survey)


def _drawn(texts: list[str]):
    """``html.figure`` that draws the chart (so tick labels exist) and keeps its texts, no PNG."""

    def stub(fig, alt: str, caption: str = "") -> Html:
        fig.canvas.draw()
        texts.extend(x.get_text() for x in fig.findobj(matplotlib.text.Text) if x.get_text())
        plt.close(fig)
        return tag("figure", [tag("img", "", alt=alt), tag("figcaption", caption)])

    return stub


def _school_sections(report: SchoolReport) -> list[str]:
    """Every section school.ipynb shows, in its order."""
    return [
        report.header(),
        report.summary(),
        report.projects_intro(),
        *(report.project(project) for project in report.projects()),
        report.reading_guide(),
        report.data_basis(),
    ]


@pytest.mark.parametrize("brin", [s.brin for s in PROGRAMME.participating])
def test_school_report_has_no_missed_translation(xx: str, brin: str) -> None:
    texts: list[str] = []
    report = SchoolReport.load(PROGRAMME_FILE, DATA, brin, lang=xx)
    with pytest.MonkeyPatch.context() as patch:
        for module in CHARTS:
            patch.setattr(module, "figure", _drawn(texts))
        sections = _school_sections(report)
    assert texts or brin not in ("21HC", "14WE"), "the charts were drawn"
    missed = [w for section in sections for w in unmarked(visible(section), DATA_WORDS)]
    assert not missed, sorted(set(missed))
    assert not unmarked(texts, DATA_WORDS), sorted(set(unmarked(texts, DATA_WORDS)))


def test_overview_has_no_missed_translation(xx: str) -> None:
    texts: list[str] = []
    report = RegionReport.load(PROGRAMME_FILE, DATA, lang=xx)
    with pytest.MonkeyPatch.context() as patch:
        for module in CHARTS:
            patch.setattr(module, "figure", _drawn(texts))
        sections = [
            report.header(),
            report.summary(),
            report.school_matrix(),
            report.sections(),
            report.reading_guide(),
            report.data_basis(),
        ]
    assert texts
    missed = [w for section in sections for w in unmarked(visible(section), DATA_WORDS)]
    assert not missed, sorted(set(missed))
    assert not unmarked(texts, DATA_WORDS), sorted(set(unmarked(texts, DATA_WORDS)))


def test_changes_and_provenance_have_no_missed_translation(xx: str) -> None:
    report = SchoolReport.load(PROGRAMME_FILE, DATA, "21HC", lang=xx)
    records = report.statuses().records
    earlier = [dict(r, status="onvoldoende_gegevens", estimate=None) for r in records]
    for section in (
        changes_section(earlier, records, "run-1", lang=xx),
        changes_section([], records, "run-1", xx),
        changes_section(records, records, "run-1", xx),
    ):
        assert not unmarked(visible(section), [*DATA_WORDS, "run-1"]), visible(section)
    p = Provenance(
        report="21HC",
        parameters={"school": "21HC", "vergeleken_met": "run-1", "lang": xx},
        inputs={"21HC/personeel.xlsx": "a" * 64},
        input_groups={"00PJ": {"files": 3, "sha256": "b" * 64}},
        programme={"file": "programmes/haaglanden-2013.yaml", "sha256": "c" * 64},
        code={"commit": "0123abc", "clean": False},
        environment={"evallib": "1.0", "pandas": "2.2"},
        data={"raw_dir": "data/raw/example", "seed": 7},
    )
    # parameter names are the notebook's identifiers, and package names are names: data
    data = [*DATA_WORDS, "run-1", "school", "lang", xx, "pandas", "data/raw/example"]
    assert not unmarked(visible(herkomst(p, xx)), data), visible(herkomst(p, xx))


def _outcomes(lang: str) -> tuple[list[SchoolOutcome], SchoolOutcome]:
    records = [
        {
            "target": target.id,
            "title": target.title,
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
    failed = text.t("failure.errors_in_delivery", lang, n=2)
    outcomes = [
        SchoolOutcome(
            brin=s.brin,
            name=s.name,
            ok=i != 1,
            seconds=1.0,
            report=report_name(s.brin, s.name),
            error="" if i != 1 else failed,
            results=records if i != 1 else [],
        )
        for i, s in enumerate(PROGRAMME.participating)
    ]
    regio = SchoolOutcome(
        brin="regio",
        name=text.t("index.overview", lang),
        ok=False,
        seconds=1.0,
        report="regio.html",
        error="Traceback",
    )
    return outcomes, regio


def test_index_has_no_missed_translation(xx: str) -> None:
    outcomes, regio = _outcomes(xx)
    html = index_page(PROGRAMME, outcomes, regio, True, xx, {"01GX": []})
    assert not unmarked(visible(html), [*DATA_WORDS, "Traceback"]), visible(html)


def test_failure_pages_have_no_missed_translation(xx: str) -> None:
    school_ = PROGRAMME.participating[0]
    problem = Problem(
        file="personeel.csv",
        row=3,
        column="geboortejaar",
        message=text.t("failure.errors_in_delivery", xx, n=1),
        expected="1950–2000",
        found="1870",
        severity="error",
        school=school_.brin,
        code="x",
    )
    reason = text.t("failure.errors_in_delivery", xx, n=202)
    data = [*DATA_WORDS, "geboortejaar"]  # a column name of the data contract
    html = failure_page(school_, [problem] * 202, reason, True, xx)
    assert not unmarked(visible(html), data), visible(html)
    unexpected = failure_page(school_, [], reason, False, xx, detail="Traceback")
    assert not unmarked(visible(unexpected), [*data, "Traceback"]), visible(unexpected)


# --- the words the target results carry, at both privacy thresholds ------------------------


@pytest.fixture(scope="module")
def region_results(xx: str):
    return evaluate_region(PROGRAMME, load_dataset(DATA), xx)


def test_subjects_have_no_missed_translation(xx: str) -> None:
    subjects = [subject(t, PROGRAMME, xx) for t in PROGRAMME.targets]
    assert not unmarked(subjects, DATA_WORDS), sorted(set(unmarked(subjects, DATA_WORDS)))


@pytest.mark.parametrize("min_group", [10, 50])
def test_verdicts_and_reasons_have_no_missed_translation(
    xx: str, region_results, min_group: int
) -> None:
    texts = []
    for r in region_results:
        ev = r.evidence
        texts += [r.scope.name, ev.baseline_label, ev.outcome_label, *ev.notes, r.reason_text(xx)]
        texts += [
            verdict(r, xx, min_group),
            sentence(r, xx, min_group),
            reason_text(r, xx, min_group),
            effect_text(ev, xx, min_group),
            target_text(ev, xx),
            power_text(ev, xx, min_group),
            share_with_n(ev.outcome, xx, min_group),
        ]
    missed = unmarked([x for x in texts if x], DATA_WORDS)
    assert not missed, sorted(set(missed))


def test_figures_have_no_missed_translation(xx: str) -> None:
    texts = [t for fig in all_figures(xx) for t in figure_texts(fig)]
    assert "⟦School year⟧" in texts
    # the titles, axis labels and groups test_english.all_figures passes in are its data
    data = [*DATA_WORDS, "Share", "Number", "Ratio", "team", "school", "region"]
    assert not unmarked(texts, data), sorted(set(unmarked(texts, data)))


def test_failure_reason_with_row_counts_has_no_missed_translation(xx: str) -> None:
    counts = RowCounts(files=4, unreadable_files=0, rows_read=120, blank_lines=1, error_rows=3,
                       rows_processed=0)  # fmt: skip
    reason = (
        text.t("failure.errors_in_delivery", xx, n=3) + f" ({counts.text(xx)})"
    )  # as the run does
    assert not unmarked(reason, DATA_WORDS), unmarked(reason, DATA_WORDS)
