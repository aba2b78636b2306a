"""Evaluate programme targets into a status that carries its evidence.

A status is one of *gehaald*, *op koers*, *niet gehaald*, *nog niet meetbaar*
and *onvoldoende gegevens*. The decision rule (``decision`` in the programme
file) is documented in ``docs/methods.md``:

* fewer than ``min_n`` persons in a group: *onvoldoende gegevens*;
* rule ``interval`` (default): *gehaald* when the estimate meets the target and,
  for a change, its 95% interval excludes "no change"; *niet gehaald* when the
  whole interval lies on the wrong side of the target; otherwise *onvoldoende
  gegevens* (the data cannot decide);
* rule ``point``: the estimate alone decides;
* counts (participants, duos) are complete counts, not samples: the latest
  milestone that is due decides, *op koers* while later milestones are not due.

The texts a result carries (scope names of the region, evidence labels, notes and
the values filled into its reason) are written in the ``lang`` given to
:func:`evaluate` and friends ("nl" by default, or "en").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from evallib.contract.programme import DecisionRule, Programme, Target
from evallib.core.dates import format_school_year, parse_school_year, school_year_end
from evallib.core.errors import ProgrammeError
from evallib.core.text import t
from evallib.evaluation import measures as m
from evallib.evaluation.dataset import Dataset
from evallib.evaluation.privacy import count_text
from evallib.evaluation.status import Status
from evallib.stats.estimates import (
    Estimate,
    dropout_ratio,
    km_dropout,
    proportion,
    proportion_difference,
    proportion_ratio,
    rate_ratio,
    ratio_of_sums,
)
from evallib.stats.power import PowerCheck, difference_power, ratio_power, threshold_power


@dataclass(frozen=True)
class Scope:
    """Where a target is evaluated: a location, a school's locations, the region."""

    level: str
    key: str
    name: str
    locations: Mapping[str, tuple[str, ...]]

    def level_label(self, lang: str = "nl") -> str:
        """The level as readers say it ("locatie", "school", "regio"; "location", ... in English).

        Examples
        --------
        >>> Scope("region", "regio", "Regio", {}).level_label("en")
        'region'
        """
        return t(f"level.{self.level}", lang)


@dataclass(frozen=True)
class MilestoneResult:
    year: int
    count: int
    min: float | None
    max: float | None
    due: bool

    @property
    def met(self) -> bool:
        return self.min is None or self.count >= self.min

    @property
    def above(self) -> bool:
        return self.max is not None and self.count > self.max

    def plan(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min:g}–{self.max:g}"
        return f"≥ {self.min:g}" if self.min is not None else f"≤ {self.max:g}"


@dataclass(frozen=True)
class Evidence:
    """What a status rests on.

    ``effect`` is the number the decision is about (a ratio, a share, a
    difference); ``baseline`` and ``outcome`` are the two measurements behind it
    (the *nulmeting* and the later measurement), each with interval and n.
    """

    kind: str  # "ratio", "share", "difference" or "count"
    effect: Estimate | None = None
    baseline: Estimate | None = None
    outcome: Estimate | None = None
    baseline_label: str = ""
    outcome_label: str = ""
    target_value: float | None = None
    direction: str | None = None  # "at_least" or "at_most"
    null_value: float | None = None
    milestones: tuple[MilestoneResult, ...] = ()
    notes: tuple[str, ...] = ()
    power: PowerCheck | None = None


@dataclass(frozen=True)
class TargetResult:
    """A target evaluated in one scope: status, why, and the evidence."""

    target: Target
    scope: Scope
    status: Status
    reason: str
    reason_values: Mapping[str, object] = field(default_factory=dict)
    evidence: Evidence = field(default_factory=lambda: Evidence("none"))

    def reason_text(self, lang: str = "nl") -> str:
        return t(self.reason, lang, **self.reason_values)


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


@dataclass(frozen=True)
class _Context:
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


def _span_label(first: int, last: int) -> str:
    return (
        format_school_year(first)
        if first == last
        else f"{format_school_year(first)}–{format_school_year(last)}"
    )


def _result(
    target: Target, ctx: _Context, status: Status, reason: str, evidence: Evidence, **values: object
) -> TargetResult:
    return TargetResult(target, ctx.scope, status, reason, values, evidence)


def _too_few(target: Target, ctx: _Context, evidence: Evidence) -> TargetResult | None:
    # A comparison needs both groups; for a share against a threshold the baseline is context only.
    groups = [("group.outcome", evidence.outcome)]
    if evidence.kind in ("ratio", "difference"):
        groups.insert(0, ("group.baseline", evidence.baseline))
    for key, estimate in groups:
        if estimate is not None and estimate.n < ctx.rule.min_n:
            return _result(
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


def _with_power(evidence: Evidence, alpha: float) -> Evidence:
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


def _judge(target: Target, ctx: _Context, evidence: Evidence) -> TargetResult:
    evidence = _with_power(evidence, ctx.alpha)
    too_few = _too_few(target, ctx, evidence)
    if too_few:
        return too_few
    effect = evidence.effect
    if effect is None or not effect.estimable or math.isnan(effect.ci_lower):
        detail = t(
            "wording.evidence.no_baseline_dropout"
            if evidence.kind == "ratio"
            else "wording.evidence.too_little_variation",
            ctx.lang,
        )
        return _result(
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
    return _result(target, ctx, status, reason, evidence)


# --- relative change against the nulmeting -------------------------------------------------


def _starter_dropout(target: Target, ctx: _Context) -> TargetResult:
    years = int(target.measure.get("years", 3))
    spells = m.starter_spells(ctx.data.staff, ctx.reference_date)
    base_span, prog_span = ctx.programme.baseline_years, ctx.programme.programme_years
    base = m.in_years(spells, "cohort", *base_span)
    prog = m.in_years(spells, "cohort", *prog_span)
    baseline = km_dropout(base["years"].to_numpy(), base["left"].to_numpy(), years, ctx.alpha)
    outcome = km_dropout(prog["years"].to_numpy(), prog["left"].to_numpy(), years, ctx.alpha)
    evidence = Evidence(
        "ratio",
        dropout_ratio(outcome, baseline, ctx.alpha),
        baseline,
        outcome,
        t("wording.evidence.starters", ctx.lang, span=_span_label(*base_span)),
        t("wording.evidence.starters", ctx.lang, span=_span_label(*prog_span)),
        1 + target.change,
        "at_least" if target.change > 0 else "at_most",
        1.0,
    )
    if outcome.n and outcome.max_follow_up < years and _too_few(target, ctx, evidence) is None:
        return _result(
            target,
            ctx,
            Status.NOG_NIET_MEETBAAR,
            "reason.follow_up",
            evidence,
            years=years,
            max=round(outcome.max_follow_up, 1),
        )
    return _judge(target, ctx, evidence)


def _midcareer_leaving(target: Target, ctx: _Context) -> TargetResult:
    low, high = int(target.measure.get("min_age", 40)), int(target.measure.get("max_age", 55))
    k = ctx.programme.min_group
    base_span, prog_span = ctx.programme.baseline_years, ctx.programme.programme_years
    staff = ctx.data.staff
    base = m.teacher_years(staff, *base_span, low, high, ctx.reference_date)
    prog = m.teacher_years(staff, *prog_span, low, high, ctx.reference_date)
    first = m.first_participation(ctx.data.participation, target.project, "deelnemer")
    prog = prog.merge(first, on=["brin", "docent_id"])
    prog = prog[prog["schooljaar"] >= prog["first_year"]]
    baseline = proportion(int(base["left"].sum()), len(base), ctx.alpha)
    outcome = proportion(int(prog["left"].sum()), len(prog), ctx.alpha)
    persons_base = base[["brin", "docent_id"]].drop_duplicates().shape[0]
    persons_prog = prog[["brin", "docent_id"]].drop_duplicates().shape[0]
    effect = rate_ratio(
        int(prog["left"].sum()),
        len(prog),
        int(base["left"].sum()),
        len(base),
        persons_base + persons_prog,
        ctx.alpha,
    )
    evidence = Evidence(
        "ratio",
        effect,
        Estimate(
            baseline.estimate,
            baseline.ci_lower,
            baseline.ci_upper,
            persons_base,
            baseline.events,
            t("wording.evidence.per_teacher_year", ctx.lang),
        ),
        Estimate(
            outcome.estimate,
            outcome.ci_lower,
            outcome.ci_upper,
            persons_prog,
            outcome.events,
            t("wording.evidence.per_teacher_year", ctx.lang),
        ),
        t(
            "wording.evidence.teachers_aged",
            ctx.lang,
            low=low,
            high=high,
            span=_span_label(*base_span),
        ),
        t("wording.evidence.participants", ctx.lang, span=_span_label(*prog_span)),
        1 + target.change,
        "at_least" if target.change > 0 else "at_most",
        1.0,
        notes=(
            t(
                "wording.evidence.teacher_years",
                ctx.lang,
                baseline=count_text(len(base), k, ctx.lang),
                participants=count_text(len(prog), k, ctx.lang),
            ),
        ),
        # power rests on teacher-years, the unit the rates are counted in
        power=ratio_power(baseline, outcome, 1 + target.change, ctx.alpha),
    )
    return _judge(target, ctx, evidence)


def _survey_share(ctx: _Context, target: Target, year: int) -> Estimate:
    scores = m.survey_scores(ctx.data.survey, target.measure["group"], target.measure["item"], year)
    return proportion(*m.positive(scores), alpha=ctx.alpha)


def _survey_relative(target: Target, ctx: _Context) -> TargetResult:
    y0 = parse_school_year(target.measure["baseline_year"])
    y1 = parse_school_year(target.measure["outcome_year"])
    baseline, outcome = _survey_share(ctx, target, y0), _survey_share(ctx, target, y1)
    effect = proportion_ratio(
        outcome.events or 0, outcome.n, baseline.events or 0, baseline.n, ctx.alpha
    )
    evidence = Evidence(
        "ratio",
        effect,
        baseline,
        outcome,
        format_school_year(y0),
        format_school_year(y1),
        1 + target.change,
        "at_least" if target.change > 0 else "at_most",
        1.0,
    )
    return _no_survey(target, ctx, evidence) or _judge(target, ctx, evidence)


def _no_survey(target: Target, ctx: _Context, evidence: Evidence) -> TargetResult | None:
    if evidence.baseline.n == 0 and evidence.outcome.n == 0:
        return _result(
            target,
            ctx,
            Status.ONVOLDOENDE_GEGEVENS,
            "reason.no_data",
            evidence,
            what=t("wording.evidence.survey_item", ctx.lang, item=target.measure["item"]),
        )
    return None


# --- other shapes -------------------------------------------------------------------------


def _pp_change(target: Target, ctx: _Context) -> TargetResult:
    baseline = _survey_share(ctx, target, target.from_year)
    outcome = _survey_share(ctx, target, target.to_year)
    effect = proportion_difference(
        outcome.events or 0, outcome.n, baseline.events or 0, baseline.n, ctx.alpha
    )
    direction = "at_least" if target.at_least is not None else "at_most"
    value = target.at_least if target.at_least is not None else target.at_most
    evidence = Evidence(
        "difference",
        effect,
        baseline,
        outcome,
        format_school_year(target.from_year),
        format_school_year(target.to_year),
        value,
        direction,
        0.0,
    )
    return _no_survey(target, ctx, evidence) or _judge(target, ctx, evidence)


def _digital_share(target: Target, ctx: _Context) -> TargetResult:
    year = parse_school_year(target.measure["year"])
    before = ctx.programme.programme_years[0] - 1
    rows, missing = m.team_hours(ctx.data.hours, ctx.data.participation, year, target.project)
    outcome = ratio_of_sums(
        rows["lesuren_digitaal"].to_numpy(), rows["lesuren_totaal"].to_numpy(), ctx.alpha
    )
    reference = m.year_hours(ctx.data.hours, before)
    baseline = ratio_of_sums(
        reference["lesuren_digitaal"].to_numpy(), reference["lesuren_totaal"].to_numpy(), ctx.alpha
    )
    direction = "at_least" if target.at_least is not None else "at_most"
    value = target.at_least if target.at_least is not None else target.at_most
    notes = (
        (
            t(
                "wording.evidence.missing_hours",
                ctx.lang,
                n=count_text(missing, ctx.programme.min_group, ctx.lang),
            ),
        )
        if missing
        else ()
    )
    evidence = Evidence(
        "share",
        outcome,
        baseline,
        outcome,
        t("wording.evidence.all_teachers", ctx.lang, year=format_school_year(before)),
        t("wording.evidence.ecoaching_team", ctx.lang, year=format_school_year(year)),
        value,
        direction,
        None,
        notes=notes,
    )
    if outcome.n == 0:
        if school_year_end(year) > ctx.reference_date:
            return _result(
                target,
                ctx,
                Status.NOG_NIET_MEETBAAR,
                "reason.not_due",
                evidence,
                year=format_school_year(year),
            )
        return _result(
            target,
            ctx,
            Status.ONVOLDOENDE_GEGEVENS,
            "reason.no_data",
            evidence,
            what=t("wording.evidence.team_hours", ctx.lang, year=format_school_year(year)),
        )
    return _judge(target, ctx, evidence)


def _distribution(target: Target, ctx: _Context) -> TargetResult:
    years = int(target.measure.get("years", 3))
    spells = m.starter_spells(ctx.data.staff, ctx.reference_date)
    base = m.starter_outcomes(m.in_years(spells, "cohort", *ctx.programme.baseline_years), years)
    prog = m.starter_outcomes(m.in_years(spells, "cohort", *ctx.programme.programme_years), years)
    baseline = proportion(int(base[target.category]), int(base.sum()), ctx.alpha)
    outcome = proportion(int(prog[target.category]), int(prog.sum()), ctx.alpha)
    direction = "at_least" if target.at_least is not None else "at_most"
    value = target.at_least if target.at_least is not None else target.at_most
    evidence = Evidence(
        "share",
        outcome,
        baseline,
        outcome,
        t(
            "wording.evidence.starters_after",
            ctx.lang,
            span=_span_label(*ctx.programme.baseline_years),
            years=years,
        ),
        t(
            "wording.evidence.starters_after",
            ctx.lang,
            span=_span_label(*ctx.programme.programme_years),
            years=years,
        ),
        value,
        direction,
        None,
        notes=(t("wording.evidence.followed_only", ctx.lang, years=years),),
    )
    return _judge(target, ctx, evidence)


def _count(target: Target, ctx: _Context, year: int, cumulative: bool) -> int:
    return m.participants(
        ctx.data.participation, target.measure["project"], target.measure["role"], year, cumulative
    )


def _count_range(target: Target, ctx: _Context) -> TargetResult:
    cumulative = bool(target.measure.get("cumulative", True))
    results = tuple(
        MilestoneResult(
            ms.year,
            _count(target, ctx, ms.year, cumulative),
            ms.min,
            ms.max,
            school_year_end(ms.year) <= ctx.reference_date,
        )
        for ms in target.milestones
    )
    evidence = Evidence("count", milestones=results)
    due = [r for r in results if r.due]
    if not due:
        return _result(
            target,
            ctx,
            Status.NOG_NIET_MEETBAAR,
            "reason.not_due",
            evidence,
            year=format_school_year(results[0].year),
        )
    last = due[-1]
    values = {"year": format_school_year(last.year), "count": last.count, "plan": last.plan()}
    final = last is results[-1]
    if not last.met:
        return _result(
            target, ctx, Status.NIET_GEHAALD, "reason.milestone_missed", evidence, **values
        )
    reason = "reason.milestone_above" if last.above else "reason.milestone_met"
    return _result(
        target, ctx, Status.GEHAALD if final else Status.OP_KOERS, reason, evidence, **values
    )


def _go_no_go(target: Target, ctx: _Context) -> TargetResult:
    measure = target.measure
    year = parse_school_year(measure["year"])
    if measure["name"] == "selected":
        count = m.selected_by(
            ctx.data.participation, measure["project"], measure["role"], year, measure["by"]
        )
    else:
        count = _count(target, ctx, year, bool(measure.get("cumulative", True)))
    evidence = Evidence(
        "count", milestones=(MilestoneResult(year, count, target.at_least, None, True),)
    )
    status, reason = (
        (Status.GEHAALD, "reason.go")
        if count >= target.at_least
        else (Status.NIET_GEHAALD, "reason.no_go")
    )
    return _result(
        target, ctx, status, reason, evidence, count=count, minimum=f"{target.at_least:g}"
    )


_EVALUATORS: dict[tuple[str, str], Callable[[Target, _Context], TargetResult]] = {
    ("relative_change", "starter_dropout"): _starter_dropout,
    ("relative_change", "midcareer_leaving"): _midcareer_leaving,
    ("relative_change", "survey_positive"): _survey_relative,
    ("pp_change", "survey_positive"): _pp_change,
    ("threshold", "digital_share"): _digital_share,
    ("distribution", "starter_outcomes"): _distribution,
    ("count_range", "participants"): _count_range,
    ("go_no_go", "selected"): _go_no_go,
    ("go_no_go", "participants"): _go_no_go,
}


def supported(target: Target) -> bool:
    """Whether evallib knows how to evaluate this shape with this measure."""
    return (target.shape, target.measure_name) in _EVALUATORS


def evaluate(
    target: Target, programme: Programme, data: Dataset, scope: Scope, lang: str = "nl"
) -> TargetResult:
    """Evaluate one target in one scope.

    Parameters
    ----------
    target
        The target, from the programme file.
    programme
        The programme (decision rule, periods, reference date).
    data
        All processed data; it is sliced to ``scope.locations`` here.
    scope
        Where to evaluate (see :func:`school_scopes` and :func:`region_scope`).
    lang
        Language of the texts the result carries (evidence labels, notes, reason values).

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.evaluation.dataset import load_dataset
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> target = next(t for t in p.targets if t.id == "digitaal-20")
    >>> scope = school_scopes(p, "02DZ", target)[0]
    >>> r = evaluate(target, p, load_dataset("data/processed/example"), scope)
    >>> r.scope.name, r.status.label(), r.evidence.effect.n
    ('Stanislas College', 'gehaald', 16)
    >>> evaluate(target, p, load_dataset("data/processed/example"), scope, "en").evidence.outcome_label
    'e-coaching team 2015/16'
    """
    evaluator = _EVALUATORS.get((target.shape, target.measure_name))
    if evaluator is None:
        raise ProgrammeError(
            f"Doel '{target.id}': maat '{target.measure_name}' past niet bij vorm '{target.shape}'",
            expected=", ".join(f"{s}/{n}" for s, n in _EVALUATORS),
            found=f"{target.shape}/{target.measure_name}",
        )
    return evaluator(target, _Context(programme, data.at(scope.locations), scope, lang))


def school_scopes(programme: Programme, brin: str, target: Target) -> list[Scope]:
    """The scopes in which a school's report shows a target (its school level and/or its locations)."""
    project = programme.project(target.project)
    locations = project.participants.get(brin)
    if not locations:
        return []
    school = programme.school(brin)
    scopes = []
    if "school" in target.levels:
        scopes.append(Scope("school", brin, school.name, {brin: locations}))
    if "location" in target.levels:
        scopes.extend(
            Scope("location", f"{brin}/{loc}", school.locations[loc], {brin: (loc,)})
            for loc in locations
        )
    return scopes


def region_scope(programme: Programme, target: Target, lang: str = "nl") -> Scope:
    """All participating locations of the target's project; its name is in ``lang``.

    The key (``"regio"``) is an identifier and the same in every language.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> region_scope(p, p.targets[0]).name, region_scope(p, p.targets[0], "en").name
    ('Regio (alle deelnemende scholen)', 'Region (all participating schools)')
    """
    project = programme.project(target.project)
    return Scope("region", "regio", t("region.all", lang), dict(project.participants))


def comparison_scope(programme: Programme, lang: str = "nl") -> Scope:
    """All locations of the schools that declined to take part; its name is in ``lang``."""
    return Scope(
        "comparison",
        "vergelijking",
        t("region.comparison", lang),
        {s.brin: tuple(s.locations) for s in programme.comparison},
    )


def evaluate_school(
    programme: Programme,
    data: Dataset,
    brin: str,
    levels: tuple[str, ...] = ("school", "location"),
    lang: str = "nl",
) -> list[TargetResult]:
    """All targets of every project the school takes part in, at the given levels.

    The texts the results carry are in ``lang`` (see :func:`evaluate`).
    """
    return [
        evaluate(target, programme, data, scope, lang)
        for project in programme.projects_of(brin)
        for target in project.targets
        for scope in school_scopes(programme, brin, target)
        if scope.level in levels
    ]


def evaluate_region(programme: Programme, data: Dataset, lang: str = "nl") -> list[TargetResult]:
    """Every target with a region level, pooled over the project's locations.

    The texts the results carry are in ``lang`` (see :func:`evaluate`).
    """
    return [
        evaluate(target, programme, data, region_scope(programme, target, lang), lang)
        for target in programme.targets
        if "region" in target.levels
    ]
