"""Empirical-Bayes estimates: each school's estimate shrunk towards what the schools share.

A small school's ratio is uncertain, and among many schools the extreme ones are mostly
noise. The random-effects model says each school's true log ratio comes from one
distribution across schools, N(μ, τ²); each observed log ratio adds its own sampling
variance v. τ² is estimated by DerSimonian–Laird and μ as the random-effects mean
(statsmodels' ``combine_effects``). A school's posterior mean is
``μ + B (x − μ)`` with ``B = τ² / (τ² + v)``: a precise school keeps its own estimate, an
imprecise one moves towards μ. Reports show it beside the raw estimate; statuses stay on
the raw one (``docs/methods.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def shrunk_log_effects(effects: Sequence[float], variances: Sequence[float]) -> np.ndarray:
    """Posterior means of per-school effects (e.g. log ratios) under a random-effects model.

    Parameters
    ----------
    effects
        Each school's estimate on a scale where it is about normal (log ratio).
    variances
        Their sampling variances.

    Returns
    -------
    numpy.ndarray
        The shrunk effects, in the same order; with fewer than two schools, the effects as
        given (there is nothing to learn across schools).

    Examples
    --------
    A precise school barely moves, an imprecise one moves most of the way to the mean:

    >>> shrunk = shrunk_log_effects([0.0, -0.2, -1.5], [0.01, 0.02, 1.0])
    >>> [round(float(x), 2) for x in shrunk]
    [-0.04, -0.15, -0.14]
    """
    x = np.asarray(effects, dtype=float)
    v = np.asarray(variances, dtype=float)
    if len(x) < 2:
        return x.copy()
    from statsmodels.stats.meta_analysis import combine_effects

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # its unused I² etc.
        combined = combine_effects(x, v, method_re="dl")
    tau2 = float(combined.tau2)
    if not tau2 > 0:
        # No spread beyond sampling error. statsmodels does not truncate its estimate at 0,
        # and its random-effects mean then uses the negative value: the fixed-effect mean.
        return np.full_like(x, float(combined.mean_effect_fe))
    mu = float(combined.mean_effect_re)
    return mu + tau2 / (tau2 + v) * (x - mu)


def shrunk_ratios(ratios: Sequence[float], log_variances: Sequence[float]) -> list[float]:
    """:func:`shrunk_log_effects` for ratios: on the log scale, back as ratios; NaN stays NaN.

    Examples
    --------
    >>> [round(r, 2) for r in shrunk_ratios([1.0, 0.8, 0.2, math.nan], [0.01, 0.02, 1.0, 0.1])]
    [0.97, 0.83, 0.84, nan]
    """
    usable = [
        i
        for i, (r, v) in enumerate(zip(ratios, log_variances, strict=True))
        if r > 0 and math.isfinite(r) and math.isfinite(v)
    ]
    shrunk = shrunk_log_effects(
        [math.log(ratios[i]) for i in usable], [log_variances[i] for i in usable]
    )
    out = [math.nan] * len(ratios)
    for i, value in zip(usable, shrunk, strict=True):
        out[i] = math.exp(value)
    return out
