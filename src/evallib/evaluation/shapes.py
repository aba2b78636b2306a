"""The six target shapes: how a measure's estimates are held against the plan's numbers.

Each shape asks the target's measure (:mod:`evallib.evaluation.measures`) for what it needs
and turns the finding into a status: estimates through the decision rule
(:func:`evallib.evaluation.decision.judge`), complete counts on the count itself.
"""

from __future__ import annotations

from collections.abc import Callable

from evallib.contract.programme import Target
from evallib.evaluation.decision import Context, judge, result
from evallib.evaluation.evidence import Evidence, MilestoneResult, TargetResult
from evallib.evaluation.measures import ESTIMATORS
from evallib.evaluation.scopes import baseline_span, outcome_span
from evallib.evaluation.status import Status


def _relative_change(target: Target, ctx: Context) -> TargetResult:
    finding = ESTIMATORS[target.measure.name].change(
        target,
        ctx,
        baseline_span(target, ctx.programme),
        outcome_span(target, ctx.programme),
        "ratio",
    )
    return judge(target, ctx, finding)


def _pp_change(target: Target, ctx: Context) -> TargetResult:
    finding = ESTIMATORS[target.measure.name].change(
        target, ctx, target.from_, target.to, "difference"
    )
    return judge(target, ctx, finding)


def _threshold(target: Target, ctx: Context) -> TargetResult:
    finding = ESTIMATORS[target.measure.name].level(target, ctx, target.year)
    if target.year.end > ctx.reference_date:  # the year has not ended: part of it is measured
        return result(
            target,
            ctx,
            Status.NOG_NIET_MEETBAAR,
            "reason.year_not_ended",
            finding.evidence,
            year=target.year.label,
        )
    return judge(target, ctx, finding)


def _distribution(target: Target, ctx: Context) -> TargetResult:
    finding = ESTIMATORS[target.measure.name].category(
        target, ctx, baseline_span(target, ctx.programme), outcome_span(target, ctx.programme)
    )
    return judge(target, ctx, finding)


def _count_range(target: Target, ctx: Context) -> TargetResult:
    estimator = ESTIMATORS[target.measure.name]
    results = tuple(
        MilestoneResult(
            ms.year.year,
            estimator.count(target, ctx, ms.year),
            ms.min,
            ms.max,
            ms.year.end <= ctx.reference_date,
            ms.year,
        )
        for ms in target.milestones
    )
    evidence = Evidence("count", milestones=results)
    due = [r for r in results if r.due]
    if not due:
        return result(
            target, ctx, Status.NOG_NIET_MEETBAAR, "reason.not_due", evidence, year=results[0].label
        )
    last = due[-1]
    values = {
        "year": last.label,
        "count": last.count,
        "plan": last,  # a milestone: each report writes its plan in its own language
        "role": _people(target, ctx),
    }
    if not last.met:
        return result(
            target, ctx, Status.NIET_GEHAALD, "reason.milestone_missed", evidence, **values
        )
    if last.min is None and last.above:  # a plan of at most N, exceeded
        return result(
            target, ctx, Status.NIET_GEHAALD, "reason.milestone_exceeded", evidence, **values
        )
    reason = "reason.milestone_above" if last.above else "reason.milestone_met"
    final = last is results[-1]
    return result(
        target, ctx, Status.GEHAALD if final else Status.OP_KOERS, reason, evidence, **values
    )


def _go_no_go(target: Target, ctx: Context) -> TargetResult:
    count = ESTIMATORS[target.measure.name].count(target, ctx, target.year)
    due = (target.by or target.year.end) <= ctx.reference_date
    evidence = Evidence(
        "count",
        milestones=(
            MilestoneResult(target.year.year, count, target.at_least, None, due, target.year),
        ),
    )
    if not due:  # the decision is not due yet: a count so far decides nothing
        return result(
            target,
            ctx,
            Status.NOG_NIET_MEETBAAR,
            "reason.not_due",
            evidence,
            year=target.year.label,
        )
    met = count >= target.at_least
    # a decision on who was selected is a go/no-go; a minimum of people in a role is not
    if target.measure.name == "selected":
        reason = "reason.go" if met else "reason.no_go"
    else:
        reason = "reason.minimum_met" if met else "reason.minimum_missed"
    words = _people(target, ctx)
    return result(
        target,
        ctx,
        Status.GEHAALD if met else Status.NIET_GEHAALD,
        reason,
        evidence,
        count=count,
        minimum=f"{target.at_least:g}",
        role=words,
    )


def _people(target: Target, ctx: Context) -> str:
    """Who a count counts, in the programme's words (its role), or its indicator's unit."""
    role = ctx.programme.role_of(target)
    if role is not None:
        return ctx.programme.project(role[0]).role_label(role[1], ctx.lang)
    if target.measure.name == "indicator":
        return ctx.programme.indicator(target.measure.indicator).unit
    return ""


SHAPES: dict[str, Callable[[Target, Context], TargetResult]] = {
    "relative_change": _relative_change,
    "pp_change": _pp_change,
    "threshold": _threshold,
    "distribution": _distribution,
    "count_range": _count_range,
    "go_no_go": _go_no_go,
}
