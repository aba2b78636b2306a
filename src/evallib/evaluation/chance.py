"""How sure a status can be at a report's own numbers: the chance of *gehaald*, simulated.

Under each target that rests on an estimate, a report says how likely evallib's rule is to say
*gehaald* if the target is met exactly, and if it is clearly exceeded. Those chances come from a
simulation of the target's own design (:mod:`evallib.evaluation.designs`): the same groups of
the same size (and for starters, each starter's own possible follow-up), new outcomes drawn
with the true value, and the same estimator and decision rule the report used.
``benchmarks/operating_characteristics.py`` runs the same kind of simulation over a grid of
true values (docs/methods.md, "Known error rates").

Chances are worked out only for the targets a report shows (:func:`stated_chances`). Every
draw is seeded from the design and the true value, so a rerun states the same chances, byte
for byte.
"""

from __future__ import annotations

import functools
import math
import zlib

import numpy as np

from evallib.contract.model import Decision
from evallib.evaluation.decision import decide
from evallib.evaluation.designs import Design, Rule, ShareDesign, clip_probability
from evallib.evaluation.evidence import Evidence
from evallib.evaluation.status import Status
from evallib.stats.estimates import Estimate, proportion
from evallib.stats.power import Chances, clearly_met

#: Replications per true value. The Monte-Carlo error of a chance near 50% is then 3.5 points,
#: near 5% 1.5 points; reports round simulated chances to whole percents.
REPS = 200


def status(effect: Estimate | None, target: float, direction: str, rule: Rule) -> Status:
    """The status a report would give this estimate (too few persons or no interval first)."""
    if (
        effect is None
        or effect.n < rule.min_n
        or math.isnan(effect.estimate)
        or math.isnan(effect.ci_lower)
    ):
        return Status.ONVOLDOENDE_GEGEVENS
    return decide(effect, target, direction, Decision(rule=rule.rule, min_n=rule.min_n))[0]


def _seed(design: Design, truth: float) -> list[int]:
    return [zlib.crc32(repr(design).encode()), zlib.crc32(repr(float(truth)).encode())]


@functools.lru_cache(maxsize=128)
def _met_counts(design: ShareDesign, target: float, direction: str) -> np.ndarray:
    """For each count of yes-answers 0 … n, whether the rule says *gehaald*."""
    n = design.n_outcome
    return np.array(
        [
            status(proportion(k, n, design.rule.alpha), target, direction, design.rule)
            is Status.GEHAALD
            for k in range(n + 1)
        ]
    )


@functools.lru_cache(maxsize=512)
def chance_of_met(
    design: Design, target: float, direction: str, truth: float, reps: int = REPS
) -> float:
    """The share of simulated data sets, with the true value ``truth``, that the rule calls
    *gehaald*. A share of one group of persons is enumerated exactly instead.

    Examples
    --------
    >>> d = ShareDesign("share", Rule(), n_outcome=60)
    >>> round(chance_of_met(d, 0.6, "at_least", 0.6), 3), round(chance_of_met(d, 0.6, "at_least", 0.8), 2)
    (0.022, 0.92)
    """
    if isinstance(design, ShareDesign) and design.scale == "share":
        from scipy import stats as sps  # imported where used, as in stats.estimates

        n, met = design.n_outcome, _met_counts(design, target, direction)
        return float(sps.binom.pmf(np.arange(n + 1), n, clip_probability(truth))[met].sum())
    rng = np.random.default_rng(_seed(design, truth))
    drawn = design.draw(truth, reps, rng)
    met = sum(status(e, target, direction, design.rule) is Status.GEHAALD for e in drawn)
    return met / len(drawn)


def chances_of(
    design: Design, kind: str, target: float, direction: str, reps: int = REPS
) -> Chances:
    """:class:`Chances` of *gehaald* at the target exactly and clearly exceeded, simulated.

    Examples
    --------
    >>> d = ShareDesign("share", Rule(), n_outcome=60)
    >>> c = chances_of(d, "share", 0.6, "at_least")
    >>> round(c.exact, 3), round(c.clear, 2), round(c.clear_value, 2)
    (0.022, 1.0, 0.9)
    """
    clear = clearly_met(kind, target, direction)
    return Chances(
        chance_of_met(design, target, direction, target, reps),
        chance_of_met(design, target, direction, clear, reps),
        clear,
        simulated=True,
    )


def stated_chances(evidence: Evidence) -> Chances | None:
    """The chances a report states under a target: simulated from the evidence's design, or,
    for an estimate without one, the normal approximation :func:`~evallib.evaluation.decision.with_power`
    attached (docs/methods.md)."""
    design, effect = evidence.design, evidence.effect
    if (
        design is None
        or evidence.target_value is None
        or evidence.direction is None
        or effect is None
        or math.isnan(effect.ci_lower)
    ):
        return evidence.chances
    groups = [evidence.outcome] + ([evidence.baseline] if design.scale != "share" else [])
    if any(g is not None and g.n < design.rule.min_n for g in groups):
        return None  # too few persons for any status but "onvoldoende gegevens"
    return chances_of(design, evidence.kind, evidence.target_value, evidence.direction)
