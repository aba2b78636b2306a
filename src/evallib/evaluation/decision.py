"""The decision rule: how an estimate and its interval become a status.

One rule for every shape, the same way above and below the target (documented in
``docs/methods.md``). It compares the 95% interval with the *target value*:

* *gehaald*: the target is met by every value in the interval (it lies wholly on the right
  side; a bound exactly at an "at least" or "at most" target meets it);
* *niet gehaald*: the target is met by no value in the interval (wholly on the wrong side);
* *niet zeker*: met by some values and not by others: the interval contains the target; the
  reason says on which side the estimate lies;
* *onvoldoende gegevens*: only when a group has fewer than ``min_n`` persons, or there is
  no estimate at all.

With the target exactly met, a 95% interval lies wholly on one side with probability about
2.5% each way: *gehaald* and *niet gehaald* are each claimed wrongly at most that often
(``benchmarks/operating_characteristics.py`` measures it per shape). Rule ``point`` decides
on the estimate alone. Complete counts (participants, go/no-go) are decided on the count by
:mod:`evallib.evaluation.shapes`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from evallib.contract.programme import DecisionRule, Programme, Target
from evallib.core.text import t
from evallib.evaluation.dataset import Dataset
from evallib.evaluation.evidence import Evidence, Finding, Scope, TargetResult
from evallib.evaluation.status import Status
from evallib.stats.estimates import Estimate
from evallib.stats.power import chances, difference_power, ratio_power, threshold_power


@dataclass(frozen=True)
class Context:
    """What evaluating one target in one scope needs: the programme, the scope's data, the language."""

    programme: Programme
    data: Dataset
    scope: Scope
    lang: str = "nl"

    @property
    def rule(self) -> DecisionRule:
        return self.programme.decision

    @property
    def alpha(self) -> float:
        return 1 - self.rule.confidence

    @property
    def reference_date(self) -> dt.date:
        return self.programme.reference_date

    @property
    def k(self) -> int:
        return self.programme.min_group


def decide(
    effect: Estimate, target: float, direction: str, rule: DecisionRule
) -> tuple[Status, str]:
    """Map an estimate and its interval to a status (see the module docstring).

    Examples
    --------
    >>> rule = DecisionRule()
    >>> decide(Estimate(0.40, 0.25, 0.50, 90), 0.5, "at_most", rule)
    (<Status.GEHAALD: 'gehaald'>, 'reason.met_interval')
    >>> decide(Estimate(0.45, 0.20, 1.10, 90), 0.5, "at_most", rule)
    (<Status.NIET_ZEKER: 'niet_zeker'>, 'reason.uncertain_good')
    >>> decide(Estimate(0.128, 0.089, 0.181, 90), 0.10, "at_least", rule)[0] is decide(
    ...     Estimate(0.072, 0.048, 0.105, 90), 0.10, "at_least", rule)[0]
    True
    >>> decide(Estimate(0.90, 0.60, 1.30, 90), 0.5, "at_most", rule)[0].value
    'niet_gehaald'
    """
    above = direction == "at_least"

    def good(x: float) -> bool:
        return x >= target if above else x <= target

    if rule.rule == "point":
        if good(effect.estimate):
            return Status.GEHAALD, "reason.met"
        return Status.NIET_GEHAALD, "reason.not_met_point"
    near, far = (effect.ci_lower, effect.ci_upper) if above else (effect.ci_upper, effect.ci_lower)
    # "met" holds for every value in the interval, for none, or for some: one rule both ways
    if good(near):
        return Status.GEHAALD, "reason.met_interval"
    if not good(far):
        return Status.NIET_GEHAALD, "reason.not_met_interval"
    return Status.NIET_ZEKER, "reason.uncertain_good" if good(
        effect.estimate
    ) else "reason.uncertain_bad"


def result(
    target: Target, ctx: Context, status: Status, reason: str, evidence: Evidence, **values: object
) -> TargetResult:
    return TargetResult(target, ctx.scope, status, reason, values, evidence)


def too_few(target: Target, ctx: Context, evidence: Evidence) -> TargetResult | None:
    """*onvoldoende gegevens* when a group the decision rests on has fewer than ``min_n`` persons."""
    # A comparison needs both groups; for a share against a threshold the baseline is context only.
    groups = [("group.outcome", evidence.outcome)]
    if evidence.kind in ("ratio", "difference"):
        groups.insert(0, ("group.baseline", evidence.baseline))
    for key, estimate in groups:
        if estimate is not None and estimate.n < ctx.rule.min_n:
            return result(
                target,
                ctx,
                Status.ONVOLDOENDE_GEGEVENS,
                "reason.too_few",
                evidence,
                group=t(key, ctx.lang),
                n=estimate.n,
                min_n=ctx.rule.min_n,
            )
    return None


def with_power(evidence: Evidence, alpha: float) -> Evidence:
    """Attach how sure a status can be at this n: the chance of *gehaald* at the target
    exactly and clearly exceeded, and the power and smallest detectable effect."""
    effect = evidence.effect
    if (
        evidence.chances is None
        and effect is not None
        and evidence.kind in ("ratio", "difference", "share")
        and evidence.target_value is not None
        and not math.isnan(effect.ci_lower)
    ):
        evidence = replace(
            evidence,
            chances=chances(
                effect, evidence.kind, evidence.target_value, evidence.direction, alpha
            ),
        )
    base, out, value = evidence.baseline, evidence.outcome, evidence.target_value
    if evidence.power is not None or out is None or value is None or not out.estimable:
        return evidence
    if evidence.kind == "ratio" and base is not None and base.estimable:
        check = ratio_power(base, out, value, alpha)
    elif evidence.kind == "difference" and base is not None and base.estimable:
        check = difference_power(base, out, value, alpha)
    elif (
        evidence.kind == "share"
        and evidence.effect is not None
        and not math.isnan(evidence.effect.ci_lower)
    ):
        check = threshold_power(evidence.effect, alpha)
    else:
        return evidence
    return replace(evidence, power=check)


def judge(target: Target, ctx: Context, finding: Finding) -> TargetResult:
    """The status of a measured target: the finding's own status, or the decision rule's."""
    if finding.status is not None:
        return result(
            target, ctx, finding.status, finding.reason, finding.evidence, **finding.values
        )
    evidence = with_power(finding.evidence, ctx.alpha)
    few = too_few(target, ctx, evidence)
    if few:
        return few
    effect = evidence.effect
    if effect is None or not effect.estimable or math.isnan(effect.ci_lower):
        detail = t(
            "wording.evidence.no_baseline_dropout"
            if evidence.kind == "ratio"
            else "wording.evidence.too_little_variation",
            ctx.lang,
        )
        return result(
            target,
            ctx,
            Status.ONVOLDOENDE_GEGEVENS,
            "reason.not_estimable",
            evidence,
            detail=detail,
        )
    status, reason = decide(effect, evidence.target_value, evidence.direction, ctx.rule)
    return result(target, ctx, status, reason, evidence)
