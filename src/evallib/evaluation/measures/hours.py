"""Teaching hours: the share given with digital didactics by the members of a project role."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.core.text import t
from evallib.evaluation import tables
from evallib.evaluation.decision import Context
from evallib.evaluation.designs import Rule, TeamDesign, concentration
from evallib.evaluation.evidence import Evidence, Finding
from evallib.evaluation.measures.base import Estimator, Span, register, span_label, years_of
from evallib.evaluation.populations import team_population
from evallib.evaluation.privacy import count_text
from evallib.evaluation.published import mark
from evallib.evaluation.status import Status
from evallib.stats.estimates import (
    Estimate,
    independent_difference,
    independent_ratio,
    ratio_of_sums,
)


def team_hours(ctx: Context, target: Target, span: Span) -> tuple[np.ndarray, np.ndarray, int]:
    """The role members' digital and total hours over the span's years, and members without
    hours (computed once per scope: the estimate and its design both read them)."""
    project, role = ctx.programme.role_of(target)

    def compute() -> tuple[np.ndarray, np.ndarray, int]:
        frames, missing = [], 0
        for year in range(span[0].year, span[1].year + 1):
            rows, lacking = tables.team_hours(
                ctx.data.hours, ctx.data.participation, year, project, role
            )
            frames.append(rows)
            missing += lacking
        digital = np.concatenate([f["lesuren_digitaal"].to_numpy() for f in frames])
        total = np.concatenate([f["lesuren_totaal"].to_numpy() for f in frames])
        return digital, total, missing

    return ctx.data.derived(("team_hours", project, role, years_of(span)), compute)


def team_share(ctx: Context, target: Target, span: Span) -> tuple[Estimate, int]:
    """The role members' digital share over the span's years, and members without hours;
    hidden when the run hid their count (:mod:`evallib.evaluation.published`)."""
    project, role = ctx.programme.role_of(target)
    digital, total, missing = team_hours(ctx, target, span)
    estimate = replace(ratio_of_sums(digital, total, ctx.alpha), unit="persons")
    population = team_population(project, role)
    return mark(estimate, ctx.data, ctx.scope.locations, years_of(span), population), missing


def team_design(
    ctx: Context, target: Target, scale: str, spans: tuple[Span, ...], level: float = float("nan")
) -> TeamDesign:
    """The teams' hours (the last span is the outcome's), with members' shares as spread as
    observed: the design of a simulation."""
    teams = [team_hours(ctx, target, span) for span in spans]
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.concatenate([d / t for d, t, _ in teams])
    hours = [tuple(np.round(t, 6).tolist()) for _, t, _ in teams]
    return TeamDesign(
        scale,
        Rule.of(ctx.rule),
        hours[0] if len(hours) > 1 else (),
        hours[-1],
        level,
        round(concentration(shares), 6),
    )


def team_before(ctx: Context, target: Target) -> tuple[Estimate, int]:
    """The first programme year's team observed the year before: the team's own nulmeting.

    The same baseline as the difference-in-differences uses, so the level table and the
    comparison with other schools start from the same number.
    """
    project, role = ctx.programme.role_of(target)
    first = ctx.programme.programme_years[0]
    rows, missing = tables.team_hours(
        ctx.data.hours, ctx.data.participation, first, project, role, observed=first - 1
    )
    estimate = ratio_of_sums(
        rows["lesuren_digitaal"].to_numpy(), rows["lesuren_totaal"].to_numpy(), ctx.alpha
    )
    estimate = replace(estimate, unit="persons")
    population = team_population(project, role, before=True)
    return mark(
        estimate, ctx.data, ctx.scope.locations, (first - 1, first - 1), population
    ), missing


def team_name(ctx: Context, target: Target) -> str:
    """The role's members as reports name them (from the programme file)."""
    project, role = ctx.programme.role_of(target)
    return ctx.programme.project(project).role_label(role, ctx.lang)


@register
class DigitalShare(Estimator):
    name = "digital_share"

    def level(self, target: Target, ctx: Context, period: Period) -> Finding:
        first = ctx.programme.programme_years[0]
        out, missing = team_share(ctx, target, (period, period))
        base, _ = team_before(ctx, target)
        team = team_name(ctx, target)
        evidence = Evidence(
            "share",
            out,
            base,
            out,
            t(
                "wording.evidence.team_before",
                ctx.lang,
                team=team,
                year=Period(first).label,
                before=Period(first - 1).label,
            ),
            t("wording.evidence.team", ctx.lang, team=team, year=period.label),
            target.value,
            target.direction,
            None,
            notes=self._missing(ctx, missing),
            design=team_design(ctx, target, "share", ((period, period),)),
        )
        if out.n == 0:
            if period.end > ctx.reference_date:
                return Finding(
                    evidence, Status.NOG_NIET_MEETBAAR, "reason.not_due", {"year": period.label}
                )
            what = t(
                "wording.evidence.team_hours",
                ctx.lang,
                team=team_name(ctx, target),
                year=period.label,
            )
            return Finding(evidence, Status.ONVOLDOENDE_GEGEVENS, "reason.no_data", {"what": what})
        return Finding(evidence)

    def change(
        self, target: Target, ctx: Context, baseline: Span, outcome: Span, scale: str
    ) -> Finding:
        (base, lacking0), (out, lacking1) = (
            team_share(ctx, target, baseline),
            team_share(ctx, target, outcome),
        )
        compare = independent_ratio if scale == "ratio" else independent_difference
        team = team_name(ctx, target)
        evidence = Evidence(
            scale,
            compare(out, base, ctx.alpha),
            base,
            out,
            t("wording.evidence.team", ctx.lang, team=team, year=span_label(baseline)),
            t("wording.evidence.team", ctx.lang, team=team, year=span_label(outcome)),
            target.value,
            target.direction,
            1.0 if scale == "ratio" else 0.0,
            notes=self._missing(ctx, lacking0 + lacking1),
            design=team_design(ctx, target, scale, (baseline, outcome), base.estimate),
        )
        return Finding(evidence)

    @staticmethod
    def _missing(ctx: Context, missing: int) -> tuple[str, ...]:
        if not missing:
            return ()
        return (
            t("wording.evidence.missing_hours", ctx.lang, n=count_text(missing, ctx.k, ctx.lang)),
        )
