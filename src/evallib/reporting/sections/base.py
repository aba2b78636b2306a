"""What report sections share: the data of a scope, starters' spells, the comparison schools.

A section is a function ``section(report, target) -> Html`` that shows one measure of one
target's project: the school report passes a :class:`~evallib.reporting.school.SchoolReport`
(``brin``, ``results``), the overview a :class:`~evallib.reporting.region.RegionReport`. Both
have ``programme``, ``data``, ``lang`` and ``k`` (the smallest group a report may show).
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from evallib.contract.programme import Programme, Target
from evallib.core.dates import format_school_year
from evallib.core.text import t
from evallib.evaluation import tables
from evallib.evaluation.dataset import Dataset, Locations


class Report(Protocol):
    programme: Programme
    data: Dataset
    lang: str

    @property
    def k(self) -> int: ...


def comparison_locations(programme: Programme) -> dict[str, tuple[str, ...]]:
    """Every location of the schools that did not take part."""
    return {s.brin: tuple(s.locations) for s in programme.comparison}


def project_locations(programme: Programme, target: Target, brin: str | None = None) -> dict:
    """The locations of the target's project: all of them, or one school's."""
    participants = programme.project(target.project).participants
    if brin is None:
        return dict(participants)
    return {brin: participants.get(brin, ())}


def spells(data: Dataset, locations: Locations, reference_date) -> pd.DataFrame:
    """Starters' spells of some locations (computed once per set of locations)."""
    scope = data.at(locations)
    return scope.derived(
        ("starter_spells", reference_date),
        lambda: tables.starter_spells(scope.staff, reference_date),
    )


def span_words(span: tuple[int, int]) -> dict[str, str]:
    """A span of school years as the ``first``/``last`` values of a catalogue text."""
    return {"first": format_school_year(span[0]), "last": format_school_year(span[1])}


def and_list(items: list[str], lang: str) -> str:
    """``a, b en c`` (``a, b and c`` in English).

    Examples
    --------
    >>> and_list(["1", "2", "3"], "nl"), and_list(["x"], "en")
    ('1, 2 en 3', 'x')
    """
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + t("overview.and", lang) + items[-1]


def role_words(programme: Programme, target: Target, lang: str) -> str:
    """The people in the target's project role, as the programme file names them."""
    project, role = programme.role_of(target)
    return programme.project(project).role_label(role, lang)


def last_year_finding(rows: list[dict], lang: str) -> str:
    """What a chart of shares by year shows in its last year: ``2015/16: team 23,5%, ...``.

    Examples
    --------
    >>> last_year_finding([{"year": "2015/16", "group": "team", "estimate": 0.235},
    ...                    {"year": "2014/15", "group": "team", "estimate": 0.1}], "nl")
    '2015/16: team 23,5%'
    """
    if not rows:
        return ""
    from evallib.core.periods import parse_period
    from evallib.core.text import pct

    last = max((r["year"] for r in rows), key=parse_period)
    shown = [f"{r['group']} {pct(r['estimate'], lang=lang)}" for r in rows if r["year"] == last]
    return f"{last}: " + ", ".join(shown)
