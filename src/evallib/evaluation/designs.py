"""Designs: how to draw a target's data again, for the simulated chance of *gehaald*.

A measure knows how its numbers came about: which groups, how many persons, and for starters
how long each could be followed. It records that as a :class:`Design` on the evidence, with
the nuisance values the data give (the nulmeting's level, how alike team members are). A
design draws new data sets with a chosen true value and applies the measure's own estimator
(:mod:`evallib.evaluation.chance` turns those into the chance a report states).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evallib.contract.model import Decision
from evallib.stats.dropout_difference import dropout_difference
from evallib.stats.estimates import (
    Estimate,
    independent_difference,
    independent_ratio,
    proportion,
    proportion_difference,
    proportion_ratio,
    rate_ratio,
    ratio_of_sums,
)
from evallib.stats.survival import cumulative_incidence, dropout_ratio, km_dropout


@dataclass(frozen=True)
class Rule:
    """The parts of the programme's decision rule a simulated status needs."""

    confidence: float = 0.95
    min_n: int = 10
    rule: str = "interval"

    @classmethod
    def of(cls, decision: Decision) -> Rule:
        """The programme's rule, as a design keeps it (hashable, so chances can be cached)."""
        return cls(decision.confidence, decision.min_n, decision.rule)

    @property
    def alpha(self) -> float:
        return 1 - self.confidence


@dataclass(frozen=True)
class Design:
    """How to draw a target's data again: subclasses hold the groups and the nuisance values.

    ``scale`` is what the evidence compares: ``"ratio"`` or ``"difference"`` of two groups, or
    ``"share"``, one group's level. :meth:`draw` gives ``reps`` estimates with the true value
    ``truth`` on that scale.
    """

    scale: str
    rule: Rule

    def draw(self, truth: float, reps: int, rng: np.random.Generator) -> list[Estimate]:
        raise NotImplementedError

    def outcome_level(self, truth: float, baseline: float) -> float:
        """The outcome group's level when the truth on this design's scale is ``truth``."""
        if self.scale == "ratio":
            return truth * baseline
        if self.scale == "difference":
            return baseline + truth
        return truth


def clip_probability(p: float) -> float:
    """``p`` kept strictly between 0 and 1, so that any true value can be drawn."""
    return min(max(p, 1e-9), 1 - 1e-9)


def _leaving(
    follow_up: np.ndarray, dropout: float, years: float, reps: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Years followed and leaving, for persons with constant hazard and a k-year ``dropout``."""
    hazard = -math.log1p(-clip_probability(dropout)) / years
    time = rng.exponential(1.0 / hazard, (reps, follow_up.size))
    left = time <= follow_up
    return np.where(left, time, follow_up), left


@dataclass(frozen=True)
class StarterDesign(Design):
    """Starters with the years each could be followed (to the reference date, or for a
    nulmeting cohort to the day before the programme); the nulmeting's k-year dropout.

    Examples
    --------
    >>> d = StarterDesign("ratio", Rule(), (3.0,) * 40, (3.0,) * 80, level=0.3, years=3)
    >>> drawn = d.draw(0.5, reps=2, rng=np.random.default_rng(0))
    >>> len(drawn), drawn[0].method
    (2, 'ratio of kaplan-meier, log delta')
    """

    baseline: tuple[float, ...] = ()
    outcome: tuple[float, ...] = ()
    level: float = math.nan
    years: int = 3

    def draw(self, truth: float, reps: int, rng: np.random.Generator) -> list[Estimate]:
        alpha = self.rule.alpha
        p1 = self.outcome_level(truth, self.level)
        y1, x1 = _leaving(np.asarray(self.outcome), p1, self.years, reps, rng)
        if self.scale == "share":
            return [km_dropout(y, x, self.years, alpha) for y, x in zip(y1, x1, strict=True)]
        y0, x0 = _leaving(np.asarray(self.baseline), self.level, self.years, reps, rng)
        out = []
        for a, b, c, d in zip(y0, x0, y1, x1, strict=True):
            base, prog = km_dropout(a, b, self.years, alpha), km_dropout(c, d, self.years, alpha)
            out.append(
                dropout_ratio(prog, base, alpha)
                if self.scale == "ratio"
                else dropout_difference(prog, base, alpha)
            )
        return out


@dataclass(frozen=True)
class DestinationDesign(Design):
    """Where starters are after k years (Aalen–Johansen): the share of the target's outcome,
    with leaving for other reasons (``other``, its observed k-year incidence) competing.

    ``complement``: the target's outcome includes staying, so its share is one minus the
    incidence of the reasons outside it; the truth is then that share."""

    outcome: tuple[float, ...] = ()
    other: float = 0.0
    years: int = 3
    complement: bool = False

    def draw(self, truth: float, reps: int, rng: np.random.Generator) -> list[Estimate]:
        share = 1 - truth if self.complement else truth
        total = clip_probability(share + self.other)
        follow_up = np.asarray(self.outcome)
        y, left = _leaving(follow_up, total, self.years, reps, rng)
        ours = rng.random(left.shape) < share / total
        out = []
        for years, x, mine in zip(y, left, ours, strict=True):
            causes = np.where(x, np.where(mine, "target", "other"), None).astype(object)
            found = cumulative_incidence(years, causes, {"target"}, self.years, self.rule.alpha)
            if self.complement:
                found = Estimate(
                    1 - found.estimate, 1 - found.ci_upper, 1 - found.ci_lower, found.n
                )
            out.append(found)
        return out


@dataclass(frozen=True)
class ShareDesign(Design):
    """Persons answering yes or no (survey answers, an indicator with its n): binomial.

    Examples
    --------
    >>> d = ShareDesign("difference", Rule(), n_baseline=60, n_outcome=60, level=0.5)
    >>> [round(e.estimate, 2) for e in d.draw(0.1, reps=3, rng=np.random.default_rng(0))]
    [0.22, 0.08, 0.13]
    """

    n_baseline: int = 0
    n_outcome: int = 0
    level: float = math.nan

    def draw(self, truth: float, reps: int, rng: np.random.Generator) -> list[Estimate]:
        alpha = self.rule.alpha
        p1 = clip_probability(self.outcome_level(truth, self.level))
        k1 = rng.binomial(self.n_outcome, p1, reps)
        if self.scale == "share":
            return [proportion(int(k), self.n_outcome, alpha) for k in k1]
        k0 = rng.binomial(self.n_baseline, clip_probability(self.level), reps)
        compare = proportion_ratio if self.scale == "ratio" else proportion_difference
        return [
            compare(int(b), self.n_outcome, int(a), self.n_baseline, alpha)
            for a, b in zip(k0, k1, strict=True)
        ]


@dataclass(frozen=True)
class TeamDesign(Design):
    """Teams with their teaching hours; each member's digital share is Beta-distributed around
    the team's share, as spread as the observed members' shares (``concentration``)."""

    baseline: tuple[float, ...] = ()
    outcome: tuple[float, ...] = ()
    level: float = math.nan
    concentration: float = 20.0

    def _team(self, hours: tuple[float, ...], share: float, reps: int, rng) -> list[Estimate]:
        total = np.asarray(hours)
        mu, c = clip_probability(share), self.concentration
        digital = rng.beta(mu * c, (1 - mu) * c, (reps, total.size)) * total
        return [ratio_of_sums(d, total, self.rule.alpha) for d in digital]

    def draw(self, truth: float, reps: int, rng: np.random.Generator) -> list[Estimate]:
        out = self._team(self.outcome, self.outcome_level(truth, self.level), reps, rng)
        if self.scale == "share":
            return out
        base = self._team(self.baseline, self.level, reps, rng)
        compare = independent_ratio if self.scale == "ratio" else independent_difference
        return [compare(o, b, self.rule.alpha) for o, b in zip(out, base, strict=True)]


@dataclass(frozen=True)
class RateDesign(Design):
    """Leaving per teacher-year: teacher-years of both groups, the baseline's yearly rate."""

    years_baseline: int = 0
    years_outcome: int = 0
    level: float = math.nan
    persons: int = 0

    def draw(self, truth: float, reps: int, rng: np.random.Generator) -> list[Estimate]:
        e0 = rng.binomial(self.years_baseline, clip_probability(self.level), reps)
        e1 = rng.binomial(self.years_outcome, clip_probability(truth * self.level), reps)
        found: dict[tuple[int, int], Estimate] = {}  # the exact interval is slow; pairs repeat
        for pair in zip(e0.tolist(), e1.tolist(), strict=True):
            if pair not in found:
                found[pair] = rate_ratio(
                    pair[1],
                    self.years_outcome,
                    pair[0],
                    self.years_baseline,
                    self.persons,
                    self.rule.alpha,
                )
        return [found[pair] for pair in zip(e0.tolist(), e1.tolist(), strict=True)]


def concentration(shares: np.ndarray) -> float:
    """How alike the members' shares are: ``c`` of a Beta(μc, (1 − μ)c) with their mean and
    variance (method of moments), between 2 and 1,000.

    Examples
    --------
    >>> round(concentration(np.array([0.1, 0.2, 0.0, 0.3, 0.15])), 1)
    9.2
    """
    shares = np.asarray(shares, dtype=float)
    shares = shares[np.isfinite(shares)]
    if shares.size < 2:
        return 20.0
    mean, variance = float(shares.mean()), float(shares.var(ddof=1))
    if variance <= 0 or not 0 < mean < 1:
        return 1000.0
    return float(min(max(mean * (1 - mean) / variance - 1, 2.0), 1000.0))
