"""Starting teachers: k-year dropout (Kaplan–Meier) and where they are after k years."""

from __future__ import annotations

import math

from evallib.contract.measures import STARTER_OUTCOMES
from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.core.text import t
from evallib.evaluation import tables
from evallib.evaluation.decision import Context, too_few
from evallib.evaluation.designs import DestinationDesign, Rule, StarterDesign
from evallib.evaluation.evidence import Evidence, Finding
from evallib.evaluation.measures.base import Estimator, Span, register, span_label, years_of
from evallib.evaluation.published import mark_share
from evallib.evaluation.starters import starter_leavers, starter_outcome_population
from evallib.evaluation.status import Status
from evallib.evaluation.tables import outcome_share
from evallib.stats.dropout_difference import dropout_difference
from evallib.stats.survival import Dropout, dropout_ratio, km_dropout

STAYED = STARTER_OUTCOMES[0]  # "nog op school"


def spells(ctx: Context):
    """One row per starter of the scope (computed once per scope)."""
    return ctx.data.derived(
        ("starter_spells", ctx.reference_date),
        lambda: tables.starter_spells(ctx.data.staff, ctx.reference_date),
    )


def cohort_rows(ctx: Context, span: Span):
    """The starters who started in ``span``, as the k-year tables count them (computed once
    per scope: the estimates, their designs and the destinations all read them)."""
    start = ctx.programme.programme_years[0]
    return ctx.data.derived(
        ("cohort_rows", ctx.reference_date, years_of(span), start),
        lambda: tables.cohorts(spells(ctx), *years_of(span), start),
    )


def cohort_dropout(ctx: Context, span: Span, years: int) -> Dropout:
    """k-year dropout of the starters who started in ``span``."""
    rows = cohort_rows(ctx, span)
    found = km_dropout(rows["years"].to_numpy(), rows["left"].to_numpy(), years, ctx.alpha)
    return mark_share(found, ctx.data, ctx.scope.locations, years_of(span), starter_leavers(years))


def follow_up(ctx: Context, span: Span) -> tuple[float, ...]:
    """How long each starter of ``span`` could be followed: the design of a simulation."""
    start = ctx.programme.programme_years[0]

    def compute() -> tuple[float, ...]:
        possible = tables.possible_follow_up(cohort_rows(ctx, span), ctx.reference_date, start)
        return tuple(possible.round(6).tolist())

    return ctx.data.derived(("follow_up", ctx.reference_date, years_of(span), start), compute)


@register
class StarterDropout(Estimator):
    name = "starter_dropout"

    def change(
        self, target: Target, ctx: Context, baseline: Span, outcome: Span, scale: str
    ) -> Finding:
        years = target.measure.years
        base, out = cohort_dropout(ctx, baseline, years), cohort_dropout(ctx, outcome, years)
        ratio = scale == "ratio"
        design = StarterDesign(
            scale,
            Rule.of(ctx.rule),
            follow_up(ctx, baseline),
            follow_up(ctx, outcome),
            base.estimate,
            years,
        )
        evidence = Evidence(
            scale,
            dropout_ratio(out, base, ctx.alpha)
            if ratio
            else dropout_difference(out, base, ctx.alpha),
            base,
            out,
            t("wording.evidence.cohorts", ctx.lang, span=span_label(baseline)),
            t("wording.evidence.cohorts", ctx.lang, span=span_label(outcome)),
            target.value,
            target.direction,
            1.0 if ratio else 0.0,
            # the programme may also take in teachers who began before it: say who is counted
            notes=(
                t(
                    "wording.evidence.cohort_spans",
                    ctx.lang,
                    baseline=span_label(baseline),
                    outcome=span_label(outcome),
                ),
            ),
            design=design,
        )
        return self._follow_up(target, ctx, evidence, out, years)

    def level(self, target: Target, ctx: Context, period: Period) -> Finding:
        years = target.measure.years
        out = cohort_dropout(ctx, (period, period), years)
        evidence = Evidence.level_of(
            "share",
            out,
            t("wording.evidence.cohorts", ctx.lang, span=period.label),
            target,
            StarterDesign(
                "share", Rule.of(ctx.rule), outcome=follow_up(ctx, (period, period)), years=years
            ),
        )
        return self._follow_up(target, ctx, evidence, out, years)

    @staticmethod
    def _follow_up(
        target: Target, ctx: Context, evidence: Evidence, out: Dropout, years: int
    ) -> Finding:
        # No starter of the outcome cohorts followed for k years yet: k-year dropout is unknown.
        if out.n and out.max_follow_up < years and too_few(target, ctx, evidence) is None:
            return Finding(
                evidence,
                Status.NOG_NIET_MEETBAAR,
                "reason.follow_up",
                {"years": years, "max": round(out.max_follow_up, 1)},
            )
        return Finding(evidence)


@register
class StarterOutcomes(Estimator):
    name = "starter_outcomes"

    def category(self, target: Target, ctx: Context, baseline: Span, outcome: Span) -> Finding:
        years = target.measure.years

        def share(span: Span):
            parts = target.category_parts
            found = outcome_share(cohort_rows(ctx, span), parts, years, ctx.alpha)
            persons = starter_outcome_population(parts, years)
            return mark_share(found, ctx.data, ctx.scope.locations, years_of(span), persons)

        def label(span: Span) -> str:
            return t(
                "wording.evidence.starters_after", ctx.lang, span=span_label(span), years=years
            )

        out = share(outcome)
        evidence = Evidence(
            "share",
            out,
            share(baseline),
            out,
            label(baseline),
            label(outcome),
            target.value,
            target.direction,
            None,
            notes=(t("wording.evidence.competing_risks", ctx.lang, years=years),),
            design=_destinations(ctx, target, outcome, out.estimate),
        )
        return Finding(evidence)


def _destinations(ctx: Context, target: Target, outcome: Span, share: float) -> DestinationDesign:
    """The outcome cohorts' design, with leaving for the reasons outside the target's outcome
    (its observed incidence) competing."""
    years, complement = target.measure.years, STAYED in target.category_parts
    rows = cohort_rows(ctx, outcome)
    everyone = km_dropout(rows["years"].to_numpy(), rows["left"].to_numpy(), years).estimate
    ours = 1 - share if complement else share
    other = everyone - ours if math.isfinite(everyone - ours) else 0.0
    return DestinationDesign(
        "share",
        Rule.of(ctx.rule),
        follow_up(ctx, outcome),
        round(max(other, 0.0), 6),
        years,
        complement,
    )
