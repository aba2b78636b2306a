"""Difference-in-differences in the overview: did the participants change more than the
comparison schools? One part per measure that has a difference-in-differences estimator
(starter dropout, digital teaching time), under one heading with one caveat."""

from __future__ import annotations

import math
from collections.abc import Callable

from evallib.contract.programme import Target
from evallib.core.dates import format_school_year
from evallib.core.text import num, pct, pp, t
from evallib.evaluation import tables
from evallib.evaluation.linking import STARTERS
from evallib.evaluation.populations import team_population
from evallib.evaluation.privacy import count_text, is_small, reveals_count
from evallib.evaluation.published import secondary
from evallib.evaluation.starters import starter_leavers
from evallib.reporting.html import Html, table, tag
from evallib.reporting.sections.base import (
    comparison_locations,
    project_locations,
    role_words,
    spells,
)
from evallib.stats.did import (
    DiD,
    digital_rows,
    dropout_did,
    dropout_statistic,
    share_did,
    share_statistic,
)
from evallib.stats.estimates import Estimate
from evallib.stats.inference import Randomisation, randomisation_test

#: The measures with a difference-in-differences estimator.
DID_MEASURES = ("starter_dropout", "digital_share")


def _cell_rows(
    report,
    result: DiD,
    hidden: Callable[[int, int], bool],
    persons: bool,
    share_hidden: Callable[[int, int], bool] = lambda treated, post: False,
) -> list[list[str]]:
    """The four groups with their n and value. ``hidden(treated, post)``: whether the run hid
    that group's count (secondary suppression), and with it the value; ``share_hidden``:
    whether it hid the value alone (the leavers behind a share); ``persons``: the values are
    shares of persons (starters), which also hide a small count behind them.
    """
    lang, k = report.lang, report.k
    group = {
        (1, 0): t("overview.did_participants_before", lang),
        (1, 1): t("overview.did_participants_after", lang),
        (0, 0): t("overview.did_comparison_before", lang),
        (0, 1): t("overview.did_comparison_after", lang),
    }
    rows = []
    for r in result.cells.itertuples():
        treated, post = int(r.treated), int(r.post)
        hide = hidden(treated, post)
        e = Estimate(r.value, math.nan, math.nan, int(r.n), method="kaplan-meier")
        shown = (
            is_small(r.n, k)
            or hide
            or share_hidden(treated, post)
            or (persons and reveals_count(e, k))
        )
        rows.append(
            [
                group[(treated, post)],
                count_text(int(r.n), k, lang, hide),
                t("overview.suppressed", lang) if shown else pct(r.value, lang=lang),
            ]
        )
    return rows


def _method(result: DiD, lang: str) -> str:
    """How the estimate was made, in words (``overview.did_method.*``)."""
    if not result.effect.estimable:
        return t("overview.did_method.not_estimable", lang)
    model = "cox" if result.scale == "hazard ratio" else "wls"
    key = f"overview.did_method.{model}_{'clustered' if result.clustered else 'model'}"
    return t(key, lang, clusters=result.clusters, df=result.clusters - 1)


def _method_note(result: DiD, lang: str) -> Html:
    """The method in plain words, folded away: the board reads the result, an evaluator opens it."""
    summary = tag("summary", t("overview.did_method.summary", lang))
    return tag("details", summary + tag("p", _method(result, lang)), class_="method")


def _result_text(report, result: DiD, as_ratio: bool) -> str:
    lang, e = report.lang, result.effect
    if (result.cells["n"] < report.k).any():
        return t("overview.did_suppressed", lang, k=report.k)
    if not e.estimable:
        return t("overview.not_estimable", lang)
    fmt = (lambda x: num(x, 2, lang)) if as_ratio else (lambda x: pp(x, lang=lang))
    return t(
        "overview.with_interval",
        lang,
        estimate=fmt(e.estimate),
        lower=fmt(e.ci_lower),
        upper=fmt(e.ci_upper),
    )


def _placebo_text(
    report, placebo: DiD, chance: Randomisation | None, before: str, after: str
) -> str:
    """The placebo's sentences: its ratio with the randomisation test over the schools, where
    there is one, and what to expect of a ratio that is shown.

    With two comparison schools the placebo's groups have a few leavers each, and its model
    interval is too wide to mean much (it covered 99.2% in the simulation study,
    docs/methods.md); the test over the possible assignments of the schools is exact.
    """
    lang, e = report.lang, placebo.effect
    hidden = (placebo.cells["n"] < report.k).any()
    if not hidden and not e.estimable:  # "geeft niet te schatten" is no sentence
        result = t("overview.did_placebo_none", lang)
    elif hidden or chance is None or math.isnan(chance.p_value):
        result = _result_text(report, placebo, True)  # hidden, or too many schools to test
    else:
        result = t(
            "overview.did_placebo_tested",
            lang,
            estimate=num(e.estimate, 2, lang),
            possible=chance.possible,
            p=num(chance.p_value, 2, lang),
        )
    text = t("overview.did_placebo", lang, before=before, after=after, result=result)
    if e.estimable and not hidden:  # a ratio is shown
        text += " " + t("overview.did_placebo_expected", lang)
    return text


def _dropout_part(report, target: Target) -> Html:
    p, lang = report.programme, report.lang
    years = target.measure.years
    treated = project_locations(p, target)
    rows = tables.before_programme(
        spells(report.data, {**treated, **comparison_locations(p)}, p.reference_date),
        p.programme_years[0],
    )
    result = dropout_did(rows, set(treated), p.baseline_years, p.programme_years, years)
    schools = sorted(set(rows["brin"]))
    chance = _randomisation(
        schools, set(treated), dropout_statistic(rows, p.baseline_years, p.programme_years, years)
    )
    first, last = p.baseline_years
    before, after = (first, last - 1), (last, last)
    placebo = dropout_did(rows, set(treated), before, after, 1.0)
    placebo_chance = _randomisation(
        schools, set(treated), dropout_statistic(rows, before, after, 1.0)
    )
    where = {1: treated, 0: comparison_locations(p)}

    def hidden(group: int, post: int, population: str = STARTERS) -> bool:
        span = p.programme_years if post else p.baseline_years
        return secondary(report.data, where[group], tuple(span), population)

    def leavers_hidden(group: int, post: int) -> bool:
        return hidden(group, post, starter_leavers(years))

    header = [
        t("overview.group", lang),
        t("overview.starters_n", lang),
        t("overview.did_dropout_column", lang, k=years),
    ]
    text = t(
        "overview.did_dropout_result",
        lang,
        result=_result_text(report, result, True),
    )
    placebo_text = _placebo_text(
        report,
        placebo,
        placebo_chance,
        format_school_year(first)
        if first == last - 1
        else f"{format_school_year(first)}–{format_school_year(last - 1)}",
        format_school_year(last),
    )
    return Html(
        tag("h3", t("overview.did_dropout_heading", lang, k=years))
        + table(header, _cell_rows(report, result, hidden, True, leavers_hidden), lang=lang)
        + tag("p", text)
        + (tag("p", _randomisation_text(report, chance)) if chance else Html(""))
        + tag("p", placebo_text)
        + _method_note(result, lang)
    )


def _digital_part(report, target: Target) -> Html:
    p, lang = report.programme, report.lang
    project, role = p.role_of(target)
    treated, comparison = project_locations(p, target), comparison_locations(p)
    data = report.data.at({**treated, **comparison})
    first, last = p.programme_years
    rows = digital_rows(
        data.hours,
        data.participation,
        set(treated),
        set(comparison),
        first - 1,
        first,
        last,
        project,
        role,
    )
    result = share_did(rows)
    schools = sorted(set(rows["brin"]))

    def hidden(group: int, post: int) -> bool:  # the teams' counts; the comparison's are one cell
        year = last if post else first - 1
        population = team_population(project, role, before=not post)
        return bool(group) and secondary(report.data, treated, (year, year), population)

    chance = _randomisation(schools, set(treated), share_statistic(rows))
    header = [
        t("overview.group", lang),
        t("overview.teachers_n", lang),
        t("overview.did_digital_column", lang),
    ]
    text = t(
        "overview.did_digital_result",
        lang,
        team=role_words(p, target, lang),
        result=_result_text(report, result, False),
    )
    return Html(
        tag("h3", t("overview.did_digital_heading", lang))
        + table(header, _cell_rows(report, result, hidden, persons=False), lang=lang)
        + tag("p", text)
        + (tag("p", _randomisation_text(report, chance)) if chance else Html(""))
        + _method_note(result, lang)
    )


#: Above this many ways to assign the schools, the design is large enough for the model's
#: interval and enumerating it would cost too much: no randomisation test.
RANDOMISATION_LIMIT = 200


def _randomisation(schools: list[str], treated: set[str], statistic) -> Randomisation | None:
    treated = treated & set(schools)
    if math.comb(len(schools), len(treated)) > RANDOMISATION_LIMIT:
        return None
    return randomisation_test(schools, treated, statistic, limit=RANDOMISATION_LIMIT)


def _randomisation_text(report, chance: Randomisation | None) -> str:
    """The randomisation p-value, and plainly whether this design can prove anything at 5%."""
    if chance is None or math.isnan(chance.p_value):
        return ""
    lang = report.lang
    values = {
        "p": num(chance.p_value, 2, lang),
        "possible": chance.possible,
        "smallest": num(chance.smallest_p, 3, lang),
    }
    key = "overview.did_randomisation" if chance.smallest_p <= 0.05 else "overview.did_no_proof"
    return t(key, lang, **values)


_PARTS = {"starter_dropout": _dropout_part, "digital_share": _digital_part}


def did_section(report, targets: list[Target]) -> Html:
    """One part per measure with a difference-in-differences estimator (nothing without one)."""
    parts = [
        _PARTS[target.measure.name](report, target)
        for target in targets
        if target.measure.name in _PARTS
    ]
    if not parts or not report.programme.comparison:
        return Html("")
    lang = report.lang
    return Html(
        tag("h2", t("overview.did_heading", lang))
        + tag("p", t("overview.did_intro", lang))
        + Html("").join(parts)
        + tag("p", tag("strong", t("overview.note", lang)) + t_note(report), class_="note")
    )


def t_note(report) -> str:
    return t("overview.did_note", report.lang, n=len(report.programme.comparison))
