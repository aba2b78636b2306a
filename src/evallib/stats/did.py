"""Difference-in-differences against the schools that declined to take part.

Did the programme schools change more than the comparison schools, between the
nulmeting and the programme years?

* Starter dropout: a Cox model on the first ``horizon`` years of each starter
  with ``treated``, ``post`` and their interaction; ``exp(interaction)`` is the
  ratio by which the hazard of leaving changed in programme schools *beyond*
  the change in the comparison schools (1 = no extra change). Standard errors
  are clustered by school (lifelines' sandwich estimator) unless that is smaller
  than the model-based one: with so few schools the sandwich is too optimistic.
* Digital teaching time: least squares on teacher-level shares, weighted by
  teaching hours; standard errors clustered by school (statsmodels) with a t
  distribution on (number of schools − 1) degrees of freedom, unless the
  model-based standard error is larger.

With two comparison schools these are rough checks, and the reports say so.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from lifelines import CoxPHFitter
from scipy import stats as sps

from evallib.stats.estimates import Estimate, km_dropout


@dataclass(frozen=True)
class DiD:
    """A difference-in-differences estimate with its interval and the design behind it.

    ``cells`` holds the four group means (treated/comparison × before/after)
    with their n, for display.
    """

    effect: Estimate
    scale: str  # "hazard ratio" or "difference"
    clusters: int
    cells: pd.DataFrame
    method: str  # how it was estimated, for people reading code and logs (reports word it)
    clustered: bool = False  # standard error clustered by school


def _cells(frame: pd.DataFrame, value: str, weight: str | None = None) -> pd.DataFrame:
    def summarise(group: pd.DataFrame) -> pd.Series:
        w = group[weight] if weight else pd.Series(1.0, index=group.index)
        return pd.Series({"value": float(np.average(group[value], weights=w)), "n": len(group)})

    return frame.groupby(["treated", "post"]).apply(summarise, include_groups=False).reset_index()


def dropout_did(
    spells: pd.DataFrame,
    treated_schools: set[str],
    baseline: tuple[int, int],
    programme: tuple[int, int],
    horizon: float = 3.0,
    alpha: float = 0.05,
) -> DiD:
    """Difference-in-differences of starter dropout on the hazard-ratio scale.

    Parameters
    ----------
    spells
        Output of :func:`evallib.evaluation.measures.starter_spells` for programme *and*
        comparison locations (``brin``, ``cohort``, ``years``, ``left``).
    treated_schools
        BRIN codes of the programme schools; all other schools are the comparison.
    baseline, programme
        Cohort spans (school years) before and during the programme.
    horizon
        Follow-up is cut at this many years (the target's k).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> rows = []
    >>> for school, treated in (("A", 1), ("B", 1), ("C", 0), ("D", 0)):
    ...     for cohort in range(2010, 2016):
    ...         rate = -np.log(0.85 if treated and cohort >= 2013 else 0.70) / 3
    ...         t = rng.exponential(1 / rate, 60)
    ...         rows.append(pd.DataFrame({"brin": school, "cohort": cohort, "years": np.minimum(t, 3), "left": t <= 3}))
    >>> result = dropout_did(pd.concat(rows), {"A", "B"}, (2010, 2012), (2013, 2015))
    >>> bool(result.effect.ci_lower < math.log(0.85) / math.log(0.70) < result.effect.ci_upper)
    True
    """
    frame = spells[(spells["cohort"] >= baseline[0]) & (spells["cohort"] <= programme[1])].copy()
    frame["treated"] = frame["brin"].isin(treated_schools).astype(int)
    frame["post"] = (frame["cohort"] >= programme[0]).astype(int)
    frame["treated_post"] = frame["treated"] * frame["post"]
    frame["event"] = (frame["left"] & (frame["years"] <= horizon)).astype(int)
    frame["time"] = np.minimum(frame["years"], horizon).clip(lower=1e-6)
    cells = pd.DataFrame(
        [
            {
                "treated": t,
                "post": p,
                "value": (d := km_dropout(g["years"], g["left"], horizon)).estimate,
                "ci_lower": d.ci_lower,
                "ci_upper": d.ci_upper,
                "n": d.n,
            }
            for (t, p), g in frame.groupby(["treated", "post"])
        ]
    )
    clusters = int(frame["brin"].nunique())
    n = len(frame)
    if (
        frame.groupby(["treated", "post"])["event"]
        .sum()
        .reindex(pd.MultiIndex.from_product([[0, 1], [0, 1]]), fill_value=0)
        .min()
        == 0
    ):
        nan = Estimate(math.nan, math.nan, math.nan, n, int(frame["event"].sum()), "cox did")
        return DiD(nan, "hazard ratio", clusters, cells, "not estimable: a group has no leavers")
    data = frame[["time", "event", "treated", "post", "treated_post", "brin"]]
    model = CoxPHFitter(alpha=alpha).fit(data.drop(columns="brin"), "time", "event")
    coef = float(model.params_["treated_post"])
    se = float(model.standard_errors_["treated_post"])
    method, clustered = "cox, model-based se", False
    if clusters >= 3:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            robust = CoxPHFitter(alpha=alpha).fit(data, "time", "event", cluster_col="brin")
        robust_se = float(robust.standard_errors_["treated_post"])
        if robust_se > se:
            se, method = robust_se, f"cox, se clustered by school ({clusters} schools)"
            clustered = True
    z = sps.norm.ppf(1 - alpha / 2)
    effect = Estimate(
        math.exp(coef),
        math.exp(coef - z * se),
        math.exp(coef + z * se),
        n,
        int(frame["event"].sum()),
        method,
    )
    return DiD(effect, "hazard ratio", clusters, cells, method, clustered)


def share_did(rows: pd.DataFrame, alpha: float = 0.05) -> DiD:
    """Difference-in-differences of a teacher-level share (e.g. digital teaching time).

    Parameters
    ----------
    rows
        One row per teacher and period: ``brin``, ``treated`` (0/1), ``post``
        (0/1), ``share`` and ``weight`` (teaching hours).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> parts = []
    >>> for school, treated in (("A", 1), ("B", 1), ("C", 0), ("D", 0)):
    ...     for post in (0, 1):
    ...         mean = 0.05 + (0.15 if treated and post else 0) + 0.02 * post
    ...         parts.append(pd.DataFrame({"brin": school, "treated": treated, "post": post,
    ...                                    "share": rng.beta(mean * 20, (1 - mean) * 20, 40), "weight": 600.0}))
    >>> d = share_did(pd.concat(parts))
    >>> bool(d.effect.ci_lower < 0.15 < d.effect.ci_upper), d.clusters
    (True, 4)
    """
    rows = rows.reset_index(drop=True)
    clusters = int(rows["brin"].nunique())
    cells = _cells(rows, "share", "weight")
    model = smf.wls("share ~ treated * post", data=rows, weights=rows["weight"])
    plain = model.fit()
    coef, se = float(plain.params["treated:post"]), float(plain.bse["treated:post"])
    quantile, method, clustered = (
        sps.t.ppf(1 - alpha / 2, plain.df_resid),
        "weighted least squares, model-based se",
        False,
    )
    if clusters >= 3:
        groups = pd.factorize(rows["brin"])[0]
        clustered = model.fit(
            cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True}
        )
        cluster_se = float(clustered.bse["treated:post"])
        # With few schools the cluster-robust se is itself very noisy: use it only when it is
        # the more cautious of the two (then with t on schools - 1 degrees of freedom).
        if cluster_se > se:
            se, quantile = cluster_se, sps.t.ppf(1 - alpha / 2, clusters - 1)
            method = f"weighted least squares, se clustered by school ({clusters} schools), t({clusters - 1})"
            clustered = True
    effect = Estimate(coef, coef - quantile * se, coef + quantile * se, len(rows), None, method)
    return DiD(effect, "difference", clusters, cells, method, clustered)


def digital_rows(
    hours: pd.DataFrame,
    participation: pd.DataFrame,
    treated: set[str],
    comparison: set[str],
    before: int,
    first_team_year: int,
    after: int,
) -> pd.DataFrame:
    """Teacher rows for the digital-time difference-in-differences.

    Treated: the e-coaching team of ``first_team_year`` observed in ``before``
    (their own nulmeting) and the team of ``after``. Comparison: all teachers of
    the comparison schools in both years.
    """

    def team(year: int) -> pd.DataFrame:
        rows = participation[
            (participation["project"] == "e-coaching")
            & (participation["rol"] == "teamlid")
            & (participation["schooljaar"] == year)
            & participation["brin"].isin(treated)
        ]
        return rows[["brin", "docent_id"]].drop_duplicates()

    def hours_of(year: int, who: pd.DataFrame | None, schools: set[str]) -> pd.DataFrame:
        rows = hours[(hours["schooljaar"] == year) & hours["brin"].isin(schools)]
        return rows.merge(who, on=["brin", "docent_id"]) if who is not None else rows

    parts = [
        hours_of(before, team(first_team_year), treated).assign(treated=1, post=0),
        hours_of(after, team(after), treated).assign(treated=1, post=1),
        hours_of(before, None, comparison).assign(treated=0, post=0),
        hours_of(after, None, comparison).assign(treated=0, post=1),
    ]
    rows = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(
        {
            "brin": rows["brin"],
            "treated": rows["treated"],
            "post": rows["post"],
            "share": rows["lesuren_digitaal"] / rows["lesuren_totaal"],
            "weight": rows["lesuren_totaal"],
        }
    )
