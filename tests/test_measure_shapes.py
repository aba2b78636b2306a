"""Every measure with every shape its kind allows: loads, evaluates and reads as a sentence.

A registry-wide check (as scikit-learn's common estimator checks): no combination that the
programme file accepts may fail when a report is built. The targets are added to the
Haaglanden programme and evaluated on the example data; indicators get a small table.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evallib.contract.measures import MEASURES, SHAPES_FOR_KIND, Kind
from evallib.contract.programme import read_programme
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.measures import ESTIMATORS
from evallib.evaluation.status import Status
from evallib.evaluation.targets import evaluate, region_scope
from evallib.reporting.verdicts import verdict
from evallib.reporting.wording import effect_text, target_text

SOURCE = Path("programmes/haaglanden-2013.yaml")

#: For each measure: its parameters and the project whose roles and data fit it.
MEASURE_CASES = {
    "starter_dropout": ("starters", {"years": 3}),
    "starter_outcomes": ("starters", {"years": 3}),
    "early_leaving": ("halverwege", {"role": "deelnemer"}),
    "survey_positive": ("duo", {"group": "personeel", "item": "samenwerking"}),
    "digital_share": ("e-coaching", {"role": "teamlid"}),
    "participants": ("halverwege", {"role": "deelnemer"}),
    "selected": ("e-coaching", {"role": "e-coach"}),
    "indicator:share": ("starters", {"indicator": "aandeel"}),
    "indicator:count": ("starters", {"indicator": "aantal"}),
    "indicator:amount": ("starters", {"indicator": "fte"}),
    "indicator:distribution": ("starters", {"indicator": "uitkomst"}),
}
INDICATORS = [
    {"id": "aandeel", "title": "Aandeel", "kind": "share", "unit": "docenten"},
    {"id": "aantal", "title": "Aantal", "kind": "count", "unit": "studenten"},
    {"id": "fte", "title": "Tekort", "kind": "amount", "unit": "fte"},
    {
        "id": "uitkomst",
        "title": "Uitkomst",
        "kind": "distribution",
        "unit": "zij-instromers",
        "categories": ["diploma", "gestopt"],
    },
]
INDICATOR_ROWS = [
    ("aandeel", "regio", "2013/14", None, 0.30, 200),
    ("aandeel", "regio", "2015/16", None, 0.42, 220),
    ("aantal", "regio", "2013/14", None, 70, None),
    ("aantal", "regio", "2015/16", None, 130, None),
    ("fte", "regio", "2013/14", None, 85.0, None),
    ("fte", "regio", "2015/16", None, 60.5, None),
    ("uitkomst", "regio", "2015/16", "diploma", 0.7, 150),
    ("uitkomst", "regio", "2015/16", "gestopt", 0.3, 150),
]


def _kind(case: str) -> Kind:
    if case.startswith("indicator:"):
        return Kind(case.split(":")[1])
    return MEASURES[case].kind


def _shape_keys(shape: str, kind: Kind) -> dict:
    value = {Kind.AMOUNT: 80.0, Kind.COUNT: 10}.get(kind, 0.2)
    return {
        "relative_change": {"change": -0.25, "from": "2013/14", "to": "2015/16"},
        "pp_change": {"from": "2013/14", "to": "2015/16", "at_least": 0.0},
        "threshold": {"year": "2015/16", "at_least": value},
        "count_range": {
            "milestones": [{"year": "2013/14", "min": 5}, {"year": "2015/16", "max": 500}]
        },
        "go_no_go": {"year": "2014/15", "at_least": 5, "by": "2014-05-31"},
        "distribution": {"category": {"weg": ["gestopt"]}, "to": "2015/16", "at_most": 0.4}
        if kind == Kind.DISTRIBUTION
        else {},
    }[shape]


def _combinations() -> list[tuple[str, str]]:
    return [(case, shape) for case in MEASURE_CASES for shape in SHAPES_FOR_KIND[_kind(case)]]


def test_every_measure_has_an_estimator_and_every_estimator_a_measure() -> None:
    assert set(ESTIMATORS) == set(MEASURES)


def test_every_measure_is_covered_here() -> None:
    assert {case.split(":")[0] for case in MEASURE_CASES} == set(MEASURES)
    assert {kind for kind in Kind} == {_kind(case) for case in MEASURE_CASES}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    raw = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    raw["indicators"] = INDICATORS
    projects = {p["id"]: p for p in raw["projects"]}
    for number, (case, shape) in enumerate(_combinations()):
        project, params = MEASURE_CASES[case]
        target = {
            "id": f"combinatie-{number}",
            "title": f"{case} als {shape}",
            "shape": shape,
            "measure": {"name": case.split(":")[0], **params},
            "levels": ["region"],
            **_shape_keys(shape, _kind(case)),
        }
        if not case.startswith("indicator"):  # school data: the programme's own periods
            target.pop("from", None) if shape != "pp_change" else None
            target.pop("to", None) if shape != "pp_change" else None
            if shape == "distribution":
                target["category"] = "buiten onderwijs"
        projects[project]["targets"].append(target)
    path = tmp_path_factory.mktemp("combinations") / "programme.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    programme = read_programme(path)
    data = load_dataset("data/processed/example")
    indicators = pd.DataFrame(
        INDICATOR_ROWS, columns=["indicator", "scope", "periode", "categorie", "waarde", "n"]
    ).assign(bron="test")
    # replace(): the data set's fields only, not what it has cached (its slices)
    return programme, dataclasses.replace(data, indicators=indicators)


@pytest.mark.parametrize(("case", "shape"), _combinations(), ids=lambda x: x)
def test_each_combination_evaluates_and_reads(world, case: str, shape: str) -> None:
    programme, data = world
    number = _combinations().index((case, shape))
    target = next(t for t in programme.targets if t.id == f"combinatie-{number}")
    for lang in ("nl", "en"):
        result = evaluate(target, programme, data, region_scope(programme, target, lang), lang)
        assert isinstance(result.status, Status)
        assert (
            result.status is not Status.ONVOLDOENDE_GEGEVENS or result.reason != "reason.no_data"
        ), result.reason_values
        assert verdict(result, lang) and target_text(result.evidence, lang)
        assert effect_text(result.evidence, lang)


def test_the_combinations_are_all_the_allowed_pairs() -> None:
    pairs = {(case.split(":")[0], shape) for case, shape in _combinations()}
    expected = {
        (name, shape)
        for name, model in MEASURES.items()
        if name != "indicator"
        for shape in SHAPES_FOR_KIND[model.kind]
    } | {("indicator", shape) for kind in Kind for shape in SHAPES_FOR_KIND[kind]}
    assert pairs == expected
    assert len(list(itertools.chain(pairs))) >= 20
