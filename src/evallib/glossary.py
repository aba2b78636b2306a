"""'Hoe lees je dit rapport?' and the glossary, linked from the places the terms are used."""

from __future__ import annotations

from .html import Html, tag

#: term id -> (term, explanation) in Dutch; anchors are ``#begrip-<id>``.
TERMS: dict[str, tuple[str, str]] = {
    "status": (
        "Status",
        "Elk doel krijgt één van vijf statussen: gehaald, op koers, niet gehaald, nog niet meetbaar "
        "of onvoldoende gegevens. Naast de kleur staan altijd een symbool en een woord.",
    ),
    "nulmeting": (
        "Nulmeting",
        "De toestand vóór het programma. Voor de uitval van starters: de starters die in "
        "2010/11 tot en met 2012/13 begonnen. Elke school wordt vergeleken met haar eigen nulmeting.",
    ),
    "meting": (
        "Meting",
        "De uitkomst tijdens of na het programma, die met het doel wordt vergeleken.",
    ),
    "uitval": (
        "Uitval",
        "Het aandeel starters dat binnen drie jaar de school verlaat. Wie nog geen drie jaar gevolgd "
        "kon worden, telt mee zolang hij gevolgd is (Kaplan–Meier-schatting); zo wordt de uitval niet "
        "onderschat.",
    ),
    "interval": (
        "95%-interval (betrouwbaarheidsinterval)",
        "De marge rond een uitkomst: met 95% zekerheid ligt de "
        "werkelijke waarde daartussen. Een smal interval betekent een nauwkeurige uitkomst.",
    ),
    "n": ("n", "Het aantal personen (of ingevulde vragenlijsten) waarop een getal rust."),
    "gehaald": (
        "Gehaald",
        "De uitkomst haalt het doel; bij een verandering ten opzichte van de nulmeting moet die "
        "verandering ook groter zijn dan toeval.",
    ),
    "op-koers": (
        "Op koers",
        "Een tussenmijlpaal is gehaald; de eindmijlpaal ligt nog in de toekomst.",
    ),
    "onvoldoende-gegevens": (
        "Onvoldoende gegevens",
        "Te weinig personen (minder dan 10), of de onzekerheid is te "
        "groot om te beslissen: het doel en het tegendeel zijn allebei mogelijk. Het rapport "
        "raadt dan niet.",
    ),
    "nog-niet-meetbaar": (
        "Nog niet meetbaar",
        "De meting kan nog niet: bijvoorbeeld omdat nog niemand drie jaar "
        "gevolgd is, of het schooljaar nog niet voorbij is.",
    ),
    "aantoonbaar": (
        "Aantoonbaar",
        "Hoe groot een verandering minstens moet zijn om met dit aantal personen met 80% "
        "kans zichtbaar te worden. Bij kleine groepen is een halvering vaak niet aan te tonen, ook als "
        "hij er wel is.",
    ),
    "vergelijkingsscholen": (
        "Vergelijkingsscholen",
        "Erasmus College en Grotius College deden niet mee. Wat bij hen "
        "veranderde, laat zien wat er zonder programma had kunnen gebeuren; met twee scholen is "
        "dat een ruwe vergelijking.",
    ),
    "onderdrukt": (
        "Onderdrukt (minder dan 10)",
        "Groepen van minder dan 10 personen worden niet getoond, ook niet als "
        "percentage of grafiek, zodat niemand herkenbaar is.",
    ),
}


def term_link(term_id: str, label: str | None = None) -> Html:
    """A link to a glossary entry.

    Examples
    --------
    >>> term_link("nulmeting")
    '<a href="#begrip-nulmeting" class="term">Nulmeting</a>'
    """
    return tag("a", label or TERMS[term_id][0], href=f"#begrip-{term_id}", class_="term")


def reading_guide() -> Html:
    """The section 'Hoe lees je dit rapport?' with the glossary (each term has its own anchor)."""
    entries = [
        Html(tag("dt", TERMS[key][0], id=f"begrip-{key}") + tag("dd", TERMS[key][1]))
        for key in TERMS
    ]
    return Html(
        tag("h2", "Hoe lees je dit rapport?", id="hoe-lees-je-dit")
        + tag(
            "p",
            "Het rapport begint met een samenvatting: per project elk doel met zijn status en één zin die "
            "zegt waarop die status rust. Daarna volgt per project de onderbouwing: de nulmeting, de meting, "
            "de verandering met haar 95%-interval en het aantal personen (n). Onderaan staat waar de "
            "gegevens vandaan komen (herkomst). De begrippen:",
        )
        + tag("dl", entries, class_="glossary")
    )
