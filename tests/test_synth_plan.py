"""What the generator simulates follows from a programme's targets and its companion file.

The companion file (``<programme>.synth.yaml``, docs/synthetic-data.md) is checked against the
programme; the kinds of role and the planted numbers are derived from the targets where it is
silent; region-level figures meet some targets and miss others.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evallib.contract.programme import load_programme, read_programme
from evallib.core.errors import EvallibError
from evallib.synth.generator import generate
from evallib.synth.indicators import indicator_table
from evallib.synth.plan import make_plan
from evallib.synth.settings import Settings, companion_path, load_settings
from evallib.synth.write import format_of

ROOT = Path(__file__).resolve().parents[1]
HAAGLANDEN = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")
EXAMPLE = re.findall(
    r"```yaml\n(.*?)```", (ROOT / "docs" / "programme-format.md").read_text(encoding="utf-8"), re.S
)[0]
COMPANION = re.findall(
    r"```yaml\n(.*?)```", (ROOT / "docs" / "synthetic-data.md").read_text(encoding="utf-8"), re.S
)[0]


@pytest.fixture
def example(tmp_path: Path):
    path = tmp_path / "voorbeeld.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    return read_programme(path)


def test_kinds_follow_from_the_targets_without_a_companion_file() -> None:
    kinds = {r.key: r.kind for r in make_plan(HAAGLANDEN, Settings()).roles}
    assert kinds == {
        "starters/deelnemer": "induction",  # a project with a starter_dropout target
        "e-coaching/e-coach": "selected",  # a selected target
        "e-coaching/teamlid": "team",  # a digital_share target
        "halverwege/deelnemer": "band",  # an early_leaving target
        "halverwege/trainer": "members",
        "duo/duo-senior": "members",
        "duo/duo-starter": "members",
    }


def test_the_companion_file_refines_kinds_and_numbers() -> None:
    plan = make_plan(HAAGLANDEN, load_settings(HAAGLANDEN))
    roles = {r.key: r for r in plan.roles}
    assert (
        roles["halverwege/trainer"].kind == "experienced" and roles["halverwege/trainer"].size == 2
    )
    assert roles["duo/duo-senior"].partner == "duo-starter" and "duo/duo-starter" not in roles
    assert roles["e-coaching/teamlid"].size == 15  # the midpoint of 'circa 15' (12-18)
    assert roles["halverwege/deelnemer"].sizes == (12, 15)  # the location-level milestone
    assert [g[1:3] for g in roles["e-coaching/e-coach"].groups] == [(25, 22), (25, 21)]
    assert plan.dropout_3y == {"baseline": 0.3, "programme": 0.15} and plan.missing == {}


def test_planted_numbers_meet_the_targets_without_a_companion_file() -> None:
    plan = make_plan(HAAGLANDEN, Settings())
    assert plan.dropout_3y == {"baseline": 0.3, "programme": 0.15}  # change -0.5
    assert plan.leaving["band_participants"] < plan.leaving["band"]
    team, missed = plan.digital_team, plan.digital_missed
    assert team[2] >= 0.10 > missed[2] and team[3] >= 0.20 > missed[3]  # digitaal-10, -20
    # each project of two or more schools with a school-level target: its last school misses
    assert plan.missing["duo"] == {"02GP"} and "starters" in plan.missing


def test_the_documented_companion_example_loads_and_is_used(example, tmp_path: Path) -> None:
    companion_path(example.path).write_text(COMPANION, encoding="utf-8")
    settings = load_settings(example)
    assert format_of("01AB", settings).encoding == "cp1252"
    out = generate(tmp_path / "raw", programme=example, seed=3)
    text = (out / "01AB" / "deelname.csv").read_bytes().decode("cp1252")
    mentors = [line for line in text.splitlines() if ";mentor;" in line]
    assert mentors and {line.split(";")[2] for line in mentors} <= {"00", "01"}
    assert len({line.split(";")[0] for line in mentors if line.split(";")[2] == "01"}) == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("starters: {growht: 2}\n", "starters.growht"),
        ("roles: {mentoring/mentr: {kind: team}}\n", "roles.mentoring/mentr"),
        ("schools: {09ZZ: {format: xlsx}}\n", "schools.09ZZ"),
        ("schools: {01AB: {locations: {'07': {pupils: 500}}}}\n", "schools.01AB.locations.07"),
        ("survey: {shares: {werkdruk: {from: 1.5}}}\n", "survey.shares.werkdruk.from"),
    ],
)
def test_a_bad_companion_file_names_file_line_and_key(example, text: str, key: str) -> None:
    path = companion_path(example.path)
    path.write_text("# companion\n" + text, encoding="utf-8")
    with pytest.raises(EvallibError) as caught:
        load_settings(example)
    error = caught.value
    assert error.file == str(path) and error.row == 2 and error.column == key, str(error)


def test_indicator_series_meet_the_first_target_and_miss_the_second(tmp_path: Path) -> None:
    programme = EXAMPLE.replace(
        "        levels: [school, region]\n",
        """        levels: [school, region]
      - id: vacatures-laag
        title: Hooguit 40 fte vacatures in 2025
        shape: threshold
        measure: {name: indicator, indicator: vacatures}
        year: 2025
        at_most: 40
        levels: [region]
      - id: vacatures-minder
        title: Vacatures 20% lager
        shape: relative_change
        measure: {name: indicator, indicator: vacatures}
        from: 2023
        to: 2026
        change: -0.2
        levels: [region]
""",
    )
    path = tmp_path / "p.yaml"
    path.write_text(programme, encoding="utf-8")
    table, truth = indicator_table(make_plan(read_programme(path), Settings()))
    values = truth["vacatures"]
    assert values["2025"] <= 40  # met
    assert values["2026"] / values["2023"] > 0.8  # missed: less than 20% lower
    assert set(table["scope"]) == {"regio"} and table["n"].isna().all()  # an amount has no n
