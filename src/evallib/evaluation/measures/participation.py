"""Participation: persons in a project role, counted in full (no sampling error)."""

from __future__ import annotations

from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.evaluation import tables
from evallib.evaluation.decision import Context
from evallib.evaluation.measures.base import Estimator, register


@register
class Participants(Estimator):
    name = "participants"

    def count(self, target: Target, ctx: Context, period: Period) -> int:
        project, role = ctx.programme.role_of(target)
        return tables.participants(
            ctx.data.participation, project, role, period.year, target.measure.cumulative
        )


@register
class Selected(Estimator):
    name = "selected"

    def count(self, target: Target, ctx: Context, period: Period) -> int:
        project, role = ctx.programme.role_of(target)
        # a go/no-go names its date; a count by year counts those selected by the year's end
        by = getattr(target, "by", None) or period.end
        return tables.selected_by(ctx.data.participation, project, role, period.year, by)
