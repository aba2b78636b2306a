"""One generated sentence per target: what was measured, against what, and how sure.

For example: "De uitval van starters is gehalveerd: van 32% (97 starters) in de
nulmeting naar 15% (233 starters); met 95% zekerheid ligt de verandering tussen
−73% en −17%." The sentence templates live in :mod:`evallib.text` (one per kind
of evidence and status); this module only fills them in, through
:mod:`evallib.privacy`, so a small group's numbers never appear.
"""

from __future__ import annotations

import math

from .dates import format_school_year
from .privacy import MIN_GROUP, count_text, is_small
from .programme import Target
from .stats import Estimate
from .status import Status
from .targets import Evidence, TargetResult
from .text import pct, pp, t
from .wording import _relative, reason_text, target_text

_UNITS = {
    "starter_dropout": "starters",
    "starter_outcomes": "starters",
    "midcareer_leaving": "docenten",
    "survey_positive": "respondenten",
    "digital_share": "teamleden",
}


def subject(target: Target, lang: str = "nl") -> str:
    """What a target is about, as the subject of a sentence.

    Examples
    --------
    >>> from evallib.programme import load_programme
    >>> [subject(t) for t in load_programme("programmes/haaglanden-2013.yaml").targets][:2]
    ['De uitval van starters binnen 3 jaar', 'Het aandeel starters dat binnen 3 jaar het onderwijs verliet']
    """
    m = target.measure
    name = target.measure_name
    if name == "starter_dropout":
        return f"De uitval van starters binnen {m.get('years', 3)} jaar"
    if name == "starter_outcomes":
        return f"Het aandeel starters dat binnen {m.get('years', 3)} jaar het onderwijs verliet"
    if name == "midcareer_leaving":
        return (
            f"De vroege uitval van deelnemers ({m.get('min_age', 40)}–{m.get('max_age', 55)} jaar)"
        )
    if name == "survey_positive":
        return f"Het aandeel {m['group']} dat positief is over {t('item.' + m['item'], lang)}"
    if name == "digital_share":
        return f"Het aandeel lesuren met digitale didactiek in het e-coachingteam in {m['year']}"
    return target.title


def _change_phrase(change: float) -> str:
    if math.isclose(change, -0.5):
        return "gehalveerd"
    word = "gedaald" if change < 0 else "gestegen"
    return f"met ten minste {pct(abs(change), 0)} {word}"


def _amount(e: Estimate, unit: str, lang: str, k: int) -> str:
    return f"{pct(e.estimate, 0, lang)} ({count_text(e.n, k, lang)} {unit})"


def _small(evidence: Evidence, k: int) -> bool:
    groups = [evidence.outcome] + (
        [evidence.baseline] if evidence.kind in ("ratio", "difference") else []
    )
    return any(g is not None and is_small(g.n, k) for g in groups)


def verdict(result: TargetResult, lang: str = "nl", min_group: int = MIN_GROUP) -> str:
    """The sentence for one evaluated target.

    Examples
    --------
    >>> from evallib.programme import load_programme
    >>> from evallib.targets import Scope
    >>> target = load_programme("programmes/haaglanden-2013.yaml").targets[0]
    >>> ev = Evidence("ratio", Estimate(0.46, 0.27, 0.83, 330), Estimate(0.32, 0.24, 0.42, 97),
    ...               Estimate(0.15, 0.09, 0.24, 233), target_value=0.5, direction="at_most", null_value=1.0)
    >>> r = TargetResult(target, Scope("region", "regio", "Regio", {}), Status.GEHAALD, "reason.met_significant", {}, ev)
    >>> verdict(r)
    'De uitval van starters binnen 3 jaar is gehalveerd: van 32% (97 starters) in de nulmeting naar 15% (233 starters); met 95% zekerheid ligt de verandering tussen −73% en −17%.'
    """
    target, ev, status, k = result.target, result.evidence, result.status, min_group
    what = subject(target, lang)
    if status is Status.NOG_NIET_MEETBAAR and ev.kind != "count":
        return t("verdict.not_measurable", lang, subject=what, reason=reason_text(result, lang, k))
    if ev.kind == "count":
        due = [m for m in ev.milestones if m.due]
        if not due:
            first = ev.milestones[0] if ev.milestones else None
            return t(
                "verdict.count.nog_niet_meetbaar",
                lang,
                subject=what,
                year=format_school_year(first.year) if first else "?",
            )
        last = due[-1]
        if target.shape == "go_no_go":
            return t(
                "verdict.go" if status is Status.GEHAALD else "verdict.no_go",
                lang,
                subject=what,
                count=count_text(last.count, k, lang),
                minimum=f"{target.at_least:g}",
            )
        key = (
            status.value
            if status.value in ("gehaald", "op_koers", "niet_gehaald")
            else "niet_gehaald"
        )
        if status is Status.GEHAALD and last.above:
            key = "above"
        return t(
            f"verdict.count.{key}",
            lang,
            subject=what,
            count=count_text(last.count, k, lang),
            year=format_school_year(last.year),
            plan=last.plan(),
        )
    if _small(ev, k):
        return t("verdict.suppressed", lang, subject=what, status=status.label(lang), min_group=k)
    effect = ev.effect
    if (
        (
            status is Status.ONVOLDOENDE_GEGEVENS
            and result.reason in ("reason.too_few", "reason.not_estimable", "reason.no_data")
        )
        or effect is None
        or math.isnan(effect.ci_lower)
    ):
        return t("verdict.insufficient", lang, subject=what, reason=reason_text(result, lang, k))
    unit = _UNITS.get(target.measure_name, "personen")
    key = f"verdict.{ev.kind}.{status.value}"
    if ev.kind == "ratio":
        return t(
            key,
            lang,
            subject=what,
            subject_lower=what[0].lower() + what[1:],
            change=_change_phrase(target.change),
            baseline=_amount(ev.baseline, unit, lang, k),
            outcome=_amount(ev.outcome, unit, lang, k),
            low=_relative(effect.ci_lower, lang),
            high=_relative(effect.ci_upper, lang),
        )
    if ev.kind == "difference":
        return t(
            key,
            lang,
            subject=what,
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
        subject=what,
        estimate=pct(effect.estimate, lang=lang),
        low=pct(effect.ci_lower, lang=lang),
        high=pct(effect.ci_upper, lang=lang),
        n=f"{count_text(effect.n, k, lang)} {unit}",
        target=pct(ev.target_value, 0, lang),
    )
