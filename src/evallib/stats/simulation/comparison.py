"""Difference-in-differences against comparison schools, with few schools and school effects.

Like Haaglanden: four programme schools and two comparison schools for starter dropout (Cox
model, hazard ratio), three and two for the digital share (weighted least squares), both under
:func:`evallib.stats.did.small_sample_rule`. Each school has its own level (a hazard factor
``exp(u)``, or a share ``+ u``), constant over time; optionally a school-by-period shock adds
to the programme years' level, the reason the rule clusters by school. The comparison schools
change too (a common trend), and the programme schools by the planted effect on top.

The truth is the planted effect: the hazard ratio ``ln(1 − 0.15) / ln(1 − 0.30)`` (a fall
from 30% to 15% three-year dropout under constant hazards, docs/methods.md) and 10 points of
digital share. The placebo (the nulmeting's last cohort against its earlier ones, one year of
follow-up, as the overview shows it) has the truth 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evallib.stats.did import dropout_did, share_did
from evallib.stats.simulation.draws import school_effects, simulate_spells, simulate_team
from evallib.stats.simulation.records import record

HAZARD_RATIO = math.log(1 - 0.15) / math.log(1 - 0.30)


@dataclass(frozen=True)
class DidSetting:
    """Schools, persons per school and the size of school effects and shocks.

    ``starters``: nulmeting and programme starters per programme school, then per comparison
    school. ``teams``: teachers per programme school's team and per comparison school (all
    teachers), each period.
    """

    name: str
    sd: float = 0.3  # school effect on the log hazard
    shock: float = 0.0  # school-by-period shock on the log hazard
    share_sd: float = 0.02  # school effect on the digital share
    share_shock: float = 0.0
    treated: tuple[int, int] = (4, 3)  # programme schools: starters, digital share
    comparison: int = 2
    starters: tuple[int, int, int, int] = (25, 67, 18, 19)
    teams: tuple[int, int] = (15, 60)
    placebo: bool = False


DID_SETTINGS = (
    DidSetting("Haaglanden: 4 + 2 schools, school effects", placebo=True),
    DidSetting("Haaglanden: 4 + 2 schools, school effects and shocks", shock=0.2, share_shock=0.01),
)

P_BASELINE, TREND = 0.30, 0.9  # 3-year dropout before; hazard factor in every school after
SHARE_BEFORE, SHARE_TREND, SHARE_EFFECT = 0.08, 0.02, 0.10


def _schools(s: DidSetting, treated: int) -> list[str]:
    return [f"P{j}" for j in range(treated)] + [f"C{j}" for j in range(s.comparison)]


def dropout_chunk(s: DidSetting, reps: int, rng: np.random.Generator) -> list:
    """The Cox difference-in-differences (and its placebo) of ``reps`` replications."""
    treated = s.treated[0]
    names = _schools(s, treated)
    n0, n1, c0, c1 = s.starters
    sizes = [(n0, n1)] * treated + [(c0, c1)] * s.comparison
    school = np.concatenate([np.repeat(j, a + b) for j, (a, b) in enumerate(sizes)])
    post = np.concatenate([np.repeat([False, True], [a, b]) for a, b in sizes])
    is_treated = school < treated
    level = school_effects(s.sd, len(names), reps, rng)
    shock = school_effects(s.shock, len(names), reps, rng)
    log_hazard = (
        np.log(-math.log(1 - P_BASELINE) / 3)
        + level[:, school]
        + post * (math.log(TREND) + shock[:, school] + is_treated * math.log(HAZARD_RATIO))
    )
    data = simulate_spells(np.exp(log_hazard), post, rng)
    persons = len(school)
    brin = np.asarray(names)[school]
    programme = set(names[:treated])
    out = []
    for i in range(reps):
        part = data.iloc[i * persons : (i + 1) * persons]
        spells = pd.DataFrame({"brin": brin, "cohort": part["cohort"].to_numpy(),
                               "years": part["report_years"].to_numpy(),
                               "left": part["report_left"].to_numpy()})  # fmt: skip
        effect = dropout_did(spells, programme, (2010, 2012), (2013, 2015), 3.0, cells=False).effect
        out.append(record(s.name, "cox did (hazard ratio)", "programme vs comparison", 3,
                          HAZARD_RATIO, effect))  # fmt: skip
        if s.placebo:
            placebo = dropout_did(
                spells, programme, (2010, 2011), (2012, 2012), 1.0, cells=False
            ).effect
            out.append(record(s.name, "cox did (hazard ratio)", "placebo, nulmeting", 1, 1.0,
                              placebo))  # fmt: skip
    return out


def share_chunk(s: DidSetting, reps: int, rng: np.random.Generator) -> list:
    """The weighted least squares difference-in-differences of the digital share."""
    treated = s.treated[1]
    names = _schools(s, treated)
    sizes = [s.teams[0]] * treated + [s.teams[1]] * s.comparison
    school = np.concatenate([np.repeat(j, m) for j, m in enumerate(sizes)] * 2)
    post = np.repeat([0, 1], sum(sizes))
    is_treated = (school < treated).astype(int)
    level = school_effects(s.share_sd, len(names), reps, rng)
    shock = school_effects(s.share_shock, len(names), reps, rng)
    mu = (
        SHARE_BEFORE
        + level[:, school]
        + post * (SHARE_TREND + shock[:, school] + is_treated * SHARE_EFFECT)
    )
    digital, total = simulate_team(len(school), np.clip(mu, 0.005, 0.95), reps, rng)
    brin = np.asarray(names)[school]
    out = []
    for i in range(reps):
        rows = pd.DataFrame({"brin": brin, "treated": is_treated, "post": post,
                             "share": digital[i] / total[i], "weight": total[i]})  # fmt: skip
        out.append(record(s.name, "wls did (difference)", "programme vs comparison", None,
                          SHARE_EFFECT, share_did(rows).effect))  # fmt: skip
    return out
