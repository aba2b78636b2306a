"""The reports in a real browser: no errors or outside requests, working index, no serious a11y problems.

Screenshots go to ``test-artifacts/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser, require_chromium, visit

from evallib.contract.programme import load_programme
from evallib.engine.run import report_name
from evallib.reporting.index import INDEX

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
PROGRAMME = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")
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


@pytest.fixture(scope="module")
def instance(reports: Path):
    """One headless Chromium for this module's tests; each test opens its own pages."""
    with browser() as chromium:
        yield chromium


def test_reports_open_cleanly_and_show_the_statuses(reports: Path, instance) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
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


def _visible_names(page) -> set[str]:
    rows = page.locator("#schools tbody tr").all()
    return {r.locator("th a").inner_text() for r in rows if r.is_visible()}


def test_index_filters_and_sorts(reports: Path, instance) -> None:
    page, record = visit(instance, reports / "index.html")
    assert page.locator("#schools tbody tr").count() == 8
    page.fill("#search", "delft")
    assert _visible_names(page) == {"Christelijk Lyceum Delft", "Stanislas College"}
    assert page.inner_text("#shown") == "2 van 8 scholen"
    page.fill("#search", "")
    page.select_option("#status", "niet_gehaald")
    names = _visible_names(page)
    assert "Stanislas College" in names and "Christelijk Lyceum Delft" not in names
    marked = page.locator("#schools td.match").all()  # the matching cells are marked
    assert marked and all(c.get_attribute("data-status") == "niet_gehaald" for c in marked)
    page.select_option("#status", "")
    for project in PROGRAMME.projects:  # a project: its columns, and its schools
        page.select_option("#project", project.id)
        shown = {
            h.get_attribute("data-project")
            for h in page.locator("#schools [data-project]").all()
            if h.is_visible()
        }
        assert shown == {project.id}, project.id
        assert _visible_names(page) == {
            s.name for s in PROGRAMME.participating if project in PROGRAMME.projects_of(s.brin)
        }, project.id
    page.select_option("#project", "")
    sort = "#schools thead th[data-sort='name']"
    page.click(f"{sort} button")  # ascending
    page.click(f"{sort} button")  # and descending
    first = page.locator("#schools tbody tr").first.locator("th a").inner_text()
    assert first == "Stanislas College"
    assert page.get_attribute(sort, "aria-sort") == "descending"
    page.screenshot(path=str(ARTIFACTS / "index-sorted.png"))
    assert not record.errors and not record.outside_requests


def test_index_grid_has_every_school_and_target_and_its_links_land(reports: Path, instance) -> None:
    """Every school × target has a cell; every badge leads to that target's row in the report,
    which shows the same status; every report leads back to the index."""
    columns = [t.id for t in PROGRAMME.targets if {"school", "location"} & set(t.levels)]
    page, _ = visit(instance, reports / "index.html")
    assert page.locator("#schools thead tr").nth(1).locator("th").count() == len(columns)
    links: dict[str, list[tuple[str, str]]] = {}
    for school in PROGRAMME.participating:
        row = page.locator(f"#schools tbody tr[data-brin='{school.brin}']")
        assert row.locator("td[data-project]").count() == len(columns), school.brin
        own = [
            t.id
            for project in PROGRAMME.projects_of(school.brin)
            for t in project.targets
            if t.id in columns
        ]  # a status for every target of the school's projects, a dash for the others
        assert row.locator("td[data-status]").count() == len(own), school.brin
        for cell in row.locator("td[data-status]").all():
            file, anchor = cell.locator("a").get_attribute("href").split("#")
            assert file == report_name(school.brin, school.name)
            links.setdefault(file, []).append((anchor, cell.get_attribute("data-status")))
    report = instance.new_page()
    for file, anchors in links.items():
        report.goto((reports / file).resolve().as_uri())
        assert report.locator(f"a[href='{INDEX}']").count() == 1, file
        for anchor, status in anchors:
            row = report.locator(f"[id='{anchor}']")
            assert row.count() == 1, (file, anchor)
            assert row.locator(f".badge.status-{status}").count() == 1, (file, anchor)
    report.goto((reports / "regio.html").resolve().as_uri())
    assert report.locator(f"a[href='{INDEX}']").count() == 1


def test_index_is_readable_without_scripts(reports: Path, instance) -> None:
    context = instance.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((reports / "index.html").resolve().as_uri())
    assert page.locator("#schools tbody tr").count() == 8
    assert page.is_hidden("#controls")  # search controls appear only when they work
    assert page.locator("#schools thead button").count() == 0  # no buttons that do nothing
    badges = page.locator("#schools td[data-status] .badge")
    assert badges.count() > 30 and all(b.is_visible() for b in badges.all())
    context.close()


@pytest.mark.parametrize("label", ["index", "missed"])
def test_no_serious_accessibility_violations(reports: Path, instance, label: str) -> None:
    page, _ = visit(instance, reports / PAGES[label])
    page.add_script_tag(path=str(AXE))  # axe-core from a local file: nothing is fetched
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], v["help"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
