"""Simulated data for the coverage study: starters, teams, teacher-years, survey answers.

Starters are drawn like the Startersprogramma (DOMAIN.md): cohorts 2010/11 … 2015/16, 70%
starting on 1 August and 30% on a later day of the school year, followed to the reference
date 2016-07-31. Leaving time ``T`` is exponential with a constant hazard, so the true k-year
dropout is ``1 − (1 − p)^(k/3)`` for a true 3-year dropout ``p``. Leaving dates are rounded
*up* to whole days, so the follow-up that :func:`evallib.core.dates.follow_up_years`
computes is at most ``k`` exactly when ``T ≤ k``: the truth stays exact.

School effects multiply a person's hazard (or yearly leaving probability, or shift a share)
by a school's own factor, drawn per replication (:func:`school_effects`). The truth of a
replication is then the value *for the schools drawn*: the persons are the sample, the
schools are the ones the report is about.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from evallib.core.dates import _add_years, follow_up_years

REFERENCE_DATE = dt.date(2016, 7, 31)
BASELINE_FIRST, PROGRAMME_FIRST = 2010, 2013  # three cohorts each
#: Reports censor nulmeting cohorts on the day before the programme starts
#: (``evaluation.tables.before_programme``); ``report_years`` does the same.
BEFORE_PROGRAMME = dt.date(PROGRAMME_FIRST, 7, 31)


def true_dropout(p3: float | np.ndarray, years: float) -> float | np.ndarray:
    """True dropout within ``years`` under a constant hazard with 3-year dropout ``p3``.

    Examples
    --------
    >>> round(true_dropout(0.30, 3), 6), round(true_dropout(0.30, 1), 4)
    (0.3, 0.1121)
    """
    return 1.0 - (1.0 - p3) ** (years / 3.0)


def school_effects(sd: float, schools: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Normal school effects, one per school and replication (``reps × schools``), mean 0.

    Examples
    --------
    >>> school_effects(0.0, 3, 2, np.random.default_rng(0)).tolist()
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    if sd == 0:
        return np.zeros((reps, schools))
    return rng.normal(0.0, sd, (reps, schools))


def simulate_spells(
    hazard: np.ndarray, programme: np.ndarray, rng: np.random.Generator, mid_year: float = 0.3
) -> pd.DataFrame:
    """Starters with per-person hazards (``reps × persons``), follow-up computed as evallib does.

    ``programme`` marks the persons of the programme cohorts (2013/14–2015/16); the others
    start in the nulmeting cohorts (2010/11–2012/13). Rows run replication by replication,
    persons in the order given.

    Returns
    -------
    pandas.DataFrame
        ``rep``, ``programme`` (bool), ``cohort``, ``start``, ``end`` (last working day,
        ``NaT`` if not left by the reference date), ``time`` (true leaving time in years),
        ``years`` and ``left`` from ``follow_up_years`` to the reference date, and
        ``report_years``, ``report_left``: the same with nulmeting cohorts censored on the
        day before the programme starts, as reports count them.
    """
    reps, persons = hazard.shape
    programme = np.tile(np.asarray(programme, dtype=bool), reps)
    size = programme.size
    cohort = np.where(programme, PROGRAMME_FIRST, BASELINE_FIRST) + rng.integers(0, 3, size)
    aug1 = pd.to_datetime(pd.DataFrame({"year": cohort, "month": 8, "day": 1}))
    length = (_add_years(aug1, 1) - aug1).dt.days  # 365 or 366 days in the school year
    later = rng.random(size) < mid_year
    offset = np.where(later, 1 + np.floor(rng.random(size) * (length - 1)), 0)
    start = aug1 + pd.to_timedelta(offset, unit="D")
    time = rng.exponential(1.0 / hazard.reshape(-1))
    # Leaving date: `whole` anniversaries, then the fraction of the next year rounded up to a day.
    soon = pd.Series(time < 7.0)  # nobody is followed 7 years; later dates are never needed
    whole = pd.Series(np.floor(np.minimum(time, 7.0)).astype(int))
    first, second = _add_years(start, whole), _add_years(start, whole + 1)
    days = np.ceil((time - whole) * (second - first).dt.days.to_numpy())
    stop = first + pd.to_timedelta(np.where(soon, days, 0), unit="D")
    end = (stop - pd.Timedelta(days=1)).where(soon)
    end = end.where(end <= pd.Timestamp(REFERENCE_DATE))
    years, left = follow_up_years(start, end, REFERENCE_DATE)
    early_years, early_left = follow_up_years(start, end, BEFORE_PROGRAMME)
    baseline = ~programme
    return pd.DataFrame(
        {
            "rep": np.repeat(np.arange(reps), persons),
            "programme": programme,
            "cohort": cohort,
            "start": start,
            "end": end,
            "time": time,
            "years": years,
            "left": left,
            "report_years": np.where(baseline, np.minimum(years, early_years), years),
            "report_left": np.where(baseline, left & early_left, left),
        }
    )


def simulate_starters(
    n_baseline: int,
    n_programme: int,
    p_baseline: float,
    p_programme: float,
    reps: int,
    rng: np.random.Generator,
    mid_year: float = 0.3,
) -> pd.DataFrame:
    """Starters of ``reps`` replications: ``n_baseline`` then ``n_programme`` per replication.

    True 3-year dropout ``p_baseline`` and ``p_programme``; see :func:`simulate_spells`.

    Examples
    --------
    >>> s = simulate_starters(3, 3, 0.3, 0.15, reps=2, rng=np.random.default_rng(0))
    >>> leavers = s[s["left"]]  # leaving within 3 years in evallib's terms iff T <= 3
    >>> len(s), bool(((leavers["years"] <= 3) == (leavers["time"] <= 3)).all())
    (12, True)
    """
    programme = np.repeat([False, True], [n_baseline, n_programme])
    hazard = -np.log1p(-np.where(programme, p_programme, p_baseline)) / 3.0
    return simulate_spells(np.tile(hazard, (reps, 1)), programme, rng, mid_year)


def simulate_team(
    n: int,
    mu: float | np.ndarray,
    reps: int,
    rng: np.random.Generator,
    concentration: float = 20.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Digital and total teaching hours of ``reps`` teams of ``n`` teachers.

    Each teacher's digital share is Beta(mu·c, (1−mu)·c), with ``mu`` one number or one per
    teacher (``reps × n``, e.g. their school's share); hours are 750 times a part-time factor
    U(0.4, 1). Shares do not depend on hours, so the hours-weighted share the team aims at is
    the hours-weighted mean of ``mu``.

    Examples
    --------
    >>> digital, total = simulate_team(15, 0.1, reps=4, rng=np.random.default_rng(0))
    >>> digital.shape, bool((digital <= total).all())
    ((4, 15), True)
    """
    share = rng.beta(mu * concentration, (1 - mu) * concentration, (reps, n))
    total = 750.0 * rng.uniform(0.4, 1.0, (reps, n))
    return share * total, total


def simulate_teacher_years(
    q: np.ndarray, available: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Teacher-years and leavers of teachers who leave each school year with probability ``q``.

    ``q`` and ``available`` (school years the teacher could be followed) are per teacher, in
    any shape; a teacher who leaves is not followed afterwards.

    Returns
    -------
    exposure, left
        Teacher-years (``min(year of leaving, available)``) and whether the teacher left.

    Examples
    --------
    >>> e, x = simulate_teacher_years(np.full(4000, 0.1), np.full(4000, 3), np.random.default_rng(0))
    >>> bool(abs(x.sum() / e.sum() - 0.1) < 0.01), int(e.max())
    (True, 3)
    """
    leaving_year = rng.geometric(q)
    left = leaving_year <= available
    return np.where(left, leaving_year, available), left


def positive_probability(pi: float | np.ndarray) -> float | np.ndarray:
    """P(score ≥ 4) for a survey score ``1 + Binomial(4, pi)`` (Likert 1–5).

    Examples
    --------
    >>> round(positive_probability(0.5), 4)
    0.3125
    """
    return 4 * pi**3 * (1 - pi) + pi**4


def simulate_scores(pi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Survey scores 1–5, ``1 + Binomial(4, pi)`` for each respondent's ``pi``.

    Examples
    --------
    >>> s = simulate_scores(np.full((2, 3), 0.6), np.random.default_rng(0))
    >>> s.shape, bool(((s >= 1) & (s <= 5)).all())
    ((2, 3), True)
    """
    return 1 + rng.binomial(4, pi)
