"""The start page of the reports (``index.html``) and the page for a school that failed.

The index answers the main question at a glance: which school meets which target. It is a grid
with the participating schools in rows and, grouped by project, every target that is judged per
school or per location in columns. Each cell is a status badge (symbol and word) linking to the
target's row in the school's report (:func:`~evallib.reporting.records.target_anchor`).

A target judged per location folds into one cell: the badge shows the least favourable status of
the school's locations (in the order of :data:`SEVERITY`), and a note says how many of them met
it ("3 van 4 locaties gehaald"), so one location that fails is never hidden by the others.

Everything is in the page without scripts; ``templates/index.js`` only adds search, filters per
project and status, and sorting. Its words are passed as JSON, never written into the script.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from evallib.contract.programme import Programme, School
from evallib.core.errors import Problem
from evallib.core.text import long_date, t, t_count
from evallib.evaluation.status import Status
from evallib.reporting.changes import compare
from evallib.reporting.downloads import RESULTS_CSV, RESULTS_XLSX
from evallib.reporting.html import badge, csv_link, render, script_text
from evallib.reporting.records import target_anchor


class SchoolOutcome(Protocol):
    """What the index reads of how one report went (the run's outcome records have these)."""

    brin: str
    ok: bool
    report: str
    error: str
    results: list


# A failure page is a report too: it may show what was found only where that says nothing
# about a person (codes, years, project names), never ids, birth years, dates or hours.
_SHOWN = {"brin", "vestiging", "schooljaar", "project", "rol", "groep"}
_PROBLEM_COLUMNS = ("file", "row", "column", "problem", "expected", "found")
_LISTED = 200  # problems listed on a failure page; the rest are counted

#: The start page's file name, beside every report it links to (and that links back to it).
INDEX = "index.html"

#: Statuses from least to most favourable: a cell for several locations shows the first that occurs.
#: Missed comes first, then the statuses that cannot say 'met' (measured but uncertain before
#: too little data and not yet measurable), then on track and met.
SEVERITY: tuple[Status, ...] = (
    Status.NIET_GEHAALD,
    Status.NIET_ZEKER,  # measured, but the target may be missed
    Status.ONVOLDOENDE_GEGEVENS,
    Status.NOG_NIET_MEETBAAR,
    Status.OP_KOERS,
    Status.GEHAALD,
)

#: The levels a target must have to get a column: the index is about schools.
GRID_LEVELS = frozenset({"school", "location"})


@dataclass(frozen=True)
class Column:
    """One target's column."""

    target: str
    title: str


@dataclass(frozen=True)
class Group:
    """A project's columns, under one group header."""

    project: str
    label: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Cell:
    """One school × target: a status with the link to its evidence, or why there is none."""

    project: str
    status: Status | None
    href: str = ""
    note: str = ""  # with a status: how many locations met it; without: why there is no status
    badge: str = ""  # the status badge (safe HTML)


@dataclass(frozen=True)
class Row:
    """One school's row."""

    name: str
    place: str
    brin: str
    report: str
    ok: bool
    error: str
    projects: str  # the ids of the projects the school takes part in, space-separated
    search: str
    cells: tuple[Cell, ...]
    changed: int = 0


def grid_groups(programme: Programme, lang: str = "nl") -> list[Group]:
    """The grid's columns: per project, its targets judged per school or per location.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> groups = grid_groups(load_programme("programmes/haaglanden-2013.yaml"), "en")
    >>> groups[0].label, [c.target for c in groups[0].columns]
    ('A strong programme for starting teachers', ['starters-uitval'])
    """
    groups = []
    for project in programme.projects:
        columns = tuple(
            Column(target.id, target.label(lang))
            for target in project.targets
            if GRID_LEVELS & set(target.levels)
        )
        if columns:
            groups.append(Group(project.id, project.label(lang), columns))
    return groups


def fold(records: list[dict], report: str, project: str, lang: str = "nl") -> Cell:
    """One target's records for one school (one per location, or one for the school) as one cell.

    The cell shows the least favourable status and links to the row of the first record with
    that status; for more than one location a note counts the locations that met the target.

    Examples
    --------
    >>> records = [
    ...     {"target": "t", "level": "location", "scope": "02DZ/00", "status": "gehaald"},
    ...     {"target": "t", "level": "location", "scope": "02DZ/02", "status": "niet_gehaald"},
    ... ]
    >>> cell = fold(records, "02DZ.html", "p")
    >>> cell.status.value, cell.href, cell.note
    ('niet_gehaald', '02DZ.html#doel-t-02', '1 van 2 locaties gehaald')
    """
    statuses = [Status(r["status"]) for r in records]
    worst = min(statuses, key=SEVERITY.index)
    shown = records[statuses.index(worst)]  # the link leads to the location that needs a look
    met = statuses.count(Status.GEHAALD)
    note = (
        t("index.locations_met", lang, met=met, total=len(records))
        if shown["level"] == "location" and len(records) > 1
        else ""
    )
    anchor = target_anchor(shown["target"], shown["level"], shown["scope"])
    return Cell(project, worst, f"{report}#{anchor}", note, badge(worst, lang))


def school_row(
    programme: Programme,
    outcome: SchoolOutcome,
    groups: list[Group],
    lang: str = "nl",
    previous: list[dict] | None = None,
) -> Row:
    """One school's row: a cell per column, or (for a failed report) the reason.

    ``previous`` (an earlier run's records for this school) fills the 'changed' count.
    """
    school = programme.school(outcome.brin)
    taking_part = {project.id for project in programme.projects_of(outcome.brin)}
    by_target: dict[str, list[dict]] = defaultdict(list)
    for record in outcome.results:
        by_target[record["target"]].append(record)
    cells = []
    for group in groups:
        for column in group.columns:
            records = by_target.get(column.target)
            if records:
                cells.append(fold(records, outcome.report, group.project, lang))
            else:
                why = "index.no_result" if group.project in taking_part else "index.not_taking_part"
                cells.append(Cell(group.project, None, note=t(why, lang)))
    return Row(
        name=school.name,
        place=school.place,
        brin=outcome.brin,
        report=outcome.report,
        ok=outcome.ok,
        error=outcome.error,
        projects=" ".join(sorted(taking_part)),
        search=f"{school.name} {school.place} {outcome.brin}".lower(),
        cells=tuple(cells),
        changed=0 if previous is None else len(compare(previous, outcome.results)),
    )


def _words(
    programme: Programme, regio: SchoolOutcome, n_schools: int, failed: int, lang: str
) -> dict[str, str]:
    """The page's texts in ``lang``."""
    return {
        "overview": t("index.overview", lang),
        "overview_about": t("index.overview_about", lang),
        "school": t("index.school", lang),
        "changed": t("index.changed", lang),
        "changed_title": t("index.changed_title", lang),
        "not_made": t("index.not_made", lang),
        "search": t("index.search", lang),
        "project": t("index.project", lang),
        "show": t("index.show", lang),
        "all_projects": t("index.all_projects", lang),
        "all_statuses": t("index.all_statuses", lang),
        "legend_heading": t("index.legend_heading", lang),
        "legend_note": t("index.legend_note", lang),
        "caption": t("index.caption", lang),
        "comparison_heading": t("index.comparison_heading", lang),
        "comparison_intro": t("index.comparison_intro", lang),
        "heading": t("index.heading", lang, programme=programme.name),
        "intro": t(
            "index.intro",
            lang,
            programme=programme.name,
            date=long_date(programme.reference_date, lang),
        ),
        "overview_not_made": t("index.overview_not_made", lang, error=regio.error),
        "schools_heading": t("index.schools_heading", lang, n=n_schools),
        "failed_note": t_count("index.failed_note", failed, lang) if failed else "",
        "download_all": t("index.download_all", lang),
        "download_about": t("index.download_about", lang),
    }


def index_page(
    programme: Programme,
    outcomes: list[SchoolOutcome],
    regio: SchoolOutcome,
    synthetic: bool,
    lang: str = "nl",
    previous: dict[str, list[dict]] | None = None,
    downloads: bool = False,
) -> str:
    """The start page: every participating school × every school or location target.

    With ``downloads`` the page links to the run's ``results.csv`` and ``results.xlsx``
    (:mod:`evallib.reporting.downloads`), which the run writes beside it.

    With ``previous`` (an earlier run's status records, ``--compare-to``) a column counts per
    school the targets whose status or number changed. Works for any programme (its projects and
    targets come from ``programme``) and stays usable with hundreds of schools: the header stays
    in view and the grid scrolls sideways inside its own box.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from evallib.contract.programme import load_programme
    >>> programme = load_programme("programmes/haaglanden-2013.yaml")
    >>> record = {"target": "starters-uitval", "level": "school", "scope": "01GX",
    ...           "status": "gehaald"}
    >>> outcome = SimpleNamespace(brin="01GX", ok=True, report="01GX.html", error="",
    ...                           results=[record])
    >>> regio = SimpleNamespace(brin="regio", ok=True, report="regio.html", error="", results=[])
    >>> html = index_page(programme, [outcome], regio, synthetic=False)
    >>> '<a href="01GX.html#doel-starters-uitval">' in html
    True
    """
    groups = grid_groups(programme, lang)
    rows = [
        school_row(
            programme,
            outcome,
            groups,
            lang,
            None if previous is None else previous.get(outcome.brin, []),
        )
        for outcome in outcomes
    ]
    legend = [{"badge": badge(s, lang), "text": t(f"index.legend.{s.value}", lang)} for s in Status]
    options = [
        {"value": s.value, "label": t("index.with_status", lang, status=s.label(lang))}
        for s in Status
    ]
    options.append({"value": "failed", "label": t("index.with_failed_report", lang)})
    comparison = [
        {"name": s.name, "place": s.place, "brin": s.brin, "role": t(f"index.role.{s.role}", lang)}
        for s in programme.comparison
    ]
    return render(
        "index.html.j2",
        title=t("index.title", lang, programme=programme.name),
        synthetic=synthetic,
        lang=lang,
        script=script_text("index.js"),
        words=_words(programme, regio, len(outcomes), sum(not o.ok for o in outcomes), lang),
        script_words={"shown": t("index.shown", lang, shown="{shown}", total="{total}")},
        regio=regio,
        groups=groups,
        width=sum(len(g.columns) for g in groups),
        rows=rows,
        changed=previous is not None,
        legend=legend,
        status_options=options,
        comparison=comparison,
        downloads=[
            {"href": RESULTS_CSV, "label": t("index.download_csv", lang)},
            {"href": RESULTS_XLSX, "label": t("index.download_xlsx", lang)},
        ]
        if downloads
        else [],
    )


def _problem_row(p: Problem, lang: str = "nl") -> list[str]:
    found = p.found if p.row is None or p.column in _SHOWN else t("failure.not_shown", lang)
    return [
        p.file,
        "" if p.row is None else str(p.row),
        p.column or "",
        p.message,
        p.expected,
        found,
    ]


def failure_page(
    school: School,
    problems: list[Problem],
    reason: str,
    synthetic: bool,
    lang: str = "nl",
    detail: str = "",
) -> str:
    """A readable page (in ``lang``) saying why a school's report could not be made and what to do.

    The first 200 problems are listed; values that could identify a person are not shown.

    Examples
    --------
    >>> from evallib.contract.programme import School
    >>> school = School(
    ...     brin="01GX", name="Christelijk Lyceum Delft", role="participant", locations={"00": "CLD"}
    ... )
    >>> html = failure_page(school, [], "no delivery found", False, "en")
    >>> "<strong>The report for this school could not be made: </strong>no delivery found." in html
    True
    """
    shown = problems[:_LISTED]
    header = [t(f"failure.{column}", lang) for column in _PROBLEM_COLUMNS]
    rows = [_problem_row(p, lang) for p in shown]
    return render(
        "failure.html.j2",
        title=t("failure.title", lang, school=school.name),
        synthetic=synthetic,
        lang=lang,
        home=INDEX,
        school=school.name,
        lead=t("failure.lead", lang),
        reason=reason,
        errors=t("failure.errors", lang),
        header=header,
        problems=rows,
        # the listed problems as a spreadsheet, for whoever fixes the school's files
        download=csv_link(header, rows, t("failure.title", lang, school=school.name), lang)
        if rows
        else "",
        more=t("failure.more", lang, n=len(problems) - len(shown))
        if len(problems) > len(shown)
        else "",
        unexpected=t("failure.unexpected", lang),
        detail=detail.strip(),
    )
