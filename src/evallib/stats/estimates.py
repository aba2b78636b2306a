"""Estimates with intervals: the only way numbers leave evallib.

Every function returns an :class:`Estimate` (estimate, 95% interval, n) so that
a report can never show a percentage without its n. The heavy lifting is done
by lifelines (Kaplan–Meier), statsmodels (proportions) and scipy (exact
binomial); this module only chooses the method and documents it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np

# scipy.stats and statsmodels are imported inside the functions that use them: the run's
# main process imports this module for the Estimate type alone, and those two libraries
# add about a thousand modules and a second to every `evallib run`.
_Z = NormalDist().inv_cdf


@dataclass(frozen=True)
class Estimate:
    """A number with its interval and the size of the group it rests on.

    Attributes
    ----------
    estimate, ci_lower, ci_upper
        Point estimate and interval bounds (``nan`` when not estimable).
    n
        Persons (or respondents) the estimate rests on.
    events
        Events (e.g. leavers) behind the estimate, where that applies.
    method
        Short name of the method, documented in ``docs/methods.md``.
    unit
        What ``n`` counts (``persons``, ``person-years``, ``respondents``), a catalogue key's
        last part (``unit.<unit>``); empty where the caller knows.
    se
        Standard error on the estimate's own scale, where the method gives one (used to
        compare two independent estimates).
    hidden
        The run hides this estimate and its n so that, with the other published numbers, they
        cannot reveal a small group (secondary suppression, ``docs/privacy.md`` rule 4).
    share_hidden
        The run hides this estimate but not its n: the count of persons behind the share (its
        leavers, say) was hidden to protect another, the group's size was not.
    """

    estimate: float
    ci_lower: float
    ci_upper: float
    n: int
    events: int | None = None
    method: str = ""
    unit: str = ""
    se: float = math.nan
    hidden: bool = False
    share_hidden: bool = False

    @property
    def estimable(self) -> bool:
        return not math.isnan(self.estimate)

    def with_method(self, method: str) -> Estimate:
        return replace(self, method=method)


NOT_ESTIMABLE = Estimate(math.nan, math.nan, math.nan, 0, method="not estimable")


def proportion(count: int, n: int, alpha: float = 0.05) -> Estimate:
    """Share with a Wilson score interval.

    Examples
    --------
    >>> e = proportion(3, 20)
    >>> round(e.estimate, 3), round(e.ci_lower, 3), round(e.ci_upper, 3), e.n
    (0.15, 0.052, 0.36, 20)
    """
    from statsmodels.stats.proportion import proportion_confint

    if n == 0:
        return replace(NOT_ESTIMABLE, method="wilson")
    low, high = proportion_confint(count, n, alpha=alpha, method="wilson")
    share = count / n
    # Floating point can put a bound a hair past the estimate at 0 or n; keep the order.
    return Estimate(
        share, min(float(low), share), max(float(high), share), int(n), int(count), "wilson"
    )


def mean_score(scores: np.ndarray, alpha: float = 0.05) -> Estimate:
    """Mean of scores (e.g. Likert 1–5) with a t interval.

    Examples
    --------
    >>> e = mean_score(np.array([3, 4, 4, 5, 2, 4]))
    >>> round(e.estimate, 3), round(e.ci_lower, 3), round(e.ci_upper, 3), e.n
    (3.667, 2.583, 4.751, 6)
    """
    from scipy import stats as sps

    x = np.asarray(scores, dtype=float)
    n = len(x)
    if n < 2:
        return Estimate(float(x.mean()) if n else math.nan, math.nan, math.nan, n, method="t")
    half = sps.t.ppf(1 - alpha / 2, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return Estimate(float(x.mean()), float(x.mean() - half), float(x.mean() + half), n, method="t")


def proportion_difference(
    count1: int, n1: int, count0: int, n0: int, alpha: float = 0.05
) -> Estimate:
    """Difference of two independent shares (1 minus 0) with Newcombe's score interval.

    Examples
    --------
    >>> e = proportion_difference(56, 100, 45, 100)
    >>> round(e.estimate, 2), round(e.ci_lower, 3), round(e.ci_upper, 3), e.n
    (0.11, -0.028, 0.242, 200)
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 == 0 or n0 == 0:
        return replace(NOT_ESTIMABLE, n=n1 + n0, method="newcombe")
    low, high = confint_proportions_2indep(
        count1, n1, count0, n0, method="newcomb", compare="diff", alpha=alpha
    )
    return Estimate(
        count1 / n1 - count0 / n0, float(low), float(high), int(n1 + n0), None, "newcombe"
    )


def proportion_ratio(count1: int, n1: int, count0: int, n0: int, alpha: float = 0.05) -> Estimate:
    """Ratio of two independent shares (1 over 0) with the Katz log interval.

    Examples
    --------
    >>> e = proportion_ratio(56, 100, 45, 100)
    >>> round(e.estimate, 3), round(e.ci_lower, 3), round(e.ci_upper, 3)
    (1.244, 0.943, 1.643)
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 == 0 or n0 == 0 or count0 == 0:
        return replace(NOT_ESTIMABLE, n=n1 + n0, method="katz-log")
    low, high = confint_proportions_2indep(
        count1, n1, count0, n0, method="log", compare="ratio", alpha=alpha
    )
    return Estimate(
        (count1 / n1) / (count0 / n0), float(low), float(high), int(n1 + n0), None, "katz-log"
    )


def ratio_of_sums(numerator: np.ndarray, denominator: np.ndarray, alpha: float = 0.05) -> Estimate:
    """Ratio estimator sum(y)/sum(x) over persons, with a linearised interval on the logit scale.

    Used for the digital teaching time share: hours belong to teachers, so the
    unit of sampling is the teacher, not the hour. The linearised standard error
    is applied on the logit scale (t quantile, n − 1 df) and transformed back:
    a symmetric interval under-covered for small shares in small teams (93.0%
    at 15 teachers and 10%, misses mostly below; 94.0% on the logit scale in
    40,000 simulated teams, see ``benchmarks/coverage.py``).

    Examples
    --------
    >>> e = ratio_of_sums(np.array([60., 80., 100., 40.]), np.array([600., 700., 650., 500.]))
    >>> round(e.estimate, 4), round(e.ci_lower, 4), round(e.ci_upper, 4), e.n
    (0.1143, 0.0743, 0.1719, 4)
    """
    from scipy import stats as sps
    from scipy.special import expit, logit

    y = np.asarray(numerator, dtype=float)
    x = np.asarray(denominator, dtype=float)
    n = len(y)
    if n < 2 or x.sum() <= 0:
        estimate = y.sum() / x.sum() if n and x.sum() > 0 else math.nan
        return Estimate(float(estimate), math.nan, math.nan, n, None, "ratio estimator")
    ratio = float(y.sum() / x.sum())
    residual = y - ratio * x
    se = math.sqrt((residual**2).sum() / (n * (n - 1))) / x.mean()
    quantile = sps.t.ppf(1 - alpha / 2, n - 1)
    if 0 < ratio < 1:
        centre, scale = logit(ratio), se / (ratio * (1 - ratio))
        low, high = (float(expit(centre + sign * quantile * scale)) for sign in (-1, 1))
    else:  # no hours or all hours digital: the logit is undefined, keep the clipped linear interval
        low, high = max(0.0, ratio - quantile * se), min(1.0, ratio + quantile * se)
    return Estimate(ratio, float(low), float(high), n, None, "ratio estimator, logit", se=se)


def rate_ratio(
    events1: int, exposure1: float, events0: int, exposure0: float, n: int, alpha: float = 0.05
) -> Estimate:
    """Ratio of two event rates (1 over 0) with the exact conditional (binomial) interval.

    Examples
    --------
    >>> e = rate_ratio(7, 200.0, 10, 200.0, n=120)
    >>> round(e.estimate, 2), round(e.ci_lower, 3), round(e.ci_upper, 3)
    (0.7, 0.226, 2.037)
    """
    from scipy import stats as sps

    total = events1 + events0
    if total == 0 or exposure1 <= 0 or exposure0 <= 0 or events0 == 0:
        return Estimate(math.nan, math.nan, math.nan, n, total, "exact conditional rate ratio")
    ci = sps.binomtest(events1, total).proportion_ci(confidence_level=1 - alpha, method="exact")
    scale = exposure0 / exposure1

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p) * scale

    return Estimate(
        (events1 / exposure1) / (events0 / exposure0),
        to_ratio(ci.low),
        to_ratio(ci.high),
        n,
        total,
        "exact conditional rate ratio",
    )


def independent_difference(outcome: Estimate, baseline: Estimate, alpha: float = 0.05) -> Estimate:
    """Difference of two independent estimates (outcome minus baseline), Wald interval from their SEs.

    For estimates that carry a standard error (Kaplan–Meier dropout, the ratio estimator);
    shares of counted persons use :func:`proportion_difference` instead.

    Examples
    --------
    >>> a, b = Estimate(0.20, 0.1, 0.3, 50, se=0.05), Estimate(0.10, 0.05, 0.15, 60, se=0.03)
    >>> e = independent_difference(a, b)
    >>> round(e.estimate, 2), round(e.ci_lower, 3), round(e.ci_upper, 3), e.n
    (0.1, -0.014, 0.214, 110)
    """
    n = outcome.n + baseline.n
    se = math.sqrt(outcome.se**2 + baseline.se**2)
    estimate = outcome.estimate - baseline.estimate
    if math.isnan(se) or math.isnan(estimate):
        return Estimate(estimate, math.nan, math.nan, n, None, "difference, wald")
    half = _Z(1 - alpha / 2) * se
    low, high = float(estimate - half), float(estimate + half)
    return Estimate(estimate, low, high, n, None, "difference, wald", se=se)


def independent_ratio(outcome: Estimate, baseline: Estimate, alpha: float = 0.05) -> Estimate:
    """Ratio of two independent estimates (outcome over baseline), delta-method interval on the log scale.

    Examples
    --------
    >>> a, b = Estimate(0.20, 0.1, 0.3, 50, se=0.05), Estimate(0.10, 0.05, 0.15, 60, se=0.03)
    >>> e = independent_ratio(a, b)
    >>> round(e.estimate, 2), round(e.ci_lower, 3), round(e.ci_upper, 3)
    (2.0, 0.93, 4.3)
    """
    n = outcome.n + baseline.n
    if not (outcome.estimate > 0 and baseline.estimate > 0):
        return Estimate(math.nan, math.nan, math.nan, n, None, "ratio, log delta")
    log_se = math.sqrt(
        (outcome.se / outcome.estimate) ** 2 + (baseline.se / baseline.estimate) ** 2
    )
    ratio = outcome.estimate / baseline.estimate
    if math.isnan(log_se):
        return Estimate(ratio, math.nan, math.nan, n, None, "ratio, log delta")
    half = _Z(1 - alpha / 2) * log_se
    return Estimate(
        ratio, ratio * math.exp(-half), ratio * math.exp(half), n, None, "ratio, log delta"
    )
