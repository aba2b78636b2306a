"""Shared test set-up: run from the project root, with the example data processed once.

Doctests in ``src/evallib`` use ``data/processed/example``; on a fresh clone it
does not exist yet, so it is built here (from the committed synthetic example
data) before any test runs. Nothing under ``data/raw`` is written.

The example reports (``evallib run`` on the example data, as a user runs it) are built
once per test session, by whichever pytest-xdist worker asks first, into a directory all
workers share; :func:`example_run` gives them to every test that only reads them, and
:func:`small_run` does the same for the small example (``tests/small_example.py``), which
serves the tests that build its reports again in another way.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import evallib  # noqa: F401  first: its import-time settings then hold for every test module

ROOT = Path(__file__).resolve().parent
EXAMPLE_RAW = ROOT / "data" / "raw" / "example"
EXAMPLE_PROCESSED = ROOT / "data" / "processed" / "example"
PROGRAMME = ROOT / "programmes" / "haaglanden-2013.yaml"


#: Test files that take longest (``--durations``), in the order pytest-xdist hands them out
#: (pyproject's addopts: whole files, in collection order), so no long file is left to run
#: alone at the end. The first two start the shared runs on both workers at once:
#: test_disclosure_run's worker builds :func:`example_run` (and then has its own fifty-school
#: set to work on) while test_engine's builds :func:`small_run` and :func:`small_rerun`. Next
#: come test_trust, which needs all three, files that need none of them, then those that read
#: them.
SLOW_FIRST = (
    "tests/test_disclosure_run.py",
    "tests/test_engine.py",
    "tests/test_trust.py",
    "tests/test_simulation.py",
    "tests/test_any_programme.py",
    "tests/test_bad_inputs.py",
    "tests/test_safe_html.py",
    "tests/faults/test_interrupted_runs.py",
    "tests/test_notebooks.py",
    "tests/test_synth.py",
    "tests/test_validate.py",
    "tests/test_browser.py",
    "tests/test_pipeline.py",
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
        # The run's decisions beside the processed data, as a run's plan step writes them, so
        # that the many reports the tests load from it do not each decide again (1.7 s).
        # Decided anew in every session: the code that decides may have changed.
        session = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
        stamp = EXAMPLE_PROCESSED.parent / ".example.decided"
        if EXAMPLE_RAW.exists() and (not stamp.exists() or stamp.read_text() != session):
            from evallib.contract.programme import load_programme
            from evallib.evaluation import published
            from evallib.evaluation.dataset import load_dataset

            data = load_dataset(EXAMPLE_PROCESSED)
            published.write(EXAMPLE_PROCESSED, published.decide(load_programme(PROGRAMME), data))
            stamp.write_text(session)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Charts a test or a doctest drew and left open are closed after it: one worker runs
    hundreds, and matplotlib warns once more than twenty are open."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here just to close nothing
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture(scope="session", autouse=True)
def _warm_kernels_for_the_session() -> Iterator[None]:
    """Runs in this test process keep their warm kernels until the session ends.

    A run stops its kernels when it ends (:meth:`evallib.engine.executors.Executor.close`):
    evallib's code could change before the next run. Within a test session it cannot, so
    the runs of a test process share one warm kernel per notebook folder, as the schools
    of one run do (the engine resets the namespace before every report), instead of
    starting and importing the report stack again for every run.
    """
    from evallib.engine import executors

    stop = executors.shutdown_kernels
    executors.shutdown_kernels = lambda: None
    try:
        yield
    finally:
        executors.shutdown_kernels = stop
        stop()


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


def _arguments(out: Path, *args: str) -> list[str]:
    """``run ARGS``, into ``out/reports`` and ``out/processed``."""
    return ["run", *args, "--reports", str(out / "reports"), "--processed", str(out / "processed")]


def _command(out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "evallib", *_arguments(out, *args)]


def evallib_run(out: Path, *args: str) -> dict:
    """``evallib run ARGS`` in a fresh process, into ``out/reports`` and ``out/processed``."""
    completed = subprocess.run(
        _command(out, *args),
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
    programme: Path = PROGRAMME


def _in_process_run(directory: Path, raw: Path, *options: str) -> dict:
    """``evallib run --data RAW OPTIONS`` in this process (:func:`in_process.evallib_cli`)."""
    from in_process import evallib_cli

    done = evallib_cli(*_arguments(directory, "--data", str(raw), *options))
    return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


@pytest.fixture(scope="session")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """``evallib run --data raw --workers 1`` on a copy of the example data: the command a
    user types, run in this test process on its warm kernel (:func:`evallib_cli`).

    Built once per session and shared by every test and xdist worker: read it, never write
    into it. A test that changes data, options or notebooks makes its own run. The copy is
    named ``raw`` as the tests' own copies are, so their reports show the same data folder.
    Runs in a process of their own, and with worker processes, are :func:`small_run`'s and
    :func:`small_rerun`'s; all executors give the same bytes (tests/test_engine.py).
    """
    out = shared_dir(tmp_path_factory) / "example-run"

    def build(directory: Path) -> dict:
        shutil.copytree(EXAMPLE_RAW, directory / "raw")
        return _in_process_run(directory, directory / "raw", "--workers", "1")

    completed = subprocess.CompletedProcess(["evallib", "run"], **build_once(out, build))
    return Run(completed, out / "raw", out / "reports", out / "processed")


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """``evallib run --workers 1`` on the small example (six of the ten schools, the programme
    cut to match): for tests that build the same reports again another way (an executor, next
    year's data, verify), at half the cost of the whole example. Run in this test process on
    its warm kernel, which the tests that build again in this process then share. Shared like
    :func:`example_run`: read it, never write into it."""
    from small_example import programme_file, small_example

    out = shared_dir(tmp_path_factory) / "small-run"

    def build(directory: Path) -> dict:
        raw = small_example(directory)
        options = ("--programme", str(programme_file(raw)), "--workers", "1")
        return _in_process_run(directory, raw, *options)

    completed = subprocess.CompletedProcess(["evallib", "run"], **build_once(out, build))
    raw = out / "raw"
    return Run(completed, raw, out / "reports", out / "processed", programme=programme_file(raw))


@pytest.fixture(scope="session")
def small_rerun(tmp_path_factory: pytest.TempPathFactory, small_run: Run) -> Run:
    """A second, independent run of :func:`small_run`'s data into other folders, as a user
    types it: ``evallib run --workers 2`` in a process of its own, with the local pool of two
    worker processes that each start a kernel. Compared with :func:`small_run` it shows that
    runs are reproducible across processes and that the executors agree byte for byte.
    (A run killed with SIGKILL and run again: tests/faults/test_interrupted_runs.py.)"""
    options = ("--programme", str(small_run.programme), "--workers", "2")
    out = shared_dir(tmp_path_factory) / "small-rerun"
    result = build_once(
        out, lambda directory: evallib_run(directory, "--data", str(small_run.raw), *options)
    )
    completed = subprocess.CompletedProcess(["evallib", "run"], **result)
    return Run(completed, small_run.raw, out / "reports", out / "processed", small_run.programme)
