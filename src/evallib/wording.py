"""How evidence is written in a report: numbers with n, intervals, one-line verdicts.

A percentage is never written without its n, and an interval is written as
"95%: a tot b". All texts come from :mod:`evallib.text`.
"""

from __future__ import annotations

import math

from .stats import Estimate
from .targets import Evidence, TargetResult
from .text import num, pct, pp


def _nan(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def share_with_n(e: Estimate | None, lang: str = "nl") -> str:
    """A share with its n, e.g. ``24,3% (n = 58)``.

    Examples
    --------
    >>> share_with_n(Estimate(0.243, 0.18, 0.31, 58))
    '24,3% (n = 58)'
    """
    if e is None:
        return "–"
    if _nan(e.estimate):
        return f"– (n = {num(e.n, lang=lang)})"
    return f"{pct(e.estimate, lang=lang)} (n = {num(e.n, lang=lang)})"


def _relative(x: float, lang: str) -> str:
    if _nan(x):
        return "–"
    if math.isinf(x):
        return "∞"
    change = x - 1
    return ("+" if change >= 0 else "−") + pct(abs(change), 0, lang)


def effect_text(evidence: Evidence, lang: str = "nl") -> str:
    """The number the decision is about, with its 95% interval.

    Examples
    --------
    >>> ev = Evidence("ratio", effect=Estimate(0.48, 0.25, 0.91, 120))
    >>> effect_text(ev)
    '−52% t.o.v. nulmeting (95%: −75% tot −9%)'
    """
    e = evidence.effect
    if evidence.kind == "count":
        last = [m for m in evidence.milestones if m.due] or list(evidence.milestones)
        return f"{num(last[-1].count, lang=lang)}" if last else "–"
    if e is None or _nan(e.estimate):
        return "–"
    versus = " t.o.v. nulmeting" if lang == "nl" else " vs baseline"
    if evidence.kind == "ratio":
        interval = (
            ""
            if _nan(e.ci_lower)
            else f" (95%: {_relative(e.ci_lower, lang)} tot {_relative(e.ci_upper, lang)})"
        )
        return f"{_relative(e.estimate, lang)}{versus}{interval}"
    if evidence.kind == "difference":
        interval = (
            ""
            if _nan(e.ci_lower)
            else f" (95%: {pp(e.ci_lower, lang=lang)} tot {pp(e.ci_upper, lang=lang)})"
        )
        return f"{pp(e.estimate, lang=lang)}{interval}"
    interval = (
        ""
        if _nan(e.ci_lower)
        else f" (95%: {pct(e.ci_lower, lang=lang)} tot {pct(e.ci_upper, lang=lang)})"
    )
    return f"{pct(e.estimate, lang=lang)}{interval}"


def target_text(evidence: Evidence, lang: str = "nl") -> str:
    """What the target asks, in the unit of the evidence.

    Examples
    --------
    >>> target_text(Evidence("ratio", target_value=0.5, direction="at_most"))
    'uitval −50% of meer'
    >>> target_text(Evidence("share", target_value=0.1, direction="at_least"))
    'ten minste 10%'
    """
    value = evidence.target_value
    if evidence.kind == "count":
        return "; ".join(f"{m.plan()} ({_year(m.year)})" for m in evidence.milestones)
    if value is None:
        return "–"
    if evidence.kind == "ratio":
        change = _relative(value, lang)
        more = " of meer" if lang == "nl" else " or more"
        return f"{'uitval ' if evidence.direction == 'at_most' else ''}{change}{more}"
    if evidence.kind == "difference":
        word = "ten minste " if evidence.direction == "at_least" else "hooguit "
        return word + (
            pp(value, lang=lang)
            if value
            else "een stijging"
            if evidence.direction == "at_least"
            else "een daling"
        )
    word = "ten minste " if evidence.direction == "at_least" else "hooguit "
    return word + pct(value, 0, lang)


def _year(year: int) -> str:
    from .dates import format_school_year

    return format_school_year(year)


def sentence(result: TargetResult, lang: str = "nl") -> str:
    """One sentence with the verdict and the reason.

    Examples
    --------
    >>> from evallib.programme import load_programme
    >>> from evallib.targets import Scope, Status
    >>> target = load_programme("programmes/haaglanden-2013.yaml").targets[0]
    >>> r = TargetResult(target, Scope("school", "14WE", "Adelbert College", {}), Status.ONVOLDOENDE_GEGEVENS,
    ...                  "reason.too_few", {"group": "de nulmeting", "n": 6, "min_n": 10})
    >>> sentence(r)
    'Onvoldoende gegevens. Te weinig gegevens: de nulmeting heeft 6 personen, minimaal 10 nodig.'
    """
    status = result.status.label(lang)
    return f"{status[0].upper()}{status[1:]}. {result.reason_text(lang)}"
