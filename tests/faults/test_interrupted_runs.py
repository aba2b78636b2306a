"""Property: any sequence of interrupted runs, then a complete run, equals one clean run.

A run is interrupted at its k-th commit point (the rename that makes a written file
visible: report, failure page, index, manifest, ledger), by an exception no code catches,
which stands in for SIGKILL there; once, a run in a process of its own really is killed with
SIGKILL, its kernel with it. The data are a synthetic set made by ``evallib synth``; the
notebooks are the light ones of this folder, so an example costs seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_example import trimmed_programme, write_programme

from evallib.contract.programme import load_programme
from evallib.engine.run import RunConfig, run
from evallib.synth.generator import generate
from tests.faults.conftest import write_notebooks

ROOT = Path(__file__).resolve().parents[2]
RUN_LOG = {"ledger.json"}  # the run's log holds times; every other file must be identical


class Killed(BaseException):
    """Not an Exception: nothing in evallib catches it, as nothing survives SIGKILL."""


def _digests(reports: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.iterdir())
        if p.is_file() and p.name not in RUN_LOG
    }


@pytest.fixture(scope="module")
def clean(
    tmp_path_factory: pytest.TempPathFactory, light_notebooks: Path
) -> tuple[RunConfig, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("interrupted")
    programme = write_programme(tmp, trimmed_programme())  # the small example's schools
    generate(tmp / "raw", programme=load_programme(programme), seed=11)
    config = RunConfig(
        root=ROOT,
        raw_dir=tmp / "raw",
        programme_file=programme,
        processed_dir=tmp / "processed",
        reports_dir=tmp / "clean",
        notebooks_dir=light_notebooks,
        executor="sequential",
    )
    assert run(config).ok
    return config, _digests(config.reports_dir)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kills=st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=2))
def test_interrupted_runs_then_a_complete_run_equal_one_clean_run(
    clean: tuple[RunConfig, dict[str, str]], kills: list[int]
) -> None:
    config, expected = clean
    work = Path(tempfile.mkdtemp(prefix="evallib-killed-"))
    try:
        shutil.copytree(config.processed, work / "processed")  # validated already: cheaper
        config = RunConfig(
            **{
                **config.__dict__,
                "processed_dir": work / "processed",
                "reports_dir": work / "reports",
            }
        )
        for k in kills:
            _run_killed_at(config, k)
        assert run(config).ok
        got = _digests(config.reports_dir)
        if got != expected and os.environ.get("EVALLIB_KEEP_DIFF"):  # for diagnosis
            shutil.copytree(config.reports_dir, os.environ["EVALLIB_KEEP_DIFF"], dirs_exist_ok=True)
        assert got == expected
        assert not [p.name for p in config.reports_dir.iterdir() if p.name.startswith(".")]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_a_run_stopped_after_two_reports_builds_only_the_others(
    clean: tuple[RunConfig, dict[str, str]], tmp_path: Path
) -> None:
    # The ledger's journal keeps what a stopped run finished: the next run takes those two
    # reports from the cache and gives the bytes of one clean run.
    config, expected = clean
    shutil.copytree(config.processed, tmp_path / "processed")
    config = RunConfig(
        **{
            **config.__dict__,
            "processed_dir": tmp_path / "processed",
            "reports_dir": tmp_path / "reports",
        }
    )
    _run_killed_at(config, 3, suffix=".html")
    assert len(list(config.reports_dir.glob("*.html"))) == 2
    resumed = run(config)
    assert resumed.ok and resumed.cache_hits == 2
    assert _digests(config.reports_dir) == expected
    assert not (config.reports_dir / "ledger.journal").exists()


#: ``run(RunConfig(**paths))`` in a process of its own: the command line has no option for
#: other notebooks than the project's.
_RUN_IN_A_PROCESS = """\
import json, sys
from pathlib import Path
from evallib.engine.run import RunConfig, run
paths = {name: Path(value) for name, value in json.loads(sys.argv[1]).items()}
sys.exit(0 if run(RunConfig(**paths, executor="sequential")).ok else 1)
"""


def test_a_run_killed_with_sigkill_then_run_again_equals_one_clean_run(
    clean: tuple[RunConfig, dict[str, str]], tmp_path: Path
) -> None:
    # SIGKILL to the process group of a run in a process of its own (the run and its kernel)
    # once its first report is visible, then the same run again, here. A school's report takes
    # 0.3 s more, so the kill lands mid-run; code cells are not in a report, so the bytes are
    # those of the clean run.
    config, expected = clean
    shutil.copytree(config.processed, tmp_path / "processed")
    notebooks = write_notebooks(tmp_path / "notebooks", check="import time\ntime.sleep(0.3)")
    paths = {
        "root": config.root,
        "raw_dir": config.raw_dir,
        "programme_file": config.programme_file,
        "processed_dir": tmp_path / "processed",
        "reports_dir": tmp_path / "reports",
        "notebooks_dir": notebooks,
    }
    command = [
        sys.executable,
        "-c",
        _RUN_IN_A_PROCESS,
        json.dumps({k: str(v) for k, v in paths.items()}),
    ]
    reports = paths["reports_dir"]
    first = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(reports.glob("*.html")) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    killed_at = len(list(reports.glob("*.html")))
    assert 1 <= killed_at < len([name for name in expected if name.endswith(".html")])

    assert run(RunConfig(**paths, executor="sequential")).ok
    assert _digests(reports) == expected
    assert not [p.name for p in reports.iterdir() if p.name.startswith(".")]


def _run_killed_at(config: RunConfig, k: int, suffix: str = "") -> None:
    """Run, stopped at the ``k``-th file made visible (of those whose name ends in ``suffix``)."""
    real, calls = os.replace, []

    def replace(source, target, *args, **kwargs):
        if str(target).endswith(suffix):
            calls.append(target)
        if len(calls) == k:
            raise Killed
        return real(source, target, *args, **kwargs)

    os.replace = replace
    try:
        run(config)
    except Killed:
        pass
    finally:
        os.replace = real
