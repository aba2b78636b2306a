"""Classes 10 and 11: a full disk or read-only folder is one clear error; one run per folder."""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evallib.cli import app
from evallib.engine.run import RunConfig, run

ROOT = Path(__file__).resolve().parents[2]


def _readonly(exc_path: Path):
    real = os.open

    def fake(path, flags, *args, **kwargs):
        if str(path).startswith(str(exc_path)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path, flags, *args, **kwargs)

    return fake


def test_a_read_only_reports_folder_is_one_dutch_error_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.setattr(os, "open", _readonly(reports))  # root ignores chmod: fake the mount
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--data",
            str(tmp_path / "no-such-data"),
            "--reports",
            str(reports),
            "--processed",
            str(tmp_path / "processed"),
            "--root",
            str(ROOT),
        ],
    )
    out = " ".join(result.output.split())
    assert result.exit_code != 0
    assert "niet schrijfbaar" in out and str(reports) in out
    assert "Traceback" not in out and "niet gevonden" not in out  # before reading any data


def test_a_full_disk_is_one_dutch_error_and_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evallib.core.errors import EvallibError
    from evallib.core.files import write_atomic

    def full(fd: int) -> None:  # a full disk shows when the data are flushed to it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(EvallibError, match="schijf is vol"):
        write_atomic(tmp_path / "index.html", "<p>" * 100_000)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_on_the_same_reports_folder_is_refused(tmp_path: Path) -> None:
    from evallib.core.errors import EvallibError

    reports = tmp_path / "reports"
    reports.mkdir()
    with open(reports / ".evallib.lock", "w") as held:  # the first run holds the lock
        fcntl.flock(held, fcntl.LOCK_EX)
        config = RunConfig(
            root=ROOT,
            raw_dir=tmp_path / "no-such-data",
            processed_dir=tmp_path / "processed",
            reports_dir=reports,
        )
        with pytest.raises(EvallibError, match="al een evallib-run"):
            run(config)
