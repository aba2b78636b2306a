"""Estimators against values published or computed independently of lifelines/statsmodels.

Sources:
- 6-MP arm of the leukaemia trial (Freireich et al., Blood 1963), the standard
  Kaplan–Meier example; S(t) and Greenwood standard errors as tabulated in Klein &
  Moeschberger, *Survival Analysis* (2nd ed.), Table 4.1A; the k-year interval (mid-p beta
  product) against products of betas drawn at random.
- Wilson intervals: Newcombe, Stat Med 1998;17:857–872, Table I (method 3).
- Difference of proportions: Newcombe, Stat Med 1998;17:873–890, example 56/70 − 48/80
  (method 10, the hybrid score interval).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from evallib.stats.estimates import proportion, proportion_difference
from evallib.stats.power import two_share_power
from evallib.stats.survival import km_curve, km_dropout

TIMES = np.array([6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35.0])
RELAPSE = np.array([1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], bool)
#: time, S(t), Greenwood SE
SIX_MP = [
    (6, 0.857, 0.0764),
    (7, 0.807, 0.0869),
    (10, 0.753, 0.0963),
    (13, 0.690, 0.1068),
    (16, 0.627, 0.1141),
    (22, 0.538, 0.1282),
    (23, 0.448, 0.1346),
]


@pytest.mark.parametrize(("time", "survival", "se"), SIX_MP)
def test_kaplan_meier_and_greenwood_match_the_textbook(
    time: float, survival: float, se: float
) -> None:
    d = km_dropout(TIMES, RELAPSE, time)
    assert_allclose(1 - d.estimate, survival, atol=5e-4)
    assert_allclose(math.sqrt(d.log_variance) * d.estimate, se, atol=5e-4)  # SE(F) = SE(S)


def _beta_product_interval(time: float) -> np.ndarray:
    """The mid-p beta product interval for the share still there at ``time``, by drawing the
    products of betas (the `nmc` version of Fay, Brittain & Proschan 2013) instead of the
    method of moments evallib uses."""
    rng = np.random.default_rng(1)
    draws = 400_000
    weeks, relapse = TIMES, RELAPSE
    upper = np.ones(draws)
    times = np.unique(weeks[relapse & (weeks <= time)])
    for t in times:
        at_risk, relapses = (weeks >= t).sum(), (relapse & (weeks == t)).sum()
        upper *= rng.beta(at_risk - relapses + 1, relapses, draws)
    lower = upper if times[-1] == time else upper * rng.beta((weeks >= time).sum(), 1, draws)
    return np.quantile(np.concatenate([lower, upper]), [0.025, 0.975])


@pytest.mark.parametrize("time", [6, 9, 11, 13, 20, 23, 30])
def test_bpcp_interval_matches_a_monte_carlo_beta_product(time: float) -> None:
    # 9, 11, 20 and 30 weeks are not relapse times: the lower confidence distribution then
    # has the factor Beta(m, 1) for the m still at risk.
    d = km_dropout(TIMES, RELAPSE, time)
    assert_allclose([1 - d.ci_upper, 1 - d.ci_lower], _beta_product_interval(time), atol=0.01)


@pytest.mark.parametrize("time", [11, 23])
def test_curve_band_is_the_k_year_interval_and_matches_the_beta_product(time: float) -> None:
    # The retention curves show the k-year tables' interval as their band; 11 weeks is no
    # relapse time, so the band there has the factor Beta(m, 1) for the m still at risk.
    row = km_curve(TIMES, RELAPSE, at=(time,)).set_index("years").loc[time]
    assert_allclose([row["ci_lower"], row["ci_upper"]], _beta_product_interval(time), atol=0.01)


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe(count: int, n: int, low: float, high: float) -> None:
    e = proportion(count, n)
    assert_allclose([e.ci_lower, e.ci_upper], [low, high], atol=1e-4)


def test_difference_interval_matches_newcombe() -> None:
    e = proportion_difference(56, 70, 48, 80)
    assert_allclose([e.estimate, e.ci_lower, e.ci_upper], [0.2, 0.0524, 0.3339], atol=1e-4)


def test_power_matches_domain_brief() -> None:
    # DOMAIN.md: halving 30% -> 15% has power ~0.87 for 100 vs 270 starters, 0.2-0.4 for one school.
    assert_allclose(two_share_power(0.30, 0.15, 100, 270), 0.87, atol=0.01)
    assert (
        0.2
        <= two_share_power(0.30, 0.15, 15, 30)
        <= two_share_power(0.30, 0.15, 30, 60)
        <= 0.4 + 0.05
    )
