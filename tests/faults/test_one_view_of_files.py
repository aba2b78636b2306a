"""Class 2: the cache and the run see the same files; an unreadable file is a validation error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from small_example import programme_file

from evallib.contract.programme import Programme, load_programme
from evallib.engine.run import RunConfig
from evallib.validation.validate import validate_directory
from tests.faults.conftest import change_one_digit

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")


def _quiet(*args: object) -> None:
    return None


def _behind_a_link(raw: Path, tmp_path: Path) -> Path:
    """Move 02GP's folder to a "shared drive" and link it into ``raw``; return where it is."""
    elsewhere = tmp_path / "shared-drive" / "02GP"
    shutil.move(raw / "02GP", elsewhere)
    (raw / "02GP").symlink_to(elsewhere, target_is_directory=True)
    return elsewhere


def _config(raw: Path, tmp_path: Path) -> RunConfig:
    return RunConfig(
        root=ROOT,
        raw_dir=raw,
        programme_file=programme_file(raw),
        processed_dir=tmp_path / "processed",
    )


def test_a_change_behind_a_symlinked_school_folder_is_seen_by_the_cache(
    raw: Path, programme: Programme, tmp_path: Path
) -> None:
    from evallib.engine.prepare import prepare_data

    elsewhere = _behind_a_link(raw, tmp_path)
    config = _config(raw, tmp_path)
    first, validated = prepare_data(config, programme, _quiet)
    assert validated and "02GP" in first["schools"]  # discovery follows the link

    change_one_digit(elsewhere / "lesuren.csv")
    second, validated = prepare_data(config, programme, _quiet)
    assert validated, "a changed file behind a symbolic link must be validated again"
    assert second["raw_files"]["02GP/lesuren.csv"] != first["raw_files"]["02GP/lesuren.csv"]


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_an_unreadable_file_is_a_validation_error_naming_it_not_a_traceback(
    raw: Path, programme: Programme, tmp_path: Path
) -> None:
    from evallib.engine.prepare import prepare_data

    # A file that opens but cannot be read (even by root): a link to this process's memory.
    (raw / "14WE" / "lesuren.csv").unlink()
    (raw / "14WE" / "lesuren.csv").symlink_to("/proc/self/mem")
    config = _config(raw, tmp_path)
    meta, _ = prepare_data(config, programme, _quiet)
    errors = [p for p in meta["problems"] if p["severity"] == "error"]
    assert [p["file"] for p in errors] == ["14WE/lesuren.csv"]
    assert "14WE" in meta["failed_schools"] and "01GX" in meta["schools"]


def test_a_folder_where_a_file_should_be_is_named_as_such(raw: Path, programme: Programme) -> None:
    (raw / "14WE" / "lesuren.csv").unlink()
    (raw / "14WE" / "lesuren.csv").mkdir()
    problems = validate_directory(raw, programme).errors
    assert [(p.file, p.found) for p in problems] == [("14WE/lesuren.csv", "een map")]


def test_an_empty_data_folder_is_an_error(tmp_path: Path) -> None:
    from evallib.core.errors import InputError

    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="geen schoolmappen"):
        validate_directory(tmp_path / "empty", PROGRAMME)


def test_end_to_end_a_change_behind_a_symlinked_school_folder_rebuilds_its_report(
    raw: Path, tmp_path: Path, light_run: RunConfig
) -> None:
    # The case as a user meets it: "0 gemaakt, 9 uit de cache" after such a change.
    from evallib.engine.run import run

    elsewhere = _behind_a_link(raw, tmp_path)
    first = run(light_run)
    assert first.ok and first.cache_hits == 0
    report = light_run.reports_dir / "02GP-rijnlands-lyceum-wassenaar.html"
    before = report.read_bytes()

    change_one_digit(elsewhere / "lesuren.csv")
    second = run(light_run)
    assert second.ok and second.validated
    rebuilt = {o.brin for o in second.outcomes if not o.cached}
    assert "02GP" in rebuilt and "01GX" not in rebuilt
    assert report.read_bytes() != before  # the light notebook prints a fingerprint of the data
