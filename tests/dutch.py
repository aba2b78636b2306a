"""Finding Dutch in English output: what a reader sees of a page, and a pattern for Dutch words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser


class _Visible(HTMLParser):
    """What a reader sees or hears of a page: its text and the alt, title, aria-label and
    placeholder attributes. Not the style sheet or the script, and not class names or
    values (``status-gehaald`` is an identifier, not a word).
    """

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.parts += [
            v or "" for k, v in attrs if k in ("alt", "title", "aria-label", "placeholder")
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    """The visible text of ``html``, its parts separated by `` | `` (no words across them)."""
    parser = _Visible()
    parser.feed(html)
    return " | ".join(parser.parts)


def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` as a whole word or phrase, ignoring case."""
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)
