"""Sections of the ``starter_dropout`` measure: who stays, and dropout against the nulmeting.

School report: retention curves (nulmeting, programme cohorts, comparison schools) and a
table of k-year dropout. Overview: retention per starting cohort, and per school the ratio of
programme to nulmeting dropout beside the comparison schools.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from evallib.contract.measures import LEFT_EDUCATION
from evallib.contract.programme import Target
from evallib.core.text import num, t, t_count
from evallib.evaluation import tables
from evallib.evaluation.measures.dropout import outcome_share
from evallib.evaluation.privacy import count_text, hidden, is_small
from evallib.evaluation.published import mark, secondary
from evallib.reporting import figures
from evallib.reporting.html import Html, figure, table, tag
from evallib.reporting.sections.base import (
    and_list,
    comparison_locations,
    comparison_names,
    project_locations,
    span_words,
    spells,
    trend_finding,
    trend_row,
)
from evallib.reporting.wording import interval_text, share_interval_text, share_with_n
from evallib.stats.shrinkage import shrunk_ratios
from evallib.stats.survival import dropout_ratio, km_curve, km_dropout, km_dropouts

#: Above this many schools, the forest plot shows the largest ones (all are in the table).
FOREST_LIMIT = 30


def _groups(report, target: Target, labels: tuple[str, str, str]) -> dict[str, pd.DataFrame]:
    """Nulmeting and programme cohorts of the school's project locations, and the comparison schools.

    Each group's ``attrs["hidden"]`` says whether the run hid its count (secondary suppression).
    """
    p = report.programme
    mine = project_locations(p, target, report.brin)
    others = comparison_locations(p)
    own = spells(report.data, mine, p.reference_date)
    comparison = spells(report.data, others, p.reference_date)
    start = p.programme_years[0]
    groups = {
        labels[0]: (tables.cohorts(own, *p.baseline_years, start), mine, p.baseline_years),
        labels[1]: (tables.cohorts(own, *p.programme_years, start), mine, p.programme_years),
        labels[2]: (
            tables.cohorts(comparison, *p.programme_years, start),
            others,
            p.programme_years,
        ),
    }
    return {label: _tagged(report, *group) for label, group in groups.items()}


def _tagged(report, rows: pd.DataFrame, locations: dict, span) -> pd.DataFrame:
    rows = rows.copy()
    rows.attrs["hidden"] = secondary(report.data, locations, tuple(span))
    return rows


def _hide(report, g: pd.DataFrame) -> bool:
    """A group whose curve and count are not shown: small, or hidden by the run."""
    return is_small(len(g), report.k) or g.attrs.get("hidden", False)


def _n(report, g: pd.DataFrame, lang: str) -> str:
    return count_text(len(g), report.k, lang, g.attrs.get("hidden", False))


def _marked(e, g: pd.DataFrame):
    return replace(e, hidden=True) if g.attrs.get("hidden", False) else e


def retention_goal(report, target: Target) -> float | None:
    """The share that should stay after k years (the chart's mark); ``None`` where the
    nulmeting it comes from is not shown, since the mark would give that dropout away
    (``tests/test_privacy.py``)."""
    result = next((r for r in report.results if r.target is target), None)
    base = result.evidence.baseline if result else None
    if base is None or not base.estimable or base.hidden or is_small(base.n, report.k):
        return None
    return 1 - base.estimate * target.value


def retention_figure(report, target: Target) -> Html:
    """Who stays: Kaplan–Meier curves per group, with the target drawn in."""
    p, lang, k = report.programme, report.lang, report.k
    years = target.measure.years
    groups = _groups(
        report,
        target,
        (
            t("school.group.baseline", lang, **span_words(p.baseline_years)),
            t("school.group.programme", lang, **span_words(p.programme_years)),
            t("school.group.comparison_same_years", lang),
        ),
    )
    # A curve of a small group would show when each of its few members left: leave it out.
    curves = {
        t(
            "school.retention.curve_hidden" if _hide(report, g) else "school.retention.curve",
            lang,
            label=label,
            n=_n(report, g, lang),
        ): km_curve([], []) if _hide(report, g) else km_curve(g["years"], g["left"], at=(years,))
        for label, g in groups.items()
    }
    goal = retention_goal(report, target)
    fig = figures.retention(curves, years, goal, t("school.retention.title", lang), lang=lang)
    found = "; ".join(
        f"{label}: {interval_text(_marked(km_dropout(g['years'], g['left'], years), g), lang, k)}"
        for label, g in groups.items()
    )
    alt = t("school.retention.alt", lang, school=report.school.name, years=years, found=found)
    return figure(fig, alt, t("school.retention.caption", lang))


def _first_year_rows(report, target: Target) -> list[dict]:
    """First-year dropout per starting cohort for this school, the region and the comparison
    schools; a cohort of fewer than ``k`` starters is left out (its share says what each did)."""
    p, lang, k = report.programme, report.lang, report.k
    series = (
        (t("school.group.this_school", lang), project_locations(p, target, report.brin)),
        (t("school.group.region", lang), project_locations(p, target)),
        (t("school.group.comparison", lang), comparison_locations(p)),
    )
    rows = []
    for label, locations in series:
        starters = spells(report.data, locations, p.reference_date)
        for year in range(p.baseline_years[0], p.programme_years[1] + 1):
            # a nulmeting cohort is followed only until the programme starts, as in the target
            cohort = tables.cohorts(starters, year, year, p.programme_years[0])
            if len(cohort) == 0 or is_small(len(cohort), k):
                continue
            e = km_dropout(cohort["years"], cohort["left"], 1)
            if e.estimable:
                rows.append(trend_row(year, label, e))
    return rows


def dropout_trend(report, target: Target) -> Html:
    """First-year dropout by year of starting: this school beside the region and the comparison
    schools, every year from the nulmeting to the programme's last, in time order.

    Examples
    --------
    >>> from evallib.reporting.school import SchoolReport
    >>> r = SchoolReport.load("programmes/haaglanden-2013.yaml", "data/processed/example", "01GX")
    >>> target = next(t for t in r.programme.targets if t.measure.name == "starter_dropout")
    >>> html = dropout_trend(r, target)
    >>> html.startswith("<figure>"), "Verloop: deze school van" in html
    (True, True)
    """
    lang = report.lang
    rows = _first_year_rows(report, target)
    if not rows:
        return Html("")
    fig = figures.shares_by_year(
        pd.DataFrame(rows),
        t("school.trend.dropout_title", lang),
        t("school.trend.dropout_ylabel", lang),
        lang=lang,
    )
    alt = t(
        "school.trend.dropout_alt",
        lang,
        school=report.school.name,
        found=trend_finding(rows, lang),
    )
    return figure(fig, alt, t("school.trend.dropout_caption", lang, k=report.k))


def dropout_table(report, target: Target) -> Html:
    """k-year dropout (k = 1 … the target's years) for nulmeting, programme and comparison."""
    p, lang = report.programme, report.lang
    horizons = tuple(range(1, target.measure.years + 1))
    groups = _groups(
        report,
        target,
        (
            t("school.group.baseline_in_brackets", lang, **span_words(p.baseline_years)),
            t("school.group.programme_in_brackets", lang, **span_words(p.programme_years)),
            t("school.group.comparison_programme_years", lang),
        ),
    )
    last = horizons[-1]
    rows = [
        [
            label,
            _n(report, g, lang),
            *(
                interval_text(_marked(c, g), lang, report.k)
                for c in km_dropouts(g["years"], g["left"], horizons)
            ),
            interval_text(
                _marked(outcome_share(g, (LEFT_EDUCATION,), last, 0.05), g), lang, report.k
            ),
        ]
        for label, g in groups.items()
    ]
    header = [
        t("school.dropout.group", lang),
        t("school.dropout.number", lang),
        *(t_count("school.dropout.after", h, lang) for h in horizons),
        t("school.dropout.left_education", lang, years=last),
    ]
    years = and_list([str(h) for h in horizons], lang)
    return Html(
        tag("h3", t("school.dropout.heading", lang, years=years))
        + table(header, rows, lang=lang)
        + _comparison_words(report, target)
        + tag("p", t("school.dropout.note", lang), class_="note")
    )


def _comparison_words(report, target: Target) -> Html:
    """The comparison schools' dropout before and during the programme, in one sentence."""
    p, lang, years = report.programme, report.lang, target.measure.years
    if not p.comparison:
        return Html("")
    rows = spells(report.data, comparison_locations(p), p.reference_date)
    start = p.programme_years[0]
    found = {
        period: share_interval_text(km_dropout(g["years"], g["left"], years), lang, report.k)
        for period, g in (
            ("baseline", tables.cohorts(rows, *p.baseline_years, start)),
            ("outcome", tables.cohorts(rows, *p.programme_years, start)),
        )
    }
    return tag(
        "p",
        t(
            "school.comparison_words.dropout",
            lang,
            schools=comparison_names(p, lang),
            years=years,
            **found,
        ),
    )


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
        t("school.group.baseline", lang, **span_words(p.baseline_years)): _tagged(
            report, tables.cohorts(rows, *p.baseline_years, start), region, p.baseline_years
        ),
        t("school.group.programme", lang, **span_words(p.programme_years)): _tagged(
            report, tables.cohorts(rows, *p.programme_years, start), region, p.programme_years
        ),
    }
    curves, found = {}, []
    for label, group in groups.items():
        if _hide(report, group):  # a small group's curve shows each leaver
            continue
        curves[f"{label} (n = {_n(report, group, lang)})"] = km_curve(
            group["years"], group["left"], at=(years,)
        )
        dropout = km_dropout(group["years"], group["left"], years)
        found.append(f"{label}: {interval_text(dropout, lang, k)}")
    project = p.project(target.project).label(lang)
    fig = figures.retention(
        curves, years, None, t("overview.cohort_title", lang, project=project), lang=lang
    )
    alt = t("overview.cohort_alt", lang, project=project, years=years, found="; ".join(found))
    return figure(fig, alt, t("overview.cohort_caption", lang))


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
        d0 = mark(
            km_dropout(base["years"], base["left"], years), report.data, where, p.baseline_years
        )
        d1 = mark(
            km_dropout(prog["years"], prog["left"], years), report.data, where, p.programme_years
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
