"""The generated verdict sentences: every status, the decision boundaries, privacy."""

from __future__ import annotations

import dataclasses

import pytest

from evallib.contract.programme import DecisionRule, load_programme
from evallib.evaluation.subjects import subject
from evallib.evaluation.targets import (
    Evidence,
    MilestoneResult,
    Scope,
    Status,
    TargetResult,
    decide,
)
from evallib.reporting.verdicts import verdict
from evallib.stats.estimates import Estimate

PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")
SCOPE = Scope("school", "01GX", "Christelijk Lyceum Delft", {})


def _result(target, *args, **kwargs) -> TargetResult:
    """A result with the subject evaluation gives it."""
    return TargetResult(target, *args, subject=subject(target, PROGRAMME), **kwargs)


def target(target_id: str):
    return next(t for t in PROGRAMME.targets if t.id == target_id)


def halving(effect: Estimate, n0: int = 97, n1: int = 233) -> TargetResult:
    """A starters' halving target whose status comes from the real decision rule."""
    ev = Evidence(
        "ratio",
        effect,
        Estimate(0.32, 0.24, 0.42, n0),
        Estimate(0.32 * effect.estimate, 0.1, 0.3, n1),
        target_value=0.5,
        direction="at_most",
        null_value=1.0,
    )
    status, reason = decide(effect, 0.5, "at_most", DecisionRule())
    return _result(target("starters-uitval"), SCOPE, status, reason, {}, ev)


@pytest.mark.parametrize(
    ("effect", "status", "words"),
    [
        (
            Estimate(0.35, 0.20, 0.50, 330),
            Status.GEHAALD,
            "is gehalveerd: van 32% (97 starters) in de nulmeting",
        ),
        (
            Estimate(0.45, 0.30, 0.90, 330),
            Status.NIET_ZEKER,
            "is niet zeker: van 32% (97 starters) in de nulmeting naar 14% (233 starters); de schatting ligt aan de goede kant",
        ),
        (
            Estimate(0.55, 0.30, 0.90, 330),
            Status.NIET_ZEKER,
            "de schatting ligt aan de verkeerde kant van het doel",
        ),
        (Estimate(0.80, 0.5001, 1.20, 330), Status.NIET_GEHAALD, "is niet gehalveerd"),
    ],
)
def test_halving_sentences_follow_the_decision_boundaries(
    effect: Estimate, status: Status, words: str
) -> None:
    result = halving(effect)
    assert result.status is status
    sentence = verdict(result)
    assert words in sentence
    assert "95% zekerheid" in sentence and "%" in sentence


def test_threshold_sentences_for_each_status() -> None:
    ev = Evidence(
        "share",
        Estimate(0.10, 0.08, 0.12, 16),
        None,
        Estimate(0.10, 0.08, 0.12, 16),
        target_value=0.10,
        direction="at_least",
    )
    t = target("digitaal-10")
    cases = {
        (Status.GEHAALD, "reason.met_interval"): "het doel van 10% is gehaald",
        (Status.NIET_GEHAALD, "reason.not_met_interval"): "het doel van 10% is niet gehaald",
        (Status.NIET_ZEKER, "reason.uncertain_good"): (
            "het doel van 10% ligt binnen het interval, dus of het gehaald is, is niet zeker;"
            " de schatting ligt aan de goede kant van het doel"
        ),
    }
    for (status, reason), words in cases.items():
        sentence = verdict(_result(t, SCOPE, status, reason, {}, ev))
        assert words in sentence and "10,0% (95%: 8,0% tot 12,0%; 16 teamleden)" in sentence
    late = _result(
        t,
        SCOPE,
        Status.NOG_NIET_MEETBAAR,
        "reason.not_due",
        {"year": "2014/15"},
        dataclasses.replace(
            ev, effect=None, outcome=Estimate(float("nan"), float("nan"), float("nan"), 0)
        ),
    )
    assert "nog niet te meten" in verdict(late)


def test_difference_sentence_names_percentage_points() -> None:
    ev = Evidence(
        "difference",
        Estimate(0.089, 0.034, 0.143, 1280),
        Estimate(0.445, 0.41, 0.48, 640),
        Estimate(0.534, 0.50, 0.57, 640),
        target_value=0.0,
        direction="at_least",
        null_value=0.0,
    )
    sentence = verdict(
        _result(target("digitaal-leerlingen"), SCOPE, Status.GEHAALD, "reason.met", {}, ev)
    )
    assert (
        "de digitale lessen" in sentence
        and "+8,9 procentpunt" in sentence
        and "is gehaald" in sentence
    )


@pytest.mark.parametrize(
    ("status", "count", "words"),
    [
        (Status.GEHAALD, 127, "127 in 2015/16, gepland 120–150: gehaald."),
        (Status.GEHAALD, 160, "gehaald, meer dan gepland"),
        (Status.OP_KOERS, 127, "op koers"),
        (Status.NIET_GEHAALD, 119, "119 in 2015/16, gepland 120–150: niet gehaald."),
    ],
)
def test_count_sentences(status: Status, count: int, words: str) -> None:
    ms = MilestoneResult(2015, count, 120, 150, True)
    ev = Evidence("count", milestones=(ms,))
    assert words in verdict(
        _result(target("halverwege-tranches"), SCOPE, status, "reason.milestone_met", {}, ev)
    )


def test_go_and_no_go() -> None:
    ev = Evidence("count", milestones=(MilestoneResult(2013, 22, 20, None, True),))
    assert verdict(
        _result(target("ecoach-go-2013"), SCOPE, Status.GEHAALD, "reason.go", {}, ev)
    ).endswith(": go.")
    ev = Evidence("count", milestones=(MilestoneResult(2013, 19, 20, None, True),))
    assert verdict(
        _result(target("ecoach-go-2013"), SCOPE, Status.NIET_GEHAALD, "reason.no_go", {}, ev)
    ).endswith("no-go.")


def test_small_groups_give_no_numbers() -> None:
    result = halving(Estimate(0.4, 0.1, 1.6, 30), n0=6, n1=24)
    sentence = verdict(result)
    assert "kleiner dan 10 personen" in sentence and "%" not in sentence and "6" not in sentence


@pytest.mark.parametrize(
    "estimate", [Estimate(0.45, 0.30, 0.90, 330), Estimate(0.55, 0.3, 1.1, 330)]
)
def test_a_withheld_estimate_keeps_its_side_of_the_target_to_itself(estimate: Estimate) -> None:
    # "niet zeker" shows only that the interval holds the target; which side the estimate is
    # on would bound the numbers the run hid (here the programme group's share).
    from evallib.reporting.wording import reason_text

    result = halving(estimate)
    assert result.status is Status.NIET_ZEKER and "kant" in reason_text(result)
    hidden = dataclasses.replace(
        result.evidence,
        outcome=dataclasses.replace(result.evidence.outcome, share_hidden=True),
    )
    withheld = dataclasses.replace(result, evidence=hidden)
    said = reason_text(withheld) + verdict(withheld)
    assert "niet zeker" in said and "goede kant" not in said and "verkeerde kant" not in said


def test_insufficient_data_says_why() -> None:
    result = _result(
        target("starters-uitval"),
        SCOPE,
        Status.ONVOLDOENDE_GEGEVENS,
        "reason.not_estimable",
        {"detail": "geen uitval in de nulmeting"},
        Evidence(
            "ratio",
            Estimate(float("nan"), float("nan"), float("nan"), 60),
            Estimate(0.0, 0.0, 0.1, 30),
            Estimate(0.1, 0.05, 0.2, 30),
        ),
    )
    assert verdict(result).endswith(
        "onvoldoende gegevens. Niet te schatten: geen uitval in de nulmeting."
    )


@pytest.mark.parametrize(
    ("school", "wanted"),
    [
        # one target, resting on an interval: a chance, never "0,0 keer"
        ("01MB", "Dit doel rust op een schatting met een interval."),
        # many: the expected number and the chance of at least one
        ("02DZ", "de kans op minstens één keer is"),
    ],
)
def test_the_chance_note_says_something_for_one_target_and_for_many(school, wanted) -> None:
    from evallib.evaluation.dataset import load_dataset
    from evallib.evaluation.targets import evaluate_school
    from evallib.reporting.summary import status_counts

    results = evaluate_school(PROGRAMME, load_dataset("data/processed/example"), school)
    note = str(status_counts(results))
    assert wanted in note, note
    assert "0,0 keer" not in note and "deze 1 doelen" not in note
