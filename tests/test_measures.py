"""Measures and estimators: small hand-computed cases and hypothesis properties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from evallib.core.dates import follow_up_years, parse_school_year
from evallib.evaluation import tables as m
from evallib.stats.estimates import proportion, ratio_of_sums
from evallib.stats.survival import km_curve, km_dropout

REF = dt.date(2016, 7, 31)


# --- follow-up time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "years", "left"),
    [
        ("2013-08-01", "2016-07-31", 3.0, True),  # three full school years, leap day inside
        ("2013-08-01", None, 3.0, False),  # still there on the reference date
        ("2015-08-01", "2016-07-31", 1.0, True),
        ("2014-02-01", "2014-07-31", 0.5, True),  # half a year (181 of 365 days, rounded below)
        (
            "2013-08-01",
            "2017-07-31",
            3.0,
            False,
        ),  # leaving after the reference date is not known yet
        ("2012-02-29", "2013-02-27", 1.0, True),  # 29 Feb start: anniversary is 28 Feb
    ],
)
def test_follow_up_years(start: str, end: str | None, years: float, left: bool) -> None:
    d, e = follow_up_years(
        pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([end])), REF
    )
    assert_allclose(d[0], years, atol=0.01)
    assert e[0] == left


def test_school_year_parsing() -> None:
    assert [parse_school_year(s) for s in ("2013/14", "2013/2014", "2013-14", "1999/00")] == [
        2013,
        2013,
        2013,
        1999,
    ]
    with pytest.raises(Exception, match="Schooljaar"):
        parse_school_year("2013/15")


# --- Kaplan-Meier, by hand --------------------------------------------------------------


def test_km_dropout_matches_hand_computation() -> None:
    # 5 starters: leave at 0.5 and 2.0; censored at 1.0, 3.0, 3.0.
    # S(0.5) = 4/5; at 2.0 three at risk, one leaves: S = 4/5 * 2/3 = 8/15; dropout = 7/15.
    d = km_dropout(np.array([0.5, 1.0, 2.0, 3.0, 3.0]), np.array([1, 0, 1, 0, 0], bool), years=3)
    assert_allclose(d.estimate, 7 / 15, rtol=1e-12)
    # Greenwood: var(S) = S^2 * (1/(5*4) + 1/(3*2)) -> var(log F) = var(S) / F^2
    var_s = (8 / 15) ** 2 * (1 / 20 + 1 / 6)
    assert_allclose(d.log_variance, var_s / (7 / 15) ** 2, rtol=1e-12)
    assert d.n == 5 and d.events == 2


def test_km_equals_naive_share_without_censoring() -> None:
    durations = np.array([0.2, 0.7, 1.4, 2.9, 3.5, 4.0, 5.0, 6.0])
    left = np.array([1, 1, 1, 1, 1, 0, 0, 0], bool)
    assert_allclose(km_dropout(durations, left, 3).estimate, 4 / 8)


def test_naive_share_is_biased_under_censoring_but_km_is_not() -> None:
    rng = np.random.default_rng(1)
    rate = -np.log(0.7) / 3  # true 3-year dropout 30%
    n = 20000
    time = rng.exponential(1 / rate, n)
    follow = rng.uniform(0.5, 6, n)  # staggered entry: some followed < 3 years
    durations, left = np.minimum(time, follow), time <= follow
    naive = (left & (durations <= 3)).mean()
    assert naive < 0.27  # biased low
    assert abs(km_dropout(durations, left, 3).estimate - 0.30) < 0.01


def test_proportion_wilson_reference_values() -> None:
    # Wilson interval for 3/20 (Newcombe 1998, method 3 table values rounded): 0.0524 - 0.3604
    e = proportion(3, 20)
    assert_allclose([e.ci_lower, e.ci_upper], [0.0524, 0.3604], atol=5e-4)


def test_ratio_of_sums_by_hand() -> None:
    e = ratio_of_sums(np.array([60.0, 80.0, 100.0, 40.0]), np.array([600.0, 700.0, 650.0, 500.0]))
    assert_allclose(e.estimate, 280 / 2450)
    # residuals -8.571, 0, 25.714, -17.143 -> se = sqrt(sum r^2 / (4*3)) / 612.5 = 0.015115;
    # logit scale: centre log(R/(1-R)), half-width t(3) * se / (R(1-R)), then back.
    r, se, t3 = 280 / 2450, 0.0151154, 3.182446
    centre, half = np.log(r / (1 - r)), t3 * se / (r * (1 - r))
    assert_allclose(
        [e.ci_lower, e.ci_upper], 1 / (1 + np.exp(-(centre + np.array([-half, half])))), rtol=1e-4
    )


# --- measure functions -----------------------------------------------------------------


def _staff(**columns: list) -> pd.DataFrame:
    base = {
        "brin": "01GX",
        "vestiging": "00",
        "starter": True,
        "reden_uit_dienst": None,
        "geboortejaar": 1985,
    }
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({**{k: [v] * n for k, v in base.items()}, **columns})
    for c in ("datum_in_dienst", "datum_uit_dienst"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def test_starter_spells_cohorts_and_censoring() -> None:
    staff = _staff(
        docent_id=["A", "B", "C"],
        datum_in_dienst=["2010-08-01", "2013-01-07", "2015-08-01"],
        datum_uit_dienst=["2011-07-31", None, "2017-01-01"],
        reden_uit_dienst=["buiten onderwijs", None, "andere school"],
    )
    spells = m.starter_spells(staff, REF)
    assert spells["cohort"].tolist() == [2010, 2012, 2015]
    assert spells["left"].tolist() == [True, False, False]
    assert spells["reason"].tolist()[0] == "buiten onderwijs" and spells["reason"].isna().tolist()[
        1:
    ] == [True, True]


def test_starter_outcomes_leaves_out_those_not_followed_long_enough() -> None:
    spells = pd.DataFrame(
        {
            "years": [3.0, 2.5, 1.0, 4.0],
            "left": [False, True, False, True],
            "reason": [None, "andere school", None, "pensioen"],
        }
    )
    counts = m.starter_outcomes(spells, 3)
    assert counts.to_dict() == {
        "nog op school": 2,
        "andere school": 1,
        "buiten onderwijs": 0,
        "pensioen": 0,
        "onbekend": 0,
    }


def test_participants_cumulative_and_per_year() -> None:
    p = pd.DataFrame(
        {
            "brin": ["01GX"] * 4 + ["02DZ"],
            "docent_id": ["A", "A", "B", "C", "A"],
            "schooljaar": [2013, 2014, 2014, 2015, 2013],
            "project": ["duo"] * 5,
            "rol": ["duo-senior"] * 5,
        }
    )
    assert (
        m.participants(p, "duo", "duo-senior", 2013, cumulative=True) == 2
    )  # same id, two schools
    assert m.participants(p, "duo", "duo-senior", 2014, cumulative=False) == 2
    assert m.participants(p, "duo", "duo-senior", 2015, cumulative=True) == 4


def test_teacher_years_excludes_retirement_and_other_ages() -> None:
    staff = _staff(
        docent_id=["A", "B", "C"],
        datum_in_dienst=["2000-08-01"] * 3,
        datum_uit_dienst=["2011-07-31", "2011-07-31", None],
        reden_uit_dienst=["pensioen", "andere school", None],
    )
    staff["geboortejaar"] = [1965, 1965, 1990]
    years = m.teacher_years(staff, 2010, 2010, 40, 55, REF)
    assert years["docent_id"].tolist() == ["A", "B"]
    assert years["left"].tolist() == [False, True]


# --- properties ------------------------------------------------------------------------

spells = st.lists(
    st.tuples(st.floats(0.01, 8, allow_nan=False), st.booleans()), min_size=1, max_size=60
)


@given(spells, st.sampled_from([1, 2, 3]))
@settings(max_examples=150, deadline=None)
def test_km_dropout_is_a_probability_inside_its_interval(data: list, years: int) -> None:
    durations = np.array([d for d, _ in data])
    left = np.array([e for _, e in data])
    d = km_dropout(durations, left, years)
    assert 0 <= d.estimate <= 1
    assert 0 <= d.ci_lower <= d.estimate + 1e-12 <= d.ci_upper + 1e-12 <= 1 + 1e-12


#: Follow-up in tenths of a year: ties between leavers, and between leavers and stayers.
tied_spells = st.lists(
    st.tuples(st.integers(1, 60).map(lambda x: x / 10), st.booleans()), min_size=1, max_size=60
)


@given(tied_spells, st.sampled_from([1, 2, 2.5, 3]))
@settings(max_examples=200, deadline=None)
def test_km_dropout_equals_lifelines_to_the_last_bit(data: list, years: float) -> None:
    from lifelines import KaplanMeierFitter

    durations = np.array([d for d, _ in data])
    left = np.array([e for _, e in data])
    fitter = KaplanMeierFitter().fit(durations, left)
    survival = float(fitter.survival_function_at_times(years).iloc[0])
    d = km_dropout(durations, left, years)
    assert d.estimate == 1 - survival or (d.events == 0 and d.estimate == 0)
    if d.events and d.estimate > 0:
        table = fitter.event_table[fitter.event_table.index <= years]
        at_risk, died = table["at_risk"].to_numpy(float), table["observed"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            greenwood = np.nansum(
                np.where(at_risk > died, died / (at_risk * (at_risk - died)), np.nan)
            )
        assert d.log_variance == survival**2 * greenwood / d.estimate**2


@given(tied_spells, st.sampled_from([1, 2, 2.5, 3]))
@settings(max_examples=150, deadline=None)
def test_the_curve_band_at_k_is_the_k_year_interval(data: list, years: float) -> None:
    # The retention chart and the dropout table beside it show one interval at k years.
    durations = np.array([d for d, _ in data])
    left = np.array([e for _, e in data])
    curve = km_curve(durations, left, at=(years,))
    if durations.max() < years:
        assert curve["years"].max() < years  # the curve stops where follow-up stops
        return
    point = curve[curve["years"] == years].iloc[0]
    d = km_dropout(durations, left, years)
    assert (1 - point["estimate"], 1 - point["ci_upper"], 1 - point["ci_lower"]) == (
        d.estimate,
        d.ci_lower,
        d.ci_upper,
    )


@given(spells)
@settings(max_examples=100, deadline=None)
def test_km_curve_never_increases(data: list) -> None:
    curve = km_curve(np.array([d for d, _ in data]), np.array([e for _, e in data]))
    assert (np.diff(curve["estimate"].to_numpy()) <= 1e-12).all()
    assert (curve["ci_lower"] <= curve["estimate"] + 1e-12).all()


@given(st.integers(0, 500), st.integers(1, 500))
@settings(max_examples=200, deadline=None)
def test_proportion_interval_contains_estimate(count: int, n: int) -> None:
    count = min(count, n)
    e = proportion(count, n)
    assert 0 <= e.ci_lower <= e.estimate <= e.ci_upper <= 1


@given(st.floats(0.05, 0.95), st.integers(20, 200))
@settings(max_examples=60, deadline=None)
def test_more_data_does_not_widen_the_interval(rate: float, n: int) -> None:
    small, large = proportion(round(rate * n), n), proportion(round(rate * 4 * n), 4 * n)
    assert (large.ci_upper - large.ci_lower) <= (small.ci_upper - small.ci_lower) + 0.01


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(10, 1000)), min_size=2, max_size=40))
@settings(max_examples=100, deadline=None)
def test_digital_share_between_zero_and_one(rows: list) -> None:
    share = np.array([s for s, _ in rows])
    total = np.array([t for _, t in rows])
    e = ratio_of_sums(share * total, total)
    assert 0 <= e.ci_lower <= e.estimate + 1e-12 and e.estimate <= e.ci_upper + 1e-12 <= 1 + 1e-12


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31)), st.integers(-40, 40)),
        min_size=1,
        max_size=30,
    )
)
def test_adding_years_matches_the_calendar(pairs) -> None:
    # the fast numpy path against pandas' own calendar: 29 February becomes 28 February
    from evallib.core.dates import _add_years

    start = pd.Series(pd.to_datetime([d for d, _ in pairs]))
    years = pd.Series([y for _, y in pairs])
    leap = (start.dt.month == 2) & (start.dt.day == 29)
    expected = pd.to_datetime(
        {
            "year": start.dt.year + years,
            "month": start.dt.month,
            "day": start.dt.day.where(~leap, 28),
        }
    )
    assert _add_years(start, years).equals(expected)
