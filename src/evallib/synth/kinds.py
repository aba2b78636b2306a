"""How each project role is filled in synthetic data: its kind, derived from the targets.

Each role of each project is simulated by one *kind* of choice (``docs/synthetic-data.md``):

============  =========================================================================
kind          who takes part                         default for the role of
============  =========================================================================
induction     every starter in their first years     a project with a ``starter_*`` target
band          teachers in an age band, in tranches   an ``early_leaving`` target
selected      young teachers selected in spring      a ``selected`` target
team          a team a school, kept year to year     a ``digital_share`` target
experienced   staff chosen in the first year         (companion file only)
pairs         a senior with a starter                (companion file only)
members       a planned number a location and year   every other role
============  =========================================================================

The sizes (team, group, band, pairs) come from the companion file where it gives them, and
otherwise from the count targets on the role.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from evallib.contract.programme import Programme, Target
from evallib.synth.settings import Settings

INDUCTION_COHORTS = 4
AGE_BAND = (40, 55)
TEAM_SIZE = 15
BAND_SIZE = (12, 15)
PAIR_COUNT = (4, 6)
SENIOR_AGE = 50
EXPERIENCED_SIZE = 2
_KIND_OF_MEASURE = {"early_leaving": "band", "digital_share": "team", "selected": "selected"}
STARTER_MEASURES = ("starter_dropout", "starter_outcomes")
LEVELS = ("location", "school", "region")


@dataclass(frozen=True, kw_only=True)
class RolePlan:
    """How the people of one project role are chosen (see the module docstring)."""

    project: str
    role: str
    kind: str
    #: ``experienced``: people a location; ``team``: people a school.
    size: int = 0
    #: ``band``: total participants a location; ``pairs``: pairs a school (a range).
    sizes: tuple[int, int] = (0, 0)
    #: ``band``: the age band; ``pairs``: the seniors' minimum age (and no maximum).
    ages: tuple[int, int] = AGE_BAND
    #: ``selected``: (programme year, size, selected by the date, the date) per group.
    groups: tuple[tuple[int, int | None, int | None, dt.date], ...] = ()
    partner: str | None = None
    cohorts: int = INDUCTION_COHORTS
    #: ``members``: whether the planned numbers count everyone so far (or those in the year).
    cumulative: bool = True
    #: The participants targets that count this role.
    targets: tuple[Target, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.project}/{self.role}"


def _kinds(programme: Programme, s: Settings) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for key, role in s.roles.items():
        if role.kind is not None:
            kinds[key] = role.kind
        if role.partner is not None:
            kinds[f"{key.split('/')[0]}/{role.partner}"] = "partner"
    for t in programme.targets:
        ref = programme.role_of(t)
        kind = _KIND_OF_MEASURE.get(t.measure.name)
        if ref is not None and kind is not None:
            kinds.setdefault("/".join(ref), kind)
    for project in programme.projects:
        starters = any(t.measure.name in STARTER_MEASURES for t in project.targets)
        for role in project.roles:
            key = f"{project.id}/{role}"
            taken = any(kinds.get(f"{project.id}/{r}") == "induction" for r in project.roles)
            kinds.setdefault(key, "induction" if starters and not taken else "members")
    return kinds


def role_plans(programme: Programme, s: Settings):
    """How each role of each project is filled (partners of ``pairs`` roles with their pair).

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.synth.settings import Settings
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> [(r.key, r.kind) for r in role_plans(p, Settings())][:3]
    [('starters/deelnemer', 'induction'), ('e-coaching/e-coach', 'selected'), ('e-coaching/teamlid', 'team')]
    """
    kinds = _kinds(programme, s)
    for project in programme.projects:
        for role in project.roles:
            key = f"{project.id}/{role}"
            if kinds[key] == "partner":
                continue
            counts = tuple(
                t
                for t in programme.targets
                if programme.role_of(t) == (project.id, role)
                and t.measure.name in ("participants", "selected")
            )
            yield _role(programme, s, project.id, role, kinds[key], counts)


def _role(
    programme: Programme, s: Settings, project: str, role: str, kind: str, counts: tuple
) -> RolePlan:
    given = s.roles.get(f"{project}/{role}")
    plan = RolePlan(project=project, role=role, kind=kind, targets=counts)
    best = finest(counts)
    if kind == "induction":
        return replace(plan, cohorts=s.starters.cohorts or INDUCTION_COHORTS)
    if kind == "band":
        m = next(
            (
                t.measure
                for t in programme.targets
                if programme.role_of(t) == (project, role) and t.measure.name == "early_leaving"
            ),
            None,
        )
        ages = (m.min_age, m.max_age) if m is not None else AGE_BAND
        return replace(plan, sizes=_range(best, "location", BAND_SIZE), ages=ages)
    if kind == "experienced":
        size = given.size if given and given.size is not None else _at_least(best, EXPERIENCED_SIZE)
        return replace(plan, size=size)
    if kind == "team":
        lo, hi = _range(best, "school", (TEAM_SIZE, TEAM_SIZE))
        size = given.size if given and given.size is not None else round((lo + hi) / 2)
        return replace(plan, size=size, sizes=(lo, hi))
    if kind == "pairs":
        min_age = given.min_age if given and given.min_age is not None else SENIOR_AGE
        return replace(
            plan,
            sizes=_range(best, "school", PAIR_COUNT),
            ages=(min_age, 200),
            partner=given.partner if given else None,
        )
    if kind == "selected":
        return replace(plan, groups=_groups(programme, given, counts))
    return replace(plan, cumulative=getattr(best.measure, "cumulative", True) if best else True)


def finest(targets: tuple[Target, ...]) -> Target | None:
    """The count target at the finest level (location, then school, then region)."""
    for level in LEVELS:
        for t in targets:
            if level in t.levels:
                return t
    return None


def _range(target: Target | None, level: str, default: tuple[int, int]) -> tuple[int, int]:
    """The planned range of the last milestone of a count target at ``level``."""
    if target is None or level not in target.levels or target.shape != "count_range":
        return default
    last = target.milestones[-1]
    lo = int(last.min) if last.min is not None else max(int(last.max) - 3, 0)
    hi = int(last.max) if last.max is not None else lo + 3
    return lo, hi


def _at_least(target: Target | None, default: int) -> int:
    if target is None or target.shape != "go_no_go" or "location" not in target.levels:
        return default
    return int(target.at_least)


def _groups(programme: Programme, given, counts: tuple[Target, ...]) -> tuple:
    """Selection groups: (programme year, size, selected by the date, date); size None: by size."""
    years = list(range(programme.programme_years[0], programme.programme_years[1] + 1))
    go = {t.year.year: t for t in counts if t.shape == "go_no_go" and t.by is not None}

    def deadline(year: int) -> dt.date:
        return go[year].by if year in go else dt.date(year, 5, 31)

    if given is not None and given.groups:
        return tuple(
            (y, g.size, g.on_time, deadline(y)) for y, g in zip(years, given.groups, strict=False)
        )
    cumulative = next(
        (t for t in counts if t.shape == "count_range" and t.measure.name == "participants"), None
    )
    if cumulative is not None and cumulative.measure.cumulative:
        out, before = [], 0
        for ms in cumulative.milestones:
            total = math.ceil(ms.min if ms.min is not None else 0.8 * ms.max)
            size = max(total - before, 1)
            out.append(
                (ms.year.year, size, _on_time(go.get(ms.year.year), size), deadline(ms.year.year))
            )
            before = total
        return tuple(out)
    if go:
        return tuple(
            (y, t.at_least + max(2, t.at_least // 4), t.at_least + 1, t.by)
            for y, t in sorted(go.items())
        )
    return tuple((y, None, None, deadline(y)) for y in years)


def _on_time(target: Target | None, size: int) -> int:
    return min(size, target.at_least + 2) if target is not None else size - size // 10
