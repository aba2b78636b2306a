"""A programme that ships with nothing: synthesise data for it, build its reports, verify them.

The programme below is written here and nowhere else: its projects, roles, survey groups and
items, indicators and schools are new to evallib, and it uses every shape and most measures
(an ``indicator`` target of each kind, a ``count_range`` with only a ``max``, a ``distribution``
with combined categories). With no change to code or notebooks, ``evallib synth``,
``evallib run`` and ``evallib verify`` must work on it, every report and the overview must be
built with a status for every target, and the planted effects must come back out.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from in_process import evallib_cli

from evallib.contract.programme import load_programme
from evallib.engine.run import report_name
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.recovery import planted_counts, recovery_table
from evallib.evaluation.targets import Status

ROOT = Path(__file__).resolve().parents[1]
SEED = 5

PROGRAMME = """\
id: proefregio-2021
name: Proefregio Oost 2021–2024
region: Proefregio Oost
reference_date: 2024-07-31
baseline_years: [2018/19, 2020/21]
programme_years: [2021/22, 2023/24]
privacy: {min_group: 5}

schools:
  - {brin: 41QA, name: Proefcollege Oost, place: Oostdorp, role: participant,
     locations: {"00": Proefcollege Oost Centrum, "01": Proefcollege Oost Zuid}}
  - {brin: 42QB, name: Lyceum aan de Rivier, place: Rivierstad, role: participant,
     locations: {"00": Lyceum aan de Rivier}}
  - {brin: 43QC, name: Vakschool Heuvelrug, place: Heuvel, role: participant,
     locations: {"00": Vakschool Heuvelrug}}
  - {brin: 44QD, name: Vergelijkingsschool Laagland, place: Laagland, role: comparison,
     locations: {"00": Vergelijkingsschool Laagland}}

survey:
  groups:
    medewerkers: {label: medewerkers, en: staff}
    studenten: {label: studenten, en: students}
  items:
    energie: {label: energie, en: energy, question: de eigen energie,
                  question_en: their own energy, groups: [medewerkers]}
    lesplezier: {label: lesplezier, en: lesson enjoyment, question: de lessen,
                 question_en: the lessons, groups: [medewerkers, studenten]}

indicators:
  - {id: tekort, title: Tekort aan leraren, kind: share, unit: fte, source: Arbeidsmarktmonitor}
  - {id: bevoegd, title: Lessen door bevoegde leraren, kind: share, unit: lessen,
     source: Schoolmonitor}
  - {id: instroom, title: Studenten op de opleidingsscholen, kind: count, unit: studenten,
     source: Opleidingsscholen}
  - {id: zij-uitkomst, title: Uitkomst zij-instroom, kind: distribution, unit: zij-instromers,
     categories: [diploma, "gestopt, in dienst als OOP", "gestopt, uit dienst", studerend],
     source: Zij-instroommonitor}
  - {id: open-vacatures, title: Openstaande vacatures, kind: amount, unit: fte,
     source: Vacaturebank}

projects:
  - id: inwerken
    name: Inwerken van nieuwe leraren
    summary: Nieuwe leraren krijgen een maatje en een inwerkprogramma.
    roles:
      nieuweling: {label: nieuwe leraren, en: new teachers}
      maatje: {label: maatjes, en: buddies}
    participants: {41QA: ["00", "01"], 42QB: ["00"]}
    targets:
      - id: inwerk-uitval
        title: Uitval van nieuwe leraren 40% lager
        shape: relative_change
        measure: {name: starter_dropout, years: 3}
        change: -0.4
        levels: [school, region]
      - id: inwerk-vertrek
        title: Hooguit een kwart van de nieuwe leraren vertrekt
        derived: true
        shape: distribution
        measure: {name: starter_outcomes, years: 2}
        category: {vertrokken: [andere school, buiten onderwijs]}
        at_most: 0.25
        levels: [region]
      - id: maatjes-hooguit
        title: Hooguit 8 maatjes per jaar
        shape: count_range
        measure: {name: participants, role: maatje, cumulative: false}
        milestones:
          - {year: 2022/23, max: 8}
          - {year: 2023/24, max: 8}
        levels: [region]

  - id: vitaal
    name: Vitaal verder
    roles: [lid, coordinator]
    participants: {41QA: ["00"], 42QB: ["00"], 43QC: ["00"]}
    targets:
      - id: vitaal-vertrek
        title: Vertrek van deelnemers 20% lager
        shape: relative_change
        measure: {name: early_leaving, role: lid, min_age: 45, max_age: 60}
        change: -0.2
        levels: [region]
      - id: vitaal-go
        title: "Go/no-go: ten minste 4 coordinators in mei 2021"
        shape: go_no_go
        measure: {name: selected, role: coordinator}
        year: 2021/22
        by: 2021-05-31
        at_least: 4
        levels: [region]
      - id: vitaal-plezier
        title: Energie 10% hoger
        shape: relative_change
        measure: {name: survey_positive, group: medewerkers, item: energie}
        from: 2020/21
        to: 2023/24
        change: 0.1
        levels: [school, region]

  - id: samen-digitaal
    name: Samen digitaal
    roles:
      kernteam: {label: kernteam, en: core team}
    participants: {41QA: ["00", "01"], 43QC: ["00"]}
    targets:
      - id: kernteam-omvang
        title: Kernteams van 8 tot 12 leraren
        shape: count_range
        measure: {name: participants, role: kernteam, cumulative: false}
        milestones:
          - {year: 2021/22, min: 8, max: 12}
          - {year: 2023/24, min: 8, max: 12}
        levels: [school]
      - id: kernteam-digitaal
        title: 15% van de lestijd digitaal in 2022/23
        shape: threshold
        measure: {name: digital_share, role: kernteam}
        year: 2022/23
        at_least: 0.15
        levels: [school, region]
      - id: lesplezier-studenten
        title: Studenten positiever over de lessen
        derived: true
        shape: pp_change
        measure: {name: survey_positive, group: studenten, item: lesplezier}
        from: 2021/22
        to: 2023/24
        at_least: 0.02
        levels: [region]

  - id: arbeidsmarkt
    name: Regionale arbeidsmarkt
    roles: []
    participants: {41QA: ["00", "01"], 42QB: ["00"], 43QC: ["00"]}
    targets:
      - id: tekort-omlaag
        title: Tekort 2 procentpunt lager
        shape: pp_change
        measure: {name: indicator, indicator: tekort}
        from: 2021
        to: 2023
        at_most: -0.02
        levels: [region]
      - id: tekort-hooguit
        title: Tekort hooguit 5% in 2023
        shape: threshold
        measure: {name: indicator, indicator: tekort}
        year: 2023
        at_most: 0.05
        levels: [region]
      - id: bevoegd-minstens
        title: Ten minste 90% bevoegd in 2023
        shape: threshold
        measure: {name: indicator, indicator: bevoegd}
        year: 2023
        at_least: 0.9
        levels: [region]
      - id: instroom-plan
        title: Studenten op de opleidingsscholen
        shape: count_range
        measure: {name: indicator, indicator: instroom}
        milestones:
          - {year: 2022, min: 100}
          - {year: 2023, min: 120, max: 160}
        levels: [region]
      - id: zij-gestopt
        title: Hooguit 20% van de zij-instromers stopt
        shape: distribution
        measure: {name: indicator, indicator: zij-uitkomst}
        category: {gestopt: ["gestopt, in dienst als OOP", "gestopt, uit dienst"]}
        from: 2023
        to: 2023
        at_most: 0.2
        levels: [region]
      - id: vacatures-omlaag
        title: Openstaande vacatures 20% lager
        shape: relative_change
        measure: {name: indicator, indicator: open-vacatures}
        from: 2021
        to: 2023
        change: -0.2
        levels: [region]
"""


@pytest.fixture(scope="module")
def third(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The programme, its synthetic data and its reports."""
    folder = tmp_path_factory.mktemp("third")
    programme = folder / "proefregio.yaml"
    programme.write_text(PROGRAMME, encoding="utf-8")
    made = evallib_cli("synth", "--programme", str(programme), "--out", str(folder / "raw"),
                   "--seed", str(SEED))  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    # one worker: in this process, on its warm kernel (executors are tests/test_engine.py's)
    done = evallib_cli(
        "run",
        "--programme", str(programme),
        "--data", str(folder / "raw"),
        "--reports", str(folder / "reports"),
        "--processed", str(folder / "processed"),
        "--workers", "1",
    )  # fmt: skip
    return {
        "programme": load_programme(programme),
        "folder": folder,
        "run": done,
    }


def test_synth_writes_the_programme_s_files(third) -> None:
    raw = third["folder"] / "raw"
    p = third["programme"]
    assert (raw / "indicatoren.csv").read_text(encoding="utf-8").startswith("# SYNTHETISCHE")
    for school in p.schools:
        kinds = {f.stem for f in (raw / school.brin).iterdir()}
        assert kinds == {"personeel", "lesuren", "enquete"} | (
            set() if school.is_comparison else {"deelname"}
        )
    survey = (raw / "41QA" / "enquete.csv").read_text(encoding="utf-8").splitlines()[1]
    assert survey.endswith("groep,energie,lesplezier")
    planted = json.loads((raw / "planted.json").read_text(encoding="utf-8"))
    assert set(planted["region"]["indicators"]) == {i.id for i in p.indicators}
    assert "--programme" in planted["settings"]["command"]


def test_every_report_and_the_overview_are_built(third) -> None:
    done, p = third["run"], third["programme"]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    reports = third["folder"] / "reports"
    expected = {report_name(s.brin, s.name) for s in p.participating}
    assert expected | {"index.html", "regio.html"} <= {f.name for f in reports.iterdir()}


def _visible(html_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def test_every_target_has_a_status(third) -> None:
    """School-level targets in the school reports (the run's ledger), region-level ones in the
    overview, each with its status."""
    p = third["programme"]
    reports = third["folder"] / "reports"
    ledger = json.loads((reports / "ledger.json").read_text(encoding="utf-8"))
    assert all(r["status"] == "ok" for r in ledger["reports"].values())
    found = {
        (r["target"], r["level"]) for rep in ledger["reports"].values() for r in rep["results"]
    }
    overview = _visible((reports / "regio.html").read_text(encoding="utf-8"))
    labels = [s.label() for s in Status]
    for target in p.targets:
        for level in set(target.levels) - {"region"}:
            assert (target.id, level) in found, (target.id, level)
        if "region" in target.levels:
            assert any(f"{label} {target.title}" in overview for label in labels), target.id


def test_verify_is_clean(third) -> None:
    done = evallib_cli("verify", "--reports", str(third["folder"] / "reports"), "--workers", "1")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # three schools, overview, index, and the run's results.csv and results.xlsx
    assert "7 van 7 bestanden identiek" in " ".join(done.stdout.split())


def test_planted_effects_come_back(third) -> None:
    p = third["programme"]
    planted = json.loads((third["folder"] / "raw" / "planted.json").read_text(encoding="utf-8"))
    data = load_dataset(third["folder"] / "processed")
    table = recovery_table(p, data, planted)
    assert {"3-jaarsuitval starters, programma", "verschil-in-verschillen digitale lesuren"} <= set(
        table["quantity"]
    )
    assert table["covered"].mean() >= 0.8
    for name, expected, found in planted_counts(p, data, planted):
        assert expected == found, name
