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
from evallib.evaluation.cells import CellKey, LinkedTable
from evallib.evaluation.dataset import Dataset
from evallib.evaluation.linking import (
    Shown,
    evidence_years,
    leavers_of,
    per_span_table,
    periods,
    target_scopes,
    targets_of,
    where_dimension,
    yearly_table,
)
from evallib.evaluation.starters import starter_leaver_tables, starter_outcome_tables, starter_table


def survey_population(measure) -> str:
    """The population of a survey measure's counts: respondents of one group to one item.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> survey_population(SimpleNamespace(group="leerlingen", item="tevreden_digitaal"))
    'respondents:leerlingen:tevreden_digitaal'
    """
    return f"respondents:{measure.group}:{measure.item}"


def positives_of(population: str) -> str:
    """The respondents of a survey population who answered 4 or 5: a shown share of them,
    beside its n, gives them away, and a region's minus its schools' would give a hidden
    school's.

    Examples
    --------
    >>> positives_of("respondents:leerlingen:tevreden_digitaal")
    'positive:respondents:leerlingen:tevreden_digitaal'
    """
    return f"positive:{population}"


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


def survey_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per survey group and item, one linked table of respondents and one of those among them
    who answered 4 or 5 (:func:`positives_of`), with the cells published.

    Published: every participating school's respondents at its project locations per school
    year (its report's table), and over each period a target compares, at every scope the
    target is shown in (school, location, the project's region: verdicts and downloads). The
    positives also per school year for the project's region and the comparison schools, whose
    shares the school reports' charts draw.
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
        keys = ["brin", "vestiging", "schooljaar"]
        counts = answered.groupby(keys, observed=True).size()
        agreed = item[answered.index] >= tables.POSITIVE_FROM
        positive = answered[agreed].groupby(keys, observed=True).size()
        shown: list[Shown] = []
        charted: list[Shown] = []  # the school reports' charts: the region and comparison per year
        for target in targets:
            spans = evidence_years(target, programme)
            shown += [(locs, span) for locs in target_scopes(programme, target) for span in spans]
            shown += [  # the school report's table: one row per school year
                ({b: locs}, (y, y))
                for b, locs in programme.project(target.project).participants.items()
                for y in years
            ]
            others = [dict(programme.project(target.project).participants)]
            if programme.comparison:
                others.append({c.brin: tuple(c.locations) for c in programme.comparison})
            charted += [(locs, (y, y)) for locs in others for y in years]
        found.append(yearly_table(population, where, counts, shown, named))
        found.append(
            yearly_table(positives_of(population), where, positive, shown + charted, named)
        )
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


def linked_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Every population's linked table and published cells, for one run."""
    return [
        starter_table(programme, data),
        *survey_tables(programme, data),
        *team_tables(programme, data),
        *leaving_tables(programme, data),
        *starter_leaver_tables(programme, data),
        *starter_outcome_tables(programme, data),
    ]
