"""The bad-input corpus: every case in tests/bad_inputs/ gives the messages it must give.

Each case folder holds a fragment of a raw data directory (``14WE/lesuren.csv``,
...) and ``expected.yaml`` (format in ``tests/bad_inputs/README.md``). The
fragment is dropped into a copy of the example data: a delivered file replaces
the example's file of the same kind. By default only the example folders of the
schools a case touches are copied (validation rules never look across schools,
and it keeps the corpus at about a second a case); set ``EVALLIB_CORPUS_FULL=1``
to copy the whole example set instead.

Every case runs ``evallib validate`` and checks both what
:func:`evallib.validation.validate.validate_directory` returned inside it (problems, values,
counts) and what the command printed (exit code, each problem with file and row,
no traceback).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from in_process import validated_by_cli

from evallib.contract.programme import load_programme
from evallib.ingest.read import normalise_header
from evallib.validation.validate import ValidationResult, validate_directory

CORPUS = Path(__file__).parent / "bad_inputs"
EXAMPLE = Path("data/raw/example")
PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")
FULL = os.environ.get("EVALLIB_CORPUS_FULL") == "1"
_SCHOOL = re.compile(r"^[0-9]{2}[A-Z]{2}")
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").exists())


def load_case(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / name / "expected.yaml").read_text(encoding="utf-8"))


def build_raw(name: str, case: dict[str, Any], tmp_path: Path) -> Path:
    """A raw directory: (part of) the example data with the case's files dropped in."""
    source = CORPUS / name
    raw = tmp_path / "raw"
    folders = sorted(p for p in source.iterdir() if p.is_dir())
    if FULL:
        shutil.copytree(EXAMPLE, raw)
    else:
        raw.mkdir()
        for school in touched(name, case):
            if (EXAMPLE / school).is_dir():
                shutil.copytree(EXAMPLE / school, raw / school)
    for folder in folders:
        target = raw / folder.name
        if case.get("replace_school") and target.exists():
            shutil.rmtree(target)
        target.mkdir(exist_ok=True)
        for path in sorted(folder.iterdir()):
            kind = normalise_header(path.stem)
            for old in list(target.iterdir()):
                if not case.get("add_only") and normalise_header(old.stem) == kind:
                    old.unlink()  # the delivered file replaces the example's file of that kind
            shutil.copy2(path, target / path.name)
    for relative in case.get("remove", []):
        (raw / relative).unlink()
    return raw


def matches(problem: Any, want: dict[str, Any]) -> bool:
    return (
        problem.file == want["file"]
        and problem.row == want.get("row")
        and problem.column == want.get("column")
        and problem.code == want["code"]
        and problem.severity == want.get("severity", "error")
        and want.get("message", "") in problem.message
        and str(want.get("found", "")) in problem.found
    )


def touched(name: str, case: dict[str, Any]) -> list[str]:
    """The school folders a case changes: its own folders and those it removes files from."""
    folders = {p.name for p in (CORPUS / name).iterdir() if p.is_dir()}
    return sorted(folders | {r.split("/")[0] for r in case.get("remove", [])})


def check_values(
    result: ValidationResult, checks: list[dict[str, Any]], schools: list[str]
) -> None:
    for check in checks:
        table = result.tables[check["table"]]
        rows = table[table["brin"].isin(schools)]  # ids repeat across schools
        for column, value in check["where"].items():
            rows = rows[rows[column] == value]
        assert len(rows) == 1, f"{check['where']} matches {len(rows)} rows"
        row = rows.iloc[0]
        for column, value in check["equals"].items():
            got = row[column]
            if isinstance(value, dt.date):
                got = pd.Timestamp(got).date()
            assert got == value, f"{column}: {got!r} != {value!r}"


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path) -> None:
    case = load_case(name)
    raw = build_raw(name, case, tmp_path)
    # one validation serves both checks: great_expectations takes about half a second per
    # run whatever the size of the data
    cli, result = validated_by_cli(raw, tmp_path / "processed")
    result = result or validate_directory(raw, PROGRAMME)
    expected = case.get("problems", [])
    for want in expected:
        assert any(matches(p, want) for p in result.problems), (
            f"not reported: {want}\nreported: {[str(p) for p in result.problems]}"
        )
    ours = [
        p for p in result.errors if p.file.startswith(tuple(f"{s}/" for s in touched(name, case)))
    ]
    if case.get("valid"):
        assert not ours, [str(p) for p in ours]
    else:
        assert ours, "a bad case must give at least one error"
        unexpected = [p for p in ours if not any(matches(p, w) for w in expected)]
        assert not unexpected, [f"{p.code}: {p}" for p in unexpected]
    for problem in result.problems:
        assert len(problem.found) <= 200 and "\n" not in problem.found
        assert "Error" not in problem.message and "Traceback" not in problem.message
    for text in case.get("not_reported", []):
        assert not any(text in p.file for p in result.problems), text
    if "found_max_length" in case:
        assert all(len(p.found) <= case["found_max_length"] for p in ours)
    check_values(result, case.get("values", []), touched(name, case))
    for want in case.get("files", []):
        info = next(f for f in result.files if f.label == want["file"])
        for key, value in want.items():
            if key != "file":
                assert getattr(info, key) == value, f"{want['file']}: {key} {getattr(info, key)!r}"
    counts = result.counts()
    assert counts.rows_processed == sum(len(t) for t in result.tables.values())

    output = " ".join(cli.output.split())
    crashed = cli.exception is not None and not isinstance(cli.exception, SystemExit)
    assert not crashed, repr(cli.exception)
    assert "Traceback" not in output, output
    assert cli.exit_code == (0 if case.get("valid") else 1), output
    for want in expected:
        where = want["file"] + (f", regel {want['row']}" if want.get("row") else "")
        shown = (where, want.get("message", ""), str(want.get("found", "")))
        assert all(text in output for text in shown), (shown, output[-3000:])


def test_generated_files_are_reproducible() -> None:
    """make_xlsx.py writes exactly the committed bytes (workbooks, binaries, encodings)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_xlsx", CORPUS / "make_xlsx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for relative, data in module.build().items():
        assert (CORPUS / relative).read_bytes() == data, relative


def test_corpus_is_big_enough_and_documented() -> None:
    bad = [c for c in CASES if not load_case(c).get("valid")]
    assert len(CASES) >= 40 and len(bad) >= 30
    for name in CASES:
        case = load_case(name)
        assert case.get("title"), name
        assert case.get("valid") or case.get("problems"), name
