"""Section of region-level figures (the indicator file): per period and scope, as delivered.

Counts of persons below the smallest group are hidden; where a total is shown with its parts,
one more part is hidden when only one would be, so the hidden one cannot be worked out by
subtraction. Shares show their n; a figure without n says it has no interval.
"""

from __future__ import annotations

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.periods import parse_period
from evallib.core.text import num, pct, t
from evallib.evaluation.privacy import count_text, hide_with_total
from evallib.evaluation.privacy import is_small as count_is_small
from evallib.reporting.html import Html, table, tag


def _value(spec, row, lang: str, k: int, hidden: bool) -> str:
    if hidden:
        return t("privacy.fewer_than", lang, n=k)
    value = float(row.waarde)
    if spec.kind in ("share", "distribution"):
        shown = pct(value, lang=lang)
        return shown + (f" (n = {num(row.n, lang=lang)})" if not pd.isna(row.n) else "")
    if spec.kind == "count":
        return count_text(value, k, lang)
    return f"{num(value, 1 if not value.is_integer() else 0, lang)} {spec.unit}"


def indicator_table(report, spec_id: str) -> Html:
    """One table for one indicator: its rows by period (and category), scopes as delivered."""
    p, lang, k = report.programme, report.lang, report.k
    spec = p.indicator(spec_id)
    frame = report.data.indicators
    frame = frame[frame["indicator"] == spec_id].copy()
    if frame.empty:
        return Html(
            tag("h3", spec.label(lang))
            + tag("p", t("overview.indicator_missing", lang), class_="note")
        )
    frame["order"] = [parse_period(v) for v in frame["periode"]]
    frame = frame.sort_values(["order", "categorie", "scope"], na_position="first", kind="stable")
    rows = []
    for _, group in frame.groupby(["order", "categorie"], sort=False, dropna=False):
        hidden = [False] * len(group)
        if spec.kind == "count":
            # the region's figure is the total of the scopes: protect the parts against subtraction
            total = (group["scope"].str.casefold() == "regio").to_numpy()
            parts = hide_with_total([float(v) for v in group["waarde"][~total]], k)
            shown = iter(parts)
            hidden = [
                count_is_small(v, k) if is_total else next(shown)
                for v, is_total in zip(group["waarde"], total, strict=True)
            ]
        for row, hide in zip(group.itertuples(), hidden, strict=True):
            rows.append(
                [
                    row.periode,
                    row.scope,
                    *([row.categorie] if spec.kind == "distribution" else []),
                    _value(spec, row, lang, k, hide),
                    row.bron if isinstance(row.bron, str) else "",
                ]
            )
    header = [
        t("overview.indicator_period", lang),
        t("overview.indicator_scope", lang),
        *([t("overview.indicator_category", lang)] if spec.kind == "distribution" else []),
        t("overview.indicator_value", lang, unit=spec.unit),
        t("overview.indicator_source", lang),
    ]
    note = (
        t("overview.indicator_note_no_n", lang)
        if frame["n"].isna().any() and spec.kind in ("share", "distribution")
        else ""
    )
    return Html(
        tag("h3", spec.label(lang))
        + table(header, rows, lang=lang)
        + (tag("p", note, class_="note") if note else Html(""))
    )


def indicators_section(report, targets: list[Target]) -> Html:
    """The figures the region's targets rest on, one table per indicator."""
    ids = list(
        dict.fromkeys(t_.measure.indicator for t_ in targets if t_.measure.name == "indicator")
    )
    if not ids:
        return Html("")
    lang = report.lang
    return Html(
        tag("h2", t("overview.indicators_heading", lang))
        + tag("p", t("overview.indicators_intro", lang))
        + Html("").join(indicator_table(report, i) for i in ids)
    )
