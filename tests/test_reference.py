"""Estimators against values published or computed independently of lifelines/statsmodels.

Sources:
- 6-MP arm of the leukaemia trial (Freireich et al., Blood 1963), the standard
  Kaplan–Meier example; S(t) and Greenwood standard errors as tabulated in Klein &
  Moeschberger, *Survival Analysis* (2nd ed.), Table 4.1A.
- Wilson intervals: Newcombe, Stat Med 1998;17:857–872, Table I (method 3).
- Difference of proportions: Newcombe, Stat Med 1998;17:873–890, example 56/70 − 48/80
  (method 10, the hybrid score interval).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats as sps

from evallib.stats.estimates import proportion, proportion_difference
from evallib.stats.power import two_share_power
from evallib.stats.survival import km_dropout

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


@pytest.mark.parametrize(("time", "survival", "se"), SIX_MP)
def test_log_log_interval_matches_the_formula(time: float, survival: float, se: float) -> None:
    # Exponential Greenwood: S^exp(±z·σ), σ = SE(S) / (S·|log S|), computed here by hand.
    d = km_dropout(TIMES, RELAPSE, time)
    s = 1 - d.estimate
    sigma = (math.sqrt(d.log_variance) * d.estimate) / (s * abs(math.log(s)))
    z = sps.norm.ppf(0.975)
    low, high = s ** math.exp(z * sigma), s ** math.exp(-z * sigma)
    assert_allclose([1 - d.ci_upper, 1 - d.ci_lower], [low, high], atol=1e-6)


def test_log_log_interval_at_23_weeks_matches_the_textbook() -> None:
    d = km_dropout(TIMES, RELAPSE, 23)
    assert_allclose([1 - d.ci_upper, 1 - d.ci_lower], [0.188, 0.680], atol=1e-3)


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
