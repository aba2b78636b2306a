"""The counts of persons one run publishes, decided once for all its reports.

Every report of a run (the school reports, the overview, the index and what it links to)
shows counts of the same persons in many places. Starting teachers: per school and period
in the header and the dropout tables, per project school in the overview, for the region
and for the comparison schools in the difference-in-differences table. Survey respondents,
per group and item (:func:`survey_tables`): per school year in the school reports' tables,
and over each period a target compares, per school, location and project region, in
verdicts and downloads. A reader can set them side by side, so suppression must hold
across all of them. The run therefore collects these cells centrally from the processed
data before any report is built (:func:`decide`, called by the engine's plan step), audits
them (:mod:`evallib.evaluation.disclosure`), chooses the secondary suppressions once and
stores them as ``disclosure.json`` beside the processed data. Each report reads that file
with the data (:attr:`Dataset.disclosure`) and asks :func:`secondary` before it shows such
a count.

Counts of people in a programme role (participants, trainers, duos) are shown on purpose
(``docs/privacy.md``, rule 1) and are not cells here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from evallib.contract.programme import Programme
from evallib.core.files import write_atomic
from evallib.evaluation import tables
from evallib.evaluation.dataset import Dataset, Locations
from evallib.evaluation.disclosure import CellKey, Dimension, LinkedTable, audit, protect
from evallib.evaluation.scopes import baseline_span, outcome_span, region_scope, school_scopes
from evallib.stats.estimates import Estimate

#: The file beside the processed data that holds the run's decisions.
FILE = "disclosure.json"
STARTERS = "starting_teachers"
#: Measures whose evidence counts starting teachers per cohort span.
STARTER_MEASURES = ("starter_dropout", "starter_outcomes")
SURVEY_MEASURES = ("survey_positive",)
COMPARISON = "vergelijking"


def survey_population(measure) -> str:
    """The population of a survey measure's counts: respondents of one group to one item.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> survey_population(SimpleNamespace(group="leerlingen", item="tevreden_digitaal"))
    'respondents:leerlingen:tevreden_digitaal'
    """
    return f"respondents:{measure.group}:{measure.item}"


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


def _projects(programme: Programme, measures: tuple[str, ...] = STARTER_MEASURES) -> list:
    seen = []
    for target in programme.targets:
        project = programme.project(target.project)
        if target.measure.name in measures and project not in seen:
            seen.append(project)
    return seen


def _where(programme: Programme, measures: tuple[str, ...] = STARTER_MEASURES) -> Dimension:
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


def starter_table(programme: Programme, data: Dataset) -> tuple[LinkedTable, set[CellKey]]:
    """The linked table of starters and the cells the run's reports publish.

    Published: every participating school's starters over all cohorts (its report header); per project
    with a starter measure, each school's project locations (or the whole school when it is
    not in the project) before and during the programme (overview and school reports), the
    project's region and the comparison schools in both periods (overview, school reports,
    difference-in-differences), and each project location where a target is per location.
    """
    where = _where(programme)
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
    for project in _projects(programme):
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
    by_population: dict[str, list] = {}
    for target in programme.targets:
        if target.measure.name in SURVEY_MEASURES:
            by_population.setdefault(survey_population(target.measure), []).append(target)
    survey, where = data.survey, _where(programme, SURVEY_MEASURES)
    years = sorted({int(y) for y in survey["schooljaar"].dropna()})
    found = []
    for population, targets in by_population.items():
        measure = targets[0].measure
        item = survey.get(measure.item, pd.Series(index=survey.index, dtype=float))
        answered = survey[(survey["groep"] == measure.group) & item.notna()]
        spans = {(y, y) for y in years}
        for target in targets:
            spans |= set(evidence_years(target, programme))
        period = Dimension.tree(
            "period",
            {
                _span_name(span, named): tuple(str(y) for y in range(span[0], span[1] + 1))
                for span in sorted(spans)
            },
        )
        counts = answered.groupby(["brin", "vestiging", "schooljaar"], observed=True).size()
        table = LinkedTable(
            population,
            (where, period),
            {(f"{b}/{loc}", str(int(y))): int(n) for (b, loc, y), n in counts.items()},
        )
        published: set[CellKey] = set()
        for target in targets:
            project = programme.project(target.project)
            scopes = [s for b in project.participants for s in school_scopes(programme, b, target)]
            if "region" in target.levels:
                scopes.append(region_scope(programme, target))
            published |= {
                _cell(population, scope.locations, span)
                for scope in scopes
                for span in evidence_years(target, programme)
            }
            published |= {  # the school report's table: one row per school year
                _cell(population, {b: locs}, (y, y))
                for b, locs in project.participants.items()
                for y in years
            }
        found.append((table, published))
    return found


def evidence_years(target, programme: Programme) -> list[tuple[int, int]]:
    """The school years each count in a target's evidence adds up (baseline and outcome, or
    the one year of a threshold), as first and last year."""
    if getattr(target, "year", None) is not None:
        return [(target.year.year, target.year.year)]
    return [
        (span[0].year, span[1].year)
        for span in (baseline_span(target, programme), outcome_span(target, programme))
    ]


def _cell(population: str, locations: Locations, span: tuple[int, int]) -> CellKey:
    where = [f"{b}/{loc}" for b, locs in locations.items() for loc in locs]
    years = [str(y) for y in range(span[0], span[1] + 1)]
    return (population, frozenset((w, y) for w in where for y in years))


def _span_name(span: tuple[int, int], named: Mapping[str, list | tuple]) -> str:
    """A period's name in the decisions: the programme's (nulmeting, ...) or first-last year."""
    names = {tuple(v): k for k, v in named.items()}
    return names.get(tuple(span), f"{span[0]}-{span[1]}")


def decide(programme: Programme, data: Dataset) -> dict:
    """Audit the run's published counts of starters and respondents; choose the secondary
    suppressions.

    Returns the record stored as ``disclosure.json``: the threshold, the period spans, the
    hidden cells (by locations and period) and the audit's figures.

    Raises
    ------
    DisclosureError
        When no further suppression can protect a small group (never published, then).

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.evaluation.dataset import load_dataset
    >>> record = decide(load_programme("programmes/haaglanden-2013.yaml"),
    ...                 load_dataset("data/processed/example"))
    >>> record["audit"]["passed"], record["secondary"] != []
    (True, True)
    """
    k = programme.min_group
    started = time.perf_counter()
    linked = [starter_table(programme, data), *survey_tables(programme, data)]
    tables_ = [table for table, _ in linked]
    published = set().union(*(cells for _, cells in linked))
    secondary = protect(tables_, published, k)
    decided = time.perf_counter() - started
    result = audit(tables_, published, secondary, k)
    if not result.passed:  # protect() raises first; this guards the promise itself
        from evallib.core.errors import DisclosureError

        raise DisclosureError("Controle op terugrekenen faalt", found=result.failures[0].cell)
    return {
        "input_key": data.meta.get("input_key", ""),
        "min_group": k,
        "periods": {name: list(span) for name, span in periods(programme).items()},
        "secondary": sorted(
            (_record(_table_of(tables_, key), key) for key in secondary),
            key=lambda r: (r["population"], r["period"], r["where"]),
        ),
        "audit": {
            "passed": result.passed,
            "cells": sum(len(table.cells) for table in tables_),
            "relations": sum(len(table.relations) for table in tables_),
            "published": len(published),
            "primary": sum(0 < _table_of(tables_, key).value(key) < k for key in published),
            "small_cells": len(result.findings),
            "linear_programs": result.programs,
        },
        # not stored: the file (and so every report's fingerprint) must not change with timing
        "timing": {"protect": round(decided, 3), "audit": round(result.seconds, 3)},
    }


def _table_of(tables_: list[LinkedTable], key: CellKey) -> LinkedTable:
    return next(table for table in tables_ if table.population == key[0])


def _record(table: LinkedTable, key: CellKey) -> dict:
    where = sorted({atom[0] for atom in key[1]})
    leaves = frozenset(atom[1] for atom in key[1])
    period = table.dimensions[1]
    # The period's name as _key gives it: a named span before a leaf of the same year(s).
    spans = {parent for parent, _ in period.breakdowns}
    named = sorted((n not in spans, n) for n in period.nodes if period.leaves(n) == leaves)
    return {
        "population": key[0],
        "where": where,
        "period": named[0][1],
        "name": table.name(key),
    }


def ensure(programme: Programme, data: Dataset) -> dict:
    """The run's decisions for this data and programme, deciding them here if the run did not.

    A report built by the engine reads them from ``disclosure.json``; a report made directly
    from the library (a notebook, a test) decides them itself, the same way.
    """
    record = data.disclosure
    fresh = (
        record.get("input_key") == data.meta.get("input_key", "")
        and record.get("min_group") == programme.min_group
        and record.get("periods") == {n: list(s) for n, s in periods(programme).items()}
    )
    if not fresh:
        record.clear()
        record.update(decide(programme, data))
    return record


def stored(record: Mapping) -> dict:
    """The decisions as stored and fingerprinted: everything but the time they took."""
    return {k: v for k, v in record.items() if k != "timing"}


def decisions(record: Mapping) -> dict:
    """What the reports depend on: the threshold, the periods and the hidden cells.

    A report's fingerprint includes this, not the data's key or the audit's figures, so a
    change in one school's data rebuilds the other reports only if it changes what they hide.
    """
    return {k: record.get(k) for k in ("min_group", "periods", "secondary")}


def write(directory: str | Path, record: dict) -> Path:
    """Store the decisions beside the processed data (unchanged bytes when nothing changed)."""
    path = Path(directory) / FILE
    text = json.dumps(stored(record), ensure_ascii=False, indent=1, sort_keys=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)
    return path


def secondary(
    data: Dataset, locations: Locations, span: tuple[int, int], population: str = STARTERS
) -> bool:
    """Whether the run hid this count of persons to protect another (secondary suppression).

    ``locations`` and ``span`` are what a report counts (BRIN -> locations, first and last
    cohort); a count the run did not audit is never secondary.

    Examples
    --------
    >>> record = {"periods": {"nulmeting": [2010, 2012]},
    ...           "secondary": [{"population": "starting_teachers", "where": ["21HC/03", "21HC/05"],
    ...                          "period": "nulmeting"}]}
    >>> ds = Dataset(*[None] * 4, disclosure=record)
    >>> secondary(ds, {"21HC": ("05", "03")}, (2010, 2012)), secondary(ds, {"21HC": ("03",)}, (2010, 2012))
    (True, False)
    """
    return _key(population, locations, span, data.disclosure) in _hidden(data.disclosure)


def mark(
    estimate: Estimate,
    data: Dataset,
    locations: Locations,
    span: tuple[int, int],
    population: str = STARTERS,
) -> Estimate:
    """The estimate over a count of persons, marked ``hidden`` when the run hid that count.

    Examples
    --------
    >>> record = {"periods": {"programma": [2013, 2015]},
    ...           "secondary": [{"population": "starting_teachers", "where": ["00PJ/00"],
    ...                          "period": "programma"}]}
    >>> ds = Dataset(*[None] * 4, disclosure=record)
    >>> mark(Estimate(0.3, 0.2, 0.4, 31), ds, {"00PJ": ("00",)}, (2013, 2015)).hidden
    True
    """
    if estimate is None or not secondary(data, locations, span, population):
        return estimate
    return replace(estimate, hidden=True)


def _key(population: str, locations: Locations, span, record: Mapping) -> tuple:
    where = tuple(sorted(f"{b}/{loc}" for b, locs in locations.items() for loc in locs))
    return (population, where, _span_name(tuple(span), record.get("periods", {})))


def _hidden(record: Mapping) -> set[tuple]:
    return {(r["population"], tuple(r["where"]), r["period"]) for r in record.get("secondary", [])}
