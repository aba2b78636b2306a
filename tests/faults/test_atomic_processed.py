"""Class 1: processed data are all or nothing, and the input key is written with them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from small_example import programme_file

from evallib.contract.programme import Programme
from evallib.engine.run import RunConfig
from evallib.validation.validate import validate_directory, write_processed

ROOT = Path(__file__).resolve().parents[2]


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))
    }


class Interrupted(BaseException):
    """Stands in for SIGKILL: nothing after it runs (it is no Exception, so nothing catches it)."""


def _new_delivery_validated_until_killed(
    raw: Path, processed: Path, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new delivery of one school (a birth year changed in its staff file) is validated, and
    the validation is killed after the first Parquet file (the staff) was written; then the
    school takes its delivery back, so the raw files are those of the validation before."""
    path = raw / "14WE" / "personeel.csv"
    original = path.read_bytes()
    path.write_bytes(original.replace(b"ACZ2BX,14WE,00,1967", b"ACZ2BX,14WE,00,1968"))
    assert path.read_bytes() != original
    written = []

    def to_parquet(frame: pd.DataFrame, target, *args, **kwargs) -> None:
        if written:
            raise Interrupted
        written.append(target)
        original_to_parquet(frame, target, *args, **kwargs)

    original_to_parquet = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)
    with pytest.raises(Interrupted):
        write_processed(validate_directory(raw, programme), processed, programme)
    monkeypatch.undo()
    path.write_bytes(original)


def test_an_interrupted_validation_never_leaves_new_tables_under_the_old_key(
    raw: Path, programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evallib.engine.prepare import prepare_data

    config = RunConfig(
        root=ROOT,
        raw_dir=raw,
        programme_file=programme_file(raw),
        processed_dir=tmp_path / "processed",
    )
    meta, validated = prepare_data(config, programme, lambda *a: None)
    assert validated
    clean = _digests(config.processed)

    _new_delivery_validated_until_killed(raw, config.processed, programme, monkeypatch)
    meta, validated = prepare_data(config, programme, lambda *a: None)
    # Skipping validation is right only if the processed data are those of these inputs.
    assert _digests(config.processed) == clean
    assert meta["input_key"] and "raw_files" in meta
    assert not [p.name for p in config.processed.parent.iterdir() if p.name.startswith(".")]


def test_end_to_end_a_run_after_an_interrupted_validation_builds_from_its_own_inputs(
    raw: Path, programme: Programme, light_run: RunConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a user meets it: an interrupted validation, the delivery taken back, then a run.
    # Before the fix that run said "validatie: overgeslagen" and built its reports from the
    # interrupted validation's tables, which match no input.
    from evallib.engine.run import run

    assert run(light_run).ok
    report = light_run.reports_dir / "14WE-adelbert-college.html"
    clean = report.read_bytes()

    _new_delivery_validated_until_killed(raw, light_run.processed, programme, monkeypatch)
    again = run(light_run)
    assert again.ok
    assert report.read_bytes() == clean  # built from the data of these inputs
