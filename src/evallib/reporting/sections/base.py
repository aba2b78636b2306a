"""What report sections share: the data of a scope, starters' spells, the comparison schools.

A section is a function ``section(report, target) -> Html`` that shows one measure of one
target's project: the school report passes a :class:`~evallib.reporting.school.SchoolReport`
(``brin``, ``results``), the overview a :class:`~evallib.reporting.region.RegionReport`. Both
have ``programme``, ``data``, ``lang`` and ``k`` (the smallest group a report may show).
"""

from __future__ import annotations

import math
from typing import Protocol

import pandas as pd

from evallib.contract.programme import Programme, Target
from evallib.core.dates import format_school_year
from evallib.core.periods import parse_period
from evallib.core.text import pct, t
from evallib.evaluation import tables
from evallib.evaluation.dataset import Dataset, Locations
from evallib.stats.estimates import Estimate


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


def trend_row(year: int, group: str, e: Estimate) -> dict:
    """One point of a trend chart: a school year, its series and the estimate with interval.

    Examples
    --------
    >>> trend_row(2013, "regio", Estimate(0.2, 0.1, 0.3, 40))["year"]
    '2013/14'
    """
    return {
        "year": format_school_year(year),
        "group": group,
        "estimate": e.estimate,
        "ci_lower": e.ci_lower,
        "ci_upper": e.ci_upper,
        "n": e.n,  # not drawn: tests/test_privacy.py checks each point against it
        "hidden": False,
    }


def suppressed_row(year: int, group: str) -> dict:
    """A year of a trend chart's series that the report may not show: marked, not drawn.

    Examples
    --------
    >>> suppressed_row(2013, "regio")["hidden"]
    True
    """
    nothing = math.nan
    return {
        "year": format_school_year(year),
        "group": group,
        "estimate": nothing,
        "ci_lower": nothing,
        "ci_upper": nothing,
        "n": 0,
        "hidden": True,
    }


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
    last = max((r["year"] for r in rows), key=parse_period)
    shown = [f"{r['group']} {pct(r['estimate'], lang=lang)}" for r in rows if r["year"] == last]
    return f"{last}: " + ", ".join(shown)


def comparison_names(programme: Programme, lang: str) -> str:
    """The comparison schools by name, for a sentence: ``Erasmus College en Grotius College``."""
    return and_list([s.name for s in programme.comparison], lang)


def trend_finding(rows: list[dict], lang: str) -> str:
    """What a chart of shares by year shows, per series: its first and its last shown year.

    Series in the order they first appear; years in time order, whatever the rows' order. A
    series with one shown year gives that year alone.

    Examples
    --------
    >>> rows = [{"year": "2015/16", "group": "deze school", "estimate": 0.05},
    ...         {"year": "2012/13", "group": "deze school", "estimate": 0.12},
    ...         {"year": "2015/16", "group": "regio", "estimate": 0.08}]
    >>> trend_finding(rows, "nl")
    'deze school van 12,0% (2012/13) naar 5,0% (2015/16); regio 8,0% (2015/16)'
    """
    parts = []
    for group in dict.fromkeys(r["group"] for r in rows):
        mine = sorted(
            (r for r in rows if r["group"] == group and not r.get("hidden")),
            key=lambda r: parse_period(r["year"]),
        )
        if not mine:  # every year of it suppressed
            parts.append(f"{group}: {t('privacy.suppressed', lang)}")
            continue
        first, last = mine[0], mine[-1]
        if first is last:
            parts.append(
                t(
                    "school.trend.one",
                    lang,
                    group=group,
                    value=pct(last["estimate"], lang=lang),
                    year=last["year"],
                )
            )
        else:
            parts.append(
                t(
                    "school.trend.change",
                    lang,
                    group=group,
                    first=pct(first["estimate"], lang=lang),
                    first_year=first["year"],
                    last=pct(last["estimate"], lang=lang),
                    last_year=last["year"],
                )
            )
    return "; ".join(parts)
