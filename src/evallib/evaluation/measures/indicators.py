"""Region-level figures from the indicator file: shares, counts, amounts and distributions.

A figure a region gets from elsewhere (a labour-market monitor, the opleidingsscholen) comes
with an n or without one. With n, a share gets its Wilson interval and two shares their
Katz or Newcombe interval, as school data do; without n the figure has no interval, the
estimate alone decides and the report says so (``reason.*_no_interval``).

The figure for the region is the file's ``regio`` row when there is one; otherwise counts
and amounts are added up over the scopes, and shares are pooled when every scope has its n.
"""

from __future__ import annotations

import math

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.core.text import t
from evallib.evaluation.decision import Context
from evallib.evaluation.designs import Rule, ShareDesign
from evallib.evaluation.evidence import Evidence, Finding
from evallib.evaluation.measures.base import Estimator, Span, register, span_label
from evallib.evaluation.status import Status
from evallib.stats.estimates import Estimate, proportion, proportion_difference, proportion_ratio

REGION_SCOPE = "regio"
#: How :func:`figure` marks what it gives besides a share with its n: an amount or a count
#: (``AMOUNT``), and a figure without its n (``WITHOUT_N``: a share as delivered, or the
#: change between two such figures).
AMOUNT, WITHOUT_N = "indicator", "indicator, no n"


def rows(ctx: Context, indicator: str, period: Period) -> pd.DataFrame:
    """The indicator's rows for one period (all scopes, all categories)."""
    frame = ctx.data.indicators
    return frame[(frame["indicator"] == indicator) & (frame["periode"] == period.label)]


def regional(frame: pd.DataFrame) -> pd.DataFrame:
    """The region's rows: the ``regio`` scope if delivered, else every scope."""
    region = frame[frame["scope"].str.casefold() == REGION_SCOPE]
    return region if len(region) else frame


def figure(ctx: Context, target: Target, period: Period, parts: tuple[str, ...] = ()) -> Estimate:
    """The region's figure in one period: a share (with interval where n is known), a count or an amount.

    ``parts``: for a distribution, the categories taken together.
    """
    spec = ctx.programme.indicator(target.measure.indicator)
    frame = regional(rows(ctx, spec.id, period))
    if parts:
        frame = frame[frame["categorie"].isin(parts)]
    if frame.empty:
        return Estimate(math.nan, math.nan, math.nan, 0, method=AMOUNT, unit=spec.unit)
    values = frame["waarde"].astype(float)
    n = frame["n"]
    if spec.kind in ("count", "amount"):
        total = float(values.sum())
        return Estimate(total, math.nan, math.nan, 0, method=AMOUNT, unit=spec.unit)
    # shares: pooled over scopes (and, for a distribution, summed over the categories)
    scopes = frame.groupby("scope", sort=False)
    if n.isna().any():
        if scopes.ngroups > 1:
            return Estimate(math.nan, math.nan, math.nan, 0, method=AMOUNT, unit=spec.unit)
        share = float(values.sum())
        return Estimate(share, math.nan, math.nan, 0, method=WITHOUT_N, unit=spec.unit)
    size = int(scopes["n"].first().sum())
    count = round(float((values * n.astype(float)).sum()))
    estimate = proportion(count, size, ctx.alpha)
    return Estimate(
        estimate.estimate, estimate.ci_lower, estimate.ci_upper, size, count, "wilson", spec.unit
    )


def has_interval(e: Estimate) -> bool:
    return not math.isnan(e.ci_lower)


def _share_design(
    ctx: Context, scale: str, base: Estimate | None, out: Estimate
) -> ShareDesign | None:
    """Figures with their n are shares of persons (binomial); a figure without n has none."""
    if not has_interval(out) or (base is not None and not has_interval(base)):
        return None
    if base is None:
        return ShareDesign(scale, Rule.of(ctx.rule), n_outcome=out.n)
    return ShareDesign(scale, Rule.of(ctx.rule), base.n, out.n, base.estimate)


@register
class IndicatorFigure(Estimator):
    name = "indicator"

    def level(self, target: Target, ctx: Context, period: Period) -> Finding:
        out = figure(ctx, target, period)
        kind = "share" if ctx.programme.kind_of(target) == "share" else "amount"
        design = _share_design(ctx, "share", None, out)
        evidence = Evidence.level_of(kind, out, period.label, target, design)
        return self._checked(ctx, target, evidence, (period,))

    def change(
        self, target: Target, ctx: Context, baseline: Span, outcome: Span, scale: str
    ) -> Finding:
        base, out = figure(ctx, target, baseline[-1]), figure(ctx, target, outcome[-1])
        if has_interval(base) and has_interval(out):
            compare = proportion_ratio if scale == "ratio" else proportion_difference
            effect = compare(out.events or 0, out.n, base.events or 0, base.n, ctx.alpha)
        else:
            value = (
                out.estimate / base.estimate
                if scale == "ratio" and base.estimate
                else (out.estimate - base.estimate if scale == "difference" else math.nan)
            )
            effect = Estimate(value, math.nan, math.nan, 0, method=WITHOUT_N)
        evidence = Evidence(
            scale,
            effect,
            base,
            out,
            span_label(baseline),
            span_label(outcome),
            target.value,
            target.direction,
            1.0 if scale == "ratio" else 0.0,
            design=_share_design(ctx, scale, base, out),
        )
        return self._checked(ctx, target, evidence, (baseline[-1], outcome[-1]))

    def count(self, target: Target, ctx: Context, period: Period) -> int:
        value = figure(ctx, target, period).estimate
        return -1 if math.isnan(value) else round(value)

    def category(self, target: Target, ctx: Context, baseline: Span, outcome: Span) -> Finding:
        out = figure(ctx, target, outcome[-1], target.category_parts)
        design = _share_design(ctx, "share", None, out)
        evidence = Evidence.level_of("share", out, span_label(outcome), target, design)
        return self._checked(ctx, target, evidence, (outcome[-1],))

    @staticmethod
    def _checked(
        ctx: Context, target: Target, evidence: Evidence, periods: tuple[Period, ...]
    ) -> Finding:
        """No figure yet (not due, or not delivered); or a figure without n, decided on its value."""
        missing = [p for p in periods if rows(ctx, target.measure.indicator, p).empty]
        if missing:
            period = missing[-1]
            spec = ctx.programme.indicator(target.measure.indicator)
            if period.end > ctx.reference_date:
                return Finding(
                    evidence, Status.NOG_NIET_MEETBAAR, "reason.not_due", {"year": period.label}
                )
            what = t(
                "wording.evidence.indicator",
                ctx.lang,
                indicator=spec.label(ctx.lang),
                year=period.label,
            )
            return Finding(evidence, Status.ONVOLDOENDE_GEGEVENS, "reason.no_data", {"what": what})
        effect = evidence.effect
        if effect is not None and effect.estimable and not has_interval(effect):
            met = (
                effect.estimate >= target.value
                if target.direction == "at_least"
                else effect.estimate <= target.value
            )
            return Finding(
                evidence,
                Status.GEHAALD if met else Status.NIET_GEHAALD,
                "reason.met_no_interval" if met else "reason.not_met_no_interval",
            )
        return Finding(evidence)
