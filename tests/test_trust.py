"""Reproducibility and robustness: identical reruns, verify, and a run killed with SIGKILL."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The run log records times; every other file in reports/ must be byte-identical between runs.
RUN_LOG = {"ledger.json"}


def evallib(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evallib", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "COLUMNS": "200"},
        **kwargs,
    )


def digests(reports: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.iterdir())
        if p.is_file() and p.name not in RUN_LOG
    }


@pytest.fixture(scope="module")
def raw(example_run) -> Path:
    """The raw data of conftest's shared run: read it, never write into it."""
    return example_run.raw


def raw_digests(raw: Path) -> dict[str, str]:
    return {
        str(p.relative_to(raw)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(raw.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def first(example_run) -> Path:
    """The reports of conftest's shared run (`evallib run --data raw`)."""
    done = example_run.completed
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # nothing under the raw data directory is ever written: it is still the example's copy
    assert raw_digests(example_run.raw) == raw_digests(ROOT / "data" / "raw" / "example")
    return example_run.reports


def test_two_runs_give_identical_files(example_run, example_rerun) -> None:
    # conftest's two independent runs of the same data, into different folders
    assert example_run.completed.returncode == example_rerun.completed.returncode == 0
    assert digests(example_run.reports) == digests(example_rerun.reports)
    assert {"index.html", "regio.html", "manifest.json"} <= set(digests(example_run.reports))


def test_verify_says_identical_then_names_the_report_a_changed_byte_affects(
    raw: Path, first: Path, tmp_path: Path
) -> None:
    done = evallib("verify", "--reports", str(first), "--workers", "1")
    assert done.returncode == 0, done.stdout[-3000:]
    out = " ".join(done.stdout.split())
    # ten pages (8 schools, overview, index) and the run's results.csv and results.xlsx
    assert "12 van 12 bestanden identiek" in out
    assert "identiek results.csv" in out and "identiek results.xlsx" in out

    changed = tmp_path / raw.name  # the shared raw data stays as it is: change a copy
    shutil.copytree(raw, changed)
    path = changed / "02GP" / "lesuren.csv"
    data = bytearray(path.read_bytes())
    at = data.rindex(b"5")  # one digit of an hours figure in the last line
    data[at : at + 1] = b"6"
    path.write_bytes(bytes(data))
    done = evallib("verify", "--reports", str(first), "--workers", "1", "--data", str(changed))
    out = " ".join(done.stdout.split())
    assert done.returncode == 1
    assert "verschillend 02GP-rijnlands-lyceum-wassenaar.html" in out
    assert "02GP/lesuren.csv" in out  # names the changed input
    assert "identiek 01GX-christelijk-lyceum-delft.html" in out  # unaffected reports stay identical


def test_a_run_killed_with_sigkill_then_rerun_leaves_complete_identical_reports(
    first: Path, example_rerun
) -> None:
    # conftest's example_rerun: SIGKILL to the run's process group (the run and its kernel)
    # once three reports existed, then the same command again
    assert example_rerun.killed_at is not None and 3 <= example_rerun.killed_at < 10
    assert example_rerun.completed.returncode == 0, example_rerun.completed.stdout[-2000:]
    assert digests(example_rerun.reports) == digests(first)
    assert not list(example_rerun.reports.glob(".*"))  # no half-written temporaries left


def test_compare_to_shows_what_changed(raw: Path, first: Path, tmp_path: Path) -> None:
    changed = tmp_path / "raw-next-year"
    shutil.copytree(raw, changed)
    path = changed / "02DZ" / "lesuren.xlsx"  # Stanislas' hours: a different digital share
    import openpyxl

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
    reports = tmp_path / "compared"
    done = evallib(
        "run",
        "--data",
        str(changed),
        "--reports",
        str(reports),
        "--processed",
        str(tmp_path / "p4"),
        "--compare-to",
        str(first),
        "--workers",
        "1",
    )
    assert done.returncode == 0, done.stdout[-2000:]
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
