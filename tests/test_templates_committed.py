"""The committed intake templates are exactly what the code generates."""

from __future__ import annotations

from pathlib import Path

from evallib.intake import template_bytes
from evallib.programme import load_programme
from evallib.schema import FILES


def test_committed_templates_match_the_code() -> None:
    programme = load_programme("programmes/haaglanden-2013.yaml")
    for kind in FILES:
        committed = Path("templates") / f"{kind}.xlsx"
        assert committed.read_bytes() == template_bytes(kind, programme), (
            f"{committed} is out of date: run 'evallib templates'"
        )
