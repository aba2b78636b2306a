"""Wrong statuses: how often the decision rule says *gehaald* or *niet gehaald* against the truth.

The coverage study (:mod:`evallib.stats.simulation`) places a target on every estimate that a
target can rest on, at the setting's value without school effects: the truth then lies on the
target (only *niet gehaald* can be wrong) or, with school effects, scatters around it (both
can). Each replication's estimate is judged as reports judge it
(:func:`evallib.evaluation.operating.status_for`, the target-oriented rule) and compared with
that replication's truth:

* *gehaald* is wrong when the truth misses the target;
* *niet gehaald* is wrong when the truth meets it;
* *niet zeker* and *onvoldoende gegevens* are never wrong: they claim nothing.

A wrong *gehaald* needs the whole interval on the far side of the truth, so it happens at
most as often as the interval misses on that side (about 2.5% for a 95% interval); the same
holds for a wrong *niet gehaald*. ``benchmarks/coverage.py`` fails when a share of wrong
statuses exceeds :data:`LIMIT`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evallib.evaluation.operating import status_for
from evallib.evaluation.status import Status
from evallib.stats.estimates import Estimate

#: The largest share of wrong statuses the benchmark accepts (as for operating characteristics).
LIMIT = 0.05
_KEYS = ["quantity", "setting", "group", "k"]
_TOLERANCE = 1e-9  # a truth computed another way that equals the target still meets it


def judge(records: pd.DataFrame) -> pd.DataFrame:
    """The records that carry a target, with ``status``, ``meets`` (the truth) and ``wrong``.

    Examples
    --------
    >>> r = pd.DataFrame(dict(setting="s", quantity="ratio", group="g", k=3, n=90,
    ...     true=[0.45, 0.55, 0.45], estimate=0.4, lower=0.3, upper=[0.48, 0.48, 0.7],
    ...     estimable=True, target=0.5, direction="at_most"))
    >>> judge(r)[["status", "meets", "wrong"]].values.tolist()
    [['gehaald', True, False], ['gehaald', False, True], ['niet_zeker', True, False]]
    """
    rows = records[records["direction"] != ""].copy()
    status = [
        status_for(Estimate(r.estimate, r.lower, r.upper, int(r.n)), r.target, r.direction)
        if r.estimable
        else Status.ONVOLDOENDE_GEGEVENS
        for r in rows.itertuples()
    ]
    rows["status"] = [s.value for s in status]
    above = rows["direction"] == "at_least"
    rows["meets"] = np.where(
        above,
        rows["true"] >= rows["target"] - _TOLERANCE,
        rows["true"] <= rows["target"] + _TOLERANCE,
    )
    rows["wrong"] = ((rows["status"] == Status.GEHAALD.value) & ~rows["meets"]) | (
        (rows["status"] == Status.NIET_GEHAALD.value) & rows["meets"]
    )
    return rows


def label_errors(records: pd.DataFrame) -> pd.DataFrame:
    """Per quantity and setting: how often each status was wrong given the truth.

    Columns: ``target``, ``direction``, ``reps``; ``met`` and ``missed`` (replications whose
    truth meets or misses the target); ``gehaald_when_missed`` and
    ``niet_gehaald_when_met`` (shares of those); ``wrong`` (share of all replications) with
    its Monte-Carlo SE; ``no_claim`` (share *niet zeker* or *onvoldoende gegevens*) and
    ``not_estimable`` (replications without an interval, never wrong).

    Examples
    --------
    >>> r = pd.DataFrame(dict(setting="s", quantity="ratio", group="g", k=3, n=90,
    ...     true=[0.45, 0.55, 0.45, 0.5], estimate=0.4, lower=0.3, upper=[0.48, 0.48, 0.7, 0.7],
    ...     estimable=[True, True, True, False], target=0.5, direction="at_most"))
    >>> label_errors(r)[["met", "missed", "gehaald_when_missed", "wrong", "not_estimable"]].to_dict("records")
    [{'met': 3, 'missed': 1, 'gehaald_when_missed': 1.0, 'wrong': 0.25, 'not_estimable': 1}]
    """
    rows = judge(records)
    rows = rows.assign(
        gehaald=rows["status"] == Status.GEHAALD.value,
        niet_gehaald=rows["status"] == Status.NIET_GEHAALD.value,
        missed=~rows["meets"],
        not_est=~rows["estimable"].astype(bool),
    )
    rows["false_gehaald"] = rows["gehaald"] & rows["missed"]
    rows["false_niet"] = rows["niet_gehaald"] & rows["meets"]
    grouped = rows.groupby(_KEYS, sort=False, dropna=False)
    table = grouped.agg(
        target=("target", "first"),
        direction=("direction", "first"),
        reps=("wrong", "size"),
        met=("meets", "sum"),
        missed=("missed", "sum"),
        false_gehaald=("false_gehaald", "sum"),
        false_niet=("false_niet", "sum"),
        wrong=("wrong", "mean"),
        gehaald=("gehaald", "mean"),
        niet_gehaald=("niet_gehaald", "mean"),
        not_estimable=("not_est", "sum"),
    ).reset_index()
    table["k"] = table["k"].astype("Int64")
    table["met"], table["missed"] = table["met"].astype(int), table["missed"].astype(int)
    table["gehaald_when_missed"] = table["false_gehaald"] / table["missed"].where(
        table["missed"] > 0
    )
    table["niet_gehaald_when_met"] = table["false_niet"] / table["met"].where(table["met"] > 0)
    table["wrong_se"] = np.sqrt(table["wrong"] * (1 - table["wrong"]) / table["reps"])
    table["no_claim"] = 1 - table["gehaald"] - table["niet_gehaald"]
    columns = ["quantity", "setting", "group", "k", "target", "direction", "reps", "met",
               "missed", "gehaald_when_missed", "niet_gehaald_when_met", "wrong", "wrong_se",
               "no_claim", "not_estimable"]  # fmt: skip
    return table[columns]
