"""One generated sentence per target: what was measured, against what, and how sure.

For example: "De uitval van starters is gehalveerd: van 32% (97 starters) in de
nulmeting naar 15% (233 starters); met 95% zekerheid ligt de verandering tussen
−73% en −17%." The sentence templates live in :mod:`evallib.core.text` (one per kind
of evidence and status); this module only fills them in, through
:mod:`evallib.evaluation.privacy`, so a small group's numbers never appear.
"""

from __future__ import annotations

import math

from evallib.core.dates import format_school_year
from evallib.core.text import lower_first, num, pct, pp, t
from evallib.evaluation.privacy import MIN_GROUP, is_small, n_text
from evallib.evaluation.status import Status
from evallib.evaluation.targets import Evidence, TargetResult
from evallib.reporting.wording import (
    _relative,
    amount_text,
    numbers_withheld,
    plan_text,
    reason_text,
    target_text,
)
from evallib.stats.estimates import Estimate


def _change_phrase(change: float, lang: str = "nl") -> str:
    """The change a relative target asks for, e.g. "gehalveerd" or "met ten minste 15% gestegen".

    Examples
    --------
    >>> _change_phrase(-0.5), _change_phrase(0.15), _change_phrase(-0.15, "en")
    ('gehalveerd', 'met ten minste 15% gestegen', 'fallen by at least 15%')
    """
    if math.isclose(change, -0.5):
        return t("wording.change.halved", lang)
    key = "wording.change.fallen" if change < 0 else "wording.change.risen"
    return t(key, lang, amount=pct(abs(change), 0, lang))


def _amount(e: Estimate, unit: str, lang: str, k: int) -> str:
    """``35% (97 starters)``; below 10% with a decimal, so that 4,4% and 3,6% do not both read 4%."""
    decimals = 1 if abs(e.estimate) < 0.095 else 0
    return f"{pct(e.estimate, decimals, lang)} ({n_text(e, k, lang)} {unit})"


def _small(evidence: Evidence, k: int) -> bool:
    groups = [evidence.outcome] + (
        [evidence.baseline] if evidence.kind in ("ratio", "difference") else []
    )
    return any(g is not None and is_small(g.n, k) for g in groups)


def verdict(result: TargetResult, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """The sentence for one evaluated target.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.evaluation.targets import Scope
    >>> target = load_programme("programmes/haaglanden-2013.yaml").targets[0]
    >>> ev = Evidence("ratio", Estimate(0.46, 0.27, 0.83, 330), Estimate(0.32, 0.24, 0.42, 97),
    ...               Estimate(0.15, 0.09, 0.24, 233), target_value=0.5, direction="at_most", null_value=1.0)
    >>> r = TargetResult(target, Scope("region", "regio", "Regio", {}), Status.GEHAALD, "reason.met_significant", {}, ev,
    ...                  subject="De uitval van starters binnen 3 jaar")
    >>> verdict(r)
    'De uitval van starters binnen 3 jaar is gehalveerd: van 32% (97 starters) in de nulmeting naar 15% (233 starters); met 95% zekerheid ligt de verandering tussen −73% en −17%.'
    """
    ev, what = result.evidence, result.subject or result.target.label(lang)
    if result.status is Status.NOG_NIET_MEETBAAR and ev.kind != "count":
        text = reason_text(result, lang, min_group)
        return t("verdict.not_measurable", lang, subject=what, reason=text)
    if ev.kind == "count":
        return _count_verdict(result, what, lang)
    if _small(ev, min_group):
        status = result.status.label(lang)
        return t("verdict.suppressed", lang, subject=what, status=status, min_group=min_group)
    if numbers_withheld(ev, min_group):
        status = result.status.label(lang)
        return t("verdict.hidden", lang, subject=what, status=status, min_group=min_group)
    if result.reason in ("reason.met_no_interval", "reason.not_met_no_interval"):
        return _figure_verdict(result, what, lang)
    if (
        result.status is Status.ONVOLDOENDE_GEGEVENS
        and result.reason in ("reason.too_few", "reason.not_estimable", "reason.no_data")
    ) or (ev.effect is None or math.isnan(ev.effect.ci_lower)):
        text = reason_text(result, lang, min_group)
        return t("verdict.insufficient", lang, subject=what, reason=text)
    return _estimate_verdict(result, what, lang, min_group)


def _count_verdict(result: TargetResult, what: str, lang: str) -> str:
    """Counts without sampling error: the latest milestone that is due decides."""
    target, ev, status = result.target, result.evidence, result.status
    due = [m for m in ev.milestones if m.due]
    if not due:
        first = ev.milestones[0] if ev.milestones else None
        year = format_school_year(first.year) if first else "?"
        return t("verdict.count.nog_niet_meetbaar", lang, subject=what, year=year)
    last, role = due[-1], result.reason_values.get("role", "")
    if target.shape == "go_no_go":
        met = status is Status.GEHAALD
        if target.measure_name == "selected":
            key = "verdict.go" if met else "verdict.no_go"
        else:
            key = "verdict.minimum.gehaald" if met else "verdict.minimum.niet_gehaald"
        selected = target.measure_name == "selected"
        count, minimum = (
            _count_of(last.count, role, lang, selected),
            amount_text(target.at_least, "", lang),
        )
        return t(key, lang, subject=what, count=count, minimum=minimum)
    key = status.value if status.value in ("gehaald", "op_koers") else "niet_gehaald"
    if status is Status.GEHAALD and last.above:
        key = "above"
    count = _count_of(last.count, role, lang)
    return t(
        f"verdict.count.{key}",
        lang,
        subject=what,
        count=count,
        year=last.label,
        plan=plan_text(last, lang),
    )


def _count_of(count: float, role: str, lang: str, selected: bool = False) -> str:
    """``het aantal trainers was 1``: the role's plural never has to agree with the count."""
    number = num(count, lang=lang)
    key = "verdict.count.selected_of_role" if selected else "verdict.count.of_role"
    return t(key, lang, role=role, count=number) if role else number


def _unit(result: TargetResult, lang: str) -> str:
    """What the measure counts (starters, respondents, ...), for "32% (97 starters)"."""
    unit, outcome = result.target.measure.unit, result.evidence.outcome
    if unit is not None:
        return t(unit, lang)
    return outcome.unit if outcome is not None and outcome.unit else t("unit.persons", lang)


def _estimate_verdict(result: TargetResult, what: str, lang: str, k: int) -> str:
    """An estimate with an interval: the sentence says no more than the interval allows."""
    target, ev, effect, unit = (
        result.target,
        result.evidence,
        result.evidence.effect,
        _unit(result, lang),
    )
    side_key = (
        "wording.side.bad" if result.reason == "reason.uncertain_bad" else "wording.side.good"
    )
    common = {"side": t(side_key, lang), "subject": what}
    key = f"verdict.{ev.kind}.{result.status.value}"
    if ev.kind == "ratio":
        return t(
            key,
            lang,
            **common,
            subject_lower=lower_first(what),
            change=_change_phrase(target.change, lang),
            baseline=_amount(ev.baseline, unit, lang, k),
            outcome=_amount(ev.outcome, unit, lang, k),
            low=_relative(effect.ci_lower, lang),
            high=_relative(effect.ci_upper, lang),
        )
    if ev.kind == "difference":
        return t(
            key,
            lang,
            **common,
            baseline=_amount(ev.baseline, unit, lang, k),
            outcome=_amount(ev.outcome, unit, lang, k),
            change=pp(effect.estimate, lang=lang),
            low=pp(effect.ci_lower, lang=lang),
            high=pp(effect.ci_upper, lang=lang),
            target=target_text(ev, lang),
        )
    return t(
        key,
        lang,
        **common,
        estimate=pct(effect.estimate, lang=lang),
        low=pct(effect.ci_lower, lang=lang),
        high=pct(effect.ci_upper, lang=lang),
        n=f"{n_text(effect, k, lang)} {unit}",
        target=pct(ev.target_value, 0, lang),
    )


def _figure_verdict(result: TargetResult, subject: str, lang: str) -> str:
    """A region's figure without n: its value decides, and the sentence says it has no interval.

    The target is written as in the targets table beside it (:func:`target_text`): a shortage
    that must fall by a tenth reads "−10% of meer" in both, not "hooguit −10%" here.
    """
    ev, unit = result.evidence, result.evidence.outcome.unit if result.evidence.outcome else ""
    if ev.kind == "ratio":
        value = _relative(ev.effect.estimate, lang)
    elif ev.kind == "difference":
        value = pp(ev.effect.estimate, lang=lang)
    elif ev.kind == "share":
        value = pct(ev.effect.estimate, lang=lang)
    else:
        value = amount_text(ev.effect.estimate, unit, lang)
    key = (
        "verdict.figure.gehaald"
        if result.status is Status.GEHAALD
        else "verdict.figure.niet_gehaald"
    )
    goal = target_text(ev, lang, leaving=result.target.measure.leaving)
    return t(key, lang, subject=subject, value=value, target=goal)
