"""What a target is about, as the subject of a sentence ("De uitval van starters binnen 3 jaar").

The words come from the catalogue (``wording.subject.<measure>``), filled in with the
measure's parameters and the programme's own words for its roles and survey items.
"""

from __future__ import annotations

from evallib.contract.programme import Programme, Target
from evallib.core.text import t


def _period(target: Target, programme: Programme) -> str:
    """The period a target speaks of: its year, or its outcome period."""
    if getattr(target, "year", None) is not None:
        return target.year.label
    last = target.to[-1].label if getattr(target, "to", None) else None
    return last or f"{programme.programme_years[1]}"


def subject(target: Target, programme: Programme, lang: str = "nl") -> str:
    """The subject of a verdict sentence about ``target``.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> [subject(t, p) for t in p.targets][:2]
    ['De uitval van starters binnen 3 jaar', 'Het aandeel starters dat binnen 3 jaar het onderwijs verliet']
    >>> subject(p.targets[0], p, "en")
    'Dropout of starting teachers within 3 years'
    """
    m = target.measure
    key = f"wording.subject.{m.name}"
    if m.name in ("starter_dropout", "starter_outcomes"):
        return t(key, lang, years=m.years)
    if m.name in ("early_leaving", "digital_share"):
        project, role = programme.role_of(target)
        words = programme.project(project).role_label(role, lang)
        if m.name == "early_leaving":
            return t(key, lang, role=words, min_age=m.min_age, max_age=m.max_age)
        return t(key, lang, team=words, year=_period(target, programme))
    if m.name == "survey_positive":
        survey = programme.survey
        return t(
            key,
            lang,
            group=survey.groups[m.group].text(lang),
            item=survey.items[m.item].about(lang),
        )
    if m.name == "indicator":
        return programme.indicator(m.indicator).label(lang)
    return target.label(lang)
