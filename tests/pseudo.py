"""A made-up language for tests: every catalogue text in markers, so unmarked words are missed.

``xx`` is English with each literal part of every catalogue text wrapped in ``⟦…⟧``. The
values filled into ``{blanks}`` stay outside the markers, so a value must itself be a
wrapped text or data (a name, a number, a date). Any word a reader would see that is
neither inside markers nor data was written in code, or not translated: a missed
translation.

The language exists only while a test uses :func:`pseudo_locale` (a monkeypatch of the
catalogue and the few per-language tables built from it); ``evallib run --lang`` still
accepts only nl and en, and nothing of this reaches the package.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest

from evallib.core import text
from evallib.evaluation import privacy
from evallib.reporting import region

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
#: A word a reader would read: two letters or more (a lone "n" in "n = 58" is a symbol).
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Data that looks like words: file names, long dates, hashes and file encodings.
_DATA = (
    re.compile(r"[\w./-]+\.(?:csv|xlsx|xls|yaml|ipynb|html|json)\b"),
    re.compile(
        r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September"
        r"|October|November|December) \d{4}\b"
    ),
    re.compile(r"\b[0-9a-f]{7,64}\b"),
    re.compile(r"\b(?:utf-8-sig|utf-8|utf-16|cp1252|latin-1|iso-8859-1)\b", re.I),  # encodings
)


def _marked(literal: str) -> str:
    return f"{OPEN}{literal}{CLOSE}" if literal.strip() else literal


def wrap(template: str) -> str:
    """``template`` with each literal part in markers; ``{blanks}`` stay as they are.

    >>> wrap("target after {years} years: {share} stay")
    '⟦target after ⟧{years}⟦ years: ⟧{share}⟦ stay⟧'
    >>> wrap("{n} ({pct})"), wrap("{{literal}} {x}")
    ('{n}⟦ (⟧{pct}⟦)⟧', '⟦{{literal}} ⟧{x}')
    """
    parts, literal = [], ""
    for text_, field, spec, conversion in string.Formatter().parse(template):
        literal += text_.replace("{", "{{").replace("}", "}}")  # parse() unescapes "{{"
        if field is None:
            continue
        parts += [_marked(literal), "{" + field]
        parts += [f"!{conversion}" if conversion else "", f":{spec}" if spec else "", "}"]
        literal = ""
    parts.append(_marked(literal))
    return "".join(parts)


@contextmanager
def pseudo_locale() -> Iterator[str]:
    """Switch on the pseudo-language for the duration; yields its code (``"xx"``)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, entry in text.CATALOGUE.items():
            patch.setitem(text.CATALOGUE, key, {**entry, PSEUDO: wrap(entry["en"])})
        languages = (*text.LANGUAGES, PSEUDO)
        patch.setattr(text, "LANGUAGES", languages)
        patch.setattr(region, "LANGUAGES", languages)
        patch.setitem(privacy.SUPPRESSED, PSEUDO, text.t("privacy.suppressed", PSEUDO))
        # numbers and dates are data: written the English way
        patch.setitem(text.LOCALES, PSEUDO, text.LOCALES["en"])
        yield PSEUDO


class _Reader(HTMLParser):
    """What a reader sees or hears of a page: the running text (one line per text node; a
    marked text with ``<strong>`` inside still reads as one) and the alt, title,
    aria-label and placeholder attributes. Not the style sheet or the script, not class
    names or values.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.attributes += [
            v or "" for k, v in attrs if k in ("alt", "title", "aria-label", "placeholder")
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def visible(html: str) -> list[str]:
    """The texts of ``html`` a reader sees: its running text, then each attribute text."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return ["\n".join(reader.text), *reader.attributes]


def unmarked(texts: str | Iterable[str], data: Iterable[str] = ()) -> list[str]:
    """The words in ``texts`` outside markers that are not ``data``: missed translations.

    A marker left open or closed alone (a catalogue text cut by code) counts as missed too.

    >>> unmarked("⟦Dropout fell to ⟧24.3%⟦ in ⟧Delft", data=["Delft"])
    []
    >>> unmarked(["⟦Status⟧: gehaald", "⟦target ⟧10%", "⟦cut"])
    ['gehaald', '⟦cut']
    """
    names = sorted({d for d in data if d}, key=len, reverse=True)
    missed: list[str] = []
    for piece in [texts] if isinstance(texts, str) else texts:
        rest, previous = piece, None
        while rest != previous:  # a marked text may hold another one
            previous, rest = rest, _MARKED.sub(" ", rest)
        cut = re.compile(rf"\S*[{OPEN}{CLOSE}]\S*")
        missed += cut.findall(rest)
        rest = cut.sub(" ", rest)
        for pattern in _DATA:  # before names: "personeel.csv" is a file name, not a word
            rest = pattern.sub(" ", rest)
        for name in names:
            rest = rest.replace(name, " ")
        missed += _WORD.findall(rest)
    return missed
