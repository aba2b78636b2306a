"""Difference-in-differences against the schools that declined to take part.

Did the programme schools change more than the comparison schools, between the
nulmeting and the programme years?

* Starter dropout: a Cox model on the first ``horizon`` years of each starter
  with ``treated``, ``post`` and their interaction; ``exp(interaction)`` is the
  ratio by which the hazard of leaving changed in programme schools *beyond*
  the change in the comparison schools (1 = no extra change).
* Digital teaching time: least squares on teacher-level shares, weighted by
  teaching hours.

Both follow one small-sample rule (:func:`small_sample_rule`): the wider of the
model-based interval (normal quantile) and the cluster-robust one (CR1, with a t
distribution on number of schools − 1 degrees of freedom).

With two comparison schools these are rough checks, and the reports say so.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from lifelines import CoxPHFitter
from scipy import stats as sps

from evallib.stats.estimates import Estimate
from evallib.stats.survival import km_dropout


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
    clustered: bool = False  # the small-sample rule's clustered standard error was considered


def small_sample_rule(
    model_se: float, cluster_se: float, clusters: int, alpha: float, model: str
) -> tuple[float, float, str]:
    """One rule for every difference-in-differences: the standard error and the quantile.

    The wider of two intervals, each standard error with the reference distribution it has:
    the model-based one with the normal quantile (it is asymptotic in persons), and the
    cluster-robust one (CR1, clustered by school) with a t quantile on G − 1 degrees of
    freedom for G schools (Cameron & Miller 2015, section VI.C; Bester, Conley & Hansen
    2011), because with so few schools it is noisy and too small on average. Returns the
    wider side's standard error and quantile. With fewer than two schools there are no
    clusters: model-based, normal.

    The model-based standard error is right when school levels do not change over time (the
    difference-in-differences removes them); the clustered one guards against school-by-period
    shocks. Taking the larger standard error *and* t(G − 1), the rule before, covered 99.4% for
    the Cox model in the coverage study; see docs/methods.md.

    Examples
    --------
    >>> se, q, method = small_sample_rule(0.10, 0.14, 6, 0.05, "cox")
    >>> se, round(q, 3), method
    (0.14, 2.571, 'cox; the wider of model-based se with z and clustered by school (CR1, 6 schools) with t(5)')
    >>> se, q, _ = small_sample_rule(0.10, 0.06, 6, 0.05, "cox")  # 1.96 * 0.10 > 2.571 * 0.06
    >>> se, round(q, 3)
    (0.1, 1.96)
    """
    z = float(sps.norm.ppf(1 - alpha / 2))
    if clusters < 2 or math.isnan(cluster_se):
        return model_se, z, f"{model}; model-based se"
    t = float(sps.t.ppf(1 - alpha / 2, clusters - 1))
    method = (
        f"{model}; the wider of model-based se with z and clustered by school "
        f"(CR1, {clusters} schools) with t({clusters - 1})"
    )
    return (cluster_se, t, method) if t * cluster_se > z * model_se else (model_se, z, method)


def _cells(frame: pd.DataFrame, value: str, weight: str | None = None) -> pd.DataFrame:
    def summarise(group: pd.DataFrame) -> pd.Series:
        w = group[weight] if weight else pd.Series(1.0, index=group.index)
        return pd.Series({"value": float(np.average(group[value], weights=w)), "n": len(group)})

    return frame.groupby(["treated", "post"]).apply(summarise, include_groups=False).reset_index()


def _dropout_cells(frame: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """Kaplan–Meier dropout at ``horizon`` of the four groups (treated/comparison × period)."""
    return pd.DataFrame(
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


def dropout_did(
    spells: pd.DataFrame,
    treated_schools: set[str],
    baseline: tuple[int, int],
    programme: tuple[int, int],
    horizon: float = 3.0,
    alpha: float = 0.05,
    cells: bool = True,
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
    cells
        Also estimate the four groups' Kaplan–Meier dropout for display (``DiD.cells``);
        the simulation study, which needs only the effect, skips them.

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
    cells = _dropout_cells(frame, horizon) if cells else pd.DataFrame()
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
    robust_se = math.nan
    if clusters >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            robust = CoxPHFitter(alpha=alpha).fit(data, "time", "event", cluster_col="brin")
        # lifelines' sandwich has no small-sample factor: CR1 multiplies by G / (G - 1)
        robust_se = float(robust.standard_errors_["treated_post"]) * math.sqrt(
            clusters / (clusters - 1)
        )
    se, quantile, method = small_sample_rule(se, robust_se, clusters, alpha, "cox")
    effect = Estimate(
        math.exp(coef),
        math.exp(coef - quantile * se),
        math.exp(coef + quantile * se),
        n,
        int(frame["event"].sum()),
        method,
    )
    clustered = clusters >= 2 and not math.isnan(robust_se)
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
    cluster_se = math.nan
    if clusters >= 2:
        groups = pd.factorize(rows["brin"])[0]
        clustered = model.fit(
            cov_type="cluster", cov_kwds={"groups": groups, "use_correction": True}
        )
        cluster_se = float(clustered.bse["treated:post"])  # CR1, with statsmodels' correction
    se, quantile, method = small_sample_rule(
        se, cluster_se, clusters, alpha, "weighted least squares"
    )
    effect = Estimate(coef, coef - quantile * se, coef + quantile * se, len(rows), None, method)
    clustered = clusters >= 2 and not math.isnan(cluster_se)
    return DiD(effect, "difference", clusters, cells, method, clustered)


def digital_rows(
    hours: pd.DataFrame,
    participation: pd.DataFrame,
    treated: set[str],
    comparison: set[str],
    before: int,
    first_team_year: int,
    after: int,
    project: str,
    role: str,
) -> pd.DataFrame:
    """Teacher rows for the digital-time difference-in-differences.

    Treated: the members of a project role (a team) of ``first_team_year`` observed in
    ``before`` (their own nulmeting) and the team of ``after``. Comparison: all teachers
    of the comparison schools in both years.
    """

    def team(year: int) -> pd.DataFrame:
        rows = participation[
            (participation["project"] == project)
            & (participation["rol"] == role)
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


def dropout_statistic(
    spells: pd.DataFrame,
    baseline: tuple[int, int],
    programme: tuple[int, int],
    horizon: float = 3.0,
) -> Callable[[set[str]], float]:
    """The dropout DiD's log hazard ratio for any set of 'treated' schools (for randomisation).

    The data stay as they are; only which schools count as taking part changes.
    """
    frame = spells[(spells["cohort"] >= baseline[0]) & (spells["cohort"] <= programme[1])]
    frame = pd.DataFrame(
        {
            "brin": frame["brin"].to_numpy(),
            "post": (frame["cohort"] >= programme[0]).astype(int).to_numpy(),
            "event": (frame["left"] & (frame["years"] <= horizon)).astype(int).to_numpy(),
            "time": np.minimum(frame["years"], horizon).clip(lower=1e-6).to_numpy(),
        }
    )

    def statistic(treated: set[str]) -> float:
        data = frame.assign(treated=frame["brin"].isin(treated).astype(int))
        data["treated_post"] = data["treated"] * data["post"]
        if (
            data.groupby(["treated", "post"])["event"].sum().min() == 0
            or data.groupby(["treated", "post"]).ngroups < 4
        ):
            return math.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = CoxPHFitter().fit(data.drop(columns="brin"), "time", "event")
        return float(model.params_["treated_post"])

    return statistic


def share_statistic(rows: pd.DataFrame) -> Callable[[set[str]], float]:
    """The share DiD's coefficient for any set of 'treated' schools (for randomisation)."""
    rows = rows.reset_index(drop=True)

    def statistic(treated: set[str]) -> float:
        data = rows.assign(treated=rows["brin"].isin(treated).astype(int))
        if data.groupby(["treated", "post"]).ngroups < 4:
            return math.nan
        fit = smf.wls("share ~ treated * post", data=data, weights=data["weight"]).fit()
        return float(fit.params["treated:post"])

    return statistic
