"""The text catalogue: every text in both languages, with the same blanks, and every key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from evallib.core.text import CATALOGUE, LANGUAGES, t

SRC = Path(__file__).resolve().parents[1] / "src" / "evallib"


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_text_exists_in_every_language_with_the_same_blanks(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
    assert all(isinstance(entry[lang], str) and entry[lang].strip() for lang in LANGUAGES), key
    assert blanks(entry["nl"]) == blanks(entry["en"]), key


def test_every_key_the_code_asks_for_is_in_the_catalogue() -> None:
    asked = {
        (path.name, key)
        for path in SRC.rglob("*.py")
        for key in re.findall(
            r"""\bt(?:_count)?\(\s*["']([a-z0-9_.]*[a-z0-9_])["']""",
            path.read_text(encoding="utf-8"),
        )
    }
    assert asked, "the pattern finds the calls"
    missing = sorted((name, key) for name, key in asked if key not in CATALOGUE)
    assert not missing


def test_a_missing_key_is_an_error_not_an_empty_text() -> None:
    with pytest.raises(KeyError):
        t("no.such.text")
