"""The rules declared on the file specs: every rule has its words, and each runs as one expectation."""

from __future__ import annotations

import pytest

from evallib.contract.programme import load_programme
from evallib.contract.rules import Rule
from evallib.contract.schema import files_for
from evallib.core.text import CATALOGUE

PROGRAMMES = ("programmes/haaglanden-2013.yaml", "programmes/onderwijsregio-haaglanden-2024.yaml")


def _rules(path: str) -> list[tuple[str, Rule, bool]]:
    programme = load_programme(path)
    return [
        (kind, rule, rule in spec.rules)
        for kind, spec in files_for(programme).items()
        for rule in spec.all_rules(programme.reference_date)
    ]


@pytest.mark.parametrize("path", PROGRAMMES)
def test_every_rule_has_a_message_and_expected_text_in_both_languages(path: str) -> None:
    for kind, rule, own in _rules(path):
        for lang in ("nl", "en"):
            assert rule.message(lang).strip() and rule.expected(lang).strip(), (kind, rule.code)
            if own:  # a file's own rules are listed as sentences in the docs and templates
                assert rule.statement(lang).strip(), (kind, rule.code)


def test_every_text_of_the_rules_belongs_to_a_rule() -> None:
    codes = {rule.code for path in PROGRAMMES for _, rule, _ in _rules(path)}
    keys = {key for key in CATALOGUE if key.startswith("check.")}
    unused = {key for key in keys if key.split(".")[1] not in codes}
    assert not unused


@pytest.mark.parametrize("path", PROGRAMMES)
def test_each_suite_has_one_expectation_per_rule_with_its_words(path: str) -> None:
    from evallib.validation.suites import build_suite

    programme = load_programme(path)
    for kind, spec in files_for(programme).items():
        rules = spec.all_rules(programme.reference_date)
        suite = build_suite(kind, programme)
        assert [e.meta["code"] for e in suite.expectations] == [r.code for r in rules]
        assert [e.meta["message"] for e in suite.expectations] == [r.message() for r in rules]
