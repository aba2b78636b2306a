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

The ``where`` dimension is the same for all: locations, schools, each project school's
project locations, each project's region and the comparison schools. The published cells
are the counts the reports show: in headers and tables, behind every verdict at each scope
its target is shown in (school, location, region), and in the overview's comparisons.
:mod:`evallib.evaluation.published` audits them together and decides what to hide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from evallib.contract.programme import Programme, Target
from evallib.evaluation import tables
from evallib.evaluation.cells import CellKey, Dimension, LinkedTable
from evallib.evaluation.dataset import Dataset, Locations
from evallib.evaluation.scopes import baseline_span, outcome_span, region_scope, school_scopes

STARTERS = "starting_teachers"
#: Measures whose evidence counts starting teachers per cohort span.
STARTER_MEASURES = ("starter_dropout", "starter_outcomes")
COMPARISON = "vergelijking"
#: (locations, first and last school year) of one published count.
Shown = tuple[Locations, tuple[int, int]]


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


def periods(programme: Programme) -> dict[str, tuple[int, int]]:
    """The cohort spans a report counts starters over, by period node.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> periods(load_programme("programmes/haaglanden-2013.yaml"))
    {'nulmeting': (2010, 2012), 'programma': (2013, 2015), 'alle': (2010, 2015)}
    """
    base, prog = tuple(programme.baseline_years), tuple(programme.programme_years)
    return {"nulmeting": base, "programma": prog, "alle": (base[0], prog[1])}


def span_name(span: tuple[int, int], named: Mapping[str, list | tuple]) -> str:
    """A period's name in the decisions: the programme's (nulmeting, ...) or first-last year."""
    names = {tuple(v): k for k, v in named.items()}
    return names.get(tuple(span), f"{span[0]}-{span[1]}")


def evidence_years(target: Target, programme: Programme) -> list[tuple[int, int]]:
    """The school years each count in a target's evidence adds up (baseline and outcome, or
    the one year of a threshold), as first and last year."""
    if getattr(target, "year", None) is not None:
        return [(target.year.year, target.year.year)]
    return [
        (span[0].year, span[1].year)
        for span in (baseline_span(target, programme), outcome_span(target, programme))
    ]


def _projects(programme: Programme, measures: tuple[str, ...]) -> list:
    seen = []
    for target in programme.targets:
        project = programme.project(target.project)
        if target.measure.name in measures and project not in seen:
            seen.append(project)
    return seen


def _where(programme: Programme, measures: tuple[str, ...]) -> Dimension:
    """Locations, schools, each project's schools and region, the comparison schools."""
    parts: dict[str, tuple[str, ...]] = {}
    for school in programme.schools:
        parts[school.brin] = tuple(f"{school.brin}/{loc}" for loc in school.locations)
    for project in _projects(programme, measures):
        for brin, locs in project.participants.items():
            parts[f"{project.id}:{brin}"] = tuple(f"{brin}/{loc}" for loc in locs)
        parts[project.id] = tuple(f"{project.id}:{brin}" for brin in project.participants)
    if programme.comparison:
        parts[COMPARISON] = tuple(s.brin for s in programme.comparison)
    return Dimension.tree("where", parts)


def _targets(programme: Programme, measure: str) -> list[Target]:
    return [t for t in programme.targets if t.measure.name == measure]


def _scopes(programme: Programme, target: Target) -> list[Locations]:
    """Every place a target's evidence is shown: its schools' scopes and, if named, the region."""
    project = programme.project(target.project)
    found = [s.locations for b in project.participants for s in school_scopes(programme, b, target)]
    if "region" in target.levels:
        found.append(region_scope(programme, target).locations)
    return found


def _cell(population: str, locations: Locations, leaves: Iterable[str]) -> CellKey:
    where = [f"{b}/{loc}" for b, locs in locations.items() for loc in locs]
    leaves = list(leaves)
    return (population, frozenset((w, p) for w in where for p in leaves))


def _year_leaves(span: tuple[int, int]) -> list[str]:
    return [str(y) for y in range(span[0], span[1] + 1)]


def _yearly(
    population: str, where: Dimension, counts: pd.Series, shown: list[Shown], named: Mapping
) -> tuple[LinkedTable, set[CellKey]]:
    """A population counted per location and school year; a span of years is their sum.

    ``counts`` is indexed by (BRIN, location, school year).
    """
    years = {int(y) for *_, y in counts.index} | {y for _, (a, b) in shown for y in range(a, b + 1)}
    spans = {(y, y) for y in years} | {span for _, span in shown}
    period = Dimension.tree(
        "period", {span_name(s, named): tuple(_year_leaves(s)) for s in sorted(spans)}
    )
    cells = {(f"{b}/{loc}", str(int(y))): int(n) for (b, loc, y), n in counts.items()}
    table = LinkedTable(population, (where, period), cells)
    return table, {_cell(population, locs, _year_leaves(span)) for locs, span in shown}


def _per_span(
    population: str,
    where: Dimension,
    counts: Mapping[tuple[int, int], pd.Series],
    shown: list[Shown],
    named: Mapping,
) -> tuple[LinkedTable, set[CellKey]]:
    """A population of persons counted per location over whole periods (not additive over
    years); ``counts`` maps each period to counts indexed by (BRIN, location)."""
    period = Dimension("period", (), tuple(sorted({span_name(s, named) for s in counts})))
    cells = {
        (f"{b}/{loc}", span_name(span, named)): int(n)
        for span, frame in counts.items()
        for (b, loc), n in frame.items()
    }
    table = LinkedTable(population, (where, period), cells)
    return table, {_cell(population, locs, [span_name(span, named)]) for locs, span in shown}


def starter_table(programme: Programme, data: Dataset) -> tuple[LinkedTable, set[CellKey]]:
    """The linked table of starters and the cells the run's reports publish.

    Published: every participating school's starters over all cohorts (its report header); per project
    with a starter measure, each school's project locations (or the whole school when it is
    not in the project) before and during the programme (overview and school reports), the
    project's region and the comparison schools in both periods (overview, school reports,
    difference-in-differences), and each project location where a target is per location.
    """
    where = _where(programme, STARTER_MEASURES)
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
    both = ("nulmeting", "programma")
    published = {table.key({"where": s.brin, "period": "alle"}) for s in programme.participating}
    for project in _projects(programme, STARTER_MEASURES):
        places = [project.id, *([COMPARISON] if programme.comparison else [])]
        places += [
            f"{project.id}:{s.brin}" if s.brin in project.participants else s.brin
            for s in programme.schools
        ]
        if any("location" in t.levels for t in project.targets):
            places += [f"{b}/{loc}" for b, locs in project.participants.items() for loc in locs]
        published |= {table.key({"where": w, "period": p}) for w in places for p in both}
    return table, published


def survey_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """One linked table of respondents per survey group and item, with the cells published.

    Published: every participating school's respondents at its project locations per school
    year (its report's table), and over each period a target compares, at every scope the
    target is shown in (school, location, the project's region: verdicts and downloads).
    """
    named = periods(programme)
    by_population: dict[str, list[Target]] = {}
    for target in _targets(programme, "survey_positive"):
        by_population.setdefault(survey_population(target.measure), []).append(target)
    survey, where = data.survey, _where(programme, ("survey_positive",))
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
            shown += [(locs, span) for locs in _scopes(programme, target) for span in spans]
            shown += [  # the school report's table: one row per school year
                ({b: locs}, (y, y))
                for b, locs in programme.project(target.project).participants.items()
                for y in years
            ]
        found.append(_yearly(population, where, counts, shown, named))
    return found


def team_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per project role with a ``digital_share`` target: its members with hours per school
    year, and the first programme year's team with hours the year before.

    Published: each participating school's members per programme year (its report's table),
    the counts behind every verdict at each scope it is shown in (the team's own nulmeting
    beside a threshold), and the region's teams in the overview's difference-in-differences
    (the year before, and the last programme year).
    """
    named, where = periods(programme), _where(programme, ("digital_share",))
    first, last = programme.programme_years
    keys = ["brin", "docent_id", "vestiging"]
    by_role: dict[tuple[str, str], list[Target]] = {}
    for target in _targets(programme, "digital_share"):
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
            scopes = _scopes(programme, target)
            shown += [(locs, span) for locs in scopes for span in spans]
            if target.shape == "threshold":
                shown_before += [(locs, (first - 1, first - 1)) for locs in scopes]
        for population, rows, cells in (
            (team_population(project, role), same_year, shown),
            (team_population(project, role, before=True), before, shown_before),
        ):
            counts = rows.groupby(["brin", "vestiging", "schooljaar"], observed=True).size()
            found.append(_yearly(population, where, counts, cells, named))
    return found


def leaving_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Per ``early_leaving`` target: the teachers in its age band over its baseline, and its
    role's participants in the band over its outcome period, as persons per location; and
    the leavers among each.

    Published: all four counts at every scope the target is shown in.
    """
    named, where = periods(programme), _where(programme, ("early_leaving",))
    location = data.staff[["brin", "docent_id", "vestiging"]].drop_duplicates(["brin", "docent_id"])
    part = data.participation
    by_population: dict[str, tuple[dict, list[Shown]]] = {}
    for target in _targets(programme, "early_leaving"):
        m = target.measure
        project, role = programme.role_of(target)
        chosen = part[(part["project"] == project) & (part["rol"] == role)]
        first = chosen.groupby(["brin", "vestiging", "docent_id"], as_index=False)[
            "schooljaar"
        ].min()
        scopes = _scopes(programme, target)
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
        _per_span(population, where, counts, shown, named)
        for population, (counts, shown) in by_population.items()
    ]


def linked_tables(programme: Programme, data: Dataset) -> list[tuple[LinkedTable, set[CellKey]]]:
    """Every population's linked table and published cells, for one run."""
    return [
        starter_table(programme, data),
        *survey_tables(programme, data),
        *team_tables(programme, data),
        *leaving_tables(programme, data),
    ]
