"""Small-cell suppression: nothing shown lets a reader recover a group of fewer than the minimum."""

from __future__ import annotations

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
    # hidden dropout away. Alfrink's nulmeting is shown, and so is its mark.
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections.dropout import retention_goal

    def goal(brin: str) -> float | None:
        report = SchoolReport.load(
            "programmes/haaglanden-2013.yaml", "data/processed/example", brin
        )
        target = next(t for t in report.programme.targets if t.id == "starters-uitval")
        return retention_goal(report, target)

    assert goal("21HC") is None
    assert round(goal("01MB"), 3) == 0.807
