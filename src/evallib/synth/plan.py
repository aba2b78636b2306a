"""What to simulate for a programme: derived from its targets, refined by its companion file.

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

The numbers planted (dropout, leaving rates, digital shares, survey shares, team and group
sizes) come from the companion file (:mod:`evallib.synth.settings`) where it gives them,
and otherwise from the targets: an effect is planted so that the target is met, except at
the *missing schools*, which miss their project's targets.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np

from evallib.contract.programme import Programme, Target
from evallib.synth.settings import Settings

DROPOUT_3Y = 0.30
STARTER_GROWTH = 2.2
INDUCTION_COHORTS = 4
AGE_BAND = (40, 55)
LEAVING = {"under_band": 0.08, "band": 0.05, "over_band": 0.03}
DIGITAL_OTHERS = (0.02, 0.03, 0.04, 0.05)
DIGITAL_CONCENTRATION = 20.0
STAFF_RESPONSE = 0.6
SURVEY_SHARE = 0.5
TEAM_SIZE = 15
BAND_SIZE = (12, 15)
PAIR_COUNT = (4, 6)
SENIOR_AGE = 50
EXPERIENCED_SIZE = 2
_KIND_OF_MEASURE = {"early_leaving": "band", "digital_share": "team", "selected": "selected"}
_STARTER_MEASURES = ("starter_dropout", "starter_outcomes")
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


@dataclass(frozen=True, kw_only=True)
class SynthPlan:
    """Everything the generator plants for one programme."""

    programme: Programme
    settings: Settings
    roles: tuple[RolePlan, ...]
    #: Projects whose starters should leave less (they have a ``starter_*`` target).
    starter_projects: frozenset[str]
    dropout_3y: dict[str, float]
    growth: float
    band: tuple[int, int]
    leaving: dict[str, float]
    digital_others: tuple[float, ...]
    digital_team: tuple[float, ...]
    digital_missed: tuple[float, ...]
    concentration: float
    #: Per survey item: (share everywhere, projects that move it, share in the last year).
    survey: dict[str, tuple[float, frozenset[str], float]]
    #: Per survey group: ("staff", share of staff) or ("fixed", respondents a location).
    response: dict[str, tuple[str, float]]
    missing: dict[str, frozenset[str]]

    def of_kind(self, kind: str) -> list[RolePlan]:
        return [r for r in self.roles if r.kind == kind]

    def projects_of_kind(self, kind: str) -> frozenset[str]:
        return frozenset(r.project for r in self.of_kind(kind))

    def treated(self, loc) -> bool:
        """Whether starters at a location are in a project that should cut their dropout."""
        return not self.starter_projects.isdisjoint(loc.projects)

    def needs_starters(self, loc) -> bool:
        """Whether a location pairs starters with seniors (and so hires more of them)."""
        return not self.projects_of_kind("pairs").isdisjoint(loc.projects)

    def misses(self, brin: str, project: str) -> bool:
        """Whether the school misses its targets in ``project``."""
        return brin in self.missing.get(project, ())

    def team_path(self, brin: str, projects: frozenset[str]) -> tuple[float, ...]:
        """Mean digital share of a school's teams per measured year."""
        own = self.settings.school(brin).digital_share
        if own is not None:
            return own
        teams = self.projects_of_kind("team") & projects
        return (
            self.digital_missed if any(self.misses(brin, p) for p in teams) else self.digital_team
        )


def make_plan(programme: Programme, settings: Settings) -> SynthPlan:
    """Derive what to simulate from the programme's targets and the companion file.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.synth.settings import load_settings
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> plan = make_plan(p, load_settings(p))
    >>> [(r.key, r.kind) for r in plan.roles][:3]
    [('starters/deelnemer', 'induction'), ('e-coaching/e-coach', 'selected'), ('e-coaching/teamlid', 'team')]
    """
    s = settings
    band_target = _first(programme, "early_leaving")
    band = (band_target.measure.min_age, band_target.measure.max_age) if band_target else AGE_BAND
    measured = _measured(programme)
    team = s.digital_share.team or _digital_path(programme, measured, True)
    return SynthPlan(
        programme=programme,
        settings=s,
        roles=tuple(_roles(programme, s)),
        starter_projects=frozenset(
            t.project for t in programme.targets if t.measure.name in _STARTER_MEASURES
        ),
        dropout_3y=_dropout(programme, s),
        growth=s.starters.growth or STARTER_GROWTH,
        band=band,
        leaving=_leaving(band_target, s),
        digital_others=s.digital_share.others or DIGITAL_OTHERS,
        digital_team=team,
        digital_missed=_digital_path(programme, measured, False),
        concentration=s.digital_share.concentration or DIGITAL_CONCENTRATION,
        survey=_survey(programme, s),
        response=_response(programme, s),
        missing=_missing(programme, s),
    )


def _measured(programme: Programme) -> int:
    """Measured years (hours, surveys): the year before the programme and its years."""
    first, last = programme.programme_years
    return last - first + 2


def _first(programme: Programme, measure: str) -> Target | None:
    return next((t for t in programme.targets if t.measure.name == measure), None)


def _dropout(programme: Programme, s: Settings) -> dict[str, float]:
    if s.starters.dropout_3y is not None:
        return s.starters.dropout_3y.model_dump()
    target = next(
        (
            t
            for t in programme.targets
            if t.measure.name == _STARTER_MEASURES[0] and t.shape == "relative_change"
        ),
        None,
    )
    change = target.change if target else -0.25
    return {"baseline": DROPOUT_3Y, "programme": round(DROPOUT_3Y * (1 + change), 4)}


def _leaving(target: Target | None, s: Settings) -> dict[str, float]:
    if s.leaving_per_year is not None:
        return s.leaving_per_year.model_dump()
    change = target.change if target is not None and target.shape == "relative_change" else 0.0
    helped = max(round(LEAVING["band"] * (1 + 2 * change), 4), 0.005)
    return {**LEAVING, "band_participants": helped}


def _digital_path(programme: Programme, n: int, meet: bool) -> tuple[float, ...]:
    """Team means over the ``n`` measured years that meet (or miss) the digital thresholds."""
    first = programme.programme_years[0] - 1
    anchors = {0: DIGITAL_OTHERS[0] + (0.03 if meet else 0.0)}
    for t in programme.targets:
        if t.measure.name == "digital_share" and t.shape == "threshold":
            margin = max(0.04, t.value / 4) * (1 if meet else -1)
            margin *= 1 if t.direction == "at_least" else -1
            anchors[min(max(t.year.year - first, 0), n - 1)] = max(t.value + margin, 0.005)
    if len(anchors) == 1:
        anchors[n - 1] = anchors[0] + (0.15 if meet else 0.02)
    x = sorted(anchors)
    values = np.interp(np.arange(n), x, [anchors[k] for k in x])
    return tuple(round(float(v), 4) for v in values)


def _survey(programme: Programme, s: Settings) -> dict[str, tuple[float, frozenset[str], float]]:
    out = {}
    for item in programme.survey.items:
        given = s.survey.shares.get(item)
        flat = given.start if given else SURVEY_SHARE
        targets = [
            t
            for t in programme.targets
            if t.measure.name == "survey_positive" and t.measure.item == item
        ]
        last = flat
        if targets:
            last = given.end if given and given.end is not None else _moved(flat, targets[0])
        out[item] = (flat, frozenset(t.project for t in targets), last)
    return out


def _moved(flat: float, t: Target) -> float:
    """A last-year share that meets the target."""
    sign = 1 if t.direction == "at_least" else -1
    if t.shape == "relative_change":
        value = flat * (1 + 2 * t.change)
    elif t.shape == "pp_change":
        value = flat + t.value + sign * 0.10
    else:
        value = t.value + sign * 0.10
    return round(min(max(value, 0.02), 0.98), 4)


def _response(programme: Programme, s: Settings) -> dict[str, tuple[str, float]]:
    out = {}
    for group in programme.survey.groups:
        given = s.survey.response.get(group)
        if given is not None and given.fixed is not None:
            out[group] = ("fixed", given.fixed)
        else:
            share = given.staff if given is not None and given.staff is not None else None
            out[group] = ("staff", STAFF_RESPONSE if share is None else share)
    return out


def _missing(programme: Programme, s: Settings) -> dict[str, frozenset[str]]:
    """Per project the schools that miss its targets: the companion's, or the project's last
    school when it has two or more and a target on school data that a school can miss."""
    if s.missing_schools is not None:
        return {project: frozenset(brins) for project, brins in s.missing_schools.items()}
    return {
        p.id: frozenset(list(p.participants)[-1:])
        for p in programme.projects
        if len(p.participants) > 1
        and any(t.measure.name != "indicator" and set(t.levels) - {"region"} for t in p.targets)
    }


# --- roles -----------------------------------------------------------------------------------


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
        starters = any(t.measure.name in _STARTER_MEASURES for t in project.targets)
        for role in project.roles:
            key = f"{project.id}/{role}"
            taken = any(kinds.get(f"{project.id}/{r}") == "induction" for r in project.roles)
            kinds.setdefault(key, "induction" if starters and not taken else "members")
    return kinds


def _roles(programme: Programme, s: Settings):
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
