"""Survey items: the share of a respondent group answering 4 or 5 (agree, satisfied)."""

from __future__ import annotations

from dataclasses import replace

from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.core.text import t
from evallib.evaluation import tables
from evallib.evaluation.decision import Context
from evallib.evaluation.designs import Rule, ShareDesign
from evallib.evaluation.evidence import Evidence, Finding
from evallib.evaluation.measures.base import Estimator, Span, register, span_label, years_of
from evallib.evaluation.populations import positives_of, survey_population
from evallib.evaluation.published import mark_share
from evallib.evaluation.status import Status
from evallib.stats.estimates import Estimate, proportion, proportion_difference, proportion_ratio


def positive_share(ctx: Context, target: Target, span: Span) -> Estimate:
    """Share answering 4 or 5 in the span's school years (Wilson interval, n respondents);
    hidden when the run hid its count of respondents (:mod:`evallib.evaluation.published`)."""
    m = target.measure
    scores = [
        tables.survey_scores(ctx.data.survey, m.group, m.item, year)
        for year in range(span[0].year, span[1].year + 1)
    ]
    positive = sum(tables.positive(s)[0] for s in scores)
    n = sum(tables.positive(s)[1] for s in scores)
    estimate = replace(proportion(positive, n, alpha=ctx.alpha), unit="respondents")
    population, where, years = survey_population(m), ctx.scope.locations, years_of(span)
    return mark_share(estimate, ctx.data, where, years, positives_of(population), population)


@register
class SurveyPositive(Estimator):
    name = "survey_positive"

    def change(
        self, target: Target, ctx: Context, baseline: Span, outcome: Span, scale: str
    ) -> Finding:
        base, out = positive_share(ctx, target, baseline), positive_share(ctx, target, outcome)
        compare = proportion_ratio if scale == "ratio" else proportion_difference
        evidence = Evidence(
            scale,
            compare(out.events or 0, out.n, base.events or 0, base.n, ctx.alpha),
            base,
            out,
            span_label(baseline),
            span_label(outcome),
            target.value,
            target.direction,
            1.0 if scale == "ratio" else 0.0,
            design=ShareDesign(scale, Rule.of(ctx.rule), base.n, out.n, base.estimate),
        )
        return self._no_answers(target, ctx, evidence, base.n + out.n)

    def level(self, target: Target, ctx: Context, period: Period) -> Finding:
        out = positive_share(ctx, target, (period, period))
        design = ShareDesign("share", Rule.of(ctx.rule), n_outcome=out.n)
        evidence = Evidence.level_of("share", out, period.label, target, design)
        return self._no_answers(target, ctx, evidence, out.n)

    @staticmethod
    def _no_answers(target: Target, ctx: Context, evidence: Evidence, n: int) -> Finding:
        if n == 0:
            item = ctx.programme.survey.items[target.measure.item].text(ctx.lang)
            what = t("wording.evidence.survey_item", ctx.lang, item=item)
            return Finding(evidence, Status.ONVOLDOENDE_GEGEVENS, "reason.no_data", {"what": what})
        return Finding(evidence)
