"""Empirical-Bayes shrinkage of per-school ratios (issue 12, point 5)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.meta_analysis import combine_effects

from evallib.stats.shrinkage import shrunk_log_effects

schools = st.lists(st.tuples(st.floats(-3, 3), st.floats(0.001, 5)), min_size=2, max_size=30)


@given(schools)
@settings(max_examples=200, deadline=None)
def test_each_school_moves_towards_the_shared_mean_and_no_further(data: list) -> None:
    x = np.array([e for e, _ in data])
    v = np.array([w for _, w in data])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        combined = combine_effects(x, v, method_re="dl")
    mu = combined.mean_effect_re if combined.tau2 > 0 else combined.mean_effect_fe
    shrunk = shrunk_log_effects(x, v)
    low, high = np.minimum(x, mu), np.maximum(x, mu)
    assert ((low - 1e-9 <= shrunk) & (shrunk <= high + 1e-9)).all()


def test_the_less_certain_school_moves_more() -> None:
    shrunk = shrunk_log_effects([0.5, 0.5, -0.5, -0.5], [0.01, 1.0, 0.01, 1.0])
    assert abs(shrunk[0] - 0.5) < abs(shrunk[1] - 0.5)
    assert abs(shrunk[2] + 0.5) < abs(shrunk[3] + 0.5)


def test_schools_that_agree_are_all_the_shared_mean() -> None:
    # No spread beyond sampling error: tau2 = 0, every school gets the pooled estimate.
    shrunk = shrunk_log_effects([0.1, -0.1, 0.05], [1.0, 1.0, 1.0])
    assert np.allclose(shrunk, shrunk[0]) and abs(shrunk[0] - 0.05 / 3) < 1e-12
