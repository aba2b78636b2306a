"""The parts every report shares: badges per status, one verdict per target, the evidence table.

The school report and the regional overview both show their targets this way; the index
shows the same statuses as a grid.
"""

from __future__ import annotations

import math
from collections import Counter

from evallib.contract.programme import Programme
from evallib.core.text import lower_first, num, pct, t, t_count
from evallib.evaluation.privacy import MIN_GROUP
from evallib.evaluation.status import Status
from evallib.evaluation.targets import TargetResult
from evallib.reporting.glossary import term_link
from evallib.reporting.html import Html, badge, csv_link, tag
from evallib.reporting.records import target_anchor
from evallib.reporting.verdicts import verdict
from evallib.reporting.wording import (
    chance_at_target,
    effect_text,
    power_text,
    reason_text,
    share_with_n,
    target_text,
)


def status_counts(results: list[TargetResult], lang: str = "nl", alpha: float = 0.05) -> Html:
    """Badges with the number of targets per status, and how many 'gehaald' chance alone gives.

    Many statuses at once: even if no target were truly met (each exactly at its target),
    each status resting on an interval would read *gehaald* with the chance its "Hoe zeker"
    sentence states (about α/2, :func:`~evallib.reporting.wording.chance_at_target`).
    """
    counts = Counter(r.status for r in results)
    badges = tag(
        "p",
        [tag("span", [badge(s, lang), f" × {counts[s]}"]) for s in Status if counts[s]],
        class_="summary-counts",
    )
    chances = [
        chance_at_target(r.evidence, alpha)
        for r in results
        if r.evidence.kind in ("ratio", "difference", "share")
        and r.evidence.effect is not None
        and r.evidence.effect.ci_lower == r.evidence.effect.ci_lower  # has an interval
        and r.status is not Status.ONVOLDOENDE_GEGEVENS
    ]
    if not chances:
        return badges
    # "0,0 keer" says nothing, so the chance of at least one false 'gehaald' is given too
    # (alone when there is one estimate).
    key = "summary.by_chance_single" if len(results) == 1 else "summary.by_chance"
    chance = t_count(
        key,
        len(chances),
        lang,
        total=len(results),
        expected=num(sum(chances), 1, lang),
        chance=pct(1 - math.prod(1 - c for c in chances), 1, lang),
    )
    return Html(badges + tag("p", chance, class_="note"))


def headline(results: list[TargetResult], lang: str = "nl") -> Html:
    """One line first: how many targets are met, and what needs attention most.

    The point of attention is the first target that is *niet gehaald* (else *niet zeker*),
    in the programme's order.

    Examples
    --------
    >>> headline([])
    Html('')
    """
    if not results:
        return Html("")
    met = sum(r.status is Status.GEHAALD for r in results)
    text = t_count("summary.headline", len(results), lang, met=met, total=len(results))
    for status in (Status.NIET_GEHAALD, Status.NIET_ZEKER):
        first = next((r for r in results if r.status is status), None)
        if first is not None:
            where = f" ({first.scope.name})" if first.scope.level == "location" else ""
            label = lower_first(first.target.label(lang))  # it follows a colon
            text += t("summary.attention", lang, target=label + where)
            break
    return tag("p", tag("strong", text), class_="headline")


def verdict_list(
    programme: Programme, results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> Html:
    """Targets grouped by project: status badge, title, and the generated verdict sentence."""
    parts = []
    for project in programme.projects:
        mine = [r for r in results if r.target.project == project.id]
        if not mine:
            continue
        items = [
            tag(
                "li",
                [
                    badge(r.status, lang),
                    " ",
                    tag("strong", r.target.label(lang)),
                    *([f" ({r.scope.name})"] if r.scope.level == "location" else []),
                    tag("p", verdict(r, lang, min_group)),
                ],
            )
            for r in mine
        ]
        parts.append(
            tag(
                "section",
                [tag("h3", project.label(lang)), tag("ul", items, class_="verdicts")],
                class_="summary-project",
            )
        )
    return Html("".join(parts))


def targets_table(
    results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> Html:
    """Every target with nulmeting, outcome, interval, n and status; its explanation in a row below.

    Under the table a link downloads its visible cells as CSV (the explanation as a row of one
    cell, as shown).
    """
    header = [
        t("school.targets.target", lang),
        t("school.targets.where", lang),
        t("school.targets.target_value", lang),
        term_link("nulmeting", lang=lang),
        term_link("meting", lang=lang),
        term_link("interval", t("school.targets.outcome_interval", lang), lang=lang),
        term_link("status", lang=lang),
    ]
    rows, cells = [], []
    for r in results:
        ev = r.evidence
        title = [r.target.label(lang)]
        if r.target.derived:
            title.append(tag("div", t("school.targets.derived", lang), class_="derived"))
        row = [
            tag("div", title),
            r.scope.name,
            target_text(ev, lang, leaving=r.target.measure.leaving),
            share_with_n(ev.baseline, lang, min_group) if ev.kind != "count" else "–",
            share_with_n(ev.outcome, lang, min_group) if ev.kind != "count" else "–",
            effect_text(ev, lang, min_group),
            badge(r.status, lang),
        ]
        anchor = target_anchor(r.target.id, r.scope.level, r.scope.key)  # the index links here
        rows.append(tag("tr", [tag("td", [c]) for c in row], class_="target", id=anchor))
        explanation = " ".join(
            filter(
                None,
                [
                    reason_text(r, lang, min_group),
                    *(f"{note[:1].upper()}{note[1:]}." for note in ev.notes),  # a sentence
                    power_text(ev, lang, min_group),
                ],
            )
        )
        rows.append(tag("tr", [tag("td", explanation, colspan=len(header))], class_="explain"))
        cells += [row, [explanation]]
    head = tag("thead", [tag("tr", [tag("th", [h], scope="col") for h in header])])
    return tag(
        "div",
        [tag("table", [head, tag("tbody", rows)], class_="data targets")],
        class_="table-wrap",
    ) + csv_link(header, cells, t("school.targets.file", lang), lang)
