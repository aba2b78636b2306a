"""Planned numbers per location: the selection groups and the members of a project role.

Part of :mod:`evallib.synth`. A number planned for a school or for the region is shared out
over its locations in proportion to their size (largest remainders), so the locations add
up to the plan exactly.
"""

from __future__ import annotations

import math

import numpy as np

from evallib.contract.programme import Target
from evallib.synth.kinds import LEVELS, RolePlan, finest
from evallib.synth.plan import SynthPlan
from evallib.synth.staff import Location, apportion

#: Where a plan names no number: one person a year per this many teachers.
TEACHERS_PER_PERSON = {"selected": 17, "members": 20}


def selection_quotas(role: RolePlan, locs: list[Location], planned: set[str]) -> dict:
    """People selected per location and group year: ``{(brin, code): {year: (n, by_date)}}``.

    A group of the plan is shared out over the locations of ``planned`` schools (the
    programme's own), with the late selections (after the date) at the largest; other
    schools select about one person per 17 teachers.

    Examples
    --------
    >>> import datetime as dt
    >>> role = RolePlan(project="p", role="coach", kind="selected",
    ...                 groups=((2024, 10, 8, dt.date(2024, 5, 31)),))
    >>> locs = [Location("01AB", c, c, n, frozenset({"p"}), False) for c, n in (("00", 600), ("01", 900))]
    >>> selection_quotas(role, locs, {"01AB"})
    {('01AB', '00'): {2024: (4, 3)}, ('01AB', '01'): {2024: (6, 5)}}
    """
    here = [loc for loc in locs if role.project in loc.projects]
    sized = [g for g in role.groups if g[1] is not None]
    plan = [loc for loc in here if loc.brin in planned] if sized else []
    quotas: dict = {loc.key: {} for loc in here}
    if plan:
        for year, size, on_time, _ in sized:
            shares = apportion(size, [loc.teachers for loc in plan])
            order = sorted(range(len(plan)), key=lambda i: (-shares[i], plan[i].key))
            late = set(order[: size - on_time])
            for i, loc in enumerate(plan):
                quotas[loc.key][year] = (shares[i], shares[i] - (i in late))
    for loc in here:
        if loc not in plan:
            n = max(1, round(loc.teachers / TEACHERS_PER_PERSON["selected"]))
            quotas[loc.key] = {g[0]: (n, n - (n >= 4)) for g in role.groups}
    return quotas


def member_quotas(
    role: RolePlan, locs: list[Location], years: list[int], plan: SynthPlan
) -> dict[tuple[str, str], dict[int, int]]:
    """Planned people of a ``members`` role per location and programme year.

    The count target at the finest level decides: its milestones (their midpoint, or a
    little above a minimum or below a maximum), shared out over the locations of each
    location, school or the region; a missing school plans below the minimum (or above a
    maximum). Cumulative plans rise towards their milestones; others step to them.
    """
    here = [loc for loc in locs if role.project in loc.projects]
    target = finest(role.targets)
    if target is None:
        n = TEACHERS_PER_PERSON["members"]
        return {loc.key: {y: max(1, round(loc.teachers / n)) for y in years} for loc in here}
    level = next(lv for lv in LEVELS if lv in target.levels)
    units: dict[object, list[Location]] = {}
    for loc in here:
        unit = {"location": loc.key, "school": loc.brin, "region": None}[level]
        units.setdefault(unit, []).append(loc)
    out: dict = {loc.key: {} for loc in here}
    for unit in units.values():
        missed = level != "region" and plan.misses(unit[0].brin, role.project)
        for y, n in _series(target, years, missed, role.cumulative).items():
            for loc, k in zip(unit, apportion(n, [loc.teachers for loc in unit]), strict=True):
                out[loc.key][y] = k
    return out


def _series(target: Target, years: list[int], missed: bool, cumulative: bool) -> dict[int, int]:
    if target.shape == "go_no_go":
        points = {target.year.year: target.at_least + (-1 if missed else 1)}
    else:
        points = {ms.year.year: planned_count(ms.min, ms.max, missed) for ms in target.milestones}
    x = sorted(points)
    if cumulative:
        values = np.interp(years, [years[0] - 1, *x], [0, *(points[k] for k in x)])
        return {y: max(round(float(v)), 0) for y, v in zip(years, values, strict=True)}
    return {y: max(points[next((k for k in x if k >= y), x[-1])], 0) for y in years}


def planned_count(low: float | None, high: float | None, missed: bool) -> int:
    """A planned count that meets a milestone (or, ``missed``, does not).

    Examples
    --------
    >>> planned_count(12, 18, False), planned_count(10, None, False), planned_count(None, 5, False)
    (15, 12, 3)
    >>> planned_count(12, 18, True), planned_count(None, 5, True)
    (6, 7)
    """
    if missed:
        return math.floor(low * 0.5) if low is not None else math.floor(high) + 2
    if low is not None and high is not None:
        return round((low + high) / 2)
    return math.ceil(low * 1.2) if low is not None else math.floor(high * 0.6)
