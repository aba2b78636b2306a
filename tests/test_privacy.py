"""Small-cell suppression: nothing shown lets a reader recover a group of fewer than the minimum."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from evallib.evaluation.privacy import count_text, is_small, safe, series, total_and_part
from evallib.reporting.wording import share_interval_text, share_with_n
from evallib.stats.estimates import Estimate


@given(st.lists(st.integers(0, 60), max_size=8), st.integers(2, 15))
@settings(max_examples=300, deadline=None)
def test_series_never_shows_a_small_count(counts: list[int], k: int) -> None:
    assert all(v is None or not is_small(v, k) for v in series(counts, k))


@given(st.lists(st.integers(0, 20), min_size=1, max_size=8), st.integers(2, 15))
@settings(max_examples=300, deadline=None)
def test_cumulative_series_does_not_reveal_a_small_step(steps: list[int], k: int) -> None:
    cumulative = [sum(steps[: i + 1]) for i in range(len(steps))]
    shown = [v for v in series(cumulative, k, cumulative=True) if v is not None]
    differences = [b - a for a, b in zip([0, *shown], shown, strict=False)]
    assert not any(is_small(d, k) for d in differences)


@given(st.integers(0, 500), st.integers(0, 500), st.integers(2, 15))
@settings(max_examples=300, deadline=None)
def test_total_and_part_never_reveal_a_small_remainder(total: int, part: int, k: int) -> None:
    part = min(part, total)
    shown_total, shown_part = total_and_part(total, part, k)
    if shown_part.isdigit() or shown_part.replace(".", "").isdigit():
        shown = int(shown_part.replace(".", ""))
        assert not is_small(shown, k) and not is_small(total - shown, k)
    assert shown_total.replace(".", "").isdigit() == (not is_small(total, k))


def test_small_groups_show_no_count_share_or_interval() -> None:
    small = Estimate(0.0, 0.0, 0.49, 5, 0)  # "none of the 5 starters left"
    assert safe(small) is None
    assert share_with_n(small) == "onderdrukt (n minder dan 10)"
    assert share_interval_text(small) == "onderdrukt (n minder dan 10)"
    assert (
        count_text(9) == "minder dan 10"
        and count_text(10) == "10"
        and count_text(9, min_group=5) == "9"
    )


def test_the_retention_chart_marks_no_target_computed_from_a_hidden_nulmeting() -> None:
    # Westland's starters table hides its nulmeting (count and 3-year dropout, secondary
    # suppression); the chart's "doel na 3 jaar: 88% blijft" was 1 - 0.237 x 0.5 and gave the
    # hidden dropout away. Alfrink's nulmeting dropout is hidden as well, as the run hid its
    # leavers (the region's minus Delft's would give Westland's). Delft's is shown, and so is
    # its mark.
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections.dropout import retention_goal

    def goal(brin: str) -> float | None:
        report = SchoolReport.load(
            "programmes/haaglanden-2013.yaml", "data/processed/example", brin
        )
        target = next(t for t in report.programme.targets if t.id == "starters-uitval")
        return retention_goal(report, target)

    assert goal("21HC") is None and goal("01MB") is None
    assert round(goal("01GX"), 3) == 0.787


def _drawn(monkeypatch, chart: str, build) -> list:
    """What ``build()`` hands to ``figures.<chart>``: the data a chart draws (not drawn here)."""
    from evallib.reporting import figures
    from evallib.reporting.html import Html
    from evallib.reporting.sections import dropout, dropout_region, survey

    calls = []
    monkeypatch.setattr(figures, chart, lambda data, *args, **kwargs: calls.append(data))
    for module in (dropout, dropout_region, survey):
        monkeypatch.setattr(module, "figure", lambda *args, **kwargs: Html(""))
    build()
    return calls


def _persons(share: float, n: int) -> int:
    return round(share * n)


def test_no_chart_draws_a_share_that_gives_away_a_small_count(monkeypatch) -> None:
    # Rule 5 of docs/privacy.md, for charts: a drawn share of persons (who left, who answered
    # 4 or 5) must not give away that 1 … k - 1 had the outcome or did not, and two points of one
    # retention line must not differ by 1 … k - 1 leavers. Alfrink's Kaplan–Meier curves once
    # drew its nulmeting's 3 leavers of 33 in the first year, which its table hid.
    from evallib.reporting.region import RegionReport
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections import dropout, dropout_region, survey

    programme, data = "programmes/haaglanden-2013.yaml", "data/processed/example"
    region = RegionReport.load(programme, data)
    k, targets = region.k, region.programme.targets
    schools = [SchoolReport.load(programme, data, s.brin) for s in region.programme.participating]

    def build(report, sections: dict) -> None:
        for target in targets:
            for section in sections.get(target.measure.name, ()):
                section(report, target)

    lines = _drawn(
        monkeypatch,
        "retention",
        lambda: (
            [build(r, {"starter_dropout": [dropout.retention_figure]}) for r in schools]
            + [build(region, {"starter_dropout": [dropout_region.cohort_figure]})]
        ),
    )
    trend_sections = {
        "starter_dropout": [dropout.dropout_trend],
        "survey_positive": [survey.survey_figure],
    }
    trends = _drawn(
        monkeypatch, "shares_by_year", lambda: [build(r, trend_sections) for r in schools]
    )
    points = 0
    for curves in lines:
        for curve in curves.values():
            leavers = [_persons(1 - r.estimate, r.n) for r in curve.itertuples()]
            stayers = [r.n - gone for r, gone in zip(curve.itertuples(), leavers, strict=True)]
            steps = [b - a for a, b in itertools.pairwise(leavers)]
            assert not any(is_small(c, k) for c in [*leavers, *stayers, *steps]), curve
            points += len(curve)
    for frame in trends:
        for r in frame[~frame["hidden"]].itertuples():
            having = _persons(r.estimate, r.n)
            assert not is_small(having, k) and not is_small(r.n - having, k), r
            points += 1
    # drawn: the retention charts of the starters' schools whose groups can be shown, and the region's
    assert len(lines) >= 4 and len(trends) > len(schools) and points > 50


def test_a_retention_chart_that_could_show_no_group_is_a_sentence() -> None:
    # Westland's dropout is hidden in both periods (its table: "onderdrukt", rule 5), so no
    # group of its chart can be drawn, and an empty chart with a legend of 'niet getoond'
    # says nothing.
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections.dropout import retention_figure

    report = SchoolReport.load("programmes/haaglanden-2013.yaml", "data/processed/example", "21HC")
    target = next(t for t in report.programme.targets if t.id == "starters-uitval")
    html = str(retention_figure(report, target))
    assert "<img" not in html and "Geen grafiek van wie blijft" in html


def test_a_comparison_with_nothing_shown_says_so_in_one_sentence() -> None:
    # The comparison schools' 3-year dropout is hidden in both periods (rule 5 and the run's
    # audit): the sentence once read "was de uitval ... onderdrukt (n = 35) in de nulmeting en
    # onderdrukt (n = 38) in de programmajaren".
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections.dropout import _comparison_words

    report = SchoolReport.load("programmes/haaglanden-2013.yaml", "data/processed/example", "21HC")
    target = next(t for t in report.programme.targets if t.id == "starters-uitval")
    words = str(_comparison_words(report, target))
    assert "geven hier geen vergelijking" in words and "onderdrukt" not in words
