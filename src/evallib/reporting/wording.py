"""How evidence is written in a report: numbers with n, intervals, one-line verdicts.

A percentage is never written without its n, and an interval is written as
"95%: a tot b" ("95%: a to b" in English). A number resting on fewer than ``min_group`` persons is written
as suppressed (:mod:`evallib.evaluation.privacy`). All texts come from :mod:`evallib.core.text`.
"""

from __future__ import annotations

import math

from evallib.core.text import num, pct, pp, t
from evallib.evaluation.chance import stated_chances
from evallib.evaluation.evidence import MilestoneResult
from evallib.evaluation.measures.indicators import AMOUNT, WITHOUT_N
from evallib.evaluation.privacy import (
    MIN_GROUP,
    SUPPRESSED,
    count_text,
    hidden,
    is_small,
    reveals_count,
)
from evallib.evaluation.targets import Evidence, TargetResult
from evallib.stats.estimates import Estimate


def amount_text(x: float, unit: str, lang: str = "nl") -> str:
    """An amount in its unit, with a decimal only where it has one.

    >>> amount_text(68.0, "fte"), amount_text(42.5, "fte", "en")
    ('68 fte', '42.5 fte')
    """
    return f"{num(x, 0 if float(x).is_integer() else 1, lang)} {unit}".strip()


def plan_text(milestone: MilestoneResult, lang: str = "nl") -> str:
    """A milestone's planned range, its numbers as ``lang`` writes them.

    >>> m = MilestoneResult(2024, 1943, 1619, None, True)
    >>> plan_text(m), plan_text(m, "en"), plan_text(MilestoneResult(2015, 3, 4, 6, True))
    ('≥ 1.619', '≥ 1,619', '4–6')
    """
    low, high = (
        None if v is None else amount_text(v, "", lang) for v in (milestone.min, milestone.max)
    )
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"≥ {low}" if low is not None else f"≤ {high}"


def _nan(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def share_with_n(e: Estimate | None, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """A share with its n, e.g. ``24,3% (n = 58)``; suppressed for a small group.

    Examples
    --------
    >>> share_with_n(Estimate(0.243, 0.18, 0.31, 58))
    '24,3% (n = 58)'
    >>> share_with_n(Estimate(0.2, 0.04, 0.62, 5))
    'onderdrukt (n minder dan 10)'
    >>> share_with_n(Estimate(0.2, 0.04, 0.62, 5), "en")
    'suppressed (n fewer than 10)'
    >>> share_with_n(Estimate(0.24, 0.1, 0.4, 29, method="kaplan-meier"))  # 24% of 29: 7 left
    'onderdrukt (n = 29)'
    >>> share_with_n(Estimate(0.3, 0.2, 0.4, 38, share_hidden=True))  # its leavers hidden by the run
    'onderdrukt (n = 38)'

    A region's figure from the indicator file has no n: an amount in its unit, a share as it
    came.

    >>> share_with_n(Estimate(68.0, math.nan, math.nan, 0, method=AMOUNT, unit="fte"))
    '68 fte'
    >>> share_with_n(Estimate(0.2, math.nan, math.nan, 0, method=WITHOUT_N))
    '20,0%'
    """
    if e is None:
        return "–"
    if e.method in (AMOUNT, WITHOUT_N):  # a region's figure: no n to show, nothing to protect
        if _nan(e.estimate):
            return "–"
        return (
            amount_text(e.estimate, e.unit, lang)
            if e.method == AMOUNT
            else pct(e.estimate, lang=lang)
        )
    if is_small(e.n, min_group):
        return f"{SUPPRESSED[lang]} (n {count_text(e.n, min_group, lang)})"
    if e.hidden:  # hidden by the run with its n: together with other numbers they reveal a group
        return SUPPRESSED[lang]
    if _nan(e.estimate):
        return f"– (n = {num(e.n, lang=lang)})"
    if e.share_hidden or reveals_count(e, min_group):  # p·n would give a count away
        return f"{SUPPRESSED[lang]} (n = {num(e.n, lang=lang)})"
    return f"{pct(e.estimate, lang=lang)} (n = {num(e.n, lang=lang)})"


#: A ratio above this is read as "no upper bound" (the data cannot bound the change).
UNBOUNDED = 10.0


def _relative(x: float, lang: str) -> str:
    if _nan(x):
        return "–"
    if math.isinf(x) or x >= UNBOUNDED:
        return t("wording.no_upper_bound", lang)
    change = x - 1
    shown = pct(abs(change), 0, lang)
    if shown.startswith(("0%", "0 %")):  # no "−0%"
        return shown
    return ("+" if change >= 0 else "−") + shown


def _suppressed(evidence: Evidence, min_group: int) -> bool:
    groups = [evidence.outcome] + (
        [evidence.baseline] if evidence.kind in ("ratio", "difference") else []
    )
    return any(hidden(g, min_group) for g in groups)


def numbers_withheld(evidence: Evidence, min_group: int = MIN_GROUP) -> bool:
    """Whether a report withholds a number a status rests on: a group's, or the effect itself.

    Examples
    --------
    >>> numbers_withheld(Evidence("share", outcome=Estimate(0.3, 0.2, 0.4, 80)))
    False
    >>> numbers_withheld(Evidence("share", outcome=Estimate(0.3, 0.2, 0.4, 80, share_hidden=True)))
    True
    """
    return _suppressed(evidence, min_group) or hidden(evidence.effect, min_group)


def effect_text(evidence: Evidence, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """The number the decision is about, with its 95% interval.

    Examples
    --------
    >>> ev = Evidence("ratio", effect=Estimate(0.48, 0.25, 0.91, 120))
    >>> effect_text(ev)
    '−52% t.o.v. nulmeting (95%: −75% tot −9%)'
    >>> effect_text(ev, "en")
    '−52% vs baseline (95%: −75% to −9%)'
    """
    e = evidence.effect
    if evidence.kind == "count":
        last = [m for m in evidence.milestones if m.due] or list(evidence.milestones)
        # people in a programme role are a fact about the programme, not a person's outcome
        return num(last[-1].count, lang=lang) if last else "–"
    if _suppressed(evidence, min_group):
        return SUPPRESSED[lang]
    if e is None or _nan(e.estimate):
        return "–"
    if evidence.kind == "ratio":
        fmt = _relative
        versus = t("wording.versus_baseline", lang)
    elif evidence.kind == "difference":
        fmt, versus = (lambda x, lang: pp(x, lang=lang)), ""
    elif evidence.kind == "amount":

        def fmt(x: float, lang: str) -> str:
            return amount_text(x, e.unit, lang)

        versus = ""
    else:
        fmt, versus = (lambda x, lang: pct(x, lang=lang)), ""
    interval = (
        ""
        if _nan(e.ci_lower)
        else t("wording.interval", lang, low=fmt(e.ci_lower, lang), high=fmt(e.ci_upper, lang))
    )
    return f"{fmt(e.estimate, lang)}{versus}{interval}"


def target_text(evidence: Evidence, lang: str = "nl", leaving: bool = False) -> str:
    """What the target asks, in the unit of the evidence.

    ``leaving``: the measure counts persons who leave (``Measure.leaving``), so a fall is
    named as one in dropout.

    Examples
    --------
    >>> target_text(Evidence("ratio", target_value=0.5, direction="at_most"), leaving=True)
    'uitval −50% of meer'
    >>> target_text(Evidence("ratio", target_value=0.9, direction="at_most"))  # e.g. a shortage
    '−10% of meer'
    >>> target_text(Evidence("share", target_value=0.1, direction="at_least"))
    'ten minste 10%'
    >>> target_text(Evidence("ratio", target_value=0.5, direction="at_most"), "en", leaving=True)
    'dropout −50% or more'
    >>> target_text(Evidence("difference", target_value=0.0, direction="at_least"), "en")
    'at least a rise'
    """
    value = evidence.target_value
    if evidence.kind == "count":
        return "; ".join(f"{plan_text(m, lang)} ({_year(m.year)})" for m in evidence.milestones)
    if value is None:
        return "–"
    if evidence.kind == "ratio":
        change = _relative(value, lang)
        key = "dropout_change" if evidence.direction == "at_most" and leaving else "change"
        return t(f"wording.target.{key}", lang, change=change)
    bound = (
        "wording.target.at_least" if evidence.direction == "at_least" else "wording.target.at_most"
    )
    if evidence.kind == "difference":
        if value:
            shown = pp(value, lang=lang)
        else:
            shown = t(
                "wording.target.a_rise"
                if evidence.direction == "at_least"
                else "wording.target.a_fall",
                lang,
            )
        return t(bound, lang, value=shown)
    if evidence.kind == "amount":
        unit = evidence.outcome.unit if evidence.outcome is not None else ""
        return t(bound, lang, value=amount_text(value, unit, lang))
    return t(bound, lang, value=pct(value, 0, lang))


def _year(year: int) -> str:
    from evallib.core.dates import format_school_year

    return format_school_year(year)


def reason_text(result: TargetResult, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """The reason behind a status, with counts of small groups suppressed.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.evaluation.targets import Scope, Status
    >>> target = next(t for t in load_programme("programmes/haaglanden-2013.yaml").targets if t.id == "duo-per-school")
    >>> plan = MilestoneResult(2015, 3, 4, 6, True)
    >>> r = TargetResult(target, Scope("school", "02GP", "Rijnlands Lyceum", {}), Status.NIET_GEHAALD,
    ...                  "reason.milestone_missed", {"year": "2015/16", "count": 3, "plan": plan})
    >>> reason_text(r)
    'Mijlpaal 2015/16 niet gehaald: 3 (gepland 4–6).'
    """
    shown = {
        "n": lambda v: count_text(v, min_group, lang),
        "count": lambda v: num(v, lang=lang),
        "plan": lambda v: plan_text(v, lang),  # a milestone, in this language's numbers
    }
    values = {k: shown[k](v) if k in shown else v for k, v in result.reason_values.items()}
    reason = result.reason
    if reason in _SIDE_OF_TARGET and numbers_withheld(result.evidence, min_group):
        reason = "reason.uncertain_withheld"  # the side would bound a number the report withholds
    return t(reason, lang, **values)


#: Reasons that say on which side of the target an estimate lies, beyond what its status says.
_SIDE_OF_TARGET = ("reason.uncertain_good", "reason.uncertain_bad")


def sentence(result: TargetResult, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """One sentence with the verdict and the reason.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.evaluation.targets import Scope, Status
    >>> target = load_programme("programmes/haaglanden-2013.yaml").targets[0]
    >>> r = TargetResult(target, Scope("school", "14WE", "Adelbert College", {}), Status.ONVOLDOENDE_GEGEVENS,
    ...                  "reason.too_few", {"group": "de nulmeting", "n": 6, "min_n": 10})
    >>> sentence(r)
    'Onvoldoende gegevens. Te weinig gegevens: de nulmeting heeft minder dan 10 personen.'
    """
    status = result.status.label(lang)
    return f"{status[0].upper()}{status[1:]}. {reason_text(result, lang, min_group)}"


def power_text(evidence: Evidence, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """How sure a status can be at these n: the chance of *gehaald* if the target is met
    exactly (kept small by the rule) and if it is clearly exceeded.

    Simulated from the evidence's design (:mod:`evallib.evaluation.chance`), in whole percents;
    an estimate without a design keeps the normal approximation, with a decimal below 10%.

    Examples
    --------
    >>> from evallib.stats.power import Chances
    >>> ev = Evidence("ratio", target_value=0.5, chances=Chances(0.025, 0.66, 0.25))
    >>> power_text(ev)
    'Hoe zeker: met deze aantallen zegt dit rapport ‘gehaald’ met een kans van 2,5% als het doel precies gehaald wordt, en van 66% als de werkelijke verandering −75% is.'
    """
    if _suppressed(evidence, min_group):
        return ""
    chance = stated_chances(evidence)
    if chance is None or _nan(chance.clear):
        return ""
    if evidence.kind == "ratio":
        key, value = "power.chance_change", _relative(chance.clear_value, lang)
    elif evidence.kind == "difference":
        key, value = "power.chance_change", pp(chance.clear_value, lang=lang)
    else:
        key, value = "power.chance_value", pct(chance.clear_value, 0, lang)

    def chance_pct(x: float) -> str:
        if chance.simulated:  # a share of simulated data sets: whole percents, never a bare 0%
            return t("power.almost_none", lang) if round(x * 100) == 0 else pct(x, 0, lang)
        return pct(x, 1 if x < 0.095 else 0, lang)  # small chances keep a decimal: 2,5%

    return t(key, lang, exact=chance_pct(chance.exact), clear=chance_pct(chance.clear), value=value)


def chance_at_target(evidence: Evidence, alpha: float = 0.05, min_group: int = MIN_GROUP) -> float:
    """The chance of a *gehaald* by chance alone, were this target exactly on its bound: the
    simulated chance the report states, or α/2 (what the rule aims at) where it states none.

    Examples
    --------
    >>> chance_at_target(Evidence("ratio", target_value=0.5))
    0.025
    """
    chance = None if _suppressed(evidence, min_group) else stated_chances(evidence)
    return alpha / 2 if chance is None or _nan(chance.exact) else chance.exact


def interval_text(e: Estimate, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """A share with its interval, e.g. ``24,3% (17,0–33,1%)``; '–' when not estimable.

    Examples
    --------
    >>> interval_text(Estimate(0.243, 0.17, 0.331, 58))
    '24,3% (17,0–33,1%)'
    """
    if hidden(e, min_group):
        return SUPPRESSED[lang]
    if e is None or _nan(e.estimate) or _nan(e.ci_lower):
        return "–"
    return f"{pct(e.estimate, lang=lang)} ({pct(e.ci_lower, lang=lang)[:-1]}–{pct(e.ci_upper, lang=lang)})"


def share_interval_text(e: Estimate, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """A share with its interval and n, e.g. ``40,0% (19,8–64,3%; n = 15)``.

    The count behind the share is not written: it may be a small group.

    Examples
    --------
    >>> share_interval_text(Estimate(0.4, 0.198, 0.643, 15, 6))
    '40,0% (19,8–64,3%; n = 15)'
    >>> share_interval_text(Estimate(0.0, 0.0, 0.4, 6, 0))
    'onderdrukt (n minder dan 10)'
    """
    if e is None or e.n == 0:
        return "–"
    if is_small(e.n, min_group) or e.hidden:
        return f"{SUPPRESSED[lang]} (n {count_text(e.n, min_group, lang, e.hidden)})"
    if e.share_hidden or reveals_count(e, min_group):
        return f"{SUPPRESSED[lang]} (n = {num(e.n, lang=lang)})"
    return f"{interval_text(e, lang, min_group)[:-1]}; n = {num(e.n, lang=lang)})"


def mean_text(e: Estimate, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """A mean score with its interval, e.g. ``3,62 (3,48–3,76)``; suppressed for a small group.

    Examples
    --------
    >>> mean_text(Estimate(3.62, 3.48, 3.76, 80))
    '3,62 (3,48–3,76)'
    """
    if e is None or _nan(e.estimate):
        return "–"
    if hidden(e, min_group):
        return SUPPRESSED[lang]
    interval = (
        "" if _nan(e.ci_lower) else f" ({num(e.ci_lower, 2, lang)}–{num(e.ci_upper, 2, lang)})"
    )
    return f"{num(e.estimate, 2, lang)}{interval}"
