"""Shared test set-up: run from the project root, with the example data processed once.

Doctests in ``src/evallib`` use ``data/processed/example``; on a fresh clone it
does not exist yet, so it is built here (from the committed synthetic example
data) before any test runs. Nothing under ``data/raw`` is written.

The example reports (``evallib run`` on the example data, as a user runs it) are built
once per test session, by whichever pytest-xdist worker asks first, into a directory all
workers share; :func:`example_run` gives them to every test that only reads them.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
EXAMPLE_RAW = ROOT / "data" / "raw" / "example"
EXAMPLE_PROCESSED = ROOT / "data" / "processed" / "example"
PROGRAMME = ROOT / "programmes" / "haaglanden-2013.yaml"


#: Test files that take longest (``--durations``), longest first. pytest-xdist hands out whole
#: files in collection order (pyproject's addopts), so these start first and no long file is
#: left to run alone at the end.
SLOW_FIRST = (
    "tests/test_trust.py",
    "tests/test_simulation.py",
    "tests/test_engine.py",
    "tests/test_safe_html.py",
    "tests/test_pipeline.py",
    "tests/test_validate.py",
    "tests/test_notebooks.py",
    "tests/test_synth.py",
    "tests/test_browser.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session", autouse=True)
def _project_root_and_example_data() -> None:
    os.chdir(ROOT)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    EXAMPLE_PROCESSED.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist runs several workers: the first builds, the others wait for it.
    with open(EXAMPLE_PROCESSED.parent / ".example.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (EXAMPLE_PROCESSED / "meta.json").exists() and EXAMPLE_RAW.exists():
            from evallib.contract.programme import load_programme
            from evallib.validation.validate import validate_directory, write_processed

            programme = load_programme(PROGRAMME)
            write_processed(
                validate_directory(EXAMPLE_RAW, programme), EXAMPLE_PROCESSED, programme
            )


def shared_dir(factory: pytest.TempPathFactory) -> Path:
    """A directory of this test session that every pytest-xdist worker sees.

    Each worker's base temporary directory is ``pytest-N/popen-gwK``; ``pytest-N`` belongs
    to this session alone. Without xdist the session's own base directory is used.
    """
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(directory: Path, build: Callable[[Path], dict]) -> dict:
    """``build(directory)`` once per session, whichever worker asks first; its JSON result.

    The others wait on a lock and get the same result, so a failed build fails every test
    that uses it with the same message, and none builds it again.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    done = directory / "done.json"
    with open(directory.with_name(directory.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
            result = build(directory)
            done.write_text(json.dumps(result), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


def evallib_run(out: Path, *args: str) -> dict:
    """``evallib run ARGS`` in a fresh process, into ``out/reports`` and ``out/processed``."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "evallib",
            "run",
            *args,
            "--reports",
            str(out / "reports"),
            "--processed",
            str(out / "processed"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "COLUMNS": "200"},
    )
    return {
        "returncode": completed.returncode,
        "stdout": completed.stdout,
        "stderr": completed.stderr,
    }


@dataclass(frozen=True)
class Run:
    """A finished ``evallib run``: what it printed, its raw data and its reports."""

    completed: subprocess.CompletedProcess
    raw: Path
    reports: Path
    processed: Path


def _shared_run(
    factory: pytest.TempPathFactory, name: str, workers: int, raw: Path | None = None
) -> Run:
    """``evallib run --data RAW --workers N`` once per session; RAW defaults to a fresh copy
    of the example data (``name/raw``, so reports show the data folder as ``raw``)."""
    out = shared_dir(factory) / name

    def build(directory: Path) -> dict:
        if raw is None:
            shutil.copytree(EXAMPLE_RAW, directory / "raw")
        data = str(raw or directory / "raw")
        return evallib_run(directory, "--data", data, "--workers", str(workers))

    result = build_once(out, build)
    completed = subprocess.CompletedProcess(["evallib", "run"], **result)
    return Run(completed, raw or out / "raw", out / "reports", out / "processed")


@pytest.fixture(scope="session")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """``evallib run --data raw --workers 2`` on a copy of the example data, as a user runs it.

    Built once per session and shared by every test and xdist worker: read it, never write
    into it. A test that changes data, options or notebooks makes its own run. The copy is
    named ``raw`` as the tests' own copies are, so their reports show the same data folder.
    """
    return _shared_run(tmp_path_factory, "example-run", workers=2)


@pytest.fixture(scope="session")
def example_rerun(tmp_path_factory: pytest.TempPathFactory, example_run: Run) -> Run:
    """A second, independent run of the same data into other folders, on one worker (the
    cheapest run, and a different worker count): compared with :func:`example_run` to show
    that runs are reproducible."""
    return _shared_run(tmp_path_factory, "example-rerun", workers=1, raw=example_run.raw)
