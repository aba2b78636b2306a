"""Where and over which years a target is evaluated: a school's project locations, one
location, the region; its baseline and outcome periods.

Used by the evaluation and to list the counts a run publishes
(:mod:`evallib.evaluation.published`).
"""

from __future__ import annotations

from evallib.contract.programme import Programme, Target
from evallib.core.periods import Period
from evallib.core.text import t
from evallib.evaluation.evidence import Scope

Span = tuple[Period, Period]


def baseline_span(target: Target, programme: Programme) -> Span:
    """The target's baseline period: its ``from``, or the programme's baseline years."""
    first, last = programme.baseline_years
    return getattr(target, "from_", None) or (Period(first), Period(last))


def outcome_span(target: Target, programme: Programme) -> Span:
    """The target's outcome period: its ``to``, or the programme's years."""
    first, last = programme.programme_years
    return getattr(target, "to", None) or (Period(first), Period(last))


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
