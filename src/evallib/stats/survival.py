"""Survival estimates for starters: Kaplan–Meier dropout within k years, curves, the ratio of
two dropouts, and Aalen–Johansen for one reason of leaving among competing ones.

The product-limit estimate comes from an event table made here (:func:`_event_table`:
lifelines' formula, the same numbers to the last bit, in a fiftieth of the time of a fit;
a report needs dozens). The k-year dropout's interval, and the retention curves' bands, are
the mid-p beta product confidence procedure (:func:`bpcp_interval`), which rests on the
number still at risk at k; Greenwood's variance is kept for ratios between groups. Every function returns an
:class:`~evallib.stats.estimates.Estimate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from evallib.stats.bpcp import bpcp_interval
from evallib.stats.estimates import Estimate

# statsmodels is imported where it is used, as in estimates.py: the run's
# main process needs this module's types, not its fitters.
_Z = NormalDist().inv_cdf


@dataclass(frozen=True)
class Dropout(Estimate):
    """k-year dropout from a Kaplan–Meier curve; keeps the variance of log(dropout).

    ``at_risk`` is the number still followed at k years (who could still be seen to leave);
    ``uncensored_at_k`` those not censored before k (they left within k, or were followed k
    years), the n of Borkowf's variance (:mod:`evallib.stats.dropout_difference`).
    """

    log_variance: float = math.nan
    max_follow_up: float = 0.0
    at_risk: int = 0
    uncensored_at_k: int = 0


def km_dropout(
    durations: np.ndarray, left: np.ndarray, years: float, alpha: float = 0.05
) -> Dropout:
    """Share that left within ``years``, estimated by Kaplan–Meier (right-censoring aware).

    The interval is the mid-p beta product confidence interval for the retention curve at
    ``years`` (:func:`bpcp_interval`), turned around for dropout: it accounts for the
    number still at risk at k years, which Greenwood's variance ignores once the last
    leaver before k is past. With no leaver at all, the upper bound is the exact binomial
    bound over those followed k years. ``log_variance`` is Greenwood's delta-method
    variance of log(dropout), used for ratios between groups.

    Parameters
    ----------
    durations
        Years from start to leaving, or to the reference date for stayers.
    left
        ``True`` where leaving was observed.
    years
        The horizon k (e.g. 3 for 3-year dropout).

    Examples
    --------
    >>> d = km_dropout(np.array([0.5, 1.0, 2.0, 3.0, 3.0, 1.5]),
    ...                np.array([True, False, True, False, False, False]), years=3)
    >>> round(d.estimate, 3), d.n, d.events
    (0.444, 6, 2)
    """
    return km_dropouts(durations, left, (years,), alpha)[0]


def km_dropouts(
    durations: np.ndarray, left: np.ndarray, horizons: tuple[float, ...], alpha: float = 0.05
) -> list[Dropout]:
    """:func:`km_dropout` at several horizons from one Kaplan–Meier fit.

    Examples
    --------
    >>> ds = km_dropouts(np.array([0.5, 1.0, 2.0, 3.0, 3.0, 1.5]),
    ...                  np.array([True, False, True, False, False, False]), (1, 3))
    >>> [round(d.estimate, 3) for d in ds]
    [0.167, 0.444]
    """
    durations = np.asarray(durations, dtype=float)
    left = np.asarray(left, dtype=bool)
    n = len(durations)
    if n == 0:
        return [
            Dropout(math.nan, math.nan, math.nan, 0, 0, "kaplan-meier", unit="persons")
            for _ in horizons
        ]
    table = _event_table(durations, left)
    return [_dropout_at(table, durations, left, years, alpha) for years in horizons]


def _event_table(durations: np.ndarray, left: np.ndarray) -> dict[str, np.ndarray]:
    """Per distinct time: those at risk, the leavers, and the Kaplan–Meier survival after it.

    The survival is lifelines' ``exp(cumsum(log(at_risk − left) − log(at_risk)))``, term for
    term, so it equals ``KaplanMeierFitter`` to the last bit (``tests/test_measures.py``).

    Examples
    --------
    >>> table = _event_table(np.array([1.0, 2.0, 2.0]), np.array([True, False, True]))
    >>> table["at_risk"].tolist(), table["survival"].round(3).tolist()
    ([3.0, 3.0, 2.0], [1.0, 0.667, 0.333])
    """
    # Like lifelines, the table starts at time 0 (nobody removed yet): the same rows, so the
    # same sums (numpy's pairwise summation rounds by the number of terms).
    times, which = np.unique(np.concatenate(([0.0], durations)), return_inverse=True)
    removed = np.bincount(which[1:], minlength=len(times)).astype(float)
    observed = np.bincount(which[1:], weights=left, minlength=len(times))
    at_risk = len(durations) - np.concatenate(([0.0], np.cumsum(removed)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_survival = np.cumsum(np.log(at_risk - observed) - np.log(at_risk))
    return {
        "times": times,
        "at_risk": at_risk,
        "observed": observed,
        "survival": np.exp(log_survival),
    }


def _dropout_at(
    table: dict[str, np.ndarray],
    durations: np.ndarray,
    left: np.ndarray,
    years: float,
    alpha: float,
) -> Dropout:
    n = len(durations)
    upto = table["times"] <= years
    survival = float(table["survival"][upto][-1])  # the table starts at time 0
    at_risk, died = table["at_risk"][upto], table["observed"][upto]
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = float(
            np.nansum(np.where(at_risk > died, died / (at_risk * (at_risk - died)), np.nan))
        )
    dropout = 1.0 - survival
    events = int(left[durations <= years].sum())
    low_s, high_s = retention_interval(durations, left, years, survival, alpha)
    common = dict(
        unit="persons",
        max_follow_up=float(durations.max()),
        at_risk=int((durations >= years).sum()),
        uncensored_at_k=n - int((~left & (durations < years)).sum()),
    )
    if events == 0:
        return Dropout(0.0, 0.0, 1 - low_s, n, 0, "kaplan-meier", **common)
    log_variance = (survival**2 * greenwood) / dropout**2 if dropout > 0 else math.nan
    return Dropout(
        dropout,
        1 - high_s,
        1 - low_s,
        n,
        events,
        "kaplan-meier",
        se=dropout * math.sqrt(log_variance) if dropout > 0 else math.nan,
        log_variance=log_variance,
        **common,
    )


def retention_interval(
    durations: np.ndarray, left: np.ndarray, years: float, survival: float, alpha: float = 0.05
) -> tuple[float, float]:
    """Interval for the share still there at ``years``, around its estimate ``survival``.

    The one interval of the k-year tables and of the retention curves' bands:
    :func:`bpcp_interval`, widened to contain the estimate. With no leaver up to ``years``,
    the exact binomial bound over those followed the whole ``years`` (the others could still
    leave unseen); at time 0, where nobody can have left, ``(1, 1)``.

    Examples
    --------
    Nobody of 20 left in 4 years: at 3 years at least 83% are still there.

    >>> low, high = retention_interval(np.full(20, 4.0), np.zeros(20, dtype=bool), 3, 1.0)
    >>> round(low, 3), high
    (0.832, 1.0)
    """
    if years <= 0:
        return 1.0, 1.0
    if not left[durations <= years].any():
        followed = int((durations >= years).sum())
        return ((alpha / 2) ** (1 / followed) if followed else 0.0), 1.0
    low, high = bpcp_interval(durations, left, years, alpha)
    return min(low, survival), max(high, survival)


def dropout_ratio(outcome: Dropout, baseline: Dropout, alpha: float = 0.05) -> Estimate:
    """Ratio of two k-year dropouts with a delta-method interval on the log scale.

    Examples
    --------
    >>> a = Dropout(0.15, 0.08, 0.25, 60, 9, "kaplan-meier", log_variance=0.09)
    >>> b = Dropout(0.30, 0.18, 0.45, 30, 9, "kaplan-meier", log_variance=0.07)
    >>> e = dropout_ratio(a, b)
    >>> round(e.estimate, 2), round(e.ci_lower, 3), round(e.ci_upper, 3), e.n
    (0.5, 0.228, 1.095, 90)
    """
    n = outcome.n + baseline.n
    if outcome.estimate == 0 and baseline.estimate > 0 and not math.isnan(baseline.log_variance):
        return _zero_ratio(outcome, baseline, alpha)
    if not (outcome.estimate > 0 and baseline.estimate > 0) or math.isnan(
        outcome.log_variance + baseline.log_variance
    ):
        return Estimate(math.nan, math.nan, math.nan, n, None, "ratio of kaplan-meier, log delta")
    log_ratio = math.log(outcome.estimate / baseline.estimate)
    half = _Z(1 - alpha / 2) * math.sqrt(outcome.log_variance + baseline.log_variance)
    return Estimate(
        math.exp(log_ratio),
        math.exp(log_ratio - half),
        math.exp(log_ratio + half),
        n,
        (outcome.events or 0) + (baseline.events or 0),
        "ratio of kaplan-meier, log delta",
    )


def _zero_ratio(outcome: Dropout, baseline: Dropout, alpha: float) -> Estimate:
    """No leaver in the outcome group: the ratio is 0, with a score upper bound.

    Each Kaplan–Meier estimate becomes the binomial share with the same information (its
    effective n, ``F(1 − F) / Var(F)``; for the outcome group, those followed k years), and
    the two are compared with the score interval for a ratio of shares (Miettinen–Nurminen,
    statsmodels), which handles a zero count.
    """
    variance = baseline.estimate**2 * baseline.log_variance
    # Greenwood's variance is 0 when everyone still at risk left (dropout 1): then the
    # baseline carries the information of all its starters.
    information = (
        baseline.estimate * (1 - baseline.estimate) / variance if variance > 0 else math.inf
    )
    n0 = min(float(baseline.n), information)
    n1 = float(outcome.at_risk)
    method = "ratio of kaplan-meier, score bound for no leavers"
    if n1 < 1:
        return Estimate(0.0, 0.0, math.inf, outcome.n + baseline.n, baseline.events, method)
    from statsmodels.stats.proportion import confint_proportions_2indep

    _, high = confint_proportions_2indep(
        0, n1, baseline.estimate * n0, n0, method="score", compare="ratio", alpha=alpha
    )
    return Estimate(0.0, 0.0, float(high), outcome.n + baseline.n, baseline.events, method)


def km_curve(
    durations: np.ndarray, left: np.ndarray, alpha: float = 0.05, at: tuple[float, ...] = ()
) -> pd.DataFrame:
    """Kaplan–Meier retention curve with its pointwise interval, as a tidy table.

    The band is :func:`retention_interval` at each point, the interval of the k-year
    tables; ``at`` adds points (a target's horizon, say) within the follow-up, so that the
    band drawn there is the table's interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``years``, ``estimate``, ``ci_lower``, ``ci_upper`` (share still
        at the school), starting at 0 years with 1.0.

    Examples
    --------
    >>> km_curve(np.array([1.0, 2.0, 2.0]), np.array([True, False, True]))["estimate"].round(3).tolist()
    [1.0, 0.667, 0.333]
    """
    durations = np.asarray(durations, dtype=float)
    if durations.size == 0:
        return pd.DataFrame(columns=["years", "estimate", "ci_lower", "ci_upper"])
    left = np.asarray(left, dtype=bool)
    table = _event_table(durations, left)
    extra = [t for t in at if 0 < t <= durations.max()]
    times = np.union1d(table["times"], extra)
    estimate = table["survival"][np.searchsorted(table["times"], times, side="right") - 1]
    bands = [
        retention_interval(durations, left, t, s, alpha)
        for t, s in zip(times, estimate, strict=True)
    ]
    return pd.DataFrame(
        {
            "years": times,
            "estimate": estimate,
            "ci_lower": [low for low, _ in bands],
            "ci_upper": [high for _, high in bands],
        }
    )


def cumulative_incidence(
    durations: np.ndarray,
    causes: np.ndarray,
    of_interest: set,
    years: float,
    alpha: float = 0.05,
) -> Estimate:
    """Share that left for one of ``of_interest`` causes within ``years``: Aalen–Johansen.

    With competing reasons for leaving (another school, leaving education, retirement), the
    share that left *for one reason* is the cumulative incidence of that reason, not
    "1 minus Kaplan–Meier" with the other reasons censored, and not the share among those
    followed long enough. Ties are handled as they come (no jitter). The variance is the
    delta-method estimator (Marubini & Valsecchi 1995, §10.3); the interval is built on the
    complementary log-log scale, so it stays within 0–1.

    Parameters
    ----------
    durations
        Years from start to leaving, or to the end of follow-up.
    causes
        The reason per person; ``None`` (or NaN) for those still there (censored).
    of_interest
        The reasons that count.

    Examples
    --------
    >>> d = np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 0.5, 2.5])
    >>> c = np.array(["a", "b", None, "a", None, None, "b", None], dtype=object)
    >>> e = cumulative_incidence(d, c, {"a"}, 3)
    >>> round(e.estimate, 3), e.n, e.events
    (0.333, 8, 2)
    """
    durations = np.asarray(durations, dtype=float)
    left = np.array([c is not None and c == c for c in causes], dtype=bool)
    hit = left & np.array([c in of_interest for c in causes], dtype=bool)
    n = len(durations)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0, 0, "aalen-johansen", "persons")
    times = np.unique(durations[left & (durations <= years)])
    survival, incidence = 1.0, 0.0
    steps = []  # (S before, d all, d of interest, n at risk, F after)
    for time in times:
        at_risk = int((durations >= time).sum())
        d_all = int((left & (durations == time)).sum())
        d_hit = int((hit & (durations == time)).sum())
        incidence += survival * d_hit / at_risk
        steps.append((survival, d_all, d_hit, at_risk, incidence))
        survival *= 1 - d_all / at_risk
    events = int((hit & (durations <= years)).sum())
    if events == 0:
        at_risk_k = int((durations >= years).sum())
        upper = 1 - (alpha / 2) ** (1 / at_risk_k) if at_risk_k else 1.0
        return Estimate(0.0, 0.0, upper, n, 0, "aalen-johansen", "persons")
    variance = 0.0
    for s_before, d_all, d_hit, at_risk, f_after in steps:
        gap = incidence - f_after
        if at_risk > d_all:
            variance += gap**2 * d_all / (at_risk * (at_risk - d_all))
        variance += s_before**2 * d_hit * (at_risk - d_hit) / at_risk**3
        variance -= 2 * gap * s_before * d_hit / at_risk**2
    se = math.sqrt(max(variance, 0.0))
    if incidence >= 1 or se == 0:
        return Estimate(incidence, incidence, incidence, n, events, "aalen-johansen", "persons", se)
    scale = math.log(1 - incidence)
    spread = _Z(1 - alpha / 2) * se / abs((1 - incidence) * scale)
    centre = math.log(-scale)
    low, high = (1 - math.exp(-math.exp(centre + sign * spread)) for sign in (-1, 1))
    return Estimate(incidence, low, high, n, events, "aalen-johansen", "persons", se)
