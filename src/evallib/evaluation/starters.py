"""The starting teachers' linked tables: how many started, and what a reader reads off each
shown share of them (who left within h years, where they are after k years).

A shown share p of n starters tells a reader about p·n persons (``docs/privacy.md``, rule 5),
and a region's persons minus its shown schools' would give a hidden school's. Kaplan–Meier
and Aalen–Johansen shares do not add up over locations exactly, so these tables are a model
of that reader: each location's p·n, rounded, with every group's the sum of its locations'.
Where censoring is light this is what the reader gets; elsewhere the model gives the reader
exact sums where the real one gets close ones, which errs on the side of hiding.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from evallib.contract.measures import LEFT_EDUCATION
from evallib.contract.programme import Programme
from evallib.evaluation import tables
from evallib.evaluation.cells import CellKey, Dimension, LinkedTable
from evallib.evaluation.dataset import Dataset, Locations
from evallib.evaluation.linking import (
    STARTER_MEASURES,
    STARTERS,
    cell_key,
    leavers_of,
    per_span_table,
    periods,
    projects_with,
    targets_of,
    where_dimension,
    yearly_table,
)
from evallib.stats.estimates import Estimate
from evallib.stats.survival import km_dropout


def starter_outcome_population(parts: tuple[str, ...], years: int) -> str:
    """The population of the starters in ``parts`` (where they are) ``years`` after starting,
    as a reader reads it off a shown share (:func:`starter_outcome_tables`).

    Examples
    --------
    >>> starter_outcome_population(("buiten onderwijs",), 3)
    'starting_teachers:buiten onderwijs:3y'
    """
    return f"{STARTERS}:{'+'.join(parts)}:{years}y"


def starter_leavers(years: int) -> str:
    """The population of the starters who left within ``years``, as a reader reads it off a
    shown dropout share: p·n, rounded (:func:`starter_leaver_tables`).

    Examples
    --------
    >>> starter_leavers(3)
    'leavers:starting_teachers:3y'
    """
    return leavers_of(f"{STARTERS}:{years}y")


def starter_table(programme: Programme, data: Dataset) -> tuple[LinkedTable, set[CellKey]]:
    """The linked table of starters and the cells the run's reports publish.

    Published: every participating school's starters over all cohorts (its report header),
    and at every place of :func:`_starter_scopes` before and during the programme (overview,
    school reports, difference-in-differences).
    """
    where = where_dimension(programme, STARTER_MEASURES)
    spans = periods(programme)
    period = Dimension.tree("period", {"alle": ("nulmeting", "programma")})
    every = {s.brin: tuple(s.locations) for s in programme.schools}
    rows = tables.starter_spells(data.at(every).staff, programme.reference_date)
    counts: dict[tuple[str, str], int] = {}
    for node in ("nulmeting", "programma"):
        chosen = tables.in_years(rows, "cohort", *spans[node])
        for (brin, loc), n in chosen.groupby(["brin", "vestiging"], observed=True).size().items():
            counts[(f"{brin}/{loc}", node)] = int(n)
    table = LinkedTable(STARTERS, (where, period), counts)
    published = {table.key({"where": s.brin, "period": "alle"}) for s in programme.participating}
    published |= {
        cell_key(STARTERS, locs, [node])
        for locs in _starter_scopes(programme)
        for node in ("nulmeting", "programma")
    }
    return table, published


def _starter_scopes(programme: Programme) -> list[Locations]:
    """Where a report shows starters' dropout: per project with a starter measure, its region,
    the comparison schools, each school's project locations (the whole school when it is not
    in the project) and, for a target per location, each project location."""
    found: list[Locations] = []
    if programme.comparison:
        found.append({s.brin: tuple(s.locations) for s in programme.comparison})
    for project in projects_with(programme, STARTER_MEASURES):
        found.append(dict(project.participants))
        found += [
            {s.brin: tuple(project.participants.get(s.brin) or s.locations)}
            for s in programme.schools
        ]
        if any("location" in t.levels for t in project.targets):
            found += [{b: (loc,)} for b, locs in project.participants.items() for loc in locs]
    return found


def _persons(share: Estimate, n: int) -> int:
    """The persons a reader reads off a share of ``n``: p·n, rounded (0 where not estimable)."""
    return round(share.estimate * n) if share.estimable else 0


def _left_within(rows: pd.DataFrame, years: int) -> int:
    """The leavers a reader reads off the Kaplan–Meier dropout of ``rows``: p·n, rounded."""
    found = km_dropout(rows["years"].to_numpy(), rows["left"].to_numpy(), years)
    if not found.estimable:  # nobody followed that long: those seen to leave
        return int((rows["left"] & (rows["years"] <= years)).sum())
    return round(found.estimate * len(rows))


def _by_location(rows: pd.DataFrame, read: Callable[..., int], *args) -> pd.Series:
    """``read(rows, *args)`` of each location's rows, indexed by (BRIN, location)."""
    groups = rows.groupby(["brin", "vestiging"], observed=True)
    return pd.Series({key: read(group, *args) for key, group in groups}, dtype=int)


def _in_parts(rows: pd.DataFrame, parts: tuple[str, ...], years: int) -> int:
    """The persons a reader reads off the share of ``rows`` in ``parts`` after ``years``."""
    return _persons(tables.outcome_share(rows, parts, years, 0.05), len(rows))


def _starters(programme: Programme, data: Dataset) -> tuple:
    """What the starters' tables start from: the period names, the ``where`` dimension, every
    starter's spell, the programme's first year, its two periods, and the published places
    in both periods."""
    named, where = periods(programme), where_dimension(programme, STARTER_MEASURES)
    every = {s.brin: tuple(s.locations) for s in programme.schools}
    rows = tables.starter_spells(data.at(every).staff, programme.reference_date)
    spans = (named["nulmeting"], named["programma"])
    shown = [(locs, span) for locs in _starter_scopes(programme) for span in spans]
    return named, where, rows, programme.programme_years[0], spans, shown


def starter_leaver_tables(
    programme: Programme, data: Dataset
) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per horizon h = 1 … k of the ``starter_dropout`` targets: the starters who left within h
    years, per location, as a reader reads them off each shown dropout share (p·n, rounded).

    Kaplan–Meier shares do not add up over locations exactly, so the table is a model of the
    reader: each location's p·n, with every group's leavers the sum of its locations'. A
    reader who subtracts a school's shown dropout from its region's gets close to the hidden
    schools' leavers, which the model gives exactly: it errs on the side of hiding.

    The nulmeting and the programme cohorts are separate periods (a nulmeting cohort is
    followed only until the programme starts). Within one year (h = 1) each starting cohort
    is also a period, as the first-year chart per instroomjaar shows them, and the periods
    are their sums.

    Published: at every place of :func:`_starter_scopes`, in both periods, and at h = 1 per
    cohort for the project schools, their region and the comparison schools.
    """
    targets = targets_of(programme, "starter_dropout")
    if not targets:
        return []
    named, where, rows, start, spans, shown = _starters(programme, data)
    out = []
    for years in range(1, max(t.measure.years for t in targets) + 1):
        population = starter_leavers(years)
        if years > 1:
            counts = {
                span: _by_location(tables.cohorts(rows, *span, start), _left_within, years)
                for span in spans
            }
            out.append(per_span_table(population, where, counts, shown, named))
            continue
        first, last = named["alle"]
        per_cohort = {
            (b, loc, y): n
            for y in range(first, last + 1)
            for (b, loc), n in _by_location(
                tables.cohorts(rows, y, y, start), _left_within, 1
            ).items()
        }
        cohorts = [
            (locs, (y, y)) for locs in _starter_scopes(programme) for y in range(first, last + 1)
        ]
        series = pd.Series(per_cohort, dtype=int)
        out.append(yearly_table(population, where, series, shown + cohorts, named))
    return out


def starter_outcome_tables(
    programme: Programme, data: Dataset
) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per share of starters by where they are after k years (Aalen–Johansen) that a report
    shows: the persons a reader reads off it (p·n, rounded) per location and period, as
    :func:`starter_leaver_tables` does for dropout. Those are the school tables' column of who
    left education within k years, and every ``starter_outcomes`` target's category.

    Published: at every place of :func:`_starter_scopes`, in both periods.
    """
    shares = {
        ((LEFT_EDUCATION,), t.measure.years) for t in targets_of(programme, "starter_dropout")
    }
    shares |= {
        (t.category_parts, t.measure.years) for t in targets_of(programme, "starter_outcomes")
    }
    if not shares:
        return []
    named, where, rows, start, spans, shown = _starters(programme, data)
    out = []
    for parts, years in sorted(shares):
        counts = {
            span: _by_location(tables.cohorts(rows, *span, start), _in_parts, parts, years)
            for span in spans
        }
        population = starter_outcome_population(parts, years)
        out.append(per_span_table(population, where, counts, shown, named))
    return out
