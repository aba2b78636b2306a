"""Power and minimum detectable effects: can the data answer the question at all?

For a comparison of two shares (dropout before and after, survey before and
after) power is computed with the normal approximation on Cohen's *h*
(statsmodels ``NormalIndPower``), two-sided at the report's confidence level.
Kaplan–Meier estimates carry less information than their n suggests when many
people are censored; their *effective* n, ``F(1 − F) / Var(F)``, is used instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from evallib.stats.estimates import Estimate
from evallib.stats.survival import Dropout

POWER = 0.80
# statsmodels and scipy.optimize are imported where they are used, as in estimates.py.
_NORMAL = NormalDist()


@dataclass(frozen=True)
class PowerCheck:
    """Power at the target effect and the smallest effect detectable with 80% power.

    ``mde`` is in the unit of the target: a ratio for relative changes (e.g.
    0.42 means "a fall to 42% of the baseline"), a difference in shares for
    percentage-point changes and thresholds; NaN when no effect at all could be
    seen. ``power`` is NaN where a target has no effect size to aim at (a
    threshold, or "any rise").
    """

    power: float
    mde: float
    n: tuple[float, ...]

    @property
    def adequate(self) -> bool:
        return self.power >= POWER


def effective_n(d: Dropout) -> float:
    """Sample size a binomial share with the same precision would need.

    Examples
    --------
    >>> round(effective_n(Dropout(0.3, 0.2, 0.4, 100, 30, log_variance=0.0233)), 1)  # no censoring
    100.0
    >>> round(effective_n(Dropout(0.3, 0.2, 0.4, 100, 30, log_variance=0.0466)), 1)  # half the information
    50.1
    """
    if not (0 < d.estimate < 1) or math.isnan(d.log_variance):
        return float(d.n)
    variance = d.log_variance * d.estimate**2
    return min(float(d.n), d.estimate * (1 - d.estimate) / variance)


def two_share_power(p0: float, p1: float, n0: float, n1: float, alpha: float = 0.05) -> float:
    """Power of a two-sided test that two shares differ.

    Examples
    --------
    >>> round(two_share_power(0.30, 0.15, 100, 270), 2)  # DOMAIN.md: region, about 0.87
    0.87
    >>> round(two_share_power(0.30, 0.15, 25, 50), 2)  # one school: 0.2-0.4
    0.32
    """
    if min(n0, n1) <= 0 or p0 == p1:
        return 0.0 if p0 != p1 else alpha
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    effect = abs(proportion_effectsize(p1, p0))
    return float(NormalIndPower().power(effect_size=effect, nobs1=n1, alpha=alpha, ratio=n0 / n1))


def mde_ratio(
    p0: float, n0: float, n1: float, alpha: float = 0.05, power: float = POWER, down: bool = True
) -> float:
    """Smallest relative change of a share detectable with ``power`` (as a ratio p1/p0).

    Examples
    --------
    >>> round(mde_ratio(0.30, 100, 270), 2)  # 30% -> 16.3% is the smallest fall seen 4 in 5 times
    0.54
    """
    from scipy.optimize import brentq

    if min(n0, n1) <= 0 or not 0 < p0 < 1:
        return math.nan

    def gap(r: float) -> float:
        return two_share_power(p0, p0 * r, n0, n1, alpha) - power

    # NaN when even the most extreme change (to 0%, or to 100%) would not be seen.
    if down:  # search ratios below 1
        return math.nan if gap(1e-9) < 0 else float(brentq(gap, 1e-9, 1 - 1e-9))
    ceiling = 1 / p0 - 1e-9  # a share cannot pass 100%
    return math.nan if gap(ceiling) < 0 else float(brentq(gap, 1 + 1e-9, ceiling))


def mde_difference(se: float, alpha: float = 0.05, power: float = POWER) -> float:
    """Smallest difference detectable with ``power`` given a standard error.

    Examples
    --------
    >>> round(mde_difference(0.02), 3)
    0.056
    """
    return float((_NORMAL.inv_cdf(1 - alpha / 2) + _NORMAL.inv_cdf(power)) * se)


def _se_from_interval(e: Estimate, alpha: float) -> float:
    return (e.ci_upper - e.ci_lower) / (2 * _NORMAL.inv_cdf(1 - alpha / 2))


def ratio_power(
    baseline: Estimate, outcome: Estimate, target_ratio: float, alpha: float = 0.05
) -> PowerCheck:
    """Power to see a change to ``target_ratio`` × baseline, and the MDE as a ratio.

    Dropout estimates (:class:`Dropout`) use their effective n.
    """
    n0 = effective_n(baseline) if isinstance(baseline, Dropout) else float(baseline.n)
    n1 = effective_n(outcome) if isinstance(outcome, Dropout) else float(outcome.n)
    p0 = baseline.estimate
    if math.isnan(p0) or not 0 < p0 < 1:
        return PowerCheck(math.nan, math.nan, (n0, n1))
    down = target_ratio < 1
    p1 = min(max(p0 * target_ratio, 1e-9), 1 - 1e-9)
    return PowerCheck(
        two_share_power(p0, p1, n0, n1, alpha), mde_ratio(p0, n0, n1, alpha, down=down), (n0, n1)
    )


def threshold_power(outcome: Estimate, alpha: float = 0.05) -> PowerCheck:
    """Smallest distance from a threshold that the outcome's precision can detect."""
    se = _se_from_interval(outcome, alpha)
    if math.isnan(se) or se == 0:
        return PowerCheck(math.nan, math.nan, (float(outcome.n),))
    return PowerCheck(math.nan, mde_difference(se, alpha), (float(outcome.n),))


def difference_power(
    baseline: Estimate, outcome: Estimate, target: float, alpha: float = 0.05
) -> PowerCheck:
    """Power to see a change of ``target`` (in share units) between two shares, and the MDE.

    A target of 0 ("any rise") has no effect size to aim at: only the MDE is given.
    """
    p0 = baseline.estimate
    n0, n1 = float(baseline.n), float(outcome.n)
    if math.isnan(p0) or min(n0, n1) == 0:
        return PowerCheck(math.nan, math.nan, (n0, n1))
    se = math.sqrt(max(p0 * (1 - p0), 1e-6) * (1 / n0 + 1 / n1))
    mde = mde_difference(se, alpha)
    if target == 0:
        return PowerCheck(math.nan, mde, (n0, n1))
    p1 = min(max(p0 + target, 0.0), 1.0)
    return PowerCheck(two_share_power(p0, p1, n0, n1, alpha), mde, (n0, n1))


@dataclass(frozen=True)
class Chances:
    """How sure a status can be: the chance of *gehaald* at two true values.

    ``exact`` is the chance that the rule says *gehaald* when the target is met exactly (the
    rule keeps it at about α/2); ``clear`` the chance when the true value is ``clear_value``,
    a target clearly exceeded (a relative change twice the target's on the log scale, a share
    half as far again, ten percentage points beyond a change). :func:`chances` gives the
    normal approximation from an estimate's interval; reports simulate them from the
    estimate's design instead (:mod:`evallib.evaluation.chance`, docs/methods.md).
    """

    exact: float
    clear: float
    clear_value: float
    #: Shares of simulated data sets (reports give them in whole percents), not the normal
    #: approximation.
    simulated: bool = False


def clearly_met(kind: str, target: float, direction: str) -> float:
    """The true value at which a target counts as clearly exceeded.

    Examples
    --------
    >>> clearly_met("ratio", 0.5, "at_most"), round(clearly_met("share", 0.10, "at_least"), 2)
    (0.25, 0.15)
    >>> round(clearly_met("difference", 0.0, "at_least"), 2)
    0.1
    """
    up = direction == "at_least"
    if kind == "ratio":
        return target**2 if target > 0 else target
    if kind == "difference":
        return target + (0.10 if up else -0.10)
    return target * (1.5 if up else 0.5)


def chance_met(
    effect: Estimate, target: float, direction: str, truth: float, log: bool, alpha: float = 0.05
) -> float:
    """Chance that the interval rule says *gehaald* when the true value is ``truth``.

    The estimate is taken as normal (on the log scale for ratios) with the standard error
    its interval implies; *gehaald* means the bound nearest the wrong side meets the target.

    Examples
    --------
    >>> e = Estimate(0.47, 0.265, 0.829, 330)
    >>> round(chance_met(e, 0.5, "at_most", 0.5, log=True), 3)
    0.025
    >>> round(chance_met(e, 0.5, "at_most", 0.25, log=True), 2)
    0.66
    """
    scale = math.log if log else (lambda x: x)
    if log and min(effect.ci_lower, effect.ci_upper, target, truth) <= 0:
        return math.nan
    z = _NORMAL.inv_cdf(1 - alpha / 2)
    se = (scale(effect.ci_upper) - scale(effect.ci_lower)) / (2 * z)
    if not se > 0:
        return math.nan
    gap = scale(truth) - scale(target)
    if direction == "at_most":
        gap = -gap
    return float(_NORMAL.cdf(gap / se - z))


def chances(
    effect: Estimate, kind: str, target: float, direction: str, alpha: float = 0.05
) -> Chances:
    """:class:`Chances` for an estimate: at the target exactly and clearly exceeded.

    Examples
    --------
    >>> c = chances(Estimate(0.128, 0.089, 0.181, 131), "share", 0.10, "at_least")
    >>> round(c.exact, 3), round(c.clear, 2), round(c.clear_value, 2)
    (0.025, 0.57, 0.15)
    """
    log = kind == "ratio"
    clear = clearly_met(kind, target, direction)
    return Chances(
        chance_met(effect, target, direction, target, log, alpha),
        chance_met(effect, target, direction, clear, log, alpha),
        clear,
    )
