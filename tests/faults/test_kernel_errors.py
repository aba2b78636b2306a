"""Class 6: a school whose notebook raises shows that error, never a kernel timeout."""

from __future__ import annotations

from pathlib import Path

from evallib.engine.run import RunConfig, run
from tests.faults.conftest import write_notebooks

PLANTED = """\
from evallib.core.errors import ProgrammeError
if school in ("14WE", "02DZ"):
    raise ProgrammeError("geplande programmafout", file="programma.yaml")"""


def test_errors_raised_in_kernels_are_shown_as_raised_with_two_workers(
    light_run: RunConfig, tmp_path: Path
) -> None:
    notebooks = write_notebooks(tmp_path / "notebooks", check=PLANTED)
    changes = {"notebooks_dir": notebooks, "executor": "local", "workers": 2}
    summary = run(RunConfig(**{**light_run.__dict__, **changes}))
    failed = {o.brin: o.error for o in summary.outcomes if not o.ok}
    assert set(failed) == {"14WE", "02DZ"}, failed
    assert all("ProgrammeError" in e and "geplande programmafout" in e for e in failed.values())
    ok = [o for o in summary.outcomes if o.ok]
    assert len(ok) == 3 and max(o.seconds for o in summary.outcomes) < 60  # no timeout spent


def test_a_run_stops_the_kernels_it_started(light_run, monkeypatch) -> None:
    # conftest keeps a test process's kernels for the session; a user's run must not
    from evallib.engine import execute, executors

    monkeypatch.setattr(executors, "shutdown_kernels", execute.shutdown_kernels)
    assert run(light_run).ok
    assert not execute._KERNELS
