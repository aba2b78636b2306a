"""Building blocks of the linked tables of :mod:`evallib.evaluation.populations`.

The ``where`` dimension (locations, schools, each project's schools and region, the
comparison schools), the period spans a run names, the keys of published cells, and two
ways to lay out a population's counts: per school year, with spans as their sums
(:func:`yearly_table`), or per whole period (:func:`per_span_table`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from evallib.contract.programme import Programme, Target
from evallib.evaluation.cells import CellKey, Dimension, LinkedTable
from evallib.evaluation.dataset import Locations
from evallib.evaluation.scopes import baseline_span, outcome_span, region_scope, school_scopes

STARTERS = "starting_teachers"
#: Measures whose evidence counts starting teachers per cohort span.
STARTER_MEASURES = ("starter_dropout", "starter_outcomes")
COMPARISON = "vergelijking"
#: (locations, first and last school year) of one published count.
Shown = tuple[Locations, tuple[int, int]]


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


def projects_with(programme: Programme, measures: tuple[str, ...]) -> list:
    seen = []
    for target in programme.targets:
        project = programme.project(target.project)
        if target.measure.name in measures and project not in seen:
            seen.append(project)
    return seen


def where_dimension(programme: Programme, measures: tuple[str, ...]) -> Dimension:
    """Locations, schools, each project's schools and region, the comparison schools."""
    parts: dict[str, tuple[str, ...]] = {}
    for school in programme.schools:
        parts[school.brin] = tuple(f"{school.brin}/{loc}" for loc in school.locations)
    for project in projects_with(programme, measures):
        for brin, locs in project.participants.items():
            parts[f"{project.id}:{brin}"] = tuple(f"{brin}/{loc}" for loc in locs)
        parts[project.id] = tuple(f"{project.id}:{brin}" for brin in project.participants)
    if programme.comparison:
        parts[COMPARISON] = tuple(s.brin for s in programme.comparison)
    return Dimension.tree("where", parts)


def targets_of(programme: Programme, measure: str) -> list[Target]:
    return [t for t in programme.targets if t.measure.name == measure]


def target_scopes(programme: Programme, target: Target) -> list[Locations]:
    """Every place a target's evidence is shown: its schools' scopes and, if named, the region."""
    project = programme.project(target.project)
    found = [s.locations for b in project.participants for s in school_scopes(programme, b, target)]
    if "region" in target.levels:
        found.append(region_scope(programme, target).locations)
    return found


def cell_key(population: str, locations: Locations, leaves: Iterable[str]) -> CellKey:
    where = [f"{b}/{loc}" for b, locs in locations.items() for loc in locs]
    leaves = list(leaves)
    return (population, frozenset((w, p) for w in where for p in leaves))


def year_leaves(span: tuple[int, int]) -> list[str]:
    return [str(y) for y in range(span[0], span[1] + 1)]


def yearly_table(
    population: str, where: Dimension, counts: pd.Series, shown: list[Shown], named: Mapping
) -> tuple[LinkedTable, set[CellKey]]:
    """A population counted per location and school year; a span of years is their sum.

    ``counts`` is indexed by (BRIN, location, school year).
    """
    years = {int(y) for *_, y in counts.index} | {y for _, (a, b) in shown for y in range(a, b + 1)}
    spans = {(y, y) for y in years} | {span for _, span in shown}
    period = Dimension.tree(
        "period", {span_name(s, named): tuple(year_leaves(s)) for s in sorted(spans)}
    )
    cells = {(f"{b}/{loc}", str(int(y))): int(n) for (b, loc, y), n in counts.items()}
    table = LinkedTable(population, (where, period), cells)
    return table, {cell_key(population, locs, year_leaves(span)) for locs, span in shown}


def per_span_table(
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
    return table, {cell_key(population, locs, [span_name(span, named)]) for locs, span in shown}


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
