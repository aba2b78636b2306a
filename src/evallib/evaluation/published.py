"""The counts of persons one run publishes, decided once for all its reports.

Every report of a run (the school reports, the overview, the index and what it links to)
shows counts of the same persons in many places: starting teachers, survey respondents,
team members with hours, teachers in an age band (:mod:`evallib.evaluation.populations`
lists them and where they are shown). A reader can set them side by side, so suppression
must hold across all of them. The run therefore collects these cells centrally from the
processed data before any report is built (:func:`decide`, called by the engine's plan
step), audits them (:mod:`evallib.evaluation.disclosure`), chooses the secondary
suppressions once and stores them as ``disclosure.json`` beside the processed data. Each
report reads that file with the data (:attr:`Dataset.disclosure`) and asks
:func:`secondary` before it shows such a count, or :func:`mark` for an estimate over one.

Counts of people in a programme role (participants, trainers, duos) are shown on purpose
(``docs/privacy.md``, rule 1) and are not cells here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from evallib.contract.programme import Programme
from evallib.core.files import write_atomic
from evallib.evaluation.dataset import Dataset, Locations
from evallib.evaluation.disclosure import CellKey, LinkedTable, audit, protect
from evallib.evaluation.linking import STARTERS, periods, span_name
from evallib.evaluation.populations import linked_tables
from evallib.stats.estimates import Estimate

#: The file beside the processed data that holds the run's decisions.
FILE = "disclosure.json"


def decide(programme: Programme, data: Dataset) -> dict:
    """Audit the run's published counts of persons; choose the secondary suppressions.

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
    linked = linked_tables(programme, data)
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
    share_only: bool = False,
) -> Estimate:
    """The estimate over a count of persons, marked ``hidden`` when the run hid that count;
    ``share_only``: the count is of the persons behind the share (its leavers), so only the
    share is hidden (``share_hidden``) and its n stays shown.

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
    return replace(estimate, **{"share_hidden" if share_only else "hidden": True})


def mark_share(
    estimate: Estimate,
    data: Dataset,
    locations: Locations,
    span: tuple[int, int],
    persons: str,
    count: str = STARTERS,
) -> Estimate:
    """A share of persons, marked where the run hid its group's ``count`` (share and n hidden)
    or the ``persons`` behind the share (share hidden, n shown): the leavers read off a
    dropout, say, or the respondents who answered 4 or 5.

    Examples
    --------
    >>> record = {"periods": {"programma": [2013, 2015]},
    ...           "secondary": [{"population": "leavers:starting_teachers:3y", "where": ["00PJ/00"],
    ...                          "period": "programma"}]}
    >>> ds = Dataset(*[None] * 4, disclosure=record)
    >>> e = mark_share(Estimate(0.3, 0.2, 0.4, 31), ds, {"00PJ": ("00",)}, (2013, 2015),
    ...                "leavers:starting_teachers:3y")
    >>> e.hidden, e.share_hidden
    (False, True)
    """
    estimate = mark(estimate, data, locations, span, count)
    return mark(estimate, data, locations, span, persons, share_only=True)


def _key(population: str, locations: Locations, span, record: Mapping) -> tuple:
    where = tuple(sorted(f"{b}/{loc}" for b, locs in locations.items() for loc in locs))
    return (population, where, span_name(tuple(span), record.get("periods", {})))


def _hidden(record: Mapping) -> set[tuple]:
    return {(r["population"], tuple(r["where"]), r["period"]) for r in record.get("secondary", [])}
