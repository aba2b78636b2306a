"""Target statuses at the boundaries of the decision rule."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from evallib.contract.programme import DecisionRule, Milestone, Target, load_programme
from evallib.evaluation.dataset import Dataset
from evallib.evaluation.targets import Scope, Status, decide, evaluate
from evallib.stats.estimates import Estimate

RULE = DecisionRule()
POINT = DecisionRule(rule="point")
PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")


def est(estimate: float, low: float, high: float, n: int = 100) -> Estimate:
    return Estimate(estimate, low, high, n)


@pytest.mark.parametrize(
    ("effect", "expected"),
    [
        (est(0.40, 0.30, 0.50), Status.GEHAALD),  # the whole interval halves (bound at the target)
        (est(0.30, 0.10, 0.4999), Status.GEHAALD),
        (est(0.45, 0.30, 0.55), Status.NIET_ZEKER),  # estimate halves, interval reaches past it
        (est(0.55, 0.45, 0.80), Status.NIET_ZEKER),  # estimate short, interval reaches a halving
        (est(0.80, 0.50, 1.20), Status.NIET_ZEKER),  # lower bound exactly at the target
        (est(0.80, 0.5001, 1.20), Status.NIET_GEHAALD),  # whole interval misses the target
        (est(1.30, 1.10, 1.60), Status.NIET_GEHAALD),
    ],
)
def test_halving_rule(effect: Estimate, expected: Status) -> None:
    assert decide(effect, 0.5, "at_most", RULE)[0] is expected


@pytest.mark.parametrize(
    ("effect", "expected"),
    [
        (est(0.12, 0.10, 0.14), Status.GEHAALD),  # lower bound exactly at the threshold
        (est(0.0999, 0.08, 0.12), Status.NIET_ZEKER),
        (est(0.08, 0.06, 0.0999), Status.NIET_GEHAALD),
        (est(0.08, 0.06, 0.10), Status.NIET_ZEKER),  # upper bound reaches the target
    ],
)
def test_threshold_rule(effect: Estimate, expected: Status) -> None:
    assert decide(effect, 0.10, "at_least", RULE)[0] is expected


def test_the_rule_is_the_same_above_and_below_the_target() -> None:
    # Stanislas 12.8% (8.9-18.1%) and ISW 7.2% (4.8-10.5%) against "at least 10%"
    above = decide(est(0.128, 0.089, 0.181), 0.10, "at_least", RULE)
    below = decide(est(0.072, 0.048, 0.105), 0.10, "at_least", RULE)
    assert above[0] is below[0] is Status.NIET_ZEKER
    assert (above[1], below[1]) == ("reason.uncertain_good", "reason.uncertain_bad")
    # and the mirror image for "at most": the same distance either side
    assert decide(est(0.072, 0.048, 0.105), 0.10, "at_most", RULE)[0] is Status.NIET_ZEKER


def test_on_the_example_data_stanislas_and_westland_get_the_same_status() -> None:
    # The two digital shares above, as the example data give them: one above 10%, one
    # below, both intervals containing 10%.
    from evallib.evaluation.dataset import load_dataset
    from evallib.evaluation.targets import evaluate_school

    programme = load_programme("programmes/haaglanden-2013.yaml")
    data = load_dataset("data/processed/example")
    found = {
        brin: next(
            r for r in evaluate_school(programme, data, brin) if r.target.id == "digitaal-10"
        )
        for brin in ("02DZ", "21HC")
    }
    above, below = found["02DZ"].evidence.effect, found["21HC"].evidence.effect
    assert above.ci_lower < 0.10 < above.estimate
    assert below.estimate < 0.10 < below.ci_upper
    assert found["02DZ"].status is found["21HC"].status is Status.NIET_ZEKER


def test_point_rule_ignores_the_interval() -> None:
    assert decide(est(0.5, 0.1, 2.0), 0.5, "at_most", POINT)[0] is Status.GEHAALD
    assert decide(est(0.51, 0.5, 0.52), 0.5, "at_most", POINT)[0] is Status.NIET_GEHAALD


# --- whole targets on small hand-made data ------------------------------------------------


def _data(staff=None, participation=None, hours=None, survey=None) -> Dataset:
    def frame(rows, columns):
        return pd.DataFrame(rows or [], columns=columns)

    staff_cols = [
        "docent_id",
        "brin",
        "vestiging",
        "geboortejaar",
        "datum_in_dienst",
        "datum_uit_dienst",
        "reden_uit_dienst",
        "starter",
        "jaar_bevoegdheid",
    ]
    part_cols = ["docent_id", "brin", "vestiging", "schooljaar", "project", "rol", "datum_selectie"]
    s = frame(staff, staff_cols)
    for c in ("datum_in_dienst", "datum_uit_dienst"):
        s[c] = pd.to_datetime(s[c])
    p = frame(participation, part_cols)
    p["datum_selectie"] = pd.to_datetime(p["datum_selectie"])
    return Dataset(
        s,
        p,
        frame(
            hours,
            ["docent_id", "brin", "vestiging", "schooljaar", "lesuren_totaal", "lesuren_digitaal"],
        ),
        frame(
            survey,
            [
                "respondent",
                "brin",
                "vestiging",
                "schooljaar",
                "groep",
                "tevredenheid",
                "inzetbaarheid",
                "samenwerking",
                "digitaal",
            ],
        ),
    )


SCOPE = Scope("school", "01GX", "Test", {"01GX": ("00",)})


def _target(target_id: str, **changes) -> Target:
    target = next(t for t in PROGRAMME.targets if t.id == target_id)
    return target.model_copy(update=changes)


def _starters(cohort_start: str, n: int, leavers: int, prefix: str) -> list[list]:
    rows = []
    for i in range(n):
        end = (
            str(pd.Timestamp(cohort_start) + pd.DateOffset(years=1) - pd.Timedelta(days=1))[:10]
            if i < leavers
            else None
        )
        rows.append(
            [
                f"{prefix}{i}",
                "01GX",
                "00",
                1985,
                cohort_start,
                end,
                "andere school" if end else None,
                True,
                2010,
            ]
        )
    return rows


def test_starters_halving_met_on_clear_data() -> None:
    # 40% -> 10%: a halving and more, with the whole interval below one half
    staff = _starters("2010-08-01", 150, 60, "B") + _starters("2013-08-01", 150, 15, "P")
    result = evaluate(_target("starters-uitval"), PROGRAMME, _data(staff=staff), SCOPE)
    assert result.status is Status.GEHAALD
    assert math.isclose(result.evidence.baseline.estimate, 0.4) and math.isclose(
        result.evidence.outcome.estimate, 0.1
    )
    assert result.evidence.baseline.n == 150 and result.evidence.outcome.n == 150
    assert result.evidence.effect.ci_upper <= 0.5


def test_too_few_starters_is_insufficient_data_not_a_verdict() -> None:
    staff = _starters("2010-08-01", 9, 5, "B") + _starters("2013-08-01", 60, 6, "P")
    result = evaluate(_target("starters-uitval"), PROGRAMME, _data(staff=staff), SCOPE)
    assert result.status is Status.ONVOLDOENDE_GEGEVENS
    assert result.reason == "reason.too_few" and result.reason_values["n"] == 9


def test_min_n_boundary_is_inclusive() -> None:
    staff = _starters("2010-08-01", 10, 5, "B") + _starters("2013-08-01", 10, 0, "P")
    result = evaluate(_target("starters-uitval"), PROGRAMME, _data(staff=staff), SCOPE)
    assert result.reason != "reason.too_few"


def test_not_yet_measurable_when_no_programme_cohort_followed_long_enough() -> None:
    staff = _starters("2010-08-01", 40, 16, "B") + _starters("2015-08-01", 40, 2, "P")
    result = evaluate(_target("starters-uitval"), PROGRAMME, _data(staff=staff), SCOPE)
    assert result.status is Status.NOG_NIET_MEETBAAR


def _participants(
    counts: dict[int, int], project: str = "halverwege", role: str = "deelnemer"
) -> list[list]:
    return [
        [f"T{year}-{i}", "01GX", "00", year, project, role, None]
        for year, n in counts.items()
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("counts", "status"),
    [
        ({2013: 45, 2014: 45, 2015: 40}, Status.GEHAALD),  # 45 / 90 / 130 -> within 120-150
        ({2013: 45, 2014: 45, 2015: 29}, Status.NIET_GEHAALD),  # 119 < 120
        ({2013: 45, 2014: 45, 2015: 30}, Status.GEHAALD),  # exactly 120
        ({2013: 45, 2014: 45, 2015: 70}, Status.GEHAALD),  # above the range: met, more than planned
    ],
)
def test_count_range_milestones(counts: dict[int, int], status: Status) -> None:
    result = evaluate(
        _target("halverwege-tranches"), PROGRAMME, _data(participation=_participants(counts)), SCOPE
    )
    assert result.status is status


def test_count_range_is_on_track_while_final_milestone_not_due() -> None:
    early = PROGRAMME.model_copy(update={"reference_date": dt.date(2015, 7, 31)})
    data = _data(participation=_participants({2013: 45, 2014: 45}))
    result = evaluate(_target("halverwege-tranches"), early, data, SCOPE)
    assert result.status is Status.OP_KOERS


def test_go_no_go_counts_only_those_selected_in_time() -> None:
    rows = [
        [
            f"E{i}",
            "01GX",
            "00",
            2013,
            "e-coaching",
            "e-coach",
            "2013-05-31" if i < 20 else "2013-06-01",
        ]
        for i in range(25)
    ]
    result = evaluate(_target("ecoach-go-2013"), PROGRAMME, _data(participation=rows), SCOPE)
    assert result.status is Status.GEHAALD and result.reason_values["count"] == 20
    rows[0][6] = "2013-06-02"
    assert (
        evaluate(_target("ecoach-go-2013"), PROGRAMME, _data(participation=rows), SCOPE).status
        is Status.NIET_GEHAALD
    )


def test_digital_share_threshold_uses_team_members_only() -> None:
    team = [[f"T{i}", "01GX", "00", 2014, "e-coaching", "teamlid", None] for i in range(12)]
    hours = [[f"T{i}", "01GX", "00", 2014, 600.0, 72.0] for i in range(12)]  # 12%
    hours += [[f"X{i}", "01GX", "00", 2014, 600.0, 0.0] for i in range(50)]  # not in the team
    result = evaluate(
        _target("digitaal-10"), PROGRAMME, _data(participation=team, hours=hours), SCOPE
    )
    assert result.status is Status.GEHAALD
    assert math.isclose(result.evidence.effect.estimate, 0.12) and result.evidence.effect.n == 12


def test_missing_hours_are_reported_not_dropped_silently() -> None:
    team = [[f"T{i}", "01GX", "00", 2014, "e-coaching", "teamlid", None] for i in range(12)]
    hours = [[f"T{i}", "01GX", "00", 2014, 600.0, 72.0] for i in range(10)]
    result = evaluate(
        _target("digitaal-10"), PROGRAMME, _data(participation=team, hours=hours), SCOPE
    )
    assert any("minder dan 10 teamleden zonder" in note for note in result.evidence.notes)


def test_threshold_without_data_for_a_later_year_is_not_yet_measurable() -> None:
    early = PROGRAMME.model_copy(update={"reference_date": dt.date(2015, 7, 31)})
    result = evaluate(_target("digitaal-20"), early, _data(), SCOPE)
    assert result.status is Status.NOG_NIET_MEETBAAR


def test_pp_change_survey() -> None:
    rows = []
    for year, positive in ((2013, 40), (2015, 60)):
        rows += [
            [
                f"R{year}{i}",
                "01GX",
                "00",
                year,
                "leerlingen",
                3,
                None,
                None,
                4 if i < positive else 2,
            ]
            for i in range(100)
        ]
    result = evaluate(_target("digitaal-leerlingen"), PROGRAMME, _data(survey=rows), SCOPE)
    assert result.status is Status.GEHAALD
    assert math.isclose(result.evidence.effect.estimate, 0.20)


def test_milestone_needs_a_bound() -> None:
    assert Milestone(year="2013/14", min=70, max=90).min == 70
    with pytest.raises(ValueError, match="min, max of beide"):
        Milestone(year="2013/14")
