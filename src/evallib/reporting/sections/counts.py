"""Section of count targets in the overview: counted against the planned range, per year."""

from __future__ import annotations

import pandas as pd

from evallib.contract.programme import Target
from evallib.core.text import t
from evallib.evaluation.decision import Context
from evallib.evaluation.measures import ESTIMATORS
from evallib.evaluation.targets import region_scope
from evallib.reporting import figures
from evallib.reporting.html import Html, figure, tag


def shows_counts(target: Target) -> bool:
    """A region count target with a series of milestones gets a chart."""
    return (
        target.shape == "count_range" and "region" in target.levels and len(target.milestones) > 1
    )


def counts_figure(report, target: Target) -> Html:
    """One chart: the count per milestone year (small counts hidden) and the planned range."""
    p, lang, k = report.programme, report.lang, report.k
    scope = region_scope(p, target, lang)
    context = Context(p, report.data.at(scope.locations), scope, lang)
    estimator = ESTIMATORS[target.measure.name]
    counts = [estimator.count(target, context, ms.year) for ms in target.milestones]
    labels = [ms.year.label for ms in target.milestones]
    # people in a programme role are a fact about the programme (docs/privacy.md): shown
    frame = pd.DataFrame({"year": labels, "count": counts})
    plan = pd.DataFrame(
        [{"year": ms.year.label, "min": ms.min, "max": ms.max} for ms in target.milestones]
    )
    title = target.label(lang)
    fig = figures.counts_by_year(frame, title, t("overview.teachers", lang), plan, k, lang=lang)
    shown = ", ".join(
        f"{r.year}: {t('overview.fewer_than', lang, k=k) if pd.isna(r.count) else int(r.count)}"
        for r in frame.itertuples()
    )
    planned = ", ".join(f"{ms.year.label}: {_plan(ms.min, ms.max)}" for ms in target.milestones)
    alt = t("overview.counts_alt", lang, title=title, shown=shown, planned=planned)
    return figure(fig, alt, t("overview.counts_caption", lang))


def _plan(low: float | None, high: float | None) -> str:
    """A milestone's planned range as the alt text says it: ``70–90``, ``25`` (at least), ``≤ 6``."""
    if low is None:
        return f"≤ {high:g}"
    return f"{low:g}" + (f"–{high:g}" if high is not None else "")


def counts_section(report, targets: list[Target]) -> Html:
    """All count charts under one heading (nothing when there are none)."""
    parts = [counts_figure(report, target) for target in targets if shows_counts(target)]
    if not parts:
        return Html("")
    return Html(tag("h2", t("overview.counts_heading", report.lang)) + Html("").join(parts))
