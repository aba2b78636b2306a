"""Randomisation inference over schools: how unusual is the observed difference-in-differences
among all the ways the schools could have been split into participants and comparison?

With few schools a p-value from a model leans on assumptions the data cannot check. Treating
the schools that took part as one of all possible assignments of the same number of schools
gives an exact test that needs none of them, and shows plainly how small a p-value *can* be:
with 6 schools of which 4 took part there are 15 assignments, so no p-value below 1/15.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Randomisation:
    """A randomisation p-value and what the design allows."""

    p_value: float
    #: How many assignments were compared (all of them, or a random sample of them).
    assignments: int
    #: How many assignments of the schools exist.
    possible: int

    @property
    def smallest_p(self) -> float:
        """The smallest p-value this design can give: 1 over the number of assignments."""
        return 1 / self.possible

    @property
    def exact(self) -> bool:
        return self.assignments == self.possible


def randomisation_test(
    schools: list[str],
    treated: set[str],
    statistic: Callable[[set[str]], float],
    limit: int = 1000,
    seed: int = 0,
) -> Randomisation:
    """Two-sided randomisation p-value of ``statistic`` over assignments of the schools.

    Every assignment of ``len(treated)`` of ``schools`` to the programme is scored with
    ``statistic``; the p-value is the share scoring at least as far from zero as the real
    assignment. Above ``limit`` assignments, a seeded random sample of them (with the real
    one) is used.

    Examples
    --------
    >>> effect = {"A": 1.0, "B": 0.9, "C": 0.1, "D": 0.0}
    >>> r = randomisation_test(list(effect), {"A", "B"}, lambda t: sum(effect[s] for s in t) - 1.0)
    >>> r.p_value, r.possible, round(r.smallest_p, 3)
    (0.3333333333333333, 6, 0.167)
    >>> math.isnan(randomisation_test(list(effect), {"A", "B"}, lambda t: math.nan).p_value)
    True
    """
    k = len(treated)
    possible = math.comb(len(schools), k)
    if possible <= limit:
        assignments = [set(c) for c in itertools.combinations(sorted(schools), k)]
    else:
        rng = np.random.default_rng(seed)
        assignments = [set(treated)] + [
            set(rng.choice(sorted(schools), k, replace=False).tolist()) for _ in range(limit - 1)
        ]
    observed = abs(statistic(set(treated)))
    if math.isnan(observed):  # the real assignment has no estimate: nothing to compare
        return Randomisation(math.nan, len(assignments), possible)
    scores = np.array([abs(statistic(a)) for a in assignments])
    scores = scores[~np.isnan(scores)]
    p = float((scores >= observed - 1e-12).mean()) if scores.size else math.nan
    return Randomisation(p, len(assignments), possible)
