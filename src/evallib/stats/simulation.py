"""Simulation study: do evallib's 95% intervals cover the truth?

Starters are drawn like the Startersprogramma (DOMAIN.md): cohorts 2010/11 …
2015/16, 70% starting on 1 August and 30% on a later day of the school year,
followed to the reference date 2016-07-31. Leaving time ``T`` is exponential
with a constant hazard, so the true k-year dropout is ``1 − (1 − p)^(k/3)``
for a true 3-year dropout ``p``. Leaving dates are rounded *up* to whole days,
so the follow-up that :func:`evallib.core.dates.follow_up_years` computes is at most
``k`` exactly when ``T ≤ k``: the truth stays exact. Digital teaching time is
drawn per teacher; see :func:`simulate_team`. The *naive share* (left within
k years among all starters, censoring ignored) is computed beside Kaplan–Meier
to show its bias. Replications without an interval (e.g. no leaver in the
nulmeting group, or no one followed k years) are counted as not estimable.
:func:`coverage_study` runs it all; ``benchmarks/coverage.py`` prints it. Seeds come from
``(seed, setting name, chunk)``, so results do not depend on the worker count.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evallib.core.dates import _add_years, follow_up_years
from evallib.stats.estimates import Estimate, proportion, ratio_of_sums
from evallib.stats.survival import dropout_ratio, km_dropout

REFERENCE_DATE = dt.date(2016, 7, 31)
BASELINE_FIRST, PROGRAMME_FIRST = 2010, 2013  # three cohorts each


@dataclass(frozen=True)
class StarterSetting:
    """Starters per group and true 3-year dropout in the nulmeting and programme cohorts."""

    name: str
    n_baseline: int
    n_programme: int
    p_baseline: float
    p_programme: float


@dataclass(frozen=True)
class TeamSetting:
    """An e-coaching team: ``n`` teachers, true digital share ``mu``."""

    name: str
    n: int
    mu: float


STARTER_SETTINGS = (
    StarterSetting("region", 100, 270, 0.30, 0.15),
    StarterSetting("school", 25, 50, 0.30, 0.15),
    StarterSetting("region, no effect", 100, 270, 0.30, 0.30),
)
TEAM_SETTINGS = tuple(
    TeamSetting(f"team {n}, mu={mu:.2f}", n, mu) for n in (15, 30) for mu in (0.10, 0.20)
)


def true_dropout(p3: float, years: float) -> float:
    """True dropout within ``years`` under a constant hazard with 3-year dropout ``p3``.

    Examples
    --------
    >>> round(true_dropout(0.30, 3), 6), round(true_dropout(0.30, 1), 4)
    (0.3, 0.1121)
    """
    return 1.0 - (1.0 - p3) ** (years / 3.0)


def simulate_starters(
    n_baseline: int,
    n_programme: int,
    p_baseline: float,
    p_programme: float,
    reps: int,
    rng: np.random.Generator,
    mid_year: float = 0.3,
) -> pd.DataFrame:
    """Starters of ``reps`` replications, with follow-up computed as evallib does.

    Returns
    -------
    pandas.DataFrame
        ``rep``, ``programme`` (bool), ``cohort``, ``start``, ``end`` (last
        working day, ``NaT`` if not left by the reference date), ``time`` (true
        leaving time in years), ``years`` and ``left`` from ``follow_up_years``.

    Examples
    --------
    >>> s = simulate_starters(3, 3, 0.3, 0.15, reps=2, rng=np.random.default_rng(0))
    >>> leavers = s[s["left"]]  # leaving within 3 years in evallib's terms iff T <= 3
    >>> len(s), bool(((leavers["years"] <= 3) == (leavers["time"] <= 3)).all())
    (12, True)
    """
    groups = np.repeat([False, True], [n_baseline, n_programme])
    programme = np.tile(groups, reps)
    size = programme.size
    cohort = np.where(programme, PROGRAMME_FIRST, BASELINE_FIRST) + rng.integers(0, 3, size)
    aug1 = pd.to_datetime(pd.DataFrame({"year": cohort, "month": 8, "day": 1}))
    length = (_add_years(aug1, 1) - aug1).dt.days  # 365 or 366 days in the school year
    later = rng.random(size) < mid_year
    offset = np.where(later, 1 + np.floor(rng.random(size) * (length - 1)), 0)
    start = aug1 + pd.to_timedelta(offset, unit="D")
    hazard = -np.log1p(-np.where(programme, p_programme, p_baseline)) / 3.0
    time = rng.exponential(1.0 / hazard)
    # Leaving date: `whole` anniversaries, then the fraction of the next year rounded up to a day.
    soon = pd.Series(time < 7.0)  # nobody is followed 7 years; later dates are never needed
    whole = pd.Series(np.floor(np.minimum(time, 7.0)).astype(int))
    first, second = _add_years(start, whole), _add_years(start, whole + 1)
    days = np.ceil((time - whole) * (second - first).dt.days.to_numpy())
    stop = first + pd.to_timedelta(np.where(soon, days, 0), unit="D")
    end = (stop - pd.Timedelta(days=1)).where(soon)
    end = end.where(end <= pd.Timestamp(REFERENCE_DATE))
    years, left = follow_up_years(start, end, REFERENCE_DATE)
    return pd.DataFrame(
        {
            "rep": np.repeat(np.arange(reps), groups.size),
            "programme": programme,
            "cohort": cohort,
            "start": start,
            "end": end,
            "time": time,
            "years": years,
            "left": left,
        }
    )


def simulate_team(
    n: int, mu: float, reps: int, rng: np.random.Generator, concentration: float = 20.0
) -> tuple[np.ndarray, np.ndarray]:
    """Digital and total teaching hours of ``reps`` teams of ``n`` teachers.

    Each teacher's digital share is Beta(mu·c, (1−mu)·c); hours are 750 times a
    part-time factor U(0.4, 1). Shares do not depend on hours, so the
    hours-weighted share the team aims at is exactly ``mu``.

    Examples
    --------
    >>> digital, total = simulate_team(15, 0.1, reps=4, rng=np.random.default_rng(0))
    >>> digital.shape, bool((digital <= total).all())
    ((4, 15), True)
    """
    share = rng.beta(mu * concentration, (1 - mu) * concentration, (reps, n))
    total = 750.0 * rng.uniform(0.4, 1.0, (reps, n))
    return share * total, total


def _record(
    setting: str, quantity: str, group: str, k: object, true: float, e: Estimate, measurable=True
) -> tuple:
    """One replication's result; estimable = a finite estimate and interval, and measurable."""
    ok = measurable and all(map(math.isfinite, (e.estimate, e.ci_lower, e.ci_upper)))
    return (setting, quantity, group, k, e.n, true, e.estimate, e.ci_lower, e.ci_upper, ok)


_FIELDS = ("setting", "quantity", "group", "k", "n", "true", "estimate", "lower", "upper",
           "estimable")  # fmt: skip


def _starter_chunk(s: StarterSetting, reps: int, rng: np.random.Generator, horizons: tuple) -> list:
    data = simulate_starters(s.n_baseline, s.n_programme, s.p_baseline, s.p_programme, reps, rng)
    all_years = data["years"].to_numpy().reshape(reps, -1)  # every replication has the same layout
    all_left = data["left"].to_numpy().reshape(reps, -1)
    nb = s.n_baseline
    groups = {
        "baseline": (slice(0, nb), s.p_baseline),
        "programme": (slice(nb, None), s.p_programme),
    }
    if s.p_baseline == s.p_programme:  # pooled cohorts: DOMAIN.md's 23%-versus-30% example
        groups["all"] = (slice(None), s.p_baseline)
    out = []
    for i, k in itertools.product(range(reps), horizons):
        rep_years, rep_left = all_years[i], all_left[i]
        km = {g: km_dropout(rep_years[rows], rep_left[rows], k) for g, (rows, _) in groups.items()}
        for group, (rows, p) in groups.items():
            d, years, left = km[group], rep_years[rows], rep_left[rows]
            true = true_dropout(p, k)
            out.append(_record(s.name, "km dropout", group, k, true, d, d.max_follow_up >= k))
            naive = proportion(int((left & (years <= k)).sum()), len(years))
            out.append(_record(s.name, "naive share", group, k, true, naive))
        ratio = dropout_ratio(km["programme"], km["baseline"])
        true = true_dropout(s.p_programme, k) / true_dropout(s.p_baseline, k)
        followed = min(km["programme"].max_follow_up, km["baseline"].max_follow_up) >= k
        out.append(_record(s.name, "dropout ratio", "programme/baseline", k, true, ratio, followed))
    return out


def _team_chunk(s: TeamSetting, reps: int, rng: np.random.Generator) -> list:
    digital, total = simulate_team(s.n, s.mu, reps, rng)
    return [_record(s.name, "digital share", "team", pd.NA, s.mu, ratio_of_sums(y, x))
            for y, x in zip(digital, total, strict=True)]  # fmt: skip


def _run(task: tuple) -> list:
    setting, reps, seed, chunk, horizons = task
    rng = np.random.default_rng([seed, zlib.crc32(setting.name.encode()), chunk])
    if isinstance(setting, TeamSetting):
        return _team_chunk(setting, reps, rng)
    return _starter_chunk(setting, reps, rng, horizons)


def summarise(records: pd.DataFrame) -> pd.DataFrame:
    """One row per quantity and setting: bias, coverage with its Monte-Carlo SE, width.

    Coverage, bias and width are over the estimable replications;
    ``not_estimable`` counts the others (no interval, or no one followed k years).

    Examples
    --------
    >>> r = pd.DataFrame(dict(setting="s", quantity="q", group="g", k=1, n=5, true=0.5,
    ...     estimate=[0.4, 0.6, 0.7], lower=[0.3, 0.55, 0.1], upper=[0.6, 0.7, 0.9],
    ...     estimable=[True, True, False]))
    >>> summarise(r)[["coverage", "not_estimable", "bias"]].round(3).to_dict("records")
    [{'coverage': 0.5, 'not_estimable': 1, 'bias': 0.0}]
    """
    keys = ["quantity", "setting", "group", "k"]
    ok = records[records["estimable"]]
    hit = (ok["lower"] <= ok["true"]) & (ok["true"] <= ok["upper"])
    grouped = ok.assign(hit=hit, width=ok["upper"] - ok["lower"], low=ok["upper"] < ok["true"],
                        high=ok["lower"] > ok["true"]).groupby(keys, sort=False, dropna=False)  # fmt: skip
    table = grouped.agg(true=("true", "first"), n=("n", "first"), mean_estimate=("estimate", "mean"),
                        coverage=("hit", "mean"), interval_below=("low", "mean"),
                        interval_above=("high", "mean"), mean_width=("width", "mean"),
                        estimable=("hit", "size"))  # fmt: skip
    reps = records.groupby(keys, sort=False, dropna=False).size().rename("reps")
    table = table.join(reps, how="right").reset_index()
    table["estimable"] = table["estimable"].fillna(0).astype(int)
    table["k"] = table["k"].astype("Int64")
    table["not_estimable"] = table["reps"] - table["estimable"]
    table["bias"] = table["mean_estimate"] - table["true"]
    cov = table["coverage"]
    table["coverage_se"] = np.sqrt(
        cov * (1 - cov) / table["estimable"].where(table["estimable"] > 0)
    )
    table["checked"] = table["quantity"] != "naive share"  # the naive share is shown for its bias
    columns = ["quantity", "setting", "group", "k", "n", "true", "mean_estimate", "bias",
               "coverage", "coverage_se", "interval_below", "interval_above", "mean_width",
               "reps", "not_estimable", "checked"]  # fmt: skip
    return table[columns]


def coverage_study(
    reps: int = 1000,
    seed: int = 1,
    starters: tuple[StarterSetting, ...] = STARTER_SETTINGS,
    teams: tuple[TeamSetting, ...] = TEAM_SETTINGS,
    horizons: tuple[int, ...] = (1, 2, 3),
    workers: int = 1,
    chunk: int = 50,
) -> pd.DataFrame:
    """Run every setting ``reps`` times and summarise with :func:`summarise`.

    Replications run in chunks of ``chunk``, each seeded from ``(seed, setting
    name, chunk index)``: the table is the same for any ``workers``.

    Examples
    --------
    >>> t = coverage_study(reps=20, seed=1, starters=(), teams=TEAM_SETTINGS[:1])
    >>> t[["quantity", "true", "reps", "not_estimable"]].to_dict("records")
    [{'quantity': 'digital share', 'true': 0.1, 'reps': 20, 'not_estimable': 0}]
    """
    tasks = [(setting, min(chunk, reps - first), seed, first // chunk, tuple(horizons))
             for setting in (*starters, *teams) for first in range(0, reps, chunk)]  # fmt: skip
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_run, tasks))
    else:
        parts = [_run(task) for task in tasks]
    return summarise(pd.DataFrame([row for part in parts for row in part], columns=_FIELDS))
