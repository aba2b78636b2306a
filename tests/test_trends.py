"""Trends in the school report (issue 13, point 8): per share measure, the school's series over
all years beside the region and the comparison schools, in time order, with small groups left
out exactly as in the tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from evallib.core.dates import format_school_year
from evallib.core.periods import parse_period
from evallib.evaluation import tables
from evallib.evaluation.privacy import is_small
from evallib.reporting.html import Html
from evallib.reporting.school import SchoolReport
from evallib.reporting.sections import SCHOOL_SECTIONS, digital, dropout, survey
from evallib.reporting.sections.base import comparison_locations, project_locations, spells

PROGRAMME = "programmes/haaglanden-2013.yaml"
DATA = "data/processed/example"


def _drawn(report: SchoolReport, section, module) -> list:
    """(figure, alt) of each call of ``section`` for the report's targets on its measure."""
    captured = []

    def capture(fig, alt, caption=""):
        captured.append((fig, alt))
        return Html("")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "figure", capture)
        for project in report.projects():
            for target, chosen in report._sections(report.programme.project(project)):
                if chosen is section:
                    section(report, target)
    return captured


def _ticks(fig) -> list[str]:
    return [tick.get_text() for tick in fig.axes[0].get_xticklabels()]


def _legend(fig) -> list[str]:
    return [text.get_text() for text in fig.axes[0].get_legend().get_texts()]


def test_dropout_trend_has_every_cohort_year_in_time_order() -> None:
    assert dropout.dropout_trend in SCHOOL_SECTIONS["starter_dropout"]
    report = SchoolReport.load(PROGRAMME, DATA, "01GX")
    ((fig, alt),) = _drawn(report, dropout.dropout_trend, dropout)
    p = report.programme
    expected = [format_school_year(y) for y in range(p.baseline_years[0], p.programme_years[1] + 1)]
    assert _ticks(fig) == expected  # time order, every year from the nulmeting on
    assert _legend(fig) == [
        "deze school",
        "regio (alle deelnemende scholen)",
        "vergelijkingsscholen",
    ]
    # the alt text states the finding: first and last shown year of each series
    assert "Verloop: deze school van " in alt and "(2015/16)" in alt
    plt.close(fig)


def test_dropout_trend_leaves_out_small_cohorts_of_every_series() -> None:
    report = SchoolReport.load(PROGRAMME, DATA, "14WE")  # Adelbert: small starter cohorts
    p, k = report.programme, report.k
    target = next(t for t in p.targets if t.measure.name == "starter_dropout")
    rows = dropout._first_year_rows(report, target)
    where = {
        "deze school": project_locations(p, target, "14WE"),
        "regio (alle deelnemende scholen)": project_locations(p, target),
        "vergelijkingsscholen": comparison_locations(p),
    }
    shown = {(r["group"], r["year"]) for r in rows if not r["hidden"]}
    marked = {(r["group"], r["year"]) for r in rows if r["hidden"]}
    for label, locations in where.items():
        starters = spells(report.data, locations, p.reference_date)
        for year in range(p.baseline_years[0], p.programme_years[1] + 1):
            size = len(tables.cohorts(starters, year, year, p.programme_years[0]))
            if size == 0 or is_small(size, k):
                assert (label, format_school_year(year)) not in shown, (label, year, size)
            if is_small(size, k):  # marked "onderdrukt" in the chart, not left out unseen
                assert (label, format_school_year(year)) in marked, (label, year, size)
    assert not any(g == "deze school" for g, _ in shown)  # all of Adelbert's are small
    assert any(g == "regio (alle deelnemende scholen)" for g, _ in shown | marked)
    assert shown  # the comparison schools have years to show


@pytest.mark.parametrize(
    ("school", "section", "module", "region"),
    [
        ("21HC", digital.digital_figure, digital, "leden van het e-coachingteam, hele regio"),
        ("02DZ", survey.survey_figure, survey, "regio (alle deelnemende scholen)"),
    ],
)
def test_share_charts_show_the_region_beside_school_and_comparison(
    school, section, module, region
) -> None:
    report = SchoolReport.load(PROGRAMME, DATA, school)
    drawn = _drawn(report, section, module)
    assert drawn
    for fig, alt in drawn:
        ticks = _ticks(fig)
        assert ticks == sorted(ticks, key=parse_period)
        legend = _legend(fig)
        assert region in legend and "vergelijkingsscholen" in legend
        assert "Verloop: " in alt
        plt.close(fig)


def test_digital_chart_hides_a_small_team_as_its_table_does(monkeypatch) -> None:
    # the example's teams have 34-37 members: with a threshold of 36 two years are small
    monkeypatch.setattr(SchoolReport, "k", property(lambda self: 36))
    report = SchoolReport.load(PROGRAMME, DATA, "21HC")
    p = report.programme
    target = next(t for t in p.targets if t.measure.name == "digital_share")
    project, role = p.role_of(target)
    own = report.data.at(project_locations(p, target, "21HC"))
    sizes = [
        len(tables.team_hours(own.hours, own.participation, y, project, role)[0])
        for y in digital._years(p)
    ]
    assert any(0 < n < 36 for n in sizes) and any(n >= 36 for n in sizes)
    (fig, _), *_ = _drawn(report, digital.digital_figure, digital)
    team = _legend(fig)[0]
    bars = next(c for c in fig.axes[0].containers if c.get_label() == team)
    assert len(bars.lines[0].get_xdata()) == sum(n >= 36 for n in sizes)
    plt.close(fig)
