"""Class 3: verify checks both directions and the manifest's shape; --only-failed never re-stamps."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from evallib.cli import app
from evallib.engine.run import RunConfig, run
from tests.faults.conftest import change_one_digit

ROOT = Path(__file__).resolve().parents[2]


def _verify(reports: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", "--reports", str(reports), "--root", str(ROOT)])
    return result.exit_code, " ".join(result.output.split())


def test_a_manifest_of_the_wrong_shape_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"version": 1, "reports": ["regio.html"]}')
    code, out = _verify(tmp_path)
    assert code == 1 and "vorm" in out and "Traceback" not in out


def test_a_report_no_run_made_and_a_missing_report_are_failures(tmp_path: Path) -> None:
    record = {
        "sha256": "0" * 64,
        "data": {"raw_dir": "data/raw/no-such-folder"},
        "programme": {"file": "programmes/haaglanden-2013.yaml"},
    }
    manifest = {"version": 1, "reports": {"regio.html": record}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "planted.html").write_text("<p>not made by evallib</p>")
    code, out = _verify(tmp_path)
    assert code == 1
    assert "planted.html" in out and "niet in het manifest" in out
    assert "0 van 2 bestanden identiek" in out


def test_only_failed_survives_a_deleted_report_and_never_restamps_one_it_kept(
    raw: Path, light_run: RunConfig
) -> None:
    assert run(light_run).ok
    reports = light_run.reports_dir
    before = json.loads((reports / "manifest.json").read_text())["reports"]
    kept = "02GP-rijnlands-lyceum-wassenaar.html"
    kept_bytes = (reports / kept).read_bytes()

    change_one_digit(raw / "02GP" / "lesuren.csv")  # new data for one school...
    (reports / "01GX-christelijk-lyceum-delft.html").unlink()  # ...and one report deleted

    summary = run(RunConfig(**{**light_run.__dict__, "only_failed": True}))
    assert summary.ok
    after = json.loads((reports / "manifest.json").read_text())["reports"]
    assert (reports / "01GX-christelijk-lyceum-delft.html").exists()  # rebuilt
    assert (reports / kept).read_bytes() == kept_bytes  # left alone...
    assert after[kept] == before[kept]  # ...and so is what the manifest says it was made from
