"""One row per replication and interval, and the summary table over replications."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from evallib.stats.estimates import Estimate

#: Share of replications without an interval above which a row is flagged: its coverage
#: then describes only the replications where a report would show an interval.
MANY_NOT_ESTIMABLE = 0.05

FIELDS = ("setting", "quantity", "group", "k", "n", "true", "estimate", "lower", "upper",
          "estimable", "target", "direction")  # fmt: skip
KEYS = ["quantity", "setting", "group", "k"]


def record(
    setting: str,
    quantity: str,
    group: str,
    k: object,
    true: float,
    e: Estimate,
    measurable: bool = True,
    target: float = math.nan,
    direction: str = "",
) -> tuple:
    """One replication's result; estimable = a finite estimate and interval, and measurable.

    ``target`` and ``direction`` (``at_least``/``at_most``) place a target for the status
    check (:mod:`evallib.evaluation.label_errors`); empty where no target rests on the
    quantity.
    """
    ok = measurable and all(map(math.isfinite, (e.estimate, e.ci_lower, e.ci_upper)))
    return (setting, quantity, group, k, e.n, float(true), e.estimate, e.ci_lower, e.ci_upper,
            ok, float(target), direction)  # fmt: skip


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Records as a table with :data:`FIELDS` as columns."""
    return pd.DataFrame(rows, columns=list(FIELDS))


def summarise(records: pd.DataFrame) -> pd.DataFrame:
    """One row per quantity and setting: bias, coverage with its Monte-Carlo SE, width.

    Coverage, bias and width are over the estimable replications; ``not_estimable`` counts
    the others (no interval, or no one followed k years) and ``many_not_estimable`` flags a
    row where they exceed :data:`MANY_NOT_ESTIMABLE` of the replications. ``true`` is the
    mean truth (it varies between replications when schools have their own effects); bias is
    the mean of estimate minus truth.

    Examples
    --------
    >>> r = pd.DataFrame(dict(setting="s", quantity="q", group="g", k=1, n=5, true=0.5,
    ...     estimate=[0.4, 0.6, 0.7], lower=[0.3, 0.55, 0.1], upper=[0.6, 0.7, 0.9],
    ...     estimable=[True, True, False]))
    >>> summarise(r)[["coverage", "not_estimable", "bias", "many_not_estimable"]].round(3).to_dict("records")
    [{'coverage': 0.5, 'not_estimable': 1, 'bias': 0.0, 'many_not_estimable': True}]
    """
    ok = records[records["estimable"]]
    hit = (ok["lower"] <= ok["true"]) & (ok["true"] <= ok["upper"])
    grouped = ok.assign(hit=hit, width=ok["upper"] - ok["lower"], low=ok["upper"] < ok["true"],
                        high=ok["lower"] > ok["true"], error=ok["estimate"] - ok["true"]
                        ).groupby(KEYS, sort=False, dropna=False)  # fmt: skip
    table = grouped.agg(n=("n", "first"), mean_estimate=("estimate", "mean"),
                        bias=("error", "mean"), coverage=("hit", "mean"),
                        interval_below=("low", "mean"), interval_above=("high", "mean"),
                        mean_width=("width", "mean"), estimable=("hit", "size"))  # fmt: skip
    groups = records.groupby(KEYS, sort=False, dropna=False)
    table = table.join(groups.size().rename("reps"), how="right")
    table = table.join(groups["true"].mean()).reset_index()
    table["estimable"] = table["estimable"].fillna(0).astype(int)
    table["k"] = table["k"].astype("Int64")
    table["not_estimable"] = table["reps"] - table["estimable"]
    table["many_not_estimable"] = table["not_estimable"] > MANY_NOT_ESTIMABLE * table["reps"]
    cov = table["coverage"]
    table["coverage_se"] = np.sqrt(
        cov * (1 - cov) / table["estimable"].where(table["estimable"] > 0)
    )
    # The naive share is shown for its bias. The placebo's model interval is not shown at
    # Haaglanden's design: the overview gives its ratio with the randomisation test instead.
    table["checked"] = (table["quantity"] != "naive share") & (
        table["group"] != "placebo, nulmeting"
    )
    columns = ["quantity", "setting", "group", "k", "n", "true", "mean_estimate", "bias",
               "coverage", "coverage_se", "interval_below", "interval_above", "mean_width",
               "reps", "not_estimable", "many_not_estimable", "checked"]  # fmt: skip
    return table[columns]
