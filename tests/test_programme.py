"""The programme file: loads, and fails fast and clearly when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evallib.contract.programme import load_programme
from evallib.core.errors import ProgrammeError
from evallib.evaluation.targets import supported

SOURCE = Path("programmes/haaglanden-2013.yaml")


def test_plan_is_complete() -> None:
    p = load_programme(SOURCE)
    assert [s.name for s in p.comparison] == ["Erasmus College", "Grotius College"]
    assert {pr.id: sorted(pr.participants) for pr in p.projects} == {
        "starters": ["01GX", "01MB", "14WE", "21HC"],
        "e-coaching": ["02DZ", "21HC", "99SV"],
        "halverwege": ["02DZ", "14WE", "20BC", "99SV"],
        "duo": ["02GP", "20BC", "21HC"],
    }
    assert {t.shape for t in p.targets} == {
        "relative_change",
        "threshold",
        "count_range",
        "pp_change",
        "distribution",
        "go_no_go",
    }
    assert all(supported(t) for t in p.targets)


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d.update(extra=1), "'extra'"),
        (lambda d: d["projects"][0]["targets"][0].update(chnage=-0.5), "chnage"),
        (lambda d: d["projects"][0]["targets"][0].update(shape="halving"), "shape"),
        (lambda d: d["projects"][0]["participants"].update({"99XX": ["00"]}), "participants"),
        (lambda d: d["projects"][0]["participants"].update({"01GX": ["07"]}), "participants.01GX"),
        (lambda d: d["decision"].update(rule="vote"), "decision.rule"),
        (lambda d: d["projects"][1]["targets"][0].update(id="starters-uitval"), "targets"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, change, key: str) -> None:
    with pytest.raises(ProgrammeError) as info:
        load_programme(_broken(tmp_path, change))
    assert key in str(info.value) and "p.yaml" in str(info.value)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match="niet gevonden"):
        load_programme(tmp_path / "nope.yaml")
