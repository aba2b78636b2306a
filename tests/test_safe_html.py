"""Hostile strings in names and data render as text: no script runs, nothing is fetched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from browser import browser, require_chromium, visit

from evallib.engine.run import RunConfig, report_name, run

ROOT = Path(__file__).resolve().parents[1]
SCHOOL = "<script>alert('school')</script> Lyceum"
LOCATION = "<img src=x onerror=alert('locatie')>"
CELL = "<script>alert('cel')</script>"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    require_chromium()
    tmp = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "data" / "raw" / "example", tmp / "raw")
    programme = yaml.safe_load(
        (ROOT / "programmes" / "haaglanden-2013.yaml").read_text(encoding="utf-8")
    )
    school = next(s for s in programme["schools"] if s["brin"] == "01GX")
    school["name"], school["locations"]["00"] = SCHOOL, LOCATION
    (tmp / "programme.yaml").write_text(
        yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8"
    )
    path = (
        tmp / "raw" / "02GP" / "personeel.csv"
    )  # one school's file with a hostile cell: a failure page
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[2] = CELL  # vestiging
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run(
        RunConfig(
            root=ROOT,
            raw_dir=tmp / "raw",
            programme_file=tmp / "programme.yaml",
            processed_dir=tmp / "processed",
            reports_dir=tmp / "reports",
            executor="sequential",
        )
    )
    assert not summary.ok  # 02GP fails on its bad cell; the others are built
    names = {
        "index": "index.html",
        "regio": "regio.html",
        "school": report_name("01GX", SCHOOL),
        "failure": report_name("02GP", "Rijnlands Lyceum Wassenaar"),
    }
    return tmp / "reports", names


def test_hostile_strings_are_escaped_in_the_html(hostile) -> None:
    reports, names = hostile
    for name in names.values():
        html = (reports / name).read_text(encoding="utf-8")
        for raw in (SCHOOL, LOCATION, CELL):
            assert raw not in html, (name, raw)  # only the escaped form may be there
        assert "<script>alert" not in html and "<img src=x" not in html, name


def test_pages_run_no_data_script_open_no_dialog_and_fetch_nothing(hostile) -> None:
    reports, names = hostile
    ARTIFACTS.mkdir(exist_ok=True)
    with browser() as instance:
        for label, name in names.items():
            page, record = visit(instance, reports / name)
            text = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / f"safe-html-{label}.png"), full_page=False)
            assert not record.dialogs, (name, record.dialogs)
            assert not record.outside_requests, (name, record.outside_requests)
            assert not record.errors, (name, record.errors)
            assert not [c for c in record.console if c.startswith("error")], (name, record.console)
            if label in ("index", "school"):
                assert SCHOOL in text, name  # shown as text, exactly as given
            if label == "school":
                assert LOCATION in text
            if label == "failure":
                assert CELL in text
            page.close()
