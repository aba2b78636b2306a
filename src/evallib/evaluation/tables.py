"""Pure functions over the typed tables of :class:`~evallib.evaluation.dataset.Dataset`.

The building blocks of the measures (:mod:`evallib.evaluation.measures`): starters' spells,
teacher-years, team hours, survey scores, participant counts. Column contracts are those of
:mod:`evallib.contract.schema` after typing (school years as the integer year they start in).
Nothing here estimates uncertainty; that is :mod:`evallib.stats.estimates`'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from evallib.contract.measures import STARTER_OUTCOMES as OUTCOMES
from evallib.core.dates import follow_up_years, school_year_of
from evallib.stats.survival import cumulative_incidence


def starter_spells(staff: pd.DataFrame, reference_date: dt.date) -> pd.DataFrame:
    """One row per starter: cohort, follow-up time and whether and why they left.

    Parameters
    ----------
    staff
        Typed ``personeel`` table.
    reference_date
        Last day the data cover; later leaving is unknown (right-censored).

    Returns
    -------
    pandas.DataFrame
        Columns ``brin``, ``vestiging``, ``cohort`` (school year of start),
        ``years`` (follow-up in years), ``left`` (bool), ``reason``.

    Examples
    --------
    >>> staff = pd.DataFrame({
    ...     "brin": ["01GX"] * 3, "vestiging": ["00"] * 3, "starter": [True, True, False],
    ...     "datum_in_dienst": pd.to_datetime(["2013-08-01", "2014-08-01", "2000-08-01"]),
    ...     "datum_uit_dienst": pd.to_datetime(["2015-07-31", None, None]),
    ...     "reden_uit_dienst": ["andere school", None, None]})
    >>> starter_spells(staff, dt.date(2016, 7, 31))[["cohort", "years", "left"]].to_dict("list")
    {'cohort': [2013, 2014], 'years': [2.0, 2.0], 'left': [True, False]}
    """
    starters = staff[staff["starter"].fillna(False).astype(bool)].reset_index(drop=True)
    years, left = follow_up_years(
        starters["datum_in_dienst"], starters["datum_uit_dienst"], reference_date
    )
    return pd.DataFrame(
        {
            "brin": starters["brin"].to_numpy(),
            "vestiging": starters["vestiging"].to_numpy(),
            "cohort": school_year_of(starters["datum_in_dienst"]).to_numpy(),
            "years": years,
            "left": left,
            "reason": starters["reden_uit_dienst"].where(left, None).to_numpy(),
            "start": starters["datum_in_dienst"].to_numpy(),
            "end": starters["datum_uit_dienst"].to_numpy(),
        }
    )


def cohorts(
    spells: pd.DataFrame, first: int, last: int, programme_start: int | None = None
) -> pd.DataFrame:
    """The starters of cohorts ``first`` … ``last``, followed only before ``programme_start``.

    A nulmeting cohort followed into the programme's years would mix programme time into the
    nulmeting (in the example data most baseline starters took part later). Cohorts that
    started before the programme are therefore censored on the day before it starts (1 August
    of ``programme_start``): leaving after that is not counted for the nulmeting.

    Examples
    --------
    >>> staff = pd.DataFrame({
    ...     "brin": ["01GX"] * 2, "vestiging": ["00"] * 2, "starter": [True, True],
    ...     "datum_in_dienst": pd.to_datetime(["2012-08-01", "2012-08-01"]),
    ...     "datum_uit_dienst": pd.to_datetime(["2013-01-31", "2014-07-31"]),
    ...     "reden_uit_dienst": ["andere school", "andere school"]})
    >>> spells = starter_spells(staff, dt.date(2016, 7, 31))
    >>> cohorts(spells, 2010, 2012, 2013)[["years", "left"]].round(2).to_dict("list")
    {'years': [0.5, 1.0], 'left': [True, False]}
    """
    rows = in_years(spells, "cohort", first, last)
    return rows if programme_start is None else before_programme(rows, programme_start)


def before_programme(spells: pd.DataFrame, programme_start: int) -> pd.DataFrame:
    """Cohorts that started before the programme, censored the day before it starts.

    Later cohorts are left as they are (see :func:`cohorts`).
    """
    early = (spells["cohort"] < programme_start).to_numpy()
    if not early.any():
        return spells
    rows = spells[early]
    years, left = follow_up_years(rows["start"], rows["end"], dt.date(programme_start, 7, 31))
    out = spells.copy()
    out.loc[early, "years"] = np.minimum(rows["years"].to_numpy(), years)
    out.loc[early, "left"] = rows["left"].to_numpy() & left
    out.loc[early, "reason"] = rows["reason"].where(left, None).to_numpy()
    return out


def in_years(frame: pd.DataFrame, column: str, first: int, last: int) -> pd.DataFrame:
    """Rows whose school year column lies in ``first`` … ``last`` (inclusive)."""
    return frame[(frame[column] >= first) & (frame[column] <= last)]


def starter_outcomes(spells: pd.DataFrame, years: int) -> pd.Series:
    """Where starters are ``years`` after starting, for those followed that long.

    Starters not yet followed for ``years`` are left out (their outcome is not
    known yet), never counted as stayers.

    Examples
    --------
    >>> spells = pd.DataFrame({"years": [3.0, 1.2, 2.5, 1.0], "left": [False, True, False, False],
    ...                        "reason": [None, "buiten onderwijs", None, None]})
    >>> starter_outcomes(spells, 3).to_dict()
    {'nog op school': 1, 'andere school': 0, 'buiten onderwijs': 1, 'pensioen': 0, 'onbekend': 0}
    """
    known = spells[(spells["left"] & (spells["years"] <= years)) | (spells["years"] >= years)]
    category = np.where(
        known["left"] & (known["years"] <= years),
        known["reason"].fillna("onbekend"),
        "nog op school",
    )
    return pd.Series(category).value_counts().reindex(list(OUTCOMES), fill_value=0).astype(int)


def participants(
    participation: pd.DataFrame, project: str, role: str, year: int, cumulative: bool
) -> int:
    """Distinct teachers in a project role in ``year`` (or up to and including it).

    Examples
    --------
    >>> p = pd.DataFrame({"brin": ["01GX"] * 3, "docent_id": ["A", "B", "A"], "schooljaar": [2013, 2014, 2014],
    ...                   "project": ["mentoring"] * 3, "rol": ["mentor"] * 3})
    >>> participants(p, "mentoring", "mentor", 2014, cumulative=False), participants(p, "mentoring", "mentor", 2014, cumulative=True)
    (2, 2)
    """
    rows = participation[(participation["project"] == project) & (participation["rol"] == role)]
    rows = rows[rows["schooljaar"] <= year] if cumulative else rows[rows["schooljaar"] == year]
    return int(rows[["brin", "docent_id"]].drop_duplicates().shape[0])


def selected_by(
    participation: pd.DataFrame, project: str, role: str, year: int, by: dt.date
) -> int:
    """Distinct teachers selected for a role in ``year`` on or before date ``by`` (go/no-go)."""
    rows = participation[
        (participation["project"] == project)
        & (participation["rol"] == role)
        & (participation["schooljaar"] == year)
        & (participation["datum_selectie"] <= pd.Timestamp(by))
    ]
    return int(rows[["brin", "docent_id"]].drop_duplicates().shape[0])


def team_hours(
    hours: pd.DataFrame,
    participation: pd.DataFrame,
    year: int,
    project: str,
    role: str,
    observed: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """Teaching hours of the teachers in a project team of ``year``.

    The hours are those of ``observed`` (default: ``year``); the team of the first
    programme year observed the year before is that team's own nulmeting. Returns the
    hours of team members and how many team members had no hours delivered (reported
    beside the estimate, never silently dropped).

    Examples
    --------
    >>> h = pd.DataFrame({"brin": ["01GX"] * 2, "docent_id": ["A", "B"], "schooljaar": [2014, 2014],
    ...                   "lesuren_totaal": [600.0, 500.0], "lesuren_digitaal": [60.0, 10.0]})
    >>> p = pd.DataFrame({"brin": ["01GX"] * 2, "docent_id": ["A", "C"], "schooljaar": [2014, 2014],
    ...                   "project": ["coaching"] * 2, "rol": ["team"] * 2})
    >>> rows, missing = team_hours(h, p, 2014, "coaching", "team")
    >>> rows["lesuren_digitaal"].tolist(), missing
    ([60.0], 1)
    """
    team = participation[
        (participation["project"] == project)
        & (participation["rol"] == role)
        & (participation["schooljaar"] == year)
    ][["brin", "docent_id"]].drop_duplicates()
    year_hours = hours[hours["schooljaar"] == (year if observed is None else observed)]
    merged = team.merge(year_hours, on=["brin", "docent_id"], how="left")
    missing = int(merged["lesuren_totaal"].isna().sum())
    return merged.dropna(subset=["lesuren_totaal"]).reset_index(drop=True), missing


def year_hours(hours: pd.DataFrame, year: int) -> pd.DataFrame:
    """All teachers' hours in ``year`` (the reference when no team exists yet)."""
    return hours[hours["schooljaar"] == year].reset_index(drop=True)


def survey_scores(survey: pd.DataFrame, group: str, item: str, year: int) -> pd.Series:
    """Non-missing scores on one item for one group and school year."""
    rows = survey[(survey["groep"] == group) & (survey["schooljaar"] == year)]
    return rows[item].dropna().astype(int)


#: The lowest score that counts as agreeing or satisfied (4 or 5 on a five-point scale).
POSITIVE_FROM = 4


def positive(scores: pd.Series, threshold: int = POSITIVE_FROM) -> tuple[int, int]:
    """Number of scores at or above ``threshold`` (agree / satisfied) and the number of scores.

    Examples
    --------
    >>> positive(pd.Series([5, 4, 3, 2, 4]))
    (3, 5)
    """
    return int((scores >= threshold).sum()), int(scores.size)


def teacher_years(
    staff: pd.DataFrame, first: int, last: int, min_age: int, max_age: int, reference_date: dt.date
) -> pd.DataFrame:
    """Teacher-years at risk of leaving early: aged ``min_age``–``max_age``, employed on 1 October.

    ``left`` is True when the teacher left during that school year for any
    reason but retirement (*vroege uitval*).

    Examples
    --------
    >>> staff = pd.DataFrame({"brin": ["01GX"] * 2, "docent_id": ["A", "B"], "geboortejaar": [1970, 1990],
    ...     "datum_in_dienst": pd.to_datetime(["2000-08-01", "2012-08-01"]),
    ...     "datum_uit_dienst": pd.to_datetime(["2012-07-31", None]), "reden_uit_dienst": ["andere school", None]})
    >>> teacher_years(staff, 2010, 2012, 40, 55, dt.date(2016, 7, 31))[["docent_id", "schooljaar", "left"]].to_dict("list")
    {'docent_id': ['A', 'A'], 'schooljaar': [2010, 2011], 'left': [False, True]}
    """
    frames = []
    for year in range(first, last + 1):
        october = pd.Timestamp(year, 10, 1)
        year_end = min(pd.Timestamp(year + 1, 7, 31), pd.Timestamp(reference_date))
        employed = (staff["datum_in_dienst"] <= october) & (
            staff["datum_uit_dienst"].isna() | (staff["datum_uit_dienst"] >= october)
        )
        age = year - staff["geboortejaar"]
        rows = staff[employed & (age >= min_age) & (age <= max_age)]
        left = (
            rows["datum_uit_dienst"].notna()
            & (rows["datum_uit_dienst"] <= year_end)
            & (rows["reden_uit_dienst"] != "pensioen")
        )
        frames.append(
            pd.DataFrame(
                {
                    "brin": rows["brin"].to_numpy(),
                    "docent_id": rows["docent_id"].to_numpy(),
                    "schooljaar": year,
                    "left": left.to_numpy(dtype=bool),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def first_participation(participation: pd.DataFrame, project: str, role: str) -> pd.DataFrame:
    """First school year each teacher took part in a project role."""
    rows = participation[(participation["project"] == project) & (participation["rol"] == role)]
    return (
        rows.groupby(["brin", "docent_id"], as_index=False)["schooljaar"]
        .min()
        .rename(columns={"schooljaar": "first_year"})
    )


def possible_follow_up(
    rows: pd.DataFrame, reference_date: dt.date, programme_start: int | None = None
) -> np.ndarray:
    """Years each starter of ``rows`` could have been followed had they stayed: to the
    reference date, and for a cohort before ``programme_start`` to the day before it starts,
    as :func:`cohorts` counts them. The design a simulation draws new leaving times into.

    Examples
    --------
    >>> staff = pd.DataFrame({
    ...     "brin": ["01GX"] * 2, "vestiging": ["00"] * 2, "starter": [True, True],
    ...     "datum_in_dienst": pd.to_datetime(["2012-08-01", "2014-08-01"]),
    ...     "datum_uit_dienst": pd.to_datetime(["2013-01-31", None]),
    ...     "reden_uit_dienst": ["andere school", None]})
    >>> spells = starter_spells(staff, dt.date(2016, 7, 31))
    >>> possible_follow_up(spells, dt.date(2016, 7, 31), 2013).round(2).tolist()
    [1.0, 2.0]
    """
    never = pd.Series(pd.NaT, index=range(len(rows)), dtype="datetime64[ns]")
    start = pd.Series(rows["start"].to_numpy())
    years, _ = follow_up_years(start, never, reference_date)
    if programme_start is not None:
        early = rows["cohort"].to_numpy() < programme_start
        if early.any():
            cut, _ = follow_up_years(start, never, dt.date(programme_start, 7, 31))
            years = np.where(early, np.minimum(years, cut), years)
    return np.asarray(years, dtype=float)


def outcome_share(rows, parts: tuple[str, ...], years: int, alpha: float):
    """Share of starters in ``parts`` k years after starting (Aalen–Johansen, all starters).

    Leaving for one reason competes with leaving for another; a share that includes "still at
    the school" is one minus the incidence of the other reasons.
    """
    reasons = rows["reason"].where(~rows["left"], rows["reason"].fillna("onbekend"))
    causes = reasons.where(rows["left"], None).to_numpy(dtype=object)
    stayed = OUTCOMES[0]  # nog op school
    leaving = set(OUTCOMES) - {stayed}
    if stayed in parts:
        other = cumulative_incidence(rows["years"], causes, leaving - set(parts), years, alpha)
        return replace(
            other,
            estimate=1 - other.estimate,
            ci_lower=1 - other.ci_upper,
            ci_upper=1 - other.ci_lower,
            events=None,
        )
    return cumulative_incidence(rows["years"], causes, set(parts), years, alpha)
