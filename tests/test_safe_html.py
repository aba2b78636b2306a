"""Hostile strings in names and data render as text: no script runs, nothing is fetched."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser, require_chromium, visit
from small_example import small_example, trimmed_programme

from evallib.engine.run import RunConfig, report_name, run

ROOT = Path(__file__).resolve().parents[1]
SCHOOL = "<script>alert('school')</script> Lyceum"
LOCATION = "<img src=x onerror=alert('locatie')>"
CELL = "<script>alert('cel')</script>"
ARTIFACTS = ROOT / "test-artifacts"


#: The schools the hostile run keeps: a school report (01GX), a failure page (02GP), one
#: school in each of the other projects (02DZ: school.ipynb shows every project) and the
#: comparison schools of the overview. 3 notebooks instead of 10.
KEEP = {"01GX", "02GP", "02DZ", "00PJ", "20AB"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("hostile")
    programme = trimmed_programme(KEEP)
    school = next(s for s in programme["schools"] if s["brin"] == "01GX")
    school["name"], school["locations"]["00"] = SCHOOL, LOCATION
    small_example(tmp, KEEP, programme)
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


@pytest.mark.browser
def test_pages_run_no_data_script_open_no_dialog_and_fetch_nothing(hostile) -> None:
    require_chromium()
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
