"""Early leaving: leaving (not retiring) per teacher-year, participants against all teachers."""

from __future__ import annotations

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.text import t
from evallib.evaluation import tables
from evallib.evaluation.decision import Context
from evallib.evaluation.designs import RateDesign, Rule
from evallib.evaluation.evidence import Evidence, Finding
from evallib.evaluation.linking import leavers_of
from evallib.evaluation.measures.base import Estimator, Span, register, span_label, years_of
from evallib.evaluation.populations import band_population
from evallib.evaluation.privacy import TEACHER_YEARS, count_text
from evallib.evaluation.published import mark
from evallib.stats.estimates import Estimate, proportion, rate_ratio
from evallib.stats.power import ratio_power


@register
class EarlyLeaving(Estimator):
    """Baseline: all teachers in the age band; outcome: participants in the role, from their
    first year in it. The unit is the teacher-year; n is persons."""

    name = "early_leaving"

    def change(
        self, target: Target, ctx: Context, baseline: Span, outcome: Span, scale: str
    ) -> Finding:
        m = target.measure
        project, role = ctx.programme.role_of(target)
        staff = ctx.data.staff
        base = tables.teacher_years(
            staff, *years_of(baseline), m.min_age, m.max_age, ctx.reference_date
        )
        prog = tables.teacher_years(
            staff, *years_of(outcome), m.min_age, m.max_age, ctx.reference_date
        )
        first = tables.first_participation(ctx.data.participation, project, role)
        prog = prog.merge(first, on=["brin", "docent_id"])
        prog = prog[prog["schooljaar"] >= prog["first_year"]]
        share0, share1 = (proportion(int(y["left"].sum()), len(y), ctx.alpha) for y in (base, prog))
        before = _of_persons(ctx, share0, base, baseline, band_population(m))
        after = _of_persons(ctx, share1, prog, outcome, band_population(m, (project, role)))
        evidence = Evidence(
            "ratio",
            rate_ratio(
                int(prog["left"].sum()),
                len(prog),
                int(base["left"].sum()),
                len(base),
                before.n + after.n,
                ctx.alpha,
            ),
            before,
            after,
            t(
                "wording.evidence.teachers_aged",
                ctx.lang,
                low=m.min_age,
                high=m.max_age,
                span=span_label(baseline),
            ),
            t(
                "wording.evidence.participants",
                ctx.lang,
                role=ctx.programme.project(project).role_label(role, ctx.lang),
                span=span_label(outcome),
            ),
            target.value,
            target.direction,
            1.0,
            notes=(
                t(
                    "wording.evidence.teacher_years",
                    ctx.lang,
                    baseline=_teacher_years(len(base), before.hidden, ctx),
                    participants=_teacher_years(len(prog), after.hidden, ctx),
                ),
            ),
            # power rests on teacher-years, the unit the rates are counted in
            power=ratio_power(share0, share1, target.value, ctx.alpha),
            design=_design(ctx, base, prog, share0, before.n + after.n),
        )
        return Finding(evidence)


def _design(
    ctx: Context, base: pd.DataFrame, prog: pd.DataFrame, share0: Estimate, persons: int
) -> RateDesign:
    """Both groups' teacher-years and the baseline's yearly rate: the design of a simulation."""
    return RateDesign("ratio", Rule.of(ctx.rule), len(base), len(prog), share0.estimate, persons)


def _of_persons(
    ctx: Context, share: Estimate, years: pd.DataFrame, span: Span, population: str
) -> Estimate:
    """A share per teacher-year whose n is the persons behind it (the privacy unit), not
    teacher-years; hidden when the run hid that count of persons or of its leavers. The
    leavers are persons: :func:`~evallib.evaluation.privacy.reveals_count` hides the share
    when they are few."""
    persons = years[["brin", "docent_id"]].drop_duplicates().shape[0]
    estimate = Estimate(
        share.estimate,
        share.ci_lower,
        share.ci_upper,
        persons,
        share.events,
        TEACHER_YEARS,
        "persons",
    )
    for hidden_count in (population, leavers_of(population)):
        estimate = mark(estimate, ctx.data, ctx.scope.locations, years_of(span), hidden_count)
    return estimate


def _teacher_years(n: int, hidden: bool, ctx: Context) -> str:
    """The teacher-years behind one side, or words for a number the run hid."""
    return (
        t("wording.evidence.hidden_number", ctx.lang) if hidden else count_text(n, ctx.k, ctx.lang)
    )
