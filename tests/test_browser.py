"""The reports in a real browser: no errors or outside requests, working index, no serious a11y problems.

Screenshots go to ``test-artifacts/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser, require_chromium, visit

from evallib.engine.run import report_name

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
PAGES = {
    "index": "index.html",
    "missed": report_name(
        "21HC", "Interconfessionele Scholengroep Westland"
    ),  # a target 'niet gehaald'
    "insufficient": report_name("14WE", "Adelbert College"),  # starters: 'onvoldoende gegevens'
}


@pytest.fixture(scope="module")
def reports(example_run) -> Path:
    require_chromium()
    assert example_run.completed.returncode == 0, example_run.completed.stderr
    return example_run.reports


def test_reports_open_cleanly_and_show_the_statuses(reports: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with browser() as instance:
        for label, name in PAGES.items():
            page, record = visit(instance, reports / name)
            page.screenshot(path=str(ARTIFACTS / f"{label}.png"), full_page=True)
            assert not record.outside_requests, (name, record.outside_requests)
            assert not record.errors and not record.dialogs, (name, record.errors, record.dialogs)
            assert not [c for c in record.console if c.startswith(("error", "warning"))], (
                name,
                record.console,
            )
            text = page.inner_text("body")
            assert "SYNTHETISCHE DATA" in text
            if label == "missed":
                assert "niet gehaald" in text
            if label == "insufficient":
                assert "onvoldoende gegevens" in text and "Te weinig gegevens" in text
            page.close()


def test_index_sorts_and_filters(reports: Path) -> None:
    with browser() as instance:
        page, record = visit(instance, reports / "index.html")
        rows = page.locator("#schools tbody tr")
        assert rows.count() == 8
        page.fill("#search", "delft")
        visible = [r for r in rows.all() if r.is_visible()]
        assert {r.locator("td").first.inner_text() for r in visible} == {
            "Christelijk Lyceum Delft",
            "Stanislas College",
        }
        assert page.inner_text("#shown") == "2 van 8 scholen"
        page.fill("#search", "")
        page.select_option("#status", "niet_gehaald")
        names = {r.locator("td").first.inner_text() for r in rows.all() if r.is_visible()}
        assert "Stanislas College" in names and "Christelijk Lyceum Delft" not in names
        page.select_option("#status", "")
        page.click("#schools thead th:nth-child(4) button")  # 'gehaald' count, ascending
        page.click("#schools thead th:nth-child(4) button")  # and descending
        first = rows.first.locator("td").first.inner_text()
        assert first == "Stanislas College"  # most targets met
        assert page.get_attribute("#schools thead th:nth-child(4)", "aria-sort") == "descending"
        page.screenshot(path=str(ARTIFACTS / "index-sorted.png"))
        assert not record.errors and not record.outside_requests


def test_index_is_readable_without_scripts(reports: Path) -> None:
    with browser() as instance:
        context = instance.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto((reports / "index.html").resolve().as_uri())
        assert page.locator("#schools tbody tr").count() == 8
        assert page.is_hidden("#controls")  # search controls appear only when they work
        context.close()


@pytest.mark.parametrize("label", ["index", "missed"])
def test_no_serious_accessibility_violations(reports: Path, label: str) -> None:
    with browser() as instance:
        page, _ = visit(instance, reports / PAGES[label])
        page.add_script_tag(path=str(AXE))  # axe-core from a local file: nothing is fetched
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (v["id"], v["impact"], v["help"], len(v["nodes"]))
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, serious
