"""School-report sections of the ``starter_dropout`` measure: who stays, against the nulmeting.

Retention after each year (nulmeting, programme cohorts, comparison schools), first-year
dropout per starting cohort, and a table of k-year dropout. The overview's sections are in
:mod:`.dropout_region`. Charts draw only what the tables may show (``docs/privacy.md``).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from evallib.contract.measures import LEFT_EDUCATION
from evallib.contract.programme import Target
from evallib.core.text import t, t_count
from evallib.evaluation import tables
from evallib.evaluation.privacy import count_text, hidden, is_small, shown_in_series
from evallib.evaluation.published import mark, mark_share, secondary
from evallib.evaluation.starters import starter_leavers, starter_outcome_population
from evallib.evaluation.tables import outcome_share
from evallib.reporting import figures
from evallib.reporting.html import Html, figure, table, tag
from evallib.reporting.sections.base import (
    and_list,
    comparison_locations,
    comparison_names,
    project_locations,
    span_words,
    spells,
    suppressed_row,
    trend_finding,
    trend_row,
)
from evallib.reporting.wording import interval_text, share_interval_text
from evallib.stats.survival import Dropout, km_dropout, km_dropouts


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
    return {label: tagged(report, *group) for label, group in groups.items()}


def tagged(report, rows: pd.DataFrame, locations: dict, span) -> pd.DataFrame:
    """The rows, with ``attrs["hidden"]``: whether the run hid their count (secondary
    suppression), and where and when they started, for the run's decisions on their leavers."""
    rows = rows.copy()
    rows.attrs.update(
        hidden=secondary(report.data, locations, tuple(span)), where=locations, span=tuple(span)
    )
    return rows


def _marked(report, share, g: pd.DataFrame, persons: str):
    """A share of the :func:`tagged` group ``g``, hidden where the run hid its count or the
    ``persons`` behind the share (secondary suppression, :mod:`evallib.evaluation.starters`)."""
    return mark_share(share, report.data, g.attrs["where"], g.attrs["span"], persons)


def _hide(report, g: pd.DataFrame) -> bool:
    """A group whose curve and count are not shown: small, or hidden by the run."""
    return is_small(len(g), report.k) or g.attrs.get("hidden", False)


def _n(report, g: pd.DataFrame, lang: str) -> str:
    return count_text(len(g), report.k, lang, g.attrs.get("hidden", False))


def yearly_dropouts(report, g: pd.DataFrame, years: int) -> list[Dropout]:
    """Dropout after 1 … ``years`` years, each marked hidden where the report may not show it:
    rule 5 of ``docs/privacy.md`` on each, and on the steps between them (one cumulative series,
    :func:`~evallib.evaluation.privacy.shown_in_series`). The table and the charts both show
    these, so a chart never draws what the table hides."""
    found = [
        _marked(report, d, g, starter_leavers(h))
        for h, d in enumerate(km_dropouts(g["years"], g["left"], tuple(range(1, years + 1))), 1)
    ]
    shown = shown_in_series(found, report.k)
    return [
        d if ok or not d.estimable else replace(d, hidden=True)
        for d, ok in zip(found, shown, strict=True)
    ]


def retention_points(report, g: pd.DataFrame, years: int) -> pd.DataFrame:
    """What a retention chart draws for one group: everyone at the start, then after each whole
    year the share still there, where its dropout is shown (:func:`yearly_dropouts`); empty when
    no year is. Not the Kaplan–Meier steps: each step is one teacher leaving.

    Column ``n`` is the group's size (``tests/test_privacy.py`` checks each point against it).
    """
    columns = ["years", "estimate", "ci_lower", "ci_upper"]
    if _hide(report, g):
        return pd.DataFrame(columns=[*columns, "n"])
    points = [
        (h, 1 - d.estimate, 1 - d.ci_upper, 1 - d.ci_lower)
        for h, d in enumerate(yearly_dropouts(report, g, years), start=1)
        if d.estimable and not d.hidden
    ]
    frame = pd.DataFrame([(0, 1.0, 1.0, 1.0), *points] if points else [], columns=columns)
    return frame.assign(n=len(g))


def curve_label(report, label: str, g: pd.DataFrame, points: pd.DataFrame) -> str:
    """A group's legend entry, with its n, saying so when nothing of it is drawn."""
    key = "school.retention.curve_hidden" if points.empty else "school.retention.curve"
    return t(key, report.lang, label=label, n=_n(report, g, report.lang))


def retention_goal(report, target: Target) -> float | None:
    """The share that should stay after k years (the chart's mark); ``None`` where the
    nulmeting it comes from is not shown, since the mark would give that dropout away
    (``tests/test_privacy.py``)."""
    result = next((r for r in report.results if r.target is target), None)
    base = result.evidence.baseline if result else None
    if base is None or not base.estimable or hidden(base, report.k):  # rule 5 too
        return None
    return 1 - base.estimate * target.value


def retention_figure(report, target: Target) -> Html:
    """Who stays: per group the share still there after each year, as far as the table beside it
    shows it (:func:`retention_points`), with the target drawn in."""
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
    points = {label: retention_points(report, g, years) for label, g in groups.items()}
    if all(pts.empty for pts in points.values()):
        return tag("p", t("school.retention.none", lang))  # an empty chart says nothing
    curves = {curve_label(report, label, groups[label], pts): pts for label, pts in points.items()}
    goal = retention_goal(report, target)
    fig = figures.retention(curves, years, goal, t("school.retention.title", lang), lang=lang)
    found = "; ".join(
        f"{label}: {interval_text(yearly_dropouts(report, g, years)[-1], lang, k)}"
        for label, g in groups.items()
    )
    alt = t("school.retention.alt", lang, school=report.school.name, years=years, found=found)
    return figure(fig, alt, t("school.retention.caption", lang))


def _first_year_rows(report, target: Target) -> list[dict]:
    """First-year dropout per starting cohort for this school, the region and the comparison
    schools. A cohort of fewer than ``k`` starters is marked suppressed (its share says what each
    did), and so is one whose share gives away that 1 … k − 1 left or stayed (rule 5)."""
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
            if len(cohort) == 0:
                continue
            e = km_dropout(cohort["years"], cohort["left"], 1)
            e = mark(e, report.data, locations, (year, year), starter_leavers(1), True)
            if not e.estimable:
                continue
            rows.append(suppressed_row(year, label) if hidden(e, k) else trend_row(year, label, e))
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
    if all(r["hidden"] for r in rows):
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
    rows = []
    for label, g in groups.items():
        found = yearly_dropouts(report, g, last)
        left_education = _left_education(report, g, found[-1], last)
        rows.append(
            [
                label,
                _n(report, g, lang),
                *(interval_text(d, lang, report.k) for d in found),
                interval_text(left_education, lang, report.k),
            ]
        )
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


def _left_education(report, g: pd.DataFrame, dropout: Dropout, years: int) -> Dropout:
    """Who left education within ``years``: a part of the dropout shown beside it, so hidden
    also when the rest (who left for another school, say) would be 1 … k − 1 persons."""
    persons = starter_outcome_population((LEFT_EDUCATION,), years)
    part = _marked(report, outcome_share(g, (LEFT_EDUCATION,), years, 0.05), g, persons)
    shown = dropout.estimable and not dropout.hidden and part.estimable
    rest = round(dropout.estimate * len(g)) - round(part.estimate * len(g)) if shown else 0
    return replace(part, hidden=True) if is_small(rest, report.k) else part


def _comparison_words(report, target: Target) -> Html:
    """The comparison schools' dropout before and during the programme, in one sentence."""
    p, lang, years = report.programme, report.lang, target.measure.years
    if not p.comparison:
        return Html("")
    rows = spells(report.data, comparison_locations(p), p.reference_date)
    start = p.programme_years[0]
    where = comparison_locations(p)
    estimates = {
        period: _marked(report, km_dropout(g["years"], g["left"], years), g, starter_leavers(years))
        for period, g in (
            (
                "baseline",
                tagged(
                    report, tables.cohorts(rows, *p.baseline_years, start), where, p.baseline_years
                ),
            ),
            (
                "outcome",
                tagged(
                    report,
                    tables.cohorts(rows, *p.programme_years, start),
                    where,
                    p.programme_years,
                ),
            ),
        )
    }
    schools = comparison_names(p, lang)
    if all(hidden(e, report.k) for e in estimates.values()):  # nothing left to compare with
        key = "school.comparison_words.dropout_hidden"
        return tag("p", t(key, lang, schools=schools, years=years, k=report.k))
    found = {period: share_interval_text(e, lang, report.k) for period, e in estimates.items()}
    words = t("school.comparison_words.dropout", lang, schools=schools, years=years, **found)
    return tag("p", words)
