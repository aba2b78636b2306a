"""'Hoe lees je dit rapport?' and the glossary, linked from the places the terms are used.

The words are in ``catalogue/school.yaml`` (``glossary.term.<id>`` and ``glossary.text.<id>``,
with ``-`` in an id written as ``_``); anchors are ``#begrip-<id>`` in every language, so links
keep working whichever language a report is in.
"""

from __future__ import annotations

from evallib.core.text import t
from evallib.reporting.html import Html, tag

#: The glossary's term ids, in the order the reading guide lists them.
TERMS: tuple[str, ...] = (
    "status",
    "nulmeting",
    "meting",
    "uitval",
    "interval",
    "n",
    "gehaald",
    "op-koers",
    "niet-zeker",
    "onvoldoende-gegevens",
    "nog-niet-meetbaar",
    "aantoonbaar",
    "vergelijkingsscholen",
    "onderdrukt",
)


def term(term_id: str, lang: str = "nl") -> str:
    """The name of a glossary term.

    Examples
    --------
    >>> term("nulmeting"), term("op-koers", "en")
    ('Nulmeting', 'On track')
    """
    if term_id not in TERMS:
        raise KeyError(f"no glossary term {term_id!r}")
    return t(f"glossary.term.{term_id.replace('-', '_')}", lang)


def explanation(term_id: str, lang: str = "nl") -> str:
    """What a glossary term means, in one or a few sentences."""
    if term_id not in TERMS:
        raise KeyError(f"no glossary term {term_id!r}")
    return t(f"glossary.text.{term_id.replace('-', '_')}", lang)


def term_link(term_id: str, label: str | None = None, lang: str = "nl") -> Html:
    """A link to a glossary entry.

    Examples
    --------
    >>> print(term_link("nulmeting"))
    <a href="#begrip-nulmeting" class="term">Nulmeting</a>
    >>> print(term_link("nulmeting", lang="en"))
    <a href="#begrip-nulmeting" class="term">Baseline</a>
    """
    return tag("a", label or term(term_id, lang), href=f"#begrip-{term_id}", class_="term")


def reading_guide(lang: str = "nl") -> Html:
    """The section 'Hoe lees je dit rapport?' with the glossary (each term has its own anchor)."""
    entries = [
        Html(tag("dt", term(key, lang), id=f"begrip-{key}") + tag("dd", explanation(key, lang)))
        for key in TERMS
    ]
    return Html(
        tag("h2", t("glossary.heading", lang), id="hoe-lees-je-dit")
        + tag("p", t("glossary.intro", lang))
        + tag("dl", entries, class_="glossary")
    )
