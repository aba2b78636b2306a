"""Overview sections of the ``starter_dropout`` measure: retention of the project's starters
before and during the programme, and per school the ratio of programme to nulmeting dropout
beside the comparison schools (the school report's sections are in :mod:`.dropout`).
"""

from __future__ import annotations

import math

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.text import num, t, t_count
from evallib.evaluation import tables
from evallib.evaluation.privacy import hidden
from evallib.evaluation.published import mark_share
from evallib.evaluation.starters import starter_leavers
from evallib.reporting import figures
from evallib.reporting.html import Html, figure, table, tag
from evallib.reporting.sections.base import project_locations, span_words, spells
from evallib.reporting.sections.dropout import (
    curve_label,
    retention_points,
    tagged,
    yearly_dropouts,
)
from evallib.reporting.wording import interval_text, share_with_n
from evallib.stats.shrinkage import shrunk_ratios
from evallib.stats.survival import dropout_ratio, km_dropout

#: Above this many schools, the forest plot shows the largest ones (all are in the table).
FOREST_LIMIT = 30


def cohort_figure(report, target: Target) -> Html:
    """Who stays: the nulmeting's cohorts against the programme's, pooled over the project.

    Two curves a board can read (one per period, with their bands), instead of one per cohort.
    """
    p, lang, k = report.programme, report.lang, report.k
    years = target.measure.years
    region = project_locations(p, target)
    rows = spells(report.data, region, p.reference_date)
    start = p.programme_years[0]
    groups = {
        t("school.group.baseline", lang, **span_words(p.baseline_years)): tagged(
            report, tables.cohorts(rows, *p.baseline_years, start), region, p.baseline_years
        ),
        t("school.group.programme", lang, **span_words(p.programme_years)): tagged(
            report, tables.cohorts(rows, *p.programme_years, start), region, p.programme_years
        ),
    }
    points = {label: retention_points(report, g, years) for label, g in groups.items()}
    if all(pts.empty for pts in points.values()):
        return tag("p", t("school.retention.none", lang))  # an empty chart says nothing
    curves, found = {}, []
    for label, group in groups.items():
        curves[curve_label(report, label, group, points[label])] = points[label]
        if not points[label].empty:
            d = yearly_dropouts(report, group, years)[-1]
            found.append(f"{label}: {interval_text(d, lang, k)}")
    project = p.project(target.project).label(lang)
    fig = figures.retention(
        curves, years, None, t("overview.cohort_title", lang, project=project), lang=lang
    )
    alt = t("overview.cohort_alt", lang, project=project, years=years, found="; ".join(found))
    return figure(fig, alt, t("overview.cohort_caption", lang, k=k))


def _ratio_rows(report, target: Target) -> pd.DataFrame:
    p, years = report.programme, target.measure.years
    project = p.project(target.project).participants
    rows = []
    for school in p.schools:
        # Project schools: only their project locations; others: the whole school.
        where = {school.brin: project.get(school.brin) or tuple(school.locations)}
        own = spells(report.data, where, p.reference_date)
        base = tables.cohorts(own, *p.baseline_years, p.programme_years[0])
        prog = tables.cohorts(own, *p.programme_years, p.programme_years[0])
        d0, d1 = (
            mark_share(
                km_dropout(g["years"], g["left"], years),
                report.data,
                where,
                span,
                starter_leavers(years),
            )
            for g, span in ((base, p.baseline_years), (prog, p.programme_years))
        )
        ratio = dropout_ratio(d1, d0)
        if school.is_comparison:
            group = t("overview.group_comparison", report.lang)
        elif school.brin in project:
            group = p.project(target.project).label(report.lang)
        else:
            group = t("overview.group_other", report.lang)
        rows.append(
            {
                "label": school.name,
                "group": group,
                "in_project": school.brin in project and not school.is_comparison,
                "baseline": d0,
                "outcome": d1,
                "estimate": ratio.estimate,
                "ci_lower": ratio.ci_lower,
                "ci_upper": ratio.ci_upper,
                "log_variance": d0.log_variance + d1.log_variance,
            }
        )
    return pd.DataFrame(rows)


def _forest(report, target: Target, shown: pd.DataFrame, caption: str) -> Html:
    """The forest plot of the schools with a shown ratio; with none (small groups, or no
    programme cohort followed k years yet) a sentence, as an empty plot would say nothing."""
    p, lang, years = report.programme, report.lang, target.measure.years
    if not len(shown):
        return tag("p", t("overview.forest_none", lang))
    alt = t(
        "overview.forest_alt",
        lang,
        years=years,
        year=p.programme_years[0],
        project=p.project(target.project).label(lang),
    )
    title = t("overview.forest_title", lang)
    xlabel = t("overview.forest_xlabel", lang, years=years)
    fig = figures.ratios(shown, title, xlabel, target.value, lang=lang)
    return figure(fig, alt, caption)


def dropout_comparison(report, target: Target) -> Html:
    """Per school: programme against nulmeting dropout, as a ratio, in a forest plot and a table."""
    lang, k, p = report.lang, report.k, report.programme
    years = target.measure.years
    rows = _ratio_rows(report, target)
    # Schools whose groups are small are left out of the plot and suppressed in the table.
    small = rows.apply(lambda r: hidden(r["baseline"], k) or hidden(r["outcome"], k), axis=1)
    shown = rows[~small].dropna(subset=["ci_lower"])
    caption = t("overview.forest_caption", lang)
    if len(shown) > FOREST_LIMIT:  # keep the plot readable: the largest schools, all in the table
        size = shown.apply(lambda r: r["baseline"].n + r["outcome"].n, axis=1)
        shown = shown.loc[size.sort_values(ascending=False, kind="stable").index[:FOREST_LIMIT]]
        caption = t("overview.forest_caption_largest", lang, limit=FOREST_LIMIT, n=len(rows))
    plot = _forest(report, target, shown, caption)
    # Beside each project school's ratio, the same shrunk towards the project's schools
    # (empirical Bayes), when two or more can be weighed together; small and hidden groups
    # take no part, and statuses stay on the raw ratio.
    pooled = rows["in_project"] & ~small & rows["estimate"].notna()
    shrunk = pd.Series(math.nan, index=rows.index)
    shrunk[pooled] = shrunk_ratios(
        rows.loc[pooled, "estimate"].tolist(), rows.loc[pooled, "log_variance"].tolist()
    )
    weighed = int(pooled.sum()) >= 2
    body = [
        [
            r.label,
            r.group,
            share_with_n(r.baseline, lang, k),
            share_with_n(r.outcome, lang, k),
            t("overview.suppressed", lang)
            if hidden
            else "–"
            if pd.isna(r.estimate)
            else f"{num(r.estimate, 2, lang)} ({num(r.ci_lower, 2, lang)}–{num(r.ci_upper, 2, lang)})",
            *(["–" if pd.isna(eb) else num(eb, 2, lang)] if weighed else []),
        ]
        for r, hidden, eb in zip(rows.itertuples(), small, shrunk, strict=True)
    ]
    header = [
        t("overview.school", lang),
        t("overview.group", lang),
        t("overview.dropout_baseline", lang, years=years),
        t("overview.dropout_programme", lang, years=years),
        t("overview.ratio_interval", lang),
        *([t("overview.ratio_shrunk", lang)] if weighed else []),
    ]
    note = t("overview.shrunk_note", lang) + " " if weighed else ""
    note += t_count("overview.dropout_note", len(p.comparison), lang)
    return Html(
        tag("h2", t("overview.dropout_heading", lang))
        + plot
        + table(header, body, lang=lang)
        + tag("p", note, class_="note")
    )
