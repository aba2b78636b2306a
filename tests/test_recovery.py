"""The effects planted in the synthetic example data come back out of evallib."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evallib.contract.programme import load_programme
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.recovery import main, planted_counts, recovery_table
from evallib.evaluation.targets import Status, evaluate_school

PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")


@pytest.fixture(scope="module")
def data():
    return load_dataset("data/processed/example")


@pytest.fixture(scope="module")
def planted() -> dict:
    return json.loads(Path("data/raw/example/planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def table(data, planted):
    return recovery_table(PROGRAMME, data, planted).set_index(["quantity", "scope"])


def test_planted_effects_page_is_current() -> None:
    assert Path("docs/planted-effects.md").read_text(encoding="utf-8") == main(), (
        "regenerate: python -m evallib.evaluation.recovery > docs/planted-effects.md"
    )


def test_halving_is_detected_in_the_starters_programme(table) -> None:
    row = table.loc[("verhouding uitval programma / nulmeting", "starters-locaties (gepoold)")]
    assert row["ci_lower"] <= 0.5 <= row["ci_upper"]
    assert row["ci_upper"] < 1  # a real reduction, not chance


def test_no_effect_in_the_comparison_schools(table) -> None:
    row = table.loc[("verhouding uitval programma / nulmeting", "vergelijkingsscholen")]
    assert row["ci_lower"] <= 1.0 <= row["ci_upper"]


def test_difference_in_differences_covers_the_planted_effects(table) -> None:
    for quantity in (
        "verschil-in-verschillen uitval (hazardratio)",
        "verschil-in-verschillen digitale lesuren",
    ):
        assert table.xs(quantity, level="quantity")["covered"].all(), quantity


def test_nearly_all_intervals_cover_the_planted_value(table) -> None:
    # 95% intervals: with ~21 of them, one or two misses are expected by chance.
    assert table["covered"].mean() >= 17 / 19


def test_counts_are_exact(data, planted) -> None:
    for name, expected, found in planted_counts(PROGRAMME, data, planted):
        assert expected == found, name


def test_statuses_follow_the_planted_story(data) -> None:
    def status(brin: str, target_id: str) -> Status:
        return next(
            r.status
            for r in evaluate_school(PROGRAMME, data, brin)
            if r.target.id == target_id and r.scope.level == "school"
        )

    assert status("14WE", "starters-uitval") is Status.ONVOLDOENDE_GEGEVENS  # too few starters
    # 02DZ and 99SV meet 10% and 20%; with teams of about 16 the interval may still hold the
    # target ("niet zeker"), but a planted success is never "niet gehaald".
    for brin in ("02DZ", "99SV"):
        for target_id in ("digitaal-10", "digitaal-20"):
            assert status(brin, target_id) in (Status.GEHAALD, Status.NIET_ZEKER), (brin, target_id)
    # Lage Woerd misses both: 2015/16 clearly; in 2014/15 (7.2%, interval up to 10.5%) the
    # data cannot exclude 10%, so the honest status is never "met".
    assert status("21HC", "digitaal-10") in (
        Status.NIET_GEHAALD,
        Status.NIET_ZEKER,
        Status.ONVOLDOENDE_GEGEVENS,
    )
    assert status("21HC", "digitaal-20") is Status.NIET_GEHAALD
    assert status("02GP", "duo-per-school") is Status.NIET_GEHAALD  # 3 duos, 4-6 planned
