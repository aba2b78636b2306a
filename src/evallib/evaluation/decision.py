"""The decision rule: how an estimate and its interval become a status.

The rule (``decision`` in the programme file) is documented in ``docs/methods.md``:

* fewer than ``min_n`` persons in a group: *onvoldoende gegevens*;
* rule ``interval`` (default): *gehaald* when the estimate meets the target and, for a change,
  its interval excludes "no change"; *niet gehaald* when the whole interval lies on the wrong
  side of the target; otherwise *onvoldoende gegevens* (the data cannot decide);
* rule ``point``: the estimate alone decides.

Counts (participants, duos) are complete counts, not samples: they are decided by
:mod:`evallib.evaluation.shapes` on the count itself.
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
from evallib.stats.power import difference_power, ratio_power, threshold_power


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
    effect: Estimate, target: float, direction: str, null: float | None, rule: DecisionRule
) -> tuple[Status, str]:
    """Map an estimate and its interval to a status (see the module docstring).

    Examples
    --------
    >>> rule = DecisionRule()
    >>> decide(Estimate(0.45, 0.25, 0.80, 90), 0.5, "at_most", 1.0, rule)
    (<Status.GEHAALD: 'gehaald'>, 'reason.met_significant')
    >>> decide(Estimate(0.45, 0.20, 1.10, 90), 0.5, "at_most", 1.0, rule)[0].value
    'onvoldoende_gegevens'
    >>> decide(Estimate(0.90, 0.60, 1.30, 90), 0.5, "at_most", 1.0, rule)[0].value
    'niet_gehaald'
    """

    def good(x: float) -> bool:
        return x >= target if direction == "at_least" else x <= target

    if rule.rule == "point":
        return (
            (Status.GEHAALD, "reason.met")
            if good(effect.estimate)
            else (Status.NIET_GEHAALD, "reason.not_met_point")
        )
    favourable = effect.ci_upper if direction == "at_least" else effect.ci_lower
    unfavourable = effect.ci_lower if direction == "at_least" else effect.ci_upper
    if good(effect.estimate):
        if null is None:
            return Status.GEHAALD, "reason.met"
        if (unfavourable > null) if direction == "at_least" else (unfavourable < null):
            return Status.GEHAALD, "reason.met_significant"
        return Status.ONVOLDOENDE_GEGEVENS, "reason.not_significant"
    if not good(favourable):
        return Status.NIET_GEHAALD, "reason.not_met_interval"
    return Status.ONVOLDOENDE_GEGEVENS, "reason.undecided"


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
    """Attach how much this n can show: power at the target and the smallest detectable effect."""
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
    status, reason = decide(
        effect, evidence.target_value, evidence.direction, evidence.null_value, ctx.rule
    )
    return result(target, ctx, status, reason, evidence)
