"""Starters: k-year dropout, its ratio and difference, and where starters went (Aalen–Johansen).

Every group is counted as reports count it: nulmeting cohorts are censored on the day before
the programme starts (``report_years``), programme cohorts are followed to the reference date.
The *naive share* (left within k years among all starters, censoring ignored) is computed
beside Kaplan–Meier to show its bias; the pooled group ``all`` (every cohort followed to the
reference date) is DOMAIN.md's 23%-versus-30% example.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from evallib.stats.dropout_difference import dropout_difference
from evallib.stats.estimates import proportion
from evallib.stats.simulation.draws import school_effects, simulate_spells, true_dropout
from evallib.stats.simulation.records import record
from evallib.stats.survival import cumulative_incidence, dropout_ratio, km_dropouts

#: Share of leavers who leave education (the rest go to another school): the competing reason.
LEAVE_EDUCATION = 1 / 3


@dataclass(frozen=True)
class StarterSetting:
    """Starters per group and true 3-year dropout in the nulmeting and programme cohorts.

    ``schools`` share the starters equally; each school's hazard is the setting's times
    ``exp(u)`` with ``u ~ N(0, sd²)`` drawn per replication (the same in both periods).
    """

    name: str
    n_baseline: int
    n_programme: int
    p_baseline: float
    p_programme: float
    schools: int = 1
    sd: float = 0.0


STARTER_SETTINGS = (
    StarterSetting("region", 100, 270, 0.30, 0.15),
    StarterSetting("school", 25, 50, 0.30, 0.15),
    StarterSetting("region, no effect", 100, 270, 0.30, 0.30),
    StarterSetting("region, 4 schools, school effects", 100, 268, 0.30, 0.15, 4, 0.3),
    StarterSetting("school, school effect", 25, 50, 0.30, 0.15, 1, 0.3),
)


def _school_of(n: int, schools: int) -> np.ndarray:
    """School index per person when ``n`` persons are shared as equally as possible."""
    return np.repeat(np.arange(schools), [len(a) for a in np.array_split(np.arange(n), schools)])


def starter_hazards(
    s: StarterSetting, reps: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Per-person hazards (``reps × persons``, nulmeting first) and the programme marker."""
    programme = np.repeat([False, True], [s.n_baseline, s.n_programme])
    school = np.concatenate(
        [_school_of(s.n_baseline, s.schools), _school_of(s.n_programme, s.schools)]
    )
    base = -np.log1p(-np.where(programme, s.p_programme, s.p_baseline)) / 3.0
    return base * np.exp(school_effects(s.sd, s.schools, reps, rng)[:, school]), programme


def _truth(hazards: np.ndarray, p: float, sd: float, k: float) -> float:
    """True k-year dropout of a group: exact without school effects, else the persons' mean."""
    return float(true_dropout(p, k)) if sd == 0 else float(np.mean(-np.expm1(-hazards * k)))


def starter_chunk(s: StarterSetting, reps: int, rng: np.random.Generator, horizons: tuple) -> list:
    """Records of ``reps`` replications of one starter setting (see the module docstring).

    Targets (for the status check) sit at the setting's value without school effects, on the
    programme group and the comparisons: where a wrong status is most likely.
    """
    hazards, programme = starter_hazards(s, reps, rng)
    data = simulate_spells(hazards, programme, rng)
    years = data["report_years"].to_numpy().reshape(reps, -1)
    left = data["report_left"].to_numpy().reshape(reps, -1)
    education = (rng.random(left.shape) < LEAVE_EDUCATION) & left
    reason = np.where(education, "buiten onderwijs", "andere school")
    causes = np.where(left, reason, None).astype(object)
    nb, horizons, pooled = s.n_baseline, tuple(horizons), s.p_baseline == s.p_programme
    groups = {
        "baseline": (slice(0, nb), s.p_baseline),
        "programme": (slice(nb, None), s.p_programme),
    }
    out = []
    for i in range(reps):
        km = {g: dict(zip(horizons, km_dropouts(years[i, rows], left[i, rows], horizons),
                          strict=True)) for g, (rows, _) in groups.items()}  # fmt: skip
        truth = {}
        for k, (group, (rows, p)) in itertools.product(horizons, groups.items()):
            d = km[group][k]
            true = truth[group, k] = _truth(hazards[i, rows], p, s.sd, k)
            goal = {"target": true_dropout(p, k), "direction": "at_most"}
            goal = goal if group == "programme" else {}
            followed = d.max_follow_up >= k
            out.append(record(s.name, "km dropout", group, k, true, d, followed, **goal))
            incidence = cumulative_incidence(
                years[i, rows], causes[i, rows], {"buiten onderwijs"}, k
            )
            if goal:
                goal["target"] *= LEAVE_EDUCATION
            out.append(record(s.name, "aalen-johansen, leaving education", group, k,
                              LEAVE_EDUCATION * true, incidence, followed, **goal))  # fmt: skip
            if group == "programme":  # not censored before k years in the nulmeting
                y, x = years[i, rows], left[i, rows]
                naive = proportion(int((x & (y <= k)).sum()), len(y))
                out.append(record(s.name, "naive share", group, k, true, naive))
        for k in horizons:
            base, prog = km["baseline"][k], km["programme"][k]
            true0, true1 = truth["baseline", k], truth["programme", k]
            central0, central1 = true_dropout(s.p_baseline, k), true_dropout(s.p_programme, k)
            followed = min(base.max_follow_up, prog.max_follow_up) >= k
            out.append(record(s.name, "dropout ratio", "programme/baseline", k, true1 / true0,
                              dropout_ratio(prog, base), followed, central1 / central0,
                              "at_most"))  # fmt: skip
            out.append(record(s.name, "dropout difference", "programme−baseline", k,
                              true1 - true0, dropout_difference(prog, base), followed,
                              central1 - central0, "at_most"))  # fmt: skip
        if pooled:  # DOMAIN.md's example: every cohort followed to the reference date
            out.extend(_pooled(s, hazards[i], data, i, reps, horizons))
    return out


def _pooled(s: StarterSetting, hazards: np.ndarray, data, i: int, reps: int, horizons) -> list:
    """Kaplan–Meier and the naive share over all cohorts, followed to the reference date."""
    y = data["years"].to_numpy().reshape(reps, -1)[i]
    x = data["left"].to_numpy().reshape(reps, -1)[i]
    out = []
    for k, d in zip(horizons, km_dropouts(y, x, horizons), strict=True):
        true = _truth(hazards, s.p_baseline, s.sd, k)
        out.append(record(s.name, "km dropout", "all", k, true, d))
        naive = proportion(int((x & (y <= k)).sum()), len(y))
        out.append(record(s.name, "naive share", "all", k, true, naive))
    return out
