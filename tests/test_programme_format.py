"""docs/programme-format.md: every example loads, and the shipped JSON Schema is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from evallib.contract.programme import read_programme
from evallib.contract.schema_file import schema_text
from evallib.core.errors import ProgrammeError

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "programme-format.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", PAGE, flags=re.S)
EXAMPLE, TARGETS = BLOCKS[0], [b for b in BLOCKS[1:] if b.startswith("- id:")]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programma.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_complete_example_loads(tmp_path: Path) -> None:
    programme = read_programme(_write(tmp_path, EXAMPLE))
    assert programme.id == "voorbeeld-2024" and programme.project("mentoring").roles


def test_every_block_of_the_page_is_an_example_that_is_tested() -> None:
    assert len(TARGETS) == len(BLOCKS) - 1 >= 8
    shapes = {yaml.safe_load(b)[0]["shape"] for b in TARGETS}
    measures = {yaml.safe_load(b)[0]["measure"]["name"] for b in TARGETS} | {"participants"}
    assert shapes == {
        "relative_change",
        "pp_change",
        "threshold",
        "count_range",
        "go_no_go",
        "distribution",
    }
    from evallib.contract.measures import MEASURES

    assert measures == set(MEASURES)


@pytest.mark.parametrize("block", TARGETS, ids=lambda b: yaml.safe_load(b)[0]["id"])
def test_each_target_example_loads_in_the_complete_example(tmp_path: Path, block: str) -> None:
    data = yaml.safe_load(EXAMPLE)
    data["projects"][0]["targets"] += yaml.safe_load(block)
    path = _write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    target = read_programme(path).targets[-1]
    assert target.id == yaml.safe_load(block)[0]["id"]


def test_the_json_schema_is_current() -> None:
    committed = (ROOT / "programmes" / "programme.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "regenerate: python -m evallib.contract.schema_file > programmes/programme.schema.json"
    )


# --- refused at load: file, line and key, exit code 2, no traceback ---------------------------

MISTAKES = {
    "misspelt key": ("        change: -0.5\n", "        chnage: -0.5\n", "chnage"),
    "unknown measure": (
        "{name: participants, role: mentor, cumulative: false}",
        "{name: particpants, role: mentor, cumulative: false}",
        "measure.name",
    ),
    "shape that does not fit its measure": (
        "shape: count_range\n        measure: {name: participants",
        "shape: threshold\n        measure: {name: participants",
        "shape",
    ),
    "milestone with neither min nor max": (
        "{year: 2025/26, min: 10}",
        "{year: 2025/26}",
        "milestones[1]",
    ),
    "participant school not in schools": (
        'participants: {01AB: ["00", "01"]}',
        'participants: {09ZZ: ["00"]}',
        "participants.09ZZ",
    ),
}


@pytest.mark.parametrize(("old", "new", "key"), MISTAKES.values(), ids=list(MISTAKES))
def test_mistakes_are_refused_with_file_line_and_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    text = EXAMPLE.replace("    targets:\n", "    targets:\n", 1)
    if old == "        change: -0.5\n":
        data = yaml.safe_load(EXAMPLE)
        data["projects"][0]["targets"] += yaml.safe_load(TARGETS[0])
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace(
            "change: -0.5", "chnage: -0.5"
        )
    else:
        assert old in text
        text = text.replace(old, new)
    path = _write(tmp_path, text)
    with pytest.raises(ProgrammeError) as info:
        read_programme(path)
    message = str(info.value)
    assert "programma.yaml, regel " in message and key in message, message


def test_unknown_distribution_category_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE)
    target = yaml.safe_load(next(b for b in TARGETS if "distribution" in b))[0]
    target["category"] = "buiten het onderwijs"
    data["projects"][0]["targets"].append(target)
    with pytest.raises(ProgrammeError, match=r"regel \d+, sleutel .*category.*Onbekende categorie"):
        read_programme(_write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))


def test_the_command_line_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path, EXAMPLE.replace("min_n: 10", "min_n: tien"))
    done = subprocess.run(
        [sys.executable, "-m", "evallib", "validate", str(tmp_path), "--programme", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "regel 7" in done.stderr and "decision.min_n" in done.stderr
