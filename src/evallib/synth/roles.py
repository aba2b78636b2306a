"""Who of a school's simulated staff takes part in which project role, and in which years.

Part of :mod:`evallib.synth`. Each role is filled by its kind (:mod:`evallib.synth.plan`):
``induction``, ``band`` and ``experienced`` roles from what the staff simulation decided,
then, drawing from the school's random stream in this order, ``selected``, ``team``,
``pairs`` and ``members`` roles.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from evallib.synth.days import (
    NO_END,
    Calendar,
    aug1,
    day,
    employed_in,
    employed_on,
    oct1,
    school_year_of,
)
from evallib.synth.kinds import RolePlan
from evallib.synth.plan import SynthPlan
from evallib.synth.staff import Location, apportion, choose

#: A selection window: from this many days before the target's date; late ones up to 30 after.
_WINDOW = 60


class Rows:
    """Participation rows collected as arrays: teacher index, year, project, role, selected."""

    def __init__(self) -> None:
        self.parts: list[tuple] = []

    def add(
        self,
        idx: np.ndarray,
        year: object,
        role: RolePlan,
        selected: np.ndarray | None = None,
        as_role: str | None = None,
    ) -> None:
        idx = np.asarray(idx, dtype=np.int64)
        self.parts.append(
            (
                idx,
                np.broadcast_to(year, idx.shape),
                role.project,
                as_role or role.role,
                np.full(idx.shape, NO_END) if selected is None else selected,
            )
        )

    def frame(self) -> pd.DataFrame:
        cols = ("idx", "year", "project", "role", "selected")
        if not self.parts:
            return pd.DataFrame({c: [] for c in cols})
        return pd.DataFrame(
            {
                c: np.concatenate([np.broadcast_to(p[i], p[0].shape) for p in self.parts])
                for i, c in enumerate(cols)
            }
        )


def participation(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    quotas: dict,
    plan: SynthPlan,
) -> pd.DataFrame:
    """Who takes part in which project, in which role and year (teacher index per row)."""
    rows = Rows()
    cohort = school_year_of(t["start"])
    for i, role in enumerate(plan.roles):
        where = [k for k, loc in enumerate(locs) if role.project in loc.projects]
        if role.kind == "induction":  # every starter of the last cohorts who is there
            at = np.isin(t["loc"], where) & t["new_starter"]
            for y in cal.programme:
                recent = (cohort > y - role.cohorts) & (cohort <= y)
                rows.add(np.flatnonzero(at & employed_in(t, y) & recent), y, role)
        elif role.kind == "band":
            idx = np.flatnonzero(t["band_role"] == i)
            rows.add(idx, t["band"][idx], role)
        elif role.kind == "experienced":
            for y in cal.programme:
                rows.add(np.flatnonzero((t["fixed"] == i) & employed_in(t, y)), y, role)
    chosen: dict[str, dict[int, np.ndarray]] = {}
    for role in plan.of_kind("selected"):
        picked = _selected(rng, t, locs, cal, quotas[role.key], role, rows)
        mine = chosen.setdefault(role.project, {})
        for y, mask in picked.items():
            mine[y] = mine[y] | mask if y in mine else mask
    for role in plan.of_kind("team"):
        _team(rng, t, locs, cal, chosen.get(role.project, {}), role, plan, rows)
    for role in plan.of_kind("pairs"):
        _pairs(rng, t, locs, cal, role, plan, rows)
    for role in plan.of_kind("members"):
        _members(rng, t, locs, cal, quotas[role.key], role, rows)
    return rows.frame()


def _selected(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    quotas: dict,
    role: RolePlan,
    rows: Rows,
) -> dict[int, np.ndarray]:
    """Young teachers (started since the first simulated year) selected in spring.

    Each location's quota is sought there first; a shortfall is made up at the school's
    other locations in the project, so the school's total holds whenever it can.
    """
    n = len(t["loc"])
    picked = {y: np.zeros(n, bool) for y in cal.programme}
    young = t["start"] >= aug1(cal.years[0])
    deadline = {year: by for year, _, _, by in role.groups}
    for y in sorted({y for loc in locs for y in quotas.get(loc.key, {})}):
        by = day(deadline[y])
        opens, late = by - _WINDOW, by + 1
        wanted = {
            i: quotas[loc.key][y] for i, loc in enumerate(locs) if y in quotas.get(loc.key, {})
        }
        pool = young & (t["start"] < opens) & employed_in(t, y) & ~np.any(list(picked.values()), 0)
        for i, (size, _) in wanted.items():
            picked[y][choose(rng, pool & (t["loc"] == i), size)] = True
        rest = sum(size for size, _ in wanted.values()) - np.sum(picked[y])
        picked[y][choose(rng, pool & np.isin(t["loc"], list(wanted)) & ~picked[y], rest)] = True
        pick = np.flatnonzero(picked[y])
        on_time = rng.permutation(len(pick)) < sum(by_date for _, by_date in wanted.values())
        rows.add(
            pick,
            y,
            role,
            np.where(
                on_time,
                opens + rng.integers(0, _WINDOW + 1, len(pick)),
                late + rng.integers(0, 30, len(pick)),
            ),
        )
    return picked


def _team(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    chosen: dict[int, np.ndarray],
    role: RolePlan,
    plan: SynthPlan,
    rows: Rows,
) -> None:
    """A team a school a year, kept from year to year where people stay.

    A location whose companion entry says ``all`` puts every teacher in the team. People
    selected for the project that year (e.g. its coaches) are not in the team.
    """
    here = [i for i, loc in enumerate(locs) if role.project in loc.projects]
    settings = [plan.settings.location(locs[i].brin, locs[i].code) for i in here]
    shared = [i for i, s in zip(here, settings, strict=True) if s.members.get(role.key) != "all"]
    member = np.zeros(len(t["loc"]), bool)
    for y in cal.programme:
        there = employed_on(t, oct1(y))
        for i in here:
            if i not in shared:
                rows.add(np.flatnonzero((t["loc"] == i) & there), y, role)
        if not shared:
            continue
        size = _team_size(locs[0].brin, role, plan) + int(rng.integers(-1, 2))
        away = chosen.get(y, np.zeros_like(member))
        pools = [(t["loc"] == i) & there & ~away for i in shared]
        new = np.zeros_like(member)
        for pool, quota in zip(pools, apportion(size, [p.sum() for p in pools]), strict=True):
            stay = choose(rng, pool & member, quota)
            new[stay] = True
            new[choose(rng, pool & ~member, quota - len(stay))] = True
        member = new
        rows.add(np.flatnonzero(member), y, role)


def _team_size(brin: str, role: RolePlan, plan: SynthPlan) -> int:
    given = plan.settings.school(brin).members.get(role.key)
    if given is not None:
        return given
    return max(role.sizes[0] - 4, 1) if plan.misses(brin, role.project) else role.size


def _pairs(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    role: RolePlan,
    plan: SynthPlan,
    rows: Rows,
) -> None:
    """Pairs of a senior and a starter who both stay for the pair's years."""
    used = np.zeros(len(t["loc"]), bool)
    senior = cal.programme[0] - t["birth"] >= role.ages[0]
    for i, durations in _pair_plan(locs, role, plan, len(cal.programme)).items():
        for length in durations:
            pair_years = cal.programme[:length]
            stay = np.logical_and.reduce([employed_on(t, oct1(y)) for y in pair_years])
            pool = (t["loc"] == i) & stay & ~used
            starter = pool & (t["new_starter"] if np.any(pool & t["new_starter"]) else t["starter"])
            pair = (choose(rng, pool & senior, 1), choose(rng, starter, 1))
            if len(pair[0]) and len(pair[1]):
                used[np.concatenate(pair)] = True
                for y in pair_years:
                    rows.add(pair[0], y, role)
                    if role.partner is not None:
                        rows.add(pair[1], y, role, as_role=role.partner)


def _pair_plan(
    locs: list[Location], role: RolePlan, plan: SynthPlan, n_years: int
) -> dict[int, tuple[int, ...]]:
    """The years of each pair per location: the companion's, or a stable 'random' plan."""
    here = [i for i, loc in enumerate(locs) if role.project in loc.projects]
    if not here:
        return {}
    given = [plan.settings.location(locs[i].brin, locs[i].code).pairs for i in here]
    if any(role.key in g for g in given):
        return {i: g.get(role.key, ()) for i, g in zip(here, given, strict=True)}
    brin = locs[0].brin
    low, high = role.sizes
    if plan.misses(brin, role.project):
        count = max(low - 1, 0)
    else:
        count = low + zlib.crc32(brin.encode()) % (high - low + 1)
    lengths = [max(n_years - 1, 1) if k % 3 == 2 else n_years for k in range(count)]
    return {i: tuple(lengths[j :: len(here)]) for j, i in enumerate(here)}


def _members(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    quotas: dict,
    role: RolePlan,
    rows: Rows,
) -> None:
    """People who join when the location's planned number asks for more, and stay while there."""
    for i, loc in enumerate(locs):
        if loc.key not in quotas:
            continue
        ever = np.zeros(len(t["loc"]), bool)
        here = t["loc"] == i
        for y in cal.programme:
            there = here & employed_on(t, oct1(y))
            active = ever & there
            have = int(ever.sum() if role.cumulative else active.sum())
            new = choose(rng, there & ~ever, quotas[loc.key][y] - have)
            ever[new], active[new] = True, True
            rows.add(np.flatnonzero(active), y, role)
