"""The committed intake templates are exactly what the code generates."""

from __future__ import annotations

from pathlib import Path

from evallib.contract.programme import load_programme
from evallib.contract.schema import FILES
from evallib.validation.intake import template_bytes


def test_committed_templates_match_the_code() -> None:
    programme = load_programme("programmes/haaglanden-2013.yaml")
    for kind in FILES:
        committed = Path("templates") / f"{kind}.xlsx"
        assert committed.read_bytes() == template_bytes(kind, programme), (
            f"{committed} is out of date: run 'evallib templates'"
        )
