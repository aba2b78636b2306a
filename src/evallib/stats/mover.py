"""Differences of two independent estimates from their own intervals (MOVER).

The *method of variance estimates recovery* (Zou & Donner 2008; Newcombe's hybrid interval
for two shares is the same idea with Wilson intervals) builds the interval of a difference
from each estimate's own bounds, so skewness and a bound at 0 carry over. The difference of
two k-year dropouts uses it where a group has no leaver (its exact upper bound then carries
over, :mod:`evallib.stats.dropout_difference`). MOVER of the two groups' BPCP intervals was
that difference's interval until it covered 99.6% at school size (docs/methods.md).
"""

from __future__ import annotations

import math

from evallib.stats.estimates import Estimate


def mover_difference(outcome: Estimate, baseline: Estimate) -> Estimate:
    """Outcome minus baseline, with the MOVER interval from the two estimates' own intervals.

    ``lower = d − sqrt((x₁ − l₁)² + (u₀ − x₀)²)``, ``upper = d + sqrt((u₁ − x₁)² + (x₀ − l₀)²)``
    for estimates ``x`` with intervals ``(l, u)`` at the same confidence level.

    Examples
    --------
    >>> a, b = Estimate(0.15, 0.09, 0.24, 233), Estimate(0.32, 0.24, 0.42, 97)
    >>> e = mover_difference(a, b)
    >>> round(e.estimate, 2), round(e.ci_lower, 3), round(e.ci_upper, 3), e.n
    (-0.17, -0.287, -0.05, 330)
    >>> math.isnan(mover_difference(a, Estimate(0.3, math.nan, math.nan, 5)).ci_lower)
    True
    """
    n = outcome.n + baseline.n
    estimate = outcome.estimate - baseline.estimate
    events = None if outcome.events is None or baseline.events is None else (
        outcome.events + baseline.events
    )  # fmt: skip
    bounds = (outcome.ci_lower, outcome.ci_upper, baseline.ci_lower, baseline.ci_upper)
    if not all(math.isfinite(x) for x in (estimate, *bounds)):
        return Estimate(estimate, math.nan, math.nan, n, events, "difference, mover")
    l1, u1, l0, u0 = bounds
    x1, x0 = outcome.estimate, baseline.estimate
    low = estimate - math.hypot(x1 - l1, u0 - x0)
    high = estimate + math.hypot(u1 - x1, x0 - l0)
    return Estimate(estimate, float(low), float(high), n, events, "difference, mover")
