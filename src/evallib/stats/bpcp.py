"""The mid-p beta product confidence procedure for a survival curve at one time.

The interval of every k-year dropout and of the retention curves' bands
(:mod:`evallib.stats.survival`).
"""

from __future__ import annotations

import numpy as np


def bpcp_interval(
    durations: np.ndarray, left: np.ndarray, years: float, alpha: float = 0.05
) -> tuple[float, float]:
    """Mid-p beta product confidence interval for the share still there at ``years``.

    Fay, Brittain & Proschan (2013), *Pointwise confidence intervals for a survival
    distribution with small samples or heavy censoring*, Biostatistics 14: 723–736; the
    method-of-moments version of R's ``bpcp(..., midp = TRUE)``. Each leaving time ``t`` with
    ``d`` leavers among ``n`` at risk contributes a factor ``Beta(n − d + 1, d)``; the upper
    confidence distribution is their product. Between leaving times the curve is flat, but
    the share still there may have fallen unseen: the lower confidence distribution adds the
    factor ``Beta(m, 1)`` for the ``m`` still at risk at ``years`` (the exact bound for "no
    leaver among m"), unless someone left at exactly ``years``. A product of betas is
    matched by one beta with the same two moments. The interval's bounds are the α/2 and
    1 − α/2 quantiles of the equal mixture of the two confidence distributions (mid-p).
    Without censoring it is the mid-p binomial interval; with few at risk at ``years`` it is
    wide where Greenwood's variance is not.

    Parameters
    ----------
    durations
        Years from start to leaving, or to the end of follow-up for those still there.
    left
        ``True`` where leaving was observed.
    years
        The horizon k.
    alpha
        1 − confidence level.

    Returns
    -------
    tuple of float
        Lower and upper bound for the share still there (1 − dropout).

    Examples
    --------
    5 of 20 left in the first 5 years, the other 15 followed for 20: the mid-p binomial
    interval for 15 of 20.

    >>> left = np.arange(20) < 5
    >>> [round(b, 3) for b in bpcp_interval(np.r_[1.0:6.0, [20.0] * 15], left, 10)]
    [0.53, 0.902]

    The same leavers, but 12 of the others followed only 6.5 years: 3 are still at risk at
    10 years, and the lower bound falls (Greenwood's variance is the same for both).

    >>> [round(b, 3) for b in bpcp_interval(np.r_[1.0:6.0, [6.5] * 12, [20.0] * 3], left, 10)]
    [0.292, 0.902]
    """
    from scipy.optimize import brentq
    from scipy.special import betainc

    durations = np.asarray(durations, dtype=float)
    left = np.asarray(left, dtype=bool)
    times, deaths = np.unique(durations[left & (durations <= years)], return_counts=True)
    at_risk = (durations[None, :] >= times[:, None]).sum(axis=1).astype(float)
    a, b = at_risk - deaths + 1.0, deaths.astype(float)
    mean = float(np.prod(a / (a + b)))
    second = float(np.prod(a * (a + 1) / ((a + b) * (a + b + 1))))
    upper = _beta_moments(mean, second) if len(times) else None  # None: all mass at 1
    followed = float((durations >= years).sum())
    if len(times) and times[-1] == years:
        lower = upper
    elif followed == 0:
        lower = "zero"  # no one left to see: all mass at 0
    else:
        lower = _beta_moments(mean * followed / (followed + 1), second * followed / (followed + 2))

    def cdf(q: float) -> float:
        low = 1.0 if lower == "zero" else (1.0 if lower is None else betainc(*lower, q))
        high = (1.0 if q >= 1 else 0.0) if upper is None else betainc(*upper, q)
        return 0.5 * float(low) + 0.5 * float(high)

    def quantile(p: float) -> float:
        if cdf(0.0) >= p:
            return 0.0
        if cdf(1.0 - 1e-12) < p:
            return 1.0
        return float(brentq(lambda q: cdf(q) - p, 0.0, 1.0, xtol=1e-10))

    return quantile(alpha / 2), quantile(1 - alpha / 2)


def _beta_moments(mean: float, second: float) -> tuple[float, float]:
    """Beta parameters with the given mean and second moment (method of moments)."""
    spread = second - mean**2
    return (mean - second) * mean / spread, (mean - second) * (1 - mean) / spread
