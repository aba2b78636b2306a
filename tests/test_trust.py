"""Reproducibility: identical reruns, verify, and what changed since an earlier run.

A run killed with SIGKILL and run again: tests/faults/test_interrupted_runs.py.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from in_process import evallib_cli

ROOT = Path(__file__).resolve().parents[1]
#: The run log records times; every other file in reports/ must be byte-identical between runs.
RUN_LOG = {"ledger.json"}


def digests(reports: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.iterdir())
        if p.is_file() and p.name not in RUN_LOG
    }


def raw_digests(raw: Path) -> dict[str, str]:
    return {
        str(p.relative_to(raw)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(raw.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def first(small_run) -> Path:
    """The reports of conftest's shared run of the small example."""
    done = small_run.completed
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return small_run.reports


def test_two_runs_give_identical_files(example_run, small_run, small_rerun) -> None:
    # conftest's two independent runs of the small example, into different folders
    assert small_run.completed.returncode == small_rerun.completed.returncode == 0
    assert digests(small_run.reports) == digests(small_rerun.reports)
    assert {"index.html", "regio.html", "manifest.json"} <= set(digests(small_run.reports))
    # nothing under the raw data directory is ever written: still the example's copy
    assert example_run.completed.returncode == 0
    assert raw_digests(example_run.raw) == raw_digests(ROOT / "data" / "raw" / "example")


@pytest.fixture(scope="module")
def next_year(small_run, first: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small example with Stanislas' hours changed (no digital hours at all),
    run with ``--compare-to`` the shared run's reports. Returns the changed data folder; its
    reports are in ``compared`` beside it."""
    folder = tmp_path_factory.mktemp("next-year")
    raw = small_run.raw
    changed = folder / raw.name  # the same name: reports show the data folder's name
    shutil.copytree(raw, changed)
    path = changed / "02DZ" / "lesuren.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["lesuren"]
    header = [
        c.value
        for c in sheet[next(r for r in range(1, 5) if sheet.cell(r, 1).value == "docent_id")]
    ]
    column = header.index("lesuren_digitaal") + 1
    for row in range(2, sheet.max_row + 1):
        if isinstance(sheet.cell(row, column).value, int | float):
            sheet.cell(row, column).value = 0.0
    book.save(path)
    done = evallib_cli(
        "run",
        "--data",
        str(changed),
        "--programme",
        str(small_run.programme),
        "--reports",
        str(folder / "compared"),
        "--processed",
        str(folder / "processed"),
        "--compare-to",
        str(first),
        "--workers",
        "1",
    )
    assert done.returncode == 0, done.stdout[-2000:]
    return changed


def test_compare_to_shows_what_changed(next_year: Path, first: Path) -> None:
    reports = next_year.parent / "compared"
    school = (reports / "02DZ-stanislas-college.html").read_text(encoding="utf-8")
    assert f"Wat is er veranderd sinds {first.name}?" in school
    assert (
        "10% van de onderwijstijd met digitale didactiek"
        in school.split('id="veranderd"')[1][:20000]
    )
    untouched = (reports / "01GX-christelijk-lyceum-delft.html").read_text(encoding="utf-8")
    assert "Geen enkele status of uitkomst is veranderd." in untouched
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "Veranderd" in index and "02DZ-stanislas-college.html#veranderd" in index


def test_verify_names_the_report_a_changed_input_affects(next_year: Path, first: Path) -> None:
    # The shared run's reports, rebuilt from next year's data: Stanislas' report and what
    # sums over schools differ; a school outside e-coaching is still identical. (verify on
    # unchanged data says "identiek" for every file: tests/test_any_programme.py.)
    done = evallib_cli(
        "verify", "--reports", str(first), "--workers", "1", "--data", str(next_year)
    )
    out = " ".join(done.stdout.split())
    assert done.returncode == 1, out[-3000:]
    assert "verschillend 02DZ-stanislas-college.html" in out
    assert "02DZ/lesuren.xlsx" in out  # names the changed input
    assert "identiek 01GX-christelijk-lyceum-delft.html" in out
