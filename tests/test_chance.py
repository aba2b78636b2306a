"""The stated chance of *gehaald*: simulated from each target's design, the same on every run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evallib.contract.programme import load_programme
from evallib.evaluation.chance import REPS, chance_of_met, stated_chances, status
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.designs import Rule, ShareDesign, StarterDesign
from evallib.evaluation.operating import CASES, _follow_up
from evallib.evaluation.status import Status
from evallib.evaluation.targets import evaluate_region, evaluate_school
from evallib.reporting.wording import power_text
from evallib.stats.power import chance_met
from evallib.stats.simulation import simulate_starters
from evallib.stats.survival import dropout_ratio, km_dropout

PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")


@pytest.fixture(scope="module")
def results():
    data = load_dataset("data/processed/example")
    return evaluate_region(PROGRAMME, data) + evaluate_school(PROGRAMME, data, "02DZ")


def test_every_estimate_with_an_interval_records_its_design(results) -> None:
    estimated = [
        r
        for r in results
        if r.evidence.effect is not None and not math.isnan(r.evidence.effect.ci_lower)
    ]
    assert len(estimated) >= 8
    assert [r.target.id for r in estimated if r.evidence.design is None] == []


def test_reports_state_the_simulated_chance_and_a_rerun_the_same(results) -> None:
    for r in results:
        chances = stated_chances(r.evidence)
        if r.evidence.design is None or chances is None:
            continue
        assert chances == stated_chances(r.evidence)
        text = power_text(r.evidence)
        if text:  # whole percents: a share of 200 simulated data sets
            assert "," not in text.split("kans van")[1].split("%")[0]


def test_a_share_of_one_group_is_enumerated_exactly() -> None:
    design = ShareDesign("share", Rule(), n_outcome=60)
    exact = chance_of_met(design, 0.6, "at_least", 0.7)
    rng = np.random.default_rng(5)
    drawn = design.draw(0.7, 4000, rng)
    simulated = np.mean([status(e, 0.6, "at_least", Rule()) is Status.GEHAALD for e in drawn])
    assert abs(simulated - exact) < 4 * math.sqrt(exact * (1 - exact) / 4000)


def test_the_chance_at_the_target_is_what_the_rule_was_built_for() -> None:
    # at every size of the operating-characteristics study, at most 5% (the rule aims at 2.5%)
    for case in CASES:
        for size in case.sizes.values():
            chance = chance_of_met(case.design(size), case.target, case.direction, case.target)
            assert chance <= 0.05 + 3 * math.sqrt(0.025 * 0.975 / REPS), (case.name, size)


def test_simulated_halving_chance_matches_an_independent_simulation_not_the_approximation() -> None:
    # School size, true ratio 0.25: the normal approximation overstated this chance (docs).
    base, prog = _follow_up(25, 50)
    design = StarterDesign("ratio", Rule(), base, prog, 0.30, 3)
    stated = chance_of_met(design, 0.5, "at_most", 0.25, reps=1000)
    # the same target, drawn independently by the simulation study's own generator
    reps, rng = 1000, np.random.default_rng(11)
    data = simulate_starters(25, 50, 0.30, 0.075, reps, rng)
    years = data["years"].to_numpy().reshape(reps, -1)
    left = data["left"].to_numpy().reshape(reps, -1)
    effects = [
        dropout_ratio(km_dropout(y[25:], x[25:], 3), km_dropout(y[:25], x[:25], 3))
        for y, x in zip(years, left, strict=True)
    ]
    met = np.mean([status(e, 0.5, "at_most", Rule()) is Status.GEHAALD for e in effects])
    assert abs(stated - met) < 4 * math.sqrt(met * (1 - met) / 500)
    approximations = [
        chance_met(e, 0.5, "at_most", 0.25, log=True)
        for e in effects
        if e.estimable and e.estimate > 0 and math.isfinite(e.ci_upper)
    ]
    assert np.nanmean(approximations) > stated + 0.03


def test_no_chance_is_written_as_zero_percent() -> None:
    design = ShareDesign("share", Rule(), n_outcome=12)  # 12 persons can never show 60% for sure
    from evallib.evaluation.evidence import Evidence
    from evallib.stats.estimates import proportion

    evidence = Evidence(
        "share", proportion(8, 12), None, None, "", "", 0.95, "at_least", design=design
    )
    text = power_text(evidence)
    assert "bijna 0%" in text and " 0%" not in text.replace("bijna 0%", "")


def test_the_placebo_shows_its_ratio_with_the_randomisation_test_not_a_model_interval() -> None:
    # With two comparison schools the placebo's Cox interval covered 99.2% (docs/methods.md):
    # the overview gives the exact test over the assignments of the schools instead.
    from types import SimpleNamespace

    import pandas as pd

    from evallib.reporting.sections.did import _placebo_text
    from evallib.stats.did import DiD
    from evallib.stats.estimates import Estimate
    from evallib.stats.inference import Randomisation

    cells = pd.DataFrame({"n": [40, 35, 30, 25]})
    placebo = DiD(Estimate(0.85, 0.2, 3.6, 130), "hazard ratio", 6, cells, "cox")
    report = SimpleNamespace(lang="nl", k=10)

    def result(placebo, chance):  # what the placebo sentence says it "geeft"
        text = _placebo_text(report, placebo, chance, "2010/11–2011/12", "2012/13")
        return text.split(" geeft ", 1)[1]

    text = result(placebo, Randomisation(0.4667, 15, 15))
    assert text.startswith("een verhouding van 0,85") and "15 manieren" in text
    assert "p = 0,47" in text and "3,6" not in text  # no model interval
    none = DiD(Estimate(math.nan, math.nan, math.nan, 130), "hazard ratio", 6, cells, "cox")
    assert "vertrok in dat jaar niemand" in result(none, None)
    small = DiD(placebo.effect, "hazard ratio", 6, pd.DataFrame({"n": [40, 8, 30, 25]}), "cox")
    assert "0,85" not in result(small, Randomisation(0.4667, 15, 15))


def test_no_chance_is_stated_where_a_group_is_too_small_for_any_status() -> None:
    from evallib.evaluation.evidence import Evidence
    from evallib.stats.estimates import proportion, proportion_difference

    rule = Rule(min_n=20)  # a programme may ask for more persons than the privacy threshold
    design = ShareDesign("difference", rule, 15, 60, 0.5)
    base, out = proportion(8, 15), proportion(40, 60)
    effect = proportion_difference(40, 60, 8, 15)
    evidence = Evidence("difference", effect, base, out, "", "", 0.05, "at_least", design=design)
    assert stated_chances(evidence) is None


def test_the_overview_says_plainly_that_the_placebo_has_no_result_on_the_example(
    example_run,
) -> None:
    import html
    import re

    # the example's overview as the run wrote it (conftest builds it once per session)
    page = (example_run.reports / "regio.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub("<[^>]+>", " ", page)).split())
    placebo = text.split("Controle op een bestaand verschil (placebo)")[1][:400]
    assert "geeft geen uitkomst, want in een van de groepen vertrok in dat jaar niemand." in placebo
    assert "dicht bij 1" not in placebo  # no number, so nothing to be close to 1
