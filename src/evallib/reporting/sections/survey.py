"""Sections of the ``survey_positive`` measure: one survey item of one respondent group.

The school report shows the share answering 4 or 5 per year beside the comparison schools, and
a table with the mean score and that share, with intervals and n.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.dates import format_school_year
from evallib.core.text import t
from evallib.evaluation import tables
from evallib.evaluation.populations import positives_of, survey_population
from evallib.evaluation.privacy import count_text, hidden
from evallib.evaluation.published import mark, mark_share, secondary
from evallib.reporting import figures
from evallib.reporting.html import Html, figure, table
from evallib.reporting.sections.base import (
    comparison_locations,
    project_locations,
    suppressed_row,
    trend_finding,
    trend_row,
)
from evallib.reporting.wording import mean_text, share_interval_text
from evallib.stats.estimates import mean_score, proportion


def survey_words(programme, target: Target, lang: str) -> dict[str, str]:
    """The respondent group and the item as the report names them (from the programme file)."""
    survey = programme.survey
    return {
        "group": survey.groups[target.measure.group].text(lang),
        "item": survey.items[target.measure.item].text(lang),
    }


def survey_figure(report, target: Target) -> Html:
    """Share answering 4 or 5 per school year: this school, the region (the project's schools)
    and the comparison schools, each only where it rests on ``k`` or more respondents."""
    p, lang, k = report.programme, report.lang, report.k
    group, item = target.measure.group, target.measure.item
    locations = project_locations(p, target, report.brin)
    population = survey_population(target.measure)
    series = (  # (label, locations, whether the school's table may have hidden a year)
        (t("school.group.this_school", lang), locations, True),
        (t("school.group.region", lang), project_locations(p, target), False),
        (t("school.group.comparison", lang), comparison_locations(p), False),
    )
    years = sorted(set(report.data.survey["schooljaar"].dropna().astype(int)))
    rows = []
    for label, where, own_table in series:  # one series after the other: the legend's order
        frame = report.data.at(where).survey
        for year in years:
            positive, n = tables.positive(tables.survey_scores(frame, group, item, year))
            if not n:
                continue
            share = proportion(positive, n)  # hidden where the run hid its positives
            share = mark(share, report.data, where, (year, year), positives_of(population), True)
            # hidden in the table beside it (the run's secondary suppression, rule 5): not drawn
            if hidden(share, k) or (
                own_table and secondary(report.data, locations, (year, year), population)
            ):
                rows.append(suppressed_row(year, label))
            else:
                rows.append(trend_row(year, label, share))
    if all(r["hidden"] for r in rows):
        return Html("")
    words = survey_words(p, target, lang)
    fig = figures.shares_by_year(
        pd.DataFrame(rows),
        t("school.survey.title", lang, **words),
        t("school.survey.ylabel", lang),
        lang=lang,
    )
    alt = t("school.survey.alt", lang, found=trend_finding(rows, lang), **words)
    return figure(fig, alt, t("school.survey.caption", lang))


def survey_table(report, target: Target) -> Html:
    """Per school year: mean score and share scoring 4 or 5, with intervals and n."""
    p, lang, k = report.programme, report.lang, report.k
    group, item = target.measure.group, target.measure.item
    locations = project_locations(p, target, report.brin)
    own = report.data.at(locations)
    population = survey_population(target.measure)
    rows = []
    for year in sorted(set(own.survey["schooljaar"].dropna().astype(int))):
        scores = tables.survey_scores(own.survey, group, item, year)
        if scores.empty:
            continue
        hidden = secondary(report.data, locations, (year, year), population)
        mean, share = mean_score(scores), proportion(*tables.positive(scores))
        share = mark_share(
            share, report.data, locations, (year, year), positives_of(population), population
        )
        rows.append(
            [
                format_school_year(year),
                count_text(len(scores), k, lang, hidden),
                mean_text(replace(mean, hidden=hidden), lang, k),
                share_interval_text(share, lang, k),
            ]
        )
    if not rows:
        return Html("")
    header = [
        t("school.school_year", lang),
        *(t(f"school.survey.{column}", lang) for column in ("respondents", "mean", "positive")),
    ]
    caption = t("school.survey.table_caption", lang, **survey_words(p, target, lang))
    return Html(table(header, rows, caption=caption, lang=lang))
