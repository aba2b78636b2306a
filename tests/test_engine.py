"""Batch engine: executors agree byte for byte, the cache rebuilds only what changed, failures stay contained."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from small_example import programme_file, small_example

from evallib.engine.run import RunConfig, run
from tests.faults.conftest import write_notebooks

ROOT = Path(__file__).resolve().parents[1]


def _config(tmp: Path, name: str, **changes) -> RunConfig:
    values = dict(
        root=ROOT,
        raw_dir=tmp / "raw",
        programme_file=programme_file(tmp / "raw"),
        processed_dir=tmp / name / "processed",
        reports_dir=tmp / name / "reports",
    )
    values.update(changes)
    return RunConfig(**values)


def _html(reports: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(reports.glob("*.html"))}


def _ledger(reports: Path) -> dict:
    return json.loads((reports / "ledger.json").read_text(encoding="utf-8"))["reports"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("engine")
    small_example(tmp)
    return tmp


@pytest.fixture(scope="module")
def built(small_run) -> dict[str, bytes]:
    """The reports of conftest's shared run of the small example (local, two workers)."""
    assert small_run.completed.returncode == 0, small_run.completed.stderr
    return _html(small_run.reports)


def test_parallel_workers_give_the_same_bytes_as_sequential(built, small_rerun) -> None:
    # conftest's small_run (`--workers 1`: sequential, in the test process) and small_rerun
    # (`--workers 2`: the local pool, in a process of its own) ran on the same copy of the data
    assert small_rerun.completed.returncode == 0, small_rerun.completed.stderr
    assert _html(small_rerun.reports) == built


def test_unchanged_rerun_is_all_cache_hits_and_one_changed_school_rebuilds_alone(
    small_run, tmp_path: Path
) -> None:
    # A copy of a finished run's folders, moved elsewhere: its cache must still hold.
    copy = tmp_path / "moved"
    shutil.copytree(small_run.raw.parent, copy, ignore=shutil.ignore_patterns("done.json"))
    config = _config(copy, ".", executor="sequential")
    again = run(config)
    assert again.cache_hits == 5 and not again.validated
    assert {e["cache"] for e in _ledger(config.reports_dir).values()} == {"hit"}
    before = _html(config.reports_dir)

    path = config.raw_dir / "02GP" / "lesuren.csv"  # change one value in one school's file
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[-1] = str(float(cells[-1]) + 1.0)
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = run(config)
    ledger = _ledger(config.reports_dir)
    assert changed.validated
    assert {k for k, e in ledger.items() if e["cache"] == "miss"} == {"02GP", "regio"}
    after = _html(config.reports_dir)
    changed_files = {name for name in before if before[name] != after[name]}
    assert (
        "02GP-rijnlands-lyceum-wassenaar.html" in changed_files
    )  # new data, new numbers and hashes
    assert changed_files <= {"02GP-rijnlands-lyceum-wassenaar.html", "regio.html", "index.html"}


@pytest.mark.dask
def test_on_dask_a_failing_school_gets_a_page_and_every_other_report_the_same_bytes(
    workdir: Path, small_run
) -> None:
    # One build for two promises: the Dask executor gives the sequential executor's bytes, and
    # a school whose notebook fails gets a page and does not poison the school after it. The
    # notebooks are the light ones of tests/faults (they read the data and print its
    # fingerprint): that real reports agree between executors is shown above.
    pytest.importorskip("dask.distributed")
    light = write_notebooks(workdir / "notebooks")
    reference = _config(workdir, "sequential", executor="sequential", notebooks_dir=light)
    # the same deliveries as the shared run's: its validated data serve (no validation here)
    shutil.copytree(small_run.processed, reference.processed_dir)
    first = run(reference)
    assert first.ok and not first.validated
    built = _html(reference.reports_dir)
    planted = 'assert school != "02DZ", "geplande fout"'  # code only: others' HTML is the same
    notebooks = write_notebooks(workdir / "notebooks-broken", check=planted)
    config = _config(
        workdir,
        "dask",
        executor="dask",
        workers=1,
        notebooks_dir=notebooks,
        processed_dir=reference.processed_dir,
    )
    summary = run(config)
    assert not summary.ok
    failed = [o for o in summary.outcomes if not o.ok]
    assert [o.brin for o in failed] == ["02DZ"] and "geplande fout" in failed[0].error
    html = _html(config.reports_dir)
    page = html["02DZ-stanislas-college.html"].decode("utf-8")
    assert "kon niet worden gemaakt" in page and "Traceback" not in page
    # every other report, the school right after the failure on its fresh kernel included
    others = set(built) - {"02DZ-stanislas-college.html", "index.html"}
    assert {name for name in others if html[name] != built[name]} == set()
    assert _ledger(config.reports_dir)["02DZ"]["status"] == "failed"

    write_notebooks(notebooks)  # fixed
    # rebuilt in this process: the Dask run's ledger and cache serve any executor
    fixed = run(RunConfig(**{**config.__dict__, "only_failed": True, "executor": "sequential"}))
    assert fixed.ok
    ledger = _ledger(config.reports_dir)
    assert {k for k, e in ledger.items() if e["cache"] == "miss"} == {"02DZ"}
    assert _html(config.reports_dir) == built
