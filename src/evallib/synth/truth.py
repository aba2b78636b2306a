"""The planted truth, as ``planted.json`` records it: settings, and per school and location.

Part of :mod:`evallib.synth`. The keys are read back by
:mod:`evallib.evaluation.recovery`, which compares them with evallib's estimates; the
names that depend on the programme (an age band, a project) are made by
:mod:`evallib.evaluation.planted`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evallib.core.dates import format_school_year
from evallib.evaluation.planted import leaving_keys
from evallib.synth.days import Calendar, school_year_of
from evallib.synth.plan import SynthPlan
from evallib.synth.staff import PUPILS_PER_TEACHER, Location, dropout


def planted_settings(cal: Calendar, plan: SynthPlan) -> dict:
    """The generator's global planted settings, for ``planted.json``."""
    low, high = plan.band
    bands = sorted(r.project for r in plan.of_kind("band"))
    keys = leaving_keys(low, high, bands)
    rates = {
        keys["under_band"]: plan.leaving["under_band"],
        keys["band"]: plan.leaving["band"],
        keys["over_band"]: plan.leaving["over_band"],
    }
    rates.update({keys[project]: plan.leaving["band_participants"] for project in bands})
    return {
        "starter_dropout_3y": plan.dropout_3y,
        "starter_hazard_per_year": {k: -np.log(1 - v) / 3 for k, v in plan.dropout_3y.items()},
        "leaving_per_year_non_retirement": rates,
        "digital_share_mean_others": cal.by_year(plan.digital_others),
        "digital_share_concentration": plan.concentration,
        "pupils_per_teacher": PUPILS_PER_TEACHER,
        "survey_response": {group: value for group, (_, value) in plan.response.items()},
    }


def survey_share(loc: Location, item: str, k: int, n_years: int, plan: SynthPlan) -> float:
    """Planted share scoring 4 or 5 on ``item`` at ``loc`` in the ``k``-th measured year.

    The share rises from its flat value to its last-year value at the locations of the
    projects whose targets should move it (unless the school misses them).

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.synth.plan import make_plan
    >>> from evallib.synth.settings import Settings
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> plan = make_plan(p, Settings())
    >>> item = p.targets[-1].measure.item
    >>> loc = Location("02GP", "00", "Rijnlands", 900, frozenset({p.targets[-1].project}), False)
    >>> [survey_share(loc, item, k, 4, plan) for k in range(4)]
    [0.5, 0.5, 0.5, 0.5]
    >>> loc = Location("20BC", "00", "ONC", 900, frozenset({p.targets[-1].project}), False)
    >>> [round(survey_share(loc, item, k, 4, plan), 3) for k in range(4)]
    [0.5, 0.533, 0.567, 0.6]
    """
    flat, projects, last = plan.survey[item]
    moving = [p for p in projects & loc.projects if not plan.misses(loc.brin, p)]
    if not moving:
        return flat
    last = plan.settings.location(loc.brin, loc.code).survey.get(item, last)
    return flat + (last - flat) * k / max(n_years - 1, 1)


def in_team(rows: pd.DataFrame, plan: SynthPlan) -> np.ndarray:
    """Which participation rows are in a ``team`` role (whose teaching hours are followed)."""
    teams = {(r.project, r.role) for r in plan.of_kind("team")}
    return np.array(
        [(p, r) in teams for p, r in zip(rows["project"], rows["role"], strict=True)], dtype=bool
    )


def school_truth(
    t: dict, rows: pd.DataFrame, locs: list[Location], cal: Calendar, plan: SynthPlan
) -> dict:
    """The planted truth of one school, for ``planted.json``."""
    per_location = {
        loc.code: _location_truth(t, rows, i, loc, cal, plan) for i, loc in enumerate(locs)
    }
    treated = [loc.code for loc in locs if plan.treated(loc.projects)]
    evaluated = treated or [loc.code for loc in locs]
    started = [_started(t, i, cal) for i, loc in enumerate(locs) if loc.code in evaluated]
    starters = {
        "locations": evaluated,
        "n": {g: sum(s[g] for s in started) for g in ("baseline", "programme")},
        "dropout_3y": {
            "baseline": plan.dropout_3y["baseline"],
            "programme": plan.dropout_3y["programme" if treated else "baseline"],
        },
    }
    truth = {
        "locations": per_location,
        **dict(starters=starters),
        "participation": counts(rows, cal.programme),
    }
    team = rows[in_team(rows, plan)]
    if len(team):
        projects = frozenset().union(*(loc.projects for loc in locs))
        truth["digital_share_mean"] = {
            "team": cal.by_year(plan.team_path(locs[0].brin, projects)),
            "others": cal.by_year(plan.digital_others),
            "team_size": {
                format_school_year(y): int(np.sum(team["year"] == y)) for y in cal.programme
            },
        }
    return truth


def _started(t: dict, i: int, cal: Calendar) -> dict[str, int]:
    """Starters hired at location ``i`` before and during the programme."""
    new = (t["loc"] == i) & t["new_starter"]
    programme_cohort = school_year_of(t["start"]) >= cal.programme[0]
    return {
        "baseline": int(np.sum(new & ~programme_cohort)),
        "programme": int(np.sum(new & programme_cohort)),
    }


def _location_truth(
    t: dict, rows: pd.DataFrame, i: int, loc: Location, cal: Calendar, plan: SynthPlan
) -> dict:
    items = plan.programme.survey.items
    measured = len(cal.measured)
    return {
        "name": loc.name,
        "pupils": loc.pupils,
        f"teachers_{cal.years[0]}": loc.teachers,
        "projects": sorted(loc.projects),
        **dict(starters=_started(t, i, cal)),
        "starter_dropout_3y": {
            "baseline": dropout(loc, cal.years[0], cal, plan),
            "programme": dropout(loc, cal.programme[0], cal, plan),
        },
        "survey_share_4_or_5": {
            group: {
                item: cal.by_year(
                    tuple(survey_share(loc, item, k, measured, plan) for k in range(measured))
                )
                for item, spec in items.items()
                if group in spec.groups
            }
            for group in plan.programme.survey.groups
        },
        "participation": counts(
            rows[t["loc"][rows["idx"].to_numpy(dtype=np.int64)] == i], cal.programme
        ),
    }


def counts(rows: pd.DataFrame, programme_years: tuple[int, ...]) -> dict:
    """Distinct people per project and role: per programme year and cumulative."""
    out: dict = {}
    for (project, role), g in rows.groupby(["project", "role"], sort=True):
        year, idx = g["year"].to_numpy(), g["idx"].to_numpy()
        out.setdefault(project, {})[role] = {
            "per_year": {
                format_school_year(y): len(np.unique(idx[year == y])) for y in programme_years
            },
            "cumulative": {
                format_school_year(y): len(np.unique(idx[year <= y])) for y in programme_years
            },
        }
    return out
