"""Teams, teacher-years and survey answers: the digital share, early leaving, survey intervals.

School effects shift a school's value (the digital share and the chance of a positive answer
on the logit scale, the yearly chance of leaving on the log scale), drawn per replication;
the truth is the value for the schools drawn (see :mod:`evallib.stats.simulation.draws`).
Targets for the status check sit at the setting's value without school effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit, logit

from evallib.stats.estimates import (
    mean_score,
    proportion,
    proportion_difference,
    proportion_ratio,
    rate_ratio,
    ratio_of_sums,
)
from evallib.stats.simulation.draws import (
    positive_probability,
    school_effects,
    simulate_scores,
    simulate_teacher_years,
    simulate_team,
)
from evallib.stats.simulation.records import record


@dataclass(frozen=True)
class TeamSetting:
    """E-coaching teams: ``n`` teachers per school, true digital share ``mu``."""

    name: str
    n: int
    mu: float
    schools: int = 1
    sd: float = 0.0


@dataclass(frozen=True)
class LeavingSetting:
    """Teachers aged 40–55: ``teachers`` per school in the nulmeting (followed three school
    years) and ``participants`` per school (from their first year, 2013/14–2015/16, to
    2015/16); yearly leaving chance ``q`` and ``ratio · q`` for participants."""

    name: str
    teachers: int
    participants: int
    schools: int = 1
    q: float = 0.06
    ratio: float = 0.85
    sd: float = 0.0


@dataclass(frozen=True)
class SurveySetting:
    """``respondents`` per school and year; share scoring 4 or 5 is ``p0``, then ``p1``."""

    name: str
    respondents: int
    schools: int = 1
    p0: float = 0.60
    p1: float = 0.65
    sd: float = 0.0


TEAM_SETTINGS = (
    *(TeamSetting(f"team {n}, mu={mu:.2f}", n, mu) for n in (15, 30) for mu in (0.10, 0.20)),
    TeamSetting("team 15, mu=0.10, school effect", 15, 0.10, 1, 0.3),
    TeamSetting("region, 4 teams of 15, mu=0.10, school effects", 15, 0.10, 4, 0.3),
)
LEAVING_SETTINGS = (
    LeavingSetting("school, 100 teachers, 30 participants", 100, 30),
    LeavingSetting("region, 4 schools", 100, 30, 4),
    LeavingSetting("region, 4 schools, school effects", 100, 30, 4, sd=0.3),
)
SURVEY_SETTINGS = (
    SurveySetting("school, 60 respondents", 60),
    SurveySetting("school, 60 respondents, school effect", 60, sd=0.3),
    SurveySetting("region, 5 × 80 respondents", 80, 5),
    SurveySetting("region, 5 × 80 respondents, school effects", 80, 5, sd=0.3),
)


def team_chunk(s: TeamSetting, reps: int, rng: np.random.Generator) -> list:
    """The digital share (ratio estimator) of a team, or of a region's teams."""
    shift = np.repeat(school_effects(s.sd, s.schools, reps, rng), s.n, axis=1)
    mu = expit(logit(s.mu) + shift)
    digital, total = simulate_team(s.n * s.schools, mu, reps, rng)
    truth = (mu * total).sum(axis=1) / total.sum(axis=1) if s.sd else np.full(reps, s.mu)
    return [record(s.name, "digital share", "team", None, t, ratio_of_sums(y, x), True, s.mu,
                   "at_least") for y, x, t in zip(digital, total, truth, strict=True)]  # fmt: skip


def _yearly_rate(q: np.ndarray, available: np.ndarray) -> np.ndarray:
    """True leavers per teacher-year of a group: expected leavers over expected teacher-years."""
    leavers = -np.expm1(available * np.log1p(-q))
    return leavers.sum(axis=-1) / (leavers / q).sum(axis=-1)


def leaving_chunk(s: LeavingSetting, reps: int, rng: np.random.Generator) -> list:
    """Early leaving: the rate ratio (exact conditional) and each group's share per teacher-year."""
    effect = np.exp(school_effects(s.sd, s.schools, reps, rng))
    q0 = np.repeat(s.q * effect, s.teachers, axis=1)
    q1 = np.repeat(s.ratio * s.q * effect, s.participants, axis=1)
    available0 = np.full(q0.shape, 3)
    available1 = 3 - rng.integers(0, 3, q1.shape)  # first year 2013/14, 2014/15 or 2015/16
    years0, left0 = simulate_teacher_years(q0, available0, rng)
    years1, left1 = simulate_teacher_years(q1, available1, rng)
    rate0, rate1 = _yearly_rate(q0, available0), _yearly_rate(q1, available1)
    persons = q0.shape[1] + q1.shape[1]
    out = []
    for i in range(reps):
        e0, x0, e1, x1 = (int(a[i].sum()) for a in (left0, years0, left1, years1))
        out.append(record(s.name, "rate ratio", "participants/all", None, rate1[i] / rate0[i],
                          rate_ratio(e1, x1, e0, x0, persons), True, s.ratio, "at_most"))  # fmt: skip
        for group, events, exposure, rate in (("all", e0, x0, rate0), ("participants", e1, x1, rate1)):  # fmt: skip
            out.append(record(s.name, "leaving per teacher-year", group, None, rate[i],
                              proportion(events, exposure)))  # fmt: skip
    return out


def _centre(p: float) -> float:
    """The logit of ``pi`` whose score ``1 + Binomial(4, pi)`` is 4 or 5 with probability ``p``."""
    return float(logit(brentq(lambda pi: positive_probability(pi) - p, 1e-9, 1 - 1e-9)))


def survey_chunk(s: SurveySetting, reps: int, rng: np.random.Generator) -> list:
    """Wilson share, Newcombe difference, Katz ratio and mean score of two survey years."""
    shift = np.repeat(school_effects(s.sd, s.schools, reps, rng), s.respondents, axis=1)
    pi0, pi1 = expit(_centre(s.p0) + shift), expit(_centre(s.p1) + shift)
    scores0, scores1 = simulate_scores(pi0, rng), simulate_scores(pi1, rng)
    if s.sd:
        true0, true1 = positive_probability(pi0).mean(axis=1), positive_probability(pi1).mean(axis=1)  # fmt: skip
    else:
        true0, true1 = np.full(reps, s.p0), np.full(reps, s.p1)
    true_mean = (1 + 4 * pi1).mean(axis=1)
    n = scores0.shape[1]
    out = []
    for i in range(reps):
        k0, k1 = int((scores0[i] >= 4).sum()), int((scores1[i] >= 4).sum())
        t0, t1 = true0[i], true1[i]
        out += [
            record(s.name, "survey share (wilson)", "year 0", None, t0, proportion(k0, n)),
            record(s.name, "survey share (wilson)", "year 1", None, t1, proportion(k1, n), True,
                   s.p1, "at_least"),
            record(s.name, "survey difference (newcombe)", "year 1 − year 0", None, t1 - t0,
                   proportion_difference(k1, n, k0, n), True, s.p1 - s.p0, "at_least"),
            record(s.name, "survey ratio (katz)", "year 1 / year 0", None, t1 / t0,
                   proportion_ratio(k1, n, k0, n), True, s.p1 / s.p0, "at_least"),
            record(s.name, "mean score (t)", "year 1", None, true_mean[i], mean_score(scores1[i])),
        ]  # fmt: skip
    return out
