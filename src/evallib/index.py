"""The start page of the reports (``index.html``) and the page for a school that failed."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .errors import Problem
from .html import Html, badge, page, table, tag
from .programme import Programme, School
from .status import Status
from .text import dutch_date

if TYPE_CHECKING:
    from .run import SchoolOutcome

_HIDDEN = {"docent_id", "respondent"}


def index_page(
    programme: Programme,
    outcomes: list[SchoolOutcome],
    regio: SchoolOutcome,
    synthetic: bool,
    lang: str = "nl",
) -> str:
    """Every participating school with the status of each of its targets, and links."""
    rows = []
    for outcome in outcomes:
        link = tag("a", outcome.name, href=outcome.report)
        if not outcome.ok:
            rows.append([link, tag("strong", "rapport niet gemaakt"), outcome.error])
            continue
        statuses = [Status(r["status"]) for r in outcome.results]
        counts = Counter(statuses)
        summary = Html(" ".join(f"{badge(s, lang)} × {counts[s]}" for s in Status if counts[s]))
        detail = Html(
            "".join(
                tag(
                    "li",
                    [
                        badge(Status(r["status"]), lang),
                        f" {r['title']}"
                        + (f" ({r['scope_name']})" if r["level"] == "location" else ""),
                    ],
                )
                for r in outcome.results
            )
        )
        rows.append(
            [
                link,
                summary,
                tag(
                    "details", [tag("summary", f"{len(outcome.results)} doelen"), tag("ul", detail)]
                ),
            ]
        )
    intro = (
        f"Evaluatie van het programma '{programme.name}'. Peildatum {dutch_date(programme.reference_date)}. "
        "Per school de status van elk doel; open een rapport voor de onderbouwing met nulmeting, meting, "
        "95%-interval en n."
    )
    regio_link = (
        tag("a", "Regio-overzicht", href=regio.report)
        if regio.ok
        else "Regio-overzicht (niet gemaakt: " + regio.error + ")"
    )
    body = Html(
        "".join(
            [
                tag("h1", f"Rapporten {programme.region}"),
                tag("p", intro),
                tag(
                    "p",
                    [
                        tag("strong", regio_link),
                        " – alle scholen vergeleken, met de vergelijkingsscholen.",
                    ],
                ),
                tag("h2", "Scholen"),
                table(["School", "Status van de doelen", "Doelen"], rows),
                tag(
                    "p",
                    "Statussen: gehaald, op koers, niet gehaald, nog niet meetbaar, onvoldoende gegevens. "
                    "Een status is nooit alleen een kleur: er staat altijd een symbool en een woord bij.",
                    class_="note",
                ),
            ]
        )
    )
    return page(f"Rapporten {programme.name}", body, synthetic=synthetic, lang=lang)


def _problem_row(p: Problem) -> list[str]:
    found = "(verborgen)" if p.column in _HIDDEN else p.found
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
    """A readable Dutch page saying why a school's report could not be made and what to do."""
    parts = [
        tag("h1", school.name),
        tag(
            "p",
            [tag("strong", "Het rapport voor deze school kon niet worden gemaakt: "), reason + "."],
        ),
    ]
    if problems:
        parts += [
            tag(
                "p",
                "De aangeleverde bestanden bevatten fouten. Zolang die er zijn, telt de school niet mee in "
                "de evaluatie, zodat er nooit een half gelezen aanlevering wordt beoordeeld. "
                "Verbeter de bestanden en lever ze opnieuw aan.",
            ),
            table(
                ["Bestand", "Regel", "Kolom", "Probleem", "Verwacht", "Gevonden"],
                [_problem_row(p) for p in problems[:200]],
            ),
        ]
        if len(problems) > 200:
            parts.append(
                tag(
                    "p",
                    f"En nog {len(problems) - 200} fouten; zie 'evallib validate'.",
                    class_="note",
                )
            )
    else:
        parts.append(
            tag(
                "p",
                "Er ging iets mis bij het maken van het rapport. Neem contact op met de beheerder van "
                "de evaluatie en geef deze melding door:",
            )
        )
        if detail:
            parts.append(tag("pre", detail.strip()))
    return page(
        f"{school.name} – rapport niet gemaakt",
        Html("".join(parts)),
        synthetic=synthetic,
        lang=lang,
    )
