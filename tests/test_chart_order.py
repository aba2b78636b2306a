"""Every chart puts its years in time order, and targets on their own year (issue 13, point 4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from evallib.core.periods import parse_period
from evallib.reporting import figures
from evallib.reporting.html import Html
from evallib.reporting.region import RegionReport
from evallib.reporting.school import SchoolReport
from evallib.reporting.sections import counts, digital, dropout, dropout_region, survey

PROGRAMME = "programmes/haaglanden-2013.yaml"
DATA = "data/processed/example"


def _periods(ax) -> list:
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    parsed = []
    for label in labels:
        try:
            parsed.append(parse_period(label))
        except Exception:
            return []
    return parsed


def test_shares_by_year_orders_years_however_the_rows_come() -> None:
    frame = pd.DataFrame(
        {
            "year": ["2015/16", "2012/13", "2013/14", "2015/16"],
            "group": ["team", "comparison", "team", "comparison"],
            "estimate": [0.2, 0.03, 0.1, 0.05],
            "ci_lower": [0.15, 0.02, 0.08, 0.04],
            "ci_upper": [0.25, 0.04, 0.12, 0.06],
        }
    )
    fig = figures.shares_by_year(frame, "Digital", "Share", {"2014/15": 0.1}, lang="en")
    ax = fig.axes[0]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == [
        "2012/13",
        "2013/14",
        "2014/15",
        "2015/16",
    ]
    # the target dash sits on its own year's position (index 2), not between years
    dash = next(c for c in ax.collections if len(c.get_segments()) == 1)
    (x0, _), (x1, _) = dash.get_segments()[0]
    assert x0 < 2 < x1 and x1 - x0 < 1
    plt.close(fig)


def test_counts_by_year_orders_years() -> None:
    frame = pd.DataFrame({"year": ["2015/16", "2013/14", "2014/15"], "count": [130, 45, 90]})
    fig = figures.counts_by_year(frame, "Participants", "Number", lang="en")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "2013/14",
        "2014/15",
        "2015/16",
    ]
    plt.close(fig)


@pytest.fixture(scope="module")
def drawn() -> list:
    """Every figure the overview and two school reports draw."""
    captured = []

    def capture(fig, alt, caption=""):
        captured.append((fig, alt))
        return Html("")

    with pytest.MonkeyPatch.context() as patch:
        for module in (counts, digital, dropout, dropout_region, survey):
            patch.setattr(module, "figure", capture)
        # kept open until the tests have read them; the tests close them
        patch.setitem(plt.rcParams, "figure.max_open_warning", 0)
        RegionReport.load(PROGRAMME, DATA).sections()
        for school in ("02DZ", "21HC"):
            report = SchoolReport.load(PROGRAMME, DATA, school)
            for project in report.projects():
                report.project(project)
    return captured


def test_every_chart_of_the_reports_has_its_years_in_order(drawn) -> None:
    year_axes = 0
    for fig, alt in drawn:
        for ax in fig.axes:
            periods = _periods(ax)
            if periods:
                year_axes += 1
                assert periods == sorted(periods), (alt, periods)
        plt.close(fig)
    assert year_axes >= 5


def test_alt_texts_say_what_the_chart_shows(drawn) -> None:
    for _, alt in drawn:
        # a finding: the numbers the chart shows, not only what kind of chart it is
        assert any(ch.isdigit() for ch in alt.split(":", 1)[-1]), alt
        assert "%" in alt or "geteld" in alt, alt
