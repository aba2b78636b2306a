"""Validation of whole deliveries, and the `evallib validate` command."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from in_process import validated_by_cli
from typer.testing import CliRunner

from evallib.cli import app
from evallib.contract.programme import load_programme
from evallib.validation.validate import ValidationResult, validate_directory

EXAMPLE = Path("data/raw/example")
PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")
runner = CliRunner()


def validate_with_cli(raw: Path, out: Path) -> tuple[object, ValidationResult]:
    """``evallib validate`` and the validation it ran (tests/in_process.py)."""
    result, validated = validated_by_cli(raw, out)
    assert validated is not None, result.output
    return result, validated


@pytest.fixture(scope="module")
def broken(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, int], object, ValidationResult]:
    """A copy of the example data with three planted mistakes in 14WE/personeel.csv and two
    blank lines in 14WE/lesuren.csv, validated once by ``evallib validate``."""
    tmp = tmp_path_factory.mktemp("broken")
    raw = tmp / "raw"
    shutil.copytree(EXAMPLE, raw)
    path = raw / "14WE" / "personeel.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[1].split(",")
    col = {name: i for i, name in enumerate(header)}
    first_data = 2  # 0-based index of line 3 (comment line, header line, then data)

    def edit(index: int, column: str, value: str) -> None:
        cells = lines[index].split(",")
        cells[col[column]] = value
        lines[index] = ",".join(cells)

    edit(first_data + 3, "datum_in_dienst", "31-02-2014")
    duplicate_id = lines[first_data].split(",")[col["docent_id"]]
    edit(first_data + 7, "docent_id", duplicate_id)
    edit(first_data + 11, "brin", "99XX")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hours = raw / "14WE" / "lesuren.csv"
    hours.write_text(hours.read_text(encoding="utf-8").replace("\n", "\n\n", 3), encoding="utf-8")
    # line numbers as the school sees them (1-based)
    where = {
        "date": first_data + 4,
        "duplicate": first_data + 8,
        "school": first_data + 12,
        "original": first_data + 1,
    }
    return raw, where, *validate_with_cli(raw, tmp / "processed")


@pytest.fixture(scope="module")
def cli_clean(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[object, Path, dict, dict, ValidationResult]:
    """`evallib validate` on the example data, with the raw files' digests before and after,
    and the validation result (the tests below only read it)."""

    def digest() -> dict[str, str]:
        return {
            str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(EXAMPLE.rglob("*"))
            if p.is_file()
        }

    out = tmp_path_factory.mktemp("validate") / "processed"
    before = digest()
    result, validated = validate_with_cli(EXAMPLE, out)
    return result, out, before, digest(), validated


@pytest.fixture(scope="module")
def example(cli_clean) -> ValidationResult:
    """The example data validated once."""
    return cli_clean[-1]


def test_example_data_is_valid_and_synthetic(example: ValidationResult) -> None:
    result = example
    assert result.ok, [str(p) for p in result.errors[:5]]
    assert result.synthetic and len(result.valid_schools) == 10
    assert {f.kind for f in result.files} == {"personeel", "deelname", "lesuren", "enquete"}


def test_broken_copy_names_file_row_and_column(broken) -> None:
    _, lines, _, result = broken
    found = {(p.file, p.row, p.column, p.code) for p in result.errors}
    assert ("14WE/personeel.csv", lines["date"], "datum_in_dienst", "type") in found
    assert ("14WE/personeel.csv", lines["duplicate"], "brin, docent_id", "duplicate") in found
    assert ("14WE/personeel.csv", lines["original"], "brin, docent_id", "duplicate") in found
    assert ("14WE/personeel.csv", lines["school"], "brin", "unknown_school") in found
    # the unreadable date is reported once, not again as an empty required field
    assert not [p for p in result.errors if p.row == lines["date"] and p.code == "required"]
    assert result.failed_schools.keys() == {"14WE"}
    assert "14WE" not in set(
        result.tables["personeel"]["brin"]
    )  # a failed school is left out whole


def test_cli_validate_exits_1_and_prints_each_problem(broken) -> None:
    _, lines, result, _ = broken
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert f"14WE/personeel.csv, regel {lines['date']}, kolom datum_in_dienst" in out
    assert "gevonden: 31-02-2014" in out
    assert f"14WE/personeel.csv, regel {lines['duplicate']}, kolom brin, docent_id" in out
    assert f"14WE/personeel.csv, regel {lines['school']}, kolom brin: Onbekende school" in out
    assert "Traceback" not in result.output


def test_cli_validate_exits_0_on_clean_data(cli_clean) -> None:
    result, out, *_ = cli_clean
    assert result.exit_code == 0, result.output
    assert (out / "personeel.parquet").exists()


def test_validation_never_writes_raw_data(cli_clean) -> None:
    _, _, before, after, _ = cli_clean
    assert after == before


def test_refuses_to_write_processed_data_into_the_raw_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evallib.validation.validate

    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE / "14WE", raw / "14WE")

    def never(*args, **kwargs):
        raise AssertionError("validated before refusing the output folder")

    monkeypatch.setattr(evallib.validation.validate, "validate_directory", never)
    result = runner.invoke(app, ["validate", str(raw), "--out", str(raw / "out")])
    assert result.exit_code == 2 and "ruwe gegevens" in result.output
    assert not (raw / "out").exists()


def test_unknown_school_folder_and_missing_school(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE, raw)
    shutil.move(raw / "02GP", raw / "77ZZ")
    result = validate_directory(raw, PROGRAMME)
    codes = {(p.file, p.code, p.severity) for p in result.problems}
    assert ("77ZZ/", "unknown_school", "error") in codes
    assert ("02GP/", "missing_school", "warning") in codes


def test_row_counts_add_up(broken) -> None:
    result = broken[-1]
    school = result.counts("14WE")
    info = {f.label: f for f in result.files}
    assert info["14WE/lesuren.csv"].blank_lines == 2  # the first replaced newline ends the comment
    assert info["14WE/personeel.csv"].error_rows == 4  # bad date, two duplicates, other BRIN
    assert school.rows_processed == 0 and school.rows_not_processed == school.rows_read > 0
    total = result.counts()
    assert total.rows_processed == sum(len(t) for t in result.tables.values())
    assert total.rows_read == total.rows_processed + total.rows_not_processed
    assert "regels gelezen" in total.text() and "2 lege regels overgeslagen" in total.text()


def test_counts_are_written_to_meta(example: ValidationResult, tmp_path: Path) -> None:
    import json

    from evallib.validation.validate import write_processed

    meta = json.loads((write_processed(example, tmp_path, PROGRAMME) / "meta.json").read_text())
    assert meta["counts"]["rows_read"] == meta["counts"]["rows_processed"] > 10_000
    assert meta["counts_by_school"]["01GX"]["error_rows"] == 0
    assert {"blank_lines", "error_rows", "processed"} <= set(meta["files"][0])
