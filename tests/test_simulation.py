"""Coverage of evallib's 95% intervals by simulation: a fast version of benchmarks/coverage.py.

100 replications of the three starter settings without school effects (each takes a
Kaplan–Meier and an Aalen–Johansen fit per group) and 300 of the cheap team, teacher-year
and survey settings, with and without school effects. A coverage estimated from m
replications has Monte-Carlo SE sqrt(0.95 * 0.05 / m), about 2.2 points for m = 100 and
1.3 for m = 300; an interval whose true coverage is 95% falls outside 0.95 ± 3.5 SE with
probability 0.0005. This catches gross errors only: the benchmark (1,000 replications,
k = 1, 2, 3, school effects, both difference-in-differences estimators, the statuses)
checks the 93–97% band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evallib.evaluation.label_errors import LIMIT, label_errors
from evallib.stats.simulation import (
    LEAVING_SETTINGS,
    STARTER_SETTINGS,
    SURVEY_SETTINGS,
    TEAM_SETTINGS,
    coverage_study,
    simulate_coverage,
    simulate_starters,
    simulate_team,
    summarise,
    true_dropout,
)

STARTER_REPS, REPS = 100, 300
SEED = 2024
STARTERS = STARTER_SETTINGS[:3]  # region, school, region without an effect
PERSONS = (*TEAM_SETTINGS, *LEAVING_SETTINGS[2:], *SURVEY_SETTINGS)


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    starters = simulate_coverage(STARTER_REPS, SEED, STARTERS, horizons=(3,))
    persons = simulate_coverage(REPS, SEED, PERSONS)
    return pd.concat([starters, persons], ignore_index=True)


@pytest.fixture(scope="module")
def study(records: pd.DataFrame) -> pd.DataFrame:
    return summarise(records)


def _row(table: pd.DataFrame, quantity: str, setting: str, group: str) -> pd.Series:
    rows = table[
        (table["quantity"] == quantity) & (table["setting"] == setting) & (table["group"] == group)
    ]
    assert len(rows) == 1, (quantity, setting, group)
    return rows.iloc[0]


def test_starters_follow_up_keeps_the_truth_exact() -> None:
    s = simulate_starters(100, 270, 0.30, 0.15, reps=40, rng=np.random.default_rng(3))
    leavers, stayers = s[s["left"]], s[~s["left"]]
    for k in (1, 2, 3):  # evallib counts "left within k years" exactly when T <= k
        assert ((leavers["years"] <= k) == (leavers["time"] <= k)).all()
    assert (leavers["years"] - leavers["time"]).between(0, 1 / 365 + 1e-9).all()
    assert (stayers["time"] > stayers["years"]).all()  # censored before leaving
    first_of_august = (s["start"].dt.month == 8) & (s["start"].dt.day == 1)
    censored = stayers[first_of_august[~s["left"]]]
    assert np.allclose(censored["years"], 2016 - censored["cohort"])
    assert 0.27 < 1 - first_of_august.mean() < 0.33  # 30% start later in the school year
    assert s["cohort"].between(2010, 2015).all()
    assert (s.loc[~s["programme"], "cohort"] <= 2012).all()
    assert (s.loc[s["programme"], "cohort"] >= 2013).all()


def test_team_hours_and_share() -> None:
    digital, total = simulate_team(15, 0.10, reps=4000, rng=np.random.default_rng(4))
    assert ((total >= 300) & (total <= 750)).all()
    assert abs(digital.sum() / total.sum() - 0.10) < 0.002


def test_study_has_one_row_per_quantity_and_setting(study: pd.DataFrame) -> None:
    assert not study.duplicated(["quantity", "setting", "group", "k"]).any()
    assert set(study["setting"]) == {s.name for s in (*STARTERS, *PERSONS)}
    starters = study["setting"].isin({s.name for s in STARTERS})
    assert (study.loc[starters, "reps"] == STARTER_REPS).all()
    assert (study.loc[~starters, "reps"] == REPS).all()
    assert {"km dropout", "naive share", "dropout ratio", "dropout difference",
            "aalen-johansen, leaving education", "digital share", "rate ratio",
            "survey share (wilson)", "survey difference (newcombe)"} <= set(study["quantity"])  # fmt: skip


def test_intervals_cover_the_truth(study: pd.DataFrame) -> None:
    checked = study[study["checked"]]
    estimable = checked["reps"] - checked["not_estimable"]
    assert (estimable >= 0.95 * checked["reps"]).all(), checked[estimable < 0.95 * checked["reps"]]
    band = 3.5 * np.sqrt(0.95 * 0.05 / estimable)
    outside = checked[(checked["coverage"] - 0.95).abs() > band]
    assert outside.empty, outside[["quantity", "setting", "group", "coverage", "coverage_se"]]


def test_dropout_ratio_covers_the_halving(study: pd.DataFrame) -> None:
    for setting in ("region", "school"):
        row = _row(study, "dropout ratio", setting, "programme/baseline")
        assert row["true"] == pytest.approx(0.5)
        assert abs(row["coverage"] - 0.95) < 3.5 * np.sqrt(0.95 * 0.05 / STARTER_REPS), row


def test_naive_share_is_biased_low_but_kaplan_meier_is_not(study: pd.DataFrame) -> None:
    # DOMAIN.md: all starters of 2010/11-2015/16 with a true 30% 3-year dropout, naive 23%.
    # The Monte-Carlo SE of a mean KM estimate here is below 0.003 (100 reps); 0.01 is > 3 SE.
    for setting, group, true in [
        ("region, no effect", "all", 0.30),
        ("region, no effect", "programme", 0.30),
        ("region", "programme", 0.15),
    ]:
        naive = _row(study, "naive share", setting, group)
        km = _row(study, "km dropout", setting, group)
        assert naive["true"] == km["true"] == pytest.approx(true)
        assert naive["mean_estimate"] < true - 0.05, naive
        assert abs(km["mean_estimate"] - true) < 0.01, km
    pooled = _row(study, "naive share", "region, no effect", "all")
    assert 0.20 < pooled["mean_estimate"] < 0.25


def test_statuses_are_rarely_wrong(records: pd.DataFrame) -> None:
    labels = label_errors(records)
    assert len(labels) > 10
    # 3.5 Monte-Carlo SEs above the limit: a share of wrong statuses at 5% fails by chance
    # with probability 0.0002.
    band = LIMIT + 3.5 * np.sqrt(LIMIT * (1 - LIMIT) / labels["reps"])
    assert (labels["wrong"] <= band).all(), labels[labels["wrong"] > band]


def test_true_values() -> None:
    assert true_dropout(0.30, 3) == pytest.approx(0.30)
    assert true_dropout(0.15, 3) / true_dropout(0.30, 3) == pytest.approx(0.5)
    assert 1 - (1 - true_dropout(0.30, 1)) ** 3 == pytest.approx(0.30)  # constant hazard


def test_same_seed_same_table_for_any_number_of_workers() -> None:
    def run(seed: int, workers: int) -> pd.DataFrame:
        return coverage_study(
            reps=12,
            seed=seed,
            settings=(STARTER_SETTINGS[1], TEAM_SETTINGS[0]),
            horizons=(3,),
            workers=workers,
            chunk=4,
        )

    first = run(5, 1)
    pd.testing.assert_frame_equal(first, run(5, 1))
    pd.testing.assert_frame_equal(first, run(5, 2))
    assert not first.equals(run(6, 1))
