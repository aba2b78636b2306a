"""Simulation study: do evallib's 95% intervals cover the truth?

Every interval a report shows is computed by evallib's own estimator on simulated data whose
truth is known, many times, per setting: starters (Kaplan–Meier dropout, its ratio and
difference, Aalen–Johansen with a competing reason; :mod:`.starters`), teams, teacher-years
and survey answers (ratio estimator, exact rate ratio, Wilson, Newcombe, Katz, t;
:mod:`.persons`) and the difference-in-differences with few schools (:mod:`.comparison`).
Settings include school effects: each school's own level, drawn per replication
(:mod:`.draws`). Replications without an interval (e.g. no leaver in the nulmeting group, or
no one followed k years) are counted as not estimable, never dropped (:mod:`.records`).
:func:`coverage_study` runs it all (:mod:`.study`); ``benchmarks/coverage.py`` prints it and
:mod:`evallib.evaluation.label_errors` turns the same replications into statuses.
"""

from evallib.stats.simulation.comparison import DID_SETTINGS, DidSetting
from evallib.stats.simulation.draws import (
    simulate_scores,
    simulate_spells,
    simulate_starters,
    simulate_teacher_years,
    simulate_team,
    true_dropout,
)
from evallib.stats.simulation.persons import (
    LEAVING_SETTINGS,
    SURVEY_SETTINGS,
    TEAM_SETTINGS,
    LeavingSetting,
    SurveySetting,
    TeamSetting,
)
from evallib.stats.simulation.records import summarise
from evallib.stats.simulation.starters import STARTER_SETTINGS, StarterSetting
from evallib.stats.simulation.study import SETTINGS, coverage_study, simulate_coverage

__all__ = [
    "DID_SETTINGS",
    "LEAVING_SETTINGS",
    "SETTINGS",
    "STARTER_SETTINGS",
    "SURVEY_SETTINGS",
    "TEAM_SETTINGS",
    "DidSetting",
    "LeavingSetting",
    "StarterSetting",
    "SurveySetting",
    "TeamSetting",
    "coverage_study",
    "simulate_coverage",
    "simulate_scores",
    "simulate_spells",
    "simulate_starters",
    "simulate_teacher_years",
    "simulate_team",
    "summarise",
    "true_dropout",
]
