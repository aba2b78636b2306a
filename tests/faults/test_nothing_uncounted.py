"""Class 4: every bad row is counted; a rejected comparison school makes the run fail and is said."""

from __future__ import annotations

from pathlib import Path

from small_example import programme_file

from evallib.contract.programme import Programme
from evallib.engine.run import RunConfig, run
from evallib.validation.validate import validate_directory


def test_five_hundred_bad_rows_are_five_hundred_errors(raw: Path, programme: Programme) -> None:
    path = raw / "14WE" / "personeel.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, rows = lines[:2], lines[2:]
    # Location 77 types fine but is no location of the school: a rule of the suite fails.
    bad = [f"X{i:05d},14WE,77,1980,2010-08-01,,,nee," for i in range(500)]
    path.write_text("\n".join([*header, *rows, *bad]) + "\n", encoding="utf-8")
    result = validate_directory(raw, programme)
    wrong = [p for p in result.errors if p.file == "14WE/personeel.csv" and p.column == "vestiging"]
    assert len(wrong) == 500
    assert result.counts("14WE").error_rows == 500


def test_validate_counts_every_bad_row_and_shortens_only_the_listing(
    raw: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from evallib.cli import app

    path = raw / "14WE" / "personeel.csv"
    bad = [f"X{i:05d},14WE,77,1980,2010-08-01,,,nee," for i in range(500)]
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(bad) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "validate",
            str(raw),
            "--programme",
            str(programme_file(raw)),
            "--out",
            str(tmp_path / "p"),
        ],
    )
    out = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "500 fouten" in out and "en 480 meer" in out


def test_a_rejected_comparison_school_fails_the_run_and_the_overview_says_so(
    raw: Path, light_run: RunConfig
) -> None:
    from evallib.reporting.region import RegionReport

    path = raw / "00PJ" / "personeel.csv"  # Erasmus College, a comparison school
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",nee,", ",misschien,", 1), encoding="utf-8")
    summary = run(light_run)
    assert not summary.ok  # exit code 1
    header = RegionReport.load(programme_file(raw), light_run.processed).header()
    assert "onvolledig" in header and "Erasmus College" in header.split("onvolledig")[1]
    assert "Erasmus College en Grotius College" not in header
