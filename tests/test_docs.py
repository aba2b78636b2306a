"""Generated documentation is up to date with the code."""

from __future__ import annotations

from pathlib import Path

from evallib.contract.data_format import render_data_format


def test_data_format_doc_matches_the_schema() -> None:
    committed = Path("docs/data-format.md").read_text(encoding="utf-8")
    assert committed == render_data_format(), (
        "regenerate: python -m evallib.contract.data_format > docs/data-format.md"
    )


def test_methods_page_example_table_is_current() -> None:
    from evallib.evaluation.recovery_page import update_methods

    assert Path("docs/methods.md").read_text(encoding="utf-8") == update_methods(), (
        "regenerate: python -m evallib.evaluation.recovery_page --methods"
    )


def test_report_stylesheet_braces_balance() -> None:
    # A stray brace makes browsers drop the rule after it, silently.
    from evallib.reporting.html import stylesheet

    depth = 0
    for char in stylesheet():
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
