"""The populations whose counts a run publishes, as linked tables, and the cells it shows.

One linked table (:class:`~evallib.evaluation.cells.LinkedTable`) per population of persons:

- **starting teachers** (:func:`starter_table`), per location and cohort period;
- **survey respondents**, per group and item (:func:`survey_tables`), per location and
  school year;
- **team members with hours**, per project role with a ``digital_share`` target
  (:func:`team_tables`): the role's members of a school year with hours that year, and the
  first programme year's team with hours the year before (the team's own nulmeting);
- **teachers in an age band** and **participants in the band**, per ``early_leaving`` target
  (:func:`leaving_tables`): persons over each period a target compares, and the leavers
  among them. Persons over several years do not add up year by year (one teacher, three
  years), so those periods are separate nodes, not sums of years.
- **starters who left within h years**, for h = 1 … k of the ``starter_dropout`` targets
  (:func:`starter_leaver_tables`): a shown k-year dropout p of n starters tells a reader
  about p·n leavers, and a region's minus its schools' would give a hidden school's.

The ``where`` dimension is the same for all: locations, schools, each project school's
project locations, each project's region and the comparison schools. The published cells
are the counts the reports show: in headers and tables, behind every verdict at each scope
its target is shown in (school, location, region), and in the overview's comparisons.
:mod:`evallib.evaluation.published` audits them together and decides what to hide.
"""

from __future__ import annotations

import pandas as pd

from evallib.contract.programme import Programme, Target
from evallib.evaluation import tables
from evallib.evaluation.cells import CellKey, Dimension, LinkedTable
from evallib.evaluation.dataset import Dataset, Locations
from evallib.evaluation.linking import (
    Shown,
    cell_key,
    evidence_years,
    per_span_table,
    periods,
    projects_with,
    target_scopes,
    targets_of,
    where_dimension,
    yearly_table,
)
from evallib.stats.survival import km_dropout

STARTERS = "starting_teachers"
#: Measures whose evidence counts starting teachers per cohort span.
STARTER_MEASURES = ("starter_dropout", "starter_outcomes")


def survey_population(measure) -> str:
    """The population of a survey measure's counts: respondents of one group to one item.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> survey_population(SimpleNamespace(group="leerlingen", item="tevreden_digitaal"))
    'respondents:leerlingen:tevreden_digitaal'
    """
    return f"respondents:{measure.group}:{measure.item}"


def team_population(project: str, role: str, before: bool = False) -> str:
    """The population of a role's members with hours (``before``: the first year's team,
    with its hours of the year before).

    Examples
    --------
    >>> team_population("coaching", "team"), team_population("coaching", "team", before=True)
    ('team:coaching:team', 'team-before:coaching:team')
    """
    return f"team{'-before' if before else ''}:{project}:{role}"


def band_population(measure, role: tuple[str, str] | None = None) -> str:
    """The population of an ``early_leaving`` side: all teachers in the age band, or (``role``)
    the role's participants in it.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> m = SimpleNamespace(min_age=40, max_age=55)
    >>> band_population(m), band_population(m, ("mid", "deelnemer"))
    ('teachers:40-55', 'participants:mid:deelnemer:40-55')
    """
    band = f"{measure.min_age}-{measure.max_age}"
    return f"participants:{role[0]}:{role[1]}:{band}" if role else f"teachers:{band}"


def leavers_of(population: str) -> str:
    """The population of the leavers among an ``early_leaving`` side: its share of
    teacher-years, shown beside its teacher-years, gives them away, and a region's leavers
    minus its schools' would give a hidden school's.

    Examples
    --------
    >>> leavers_of("teachers:40-55")
    'leavers:teachers:40-55'
    """
    return f"leavers:{population}"


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


def survey_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """One linked table of respondents per survey group and item, with the cells published.

    Published: every participating school's respondents at its project locations per school
    year (its report's table), and over each period a target compares, at every scope the
    target is shown in (school, location, the project's region: verdicts and downloads).
    """
    named = periods(programme)
    by_population: dict[str, list[Target]] = {}
    for target in targets_of(programme, "survey_positive"):
        by_population.setdefault(survey_population(target.measure), []).append(target)
    survey, where = data.survey, where_dimension(programme, ("survey_positive",))
    years = sorted({int(y) for y in survey["schooljaar"].dropna()})
    found = []
    for population, targets in by_population.items():
        measure = targets[0].measure
        item = survey.get(measure.item, pd.Series(index=survey.index, dtype=float))
        answered = survey[(survey["groep"] == measure.group) & item.notna()]
        counts = answered.groupby(["brin", "vestiging", "schooljaar"], observed=True).size()
        shown: list[Shown] = []
        for target in targets:
            spans = evidence_years(target, programme)
            shown += [(locs, span) for locs in target_scopes(programme, target) for span in spans]
            shown += [  # the school report's table: one row per school year
                ({b: locs}, (y, y))
                for b, locs in programme.project(target.project).participants.items()
                for y in years
            ]
        found.append(yearly_table(population, where, counts, shown, named))
    return found


def team_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per project role with a ``digital_share`` target: its members with hours per school
    year, and the first programme year's team with hours the year before.

    Published: each participating school's members per programme year (its report's table),
    the counts behind every verdict at each scope it is shown in (the team's own nulmeting
    beside a threshold), and the region's teams in the overview's difference-in-differences
    (the year before, and the last programme year).
    """
    named, where = periods(programme), where_dimension(programme, ("digital_share",))
    first, last = programme.programme_years
    keys = ["brin", "docent_id", "vestiging"]
    by_role: dict[tuple[str, str], list[Target]] = {}
    for target in targets_of(programme, "digital_share"):
        by_role.setdefault(programme.role_of(target), []).append(target)
    part, hours = data.participation, data.hours[[*keys, "schooljaar"]].drop_duplicates()
    found = []
    for (project, role), targets in by_role.items():
        members = part[(part["project"] == project) & (part["rol"] == role)]
        members = members[[*keys, "schooljaar"]].drop_duplicates()
        same_year = members.merge(hours, on=[*keys, "schooljaar"])
        before = members[members["schooljaar"] == first].drop(columns="schooljaar")
        before = before.merge(hours[hours["schooljaar"] == first - 1], on=keys)
        participants = programme.project(project).participants
        region = dict(participants)
        shown: list[Shown] = [(region, (last, last))]
        shown += [
            ({b: locs}, (y, y)) for b, locs in participants.items() for y in range(first, last + 1)
        ]
        shown_before: list[Shown] = [(region, (first - 1, first - 1))]
        for target in targets:
            spans = evidence_years(target, programme)
            scopes = target_scopes(programme, target)
            shown += [(locs, span) for locs in scopes for span in spans]
            if target.shape == "threshold":
                shown_before += [(locs, (first - 1, first - 1)) for locs in scopes]
        for population, rows, cells in (
            (team_population(project, role), same_year, shown),
            (team_population(project, role, before=True), before, shown_before),
        ):
            counts = rows.groupby(["brin", "vestiging", "schooljaar"], observed=True).size()
            found.append(yearly_table(population, where, counts, cells, named))
    return found


def leaving_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per ``early_leaving`` target: the teachers in its age band over its baseline, and its
    role's participants in the band over its outcome period, as persons per location; and
    the leavers among each.

    Published: all four counts at every scope the target is shown in.
    """
    named, where = periods(programme), where_dimension(programme, ("early_leaving",))
    location = data.staff[["brin", "docent_id", "vestiging"]].drop_duplicates(["brin", "docent_id"])
    part = data.participation
    by_population: dict[str, tuple[dict, list[Shown]]] = {}
    for target in targets_of(programme, "early_leaving"):
        m = target.measure
        project, role = programme.role_of(target)
        chosen = part[(part["project"] == project) & (part["rol"] == role)]
        first = chosen.groupby(["brin", "vestiging", "docent_id"], as_index=False)[
            "schooljaar"
        ].min()
        scopes = target_scopes(programme, target)
        sides = zip(
            (band_population(m), band_population(m, (project, role))),
            evidence_years(target, programme),
            (None, first.rename(columns={"schooljaar": "first_year"})),
            strict=True,
        )
        for population, span, since in sides:
            years = tables.teacher_years(
                data.staff, *span, m.min_age, m.max_age, programme.reference_date
            )
            years = years.merge(location, on=["brin", "docent_id"])
            if since is not None:
                years = years.merge(since, on=["brin", "vestiging", "docent_id"])
                years = years[years["schooljaar"] >= years["first_year"]]
            persons = years.drop_duplicates(["brin", "docent_id"])
            leavers = years[years["left"]]  # a teacher leaves once: leavers are persons too
            for name, rows in ((population, persons), (leavers_of(population), leavers)):
                counts, shown = by_population.setdefault(name, ({}, []))
                counts[span] = rows.groupby(["brin", "vestiging"], observed=True).size()
                shown += [(locs, span) for locs in scopes]
    return [
        per_span_table(population, where, counts, shown, named)
        for population, (counts, shown) in by_population.items()
    ]


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


def _left_within(rows: pd.DataFrame, years: int) -> int:
    """The leavers a reader reads off the Kaplan–Meier dropout of ``rows``: p·n, rounded."""
    found = km_dropout(rows["years"].to_numpy(), rows["left"].to_numpy(), years)
    if not found.estimable:  # nobody followed that long: those seen to leave
        return int((rows["left"] & (rows["years"] <= years)).sum())
    return round(found.estimate * len(rows))


def _leavers_by_location(rows: pd.DataFrame, years: int) -> pd.Series:
    groups = rows.groupby(["brin", "vestiging"], observed=True)
    return pd.Series({key: _left_within(group, years) for key, group in groups}, dtype=int)


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
    named, where = periods(programme), where_dimension(programme, STARTER_MEASURES)
    every = {s.brin: tuple(s.locations) for s in programme.schools}
    rows = tables.starter_spells(data.at(every).staff, programme.reference_date)
    start, spans = programme.programme_years[0], (named["nulmeting"], named["programma"])
    shown = [(locs, span) for locs in _starter_scopes(programme) for span in spans]
    out = []
    for years in range(1, max(t.measure.years for t in targets) + 1):
        population = starter_leavers(years)
        if years > 1:
            counts = {
                span: _leavers_by_location(tables.cohorts(rows, *span, start), years)
                for span in spans
            }
            out.append(per_span_table(population, where, counts, shown, named))
            continue
        first, last = named["alle"]
        per_cohort = {
            (b, loc, y): n
            for y in range(first, last + 1)
            for (b, loc), n in _leavers_by_location(tables.cohorts(rows, y, y, start), 1).items()
        }
        cohorts = [
            (locs, (y, y)) for locs in _starter_scopes(programme) for y in range(first, last + 1)
        ]
        series = pd.Series(per_cohort, dtype=int)
        out.append(yearly_table(population, where, series, shown + cohorts, named))
    return out


def linked_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Every population's linked table and published cells, for one run."""
    return [
        starter_table(programme, data),
        *survey_tables(programme, data),
        *team_tables(programme, data),
        *leaving_tables(programme, data),
        *starter_leaver_tables(programme, data),
    ]
