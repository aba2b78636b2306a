"""What to simulate for a programme: derived from its targets, refined by its companion file.

:func:`make_plan` gathers everything the generator plants: how each project role is filled
(:mod:`evallib.synth.kinds`), starter dropout, leaving rates in an age band, the digital
share of teams, survey shares and respondents, and the schools that miss their project's
targets. The numbers come from the companion file (:mod:`evallib.synth.settings`) where it
gives them, and otherwise from the targets: an effect is planted so that the target is met,
except at the *missing schools*, which miss their project's targets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evallib.contract.programme import Programme, Target
from evallib.synth.kinds import AGE_BAND, STARTER_MEASURES, RolePlan, role_plans
from evallib.synth.settings import Response, Settings

DROPOUT_3Y = 0.30
STARTER_GROWTH = 2.2
LEAVING = {"under_band": 0.08, "band": 0.05, "over_band": 0.03}
DIGITAL_OTHERS = (0.02, 0.03, 0.04, 0.05)
DIGITAL_CONCENTRATION = 20.0
STAFF_RESPONSE = 0.6
SURVEY_SHARE = 0.5


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

    def treated(self, projects: frozenset[str]) -> bool:
        """Whether starters at a location in ``projects`` should leave less."""
        return not self.starter_projects.isdisjoint(projects)

    def needs_starters(self, projects: frozenset[str]) -> bool:
        """Whether a location in ``projects`` pairs starters with seniors (so hires more of them)."""
        return not self.projects_of_kind("pairs").isdisjoint(projects)

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
        roles=tuple(role_plans(programme, s)),
        starter_projects=frozenset(
            t.project for t in programme.targets if t.measure.name in STARTER_MEASURES
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
            if t.measure.name == STARTER_MEASURES[0] and t.shape == "relative_change"
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
        given = s.survey.response.get(group) or Response()
        if given.fixed is not None:
            out[group] = ("fixed", given.fixed)
        else:
            out[group] = ("staff", STAFF_RESPONSE if given.staff is None else given.staff)
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
