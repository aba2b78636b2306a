"""Sections of the ``digital_share`` measure: teaching hours given with digital didactics.

School report: the team's share per year beside all teachers and the comparison schools, and
a table of the team's share and of the members who reach each target themselves. Overview:
each school's team (or, at national scale, all teams together) beside the comparison schools.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.dates import format_school_year
from evallib.core.text import pct, t
from evallib.evaluation import tables
from evallib.evaluation.populations import team_population
from evallib.evaluation.privacy import count_text
from evallib.evaluation.published import secondary
from evallib.reporting import figures
from evallib.reporting.html import Html, figure, table, tag
from evallib.reporting.sections.base import (
    and_list,
    comparison_locations,
    comparison_names,
    last_year_finding,
    project_locations,
    role_words,
    trend_finding,
    trend_row,
)
from evallib.reporting.wording import interval_text, share_interval_text
from evallib.stats.estimates import proportion, ratio_of_sums

#: Up to this many schools the overview draws one line per school; above it, pooled lines.
LINES_LIMIT = 8


def _thresholds(programme, target: Target) -> dict[str, float]:
    """The targets of the same measure (same project and role): year label -> minimum share."""
    return {
        other.year.label: other.at_least
        for other in programme.project(target.project).targets
        if other.shape == "threshold"
        and other.measure == target.measure
        and other.at_least is not None
    }


def _share_row(year: int, group: str, frame: pd.DataFrame) -> dict:
    return trend_row(year, group, ratio_of_sums(frame["lesuren_digitaal"], frame["lesuren_totaal"]))


def _years(programme) -> range:
    return range(programme.programme_years[0] - 1, programme.programme_years[1] + 1)


def _share_rows(report, groups, project: str, role: str) -> list[dict]:
    """Per (label, locations, team only) group and year: the share of digital hours, where it
    rests on ``k`` or more teachers and the run did not hide the team's count (as the tables)."""
    population = team_population(project, role)
    rows = []
    for label, locations, team_only in groups:
        data = report.data.at(locations)
        for year in _years(report.programme):
            frame = (
                tables.team_hours(data.hours, data.participation, year, project, role)[0]
                if team_only
                else tables.year_hours(data.hours, year)
            )
            hidden = team_only and secondary(report.data, locations, (year, year), population)
            if len(frame) >= max(2, report.k) and not hidden:
                rows.append(_share_row(year, label, frame))
    return rows


def digital_figure(report, target: Target) -> Html:
    """The team's share of digital teaching hours per year, beside all teachers, the teams of the
    whole region and the comparison schools (each only where it rests on ``k`` or more teachers)."""
    p, lang = report.programme, report.lang
    project, role = p.role_of(target)
    own, region = project_locations(p, target, report.brin), project_locations(p, target)
    team = role_words(p, target, lang)
    series = (  # (label, locations, team only): the legend's order, whatever the years
        (team, own, True),
        (t("school.group.all_teachers", lang), own, False),
        (t("school.group.region_teams", lang, team=team), region, True),
        (t("school.group.comparison", lang), comparison_locations(p), False),
    )
    rows = _share_rows(report, series, project, role)
    thresholds = _thresholds(p, target)
    fig = figures.shares_by_year(
        pd.DataFrame(rows, columns=["year", "group", "estimate", "ci_lower", "ci_upper"]),
        t("school.digital.title", lang),
        t("school.digital.ylabel", lang),
        thresholds,
        lang=lang,
    )
    goals = and_list([pct(v, 0, lang) for v in thresholds.values()], lang)
    alt = t(
        "school.digital.alt",
        lang,
        school=report.school.name,
        team=team,
        targets=goals,
        found=trend_finding(rows, lang),
    )
    return figure(fig, alt, t("school.digital.caption", lang))


def digital_table(report, target: Target) -> Html:
    """Per programme year: the team's share, and the share of members at or above each target."""
    p, lang, k = report.programme, report.lang, report.k
    project, role = p.role_of(target)
    locations = project_locations(p, target, report.brin)
    own = report.data.at(locations)
    bounds = sorted(set(_thresholds(p, target).values()))
    rows = []
    population = team_population(project, role)
    for year in range(p.programme_years[0], p.programme_years[1] + 1):
        team, missing = tables.team_hours(own.hours, own.participation, year, project, role)
        hide = secondary(report.data, locations, (year, year), population)
        shares = team["lesuren_digitaal"] / team["lesuren_totaal"]
        total = replace(
            ratio_of_sums(team["lesuren_digitaal"], team["lesuren_totaal"]), hidden=hide
        )
        without = t("school.digital.without_hours", lang, n=count_text(missing, k, lang, hide))
        at_least = (proportion(int((shares >= b).sum()), len(team)) for b in bounds)
        rows.append(
            [
                format_school_year(year),
                count_text(len(team), k, lang, hide) + (f" {without}" if missing else ""),
                interval_text(total, lang, k),
                *(share_interval_text(replace(e, hidden=hide), lang, k) for e in at_least),
            ]
        )
    header = [
        t("school.school_year", lang),
        t("school.digital.members", lang),
        t("school.digital.share", lang),
        *(t("school.digital.members_at_least", lang, value=pct(b, 0, lang)) for b in bounds),
    ]
    goals = and_list([pct(b, 0, lang) for b in bounds], lang)
    return Html(
        tag("h3", t("school.digital.heading", lang, team=role_words(p, target, lang)))
        + table(header, rows, lang=lang)
        + _comparison_words(report)
        + tag("p", t("school.digital.note", lang, targets=goals), class_="note")
    )


def _comparison_words(report) -> Html:
    """All teachers of the comparison schools, the year before the programme and its last year."""
    p, lang, k = report.programme, report.lang, report.k
    if not p.comparison:
        return Html("")
    hours = report.data.at(comparison_locations(p)).hours
    found = {}
    for key, year in (("before", p.programme_years[0] - 1), ("last", p.programme_years[1])):
        frame = tables.year_hours(hours, year)
        share = ratio_of_sums(frame["lesuren_digitaal"], frame["lesuren_totaal"])
        found[key] = share_interval_text(share, lang, k)
        found[f"{key}_year"] = format_school_year(year)
    words = t("school.comparison_words.digital", lang, schools=comparison_names(p, lang), **found)
    return tag("p", words)


def digital_comparison(report, target: Target) -> Html:
    """Each school's team beside the comparison schools (pooled at national scale)."""
    p, lang = report.programme, report.lang
    project, role = p.role_of(target)
    participants = p.project(target.project).participants
    comparison = comparison_locations(p)
    team = role_words(p, target, lang)
    # Few schools: one line each. A national run: the teams and the comparison schools pooled.
    if len(participants) + len(comparison) <= LINES_LIMIT:
        groups = [
            (
                t("overview.team_of_school", lang, school=p.school(b).name, team=team),
                {b: locs},
                True,
            )
            for b, locs in participants.items()
        ]
        groups += [
            (t("overview.comparison_school", lang, school=p.school(b).name), {b: locs}, False)
            for b, locs in comparison.items()
        ]
    else:
        groups = [
            (t("overview.teams_pooled", lang, team=team), dict(participants), True),
            (t("overview.comparison_pooled", lang), comparison, False),
        ]
    rows = _share_rows(report, groups, project, role)
    thresholds = _thresholds(p, target)
    fig = figures.shares_by_year(
        pd.DataFrame(rows),
        t("overview.digital_title", lang, team=team),
        t("overview.digital_ylabel", lang),
        thresholds,
        lang=lang,
    )
    goals = and_list([pct(v, 0, lang) for v in thresholds.values()], lang)
    alt = t(
        "overview.digital_alt", lang, team=team, targets=goals, found=last_year_finding(rows, lang)
    )
    return Html(
        tag("h2", t("overview.digital_heading", lang))
        + figure(fig, alt, t("overview.digital_caption", lang))
    )
