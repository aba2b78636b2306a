"""End to end: `evallib run` on the example data, as a user runs it, and what the reports hold."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from evallib.contract.programme import load_programme
from evallib.engine.run import report_name

PROGRAMME = load_programme("programmes/haaglanden-2013.yaml")
GOLDEN = Path("tests/golden")


@pytest.fixture(scope="session")
def run(example_run) -> tuple[subprocess.CompletedProcess, Path]:
    """`evallib run` on a copy of the example data (conftest's, built once per session)."""
    return example_run.completed, example_run.reports


def _reports(reports: Path) -> list[Path]:
    return sorted(reports.glob("*.html"))


def test_run_succeeds_and_summarises(run) -> None:
    completed, _ = run
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Samenvatting van de run" in completed.stdout
    assert "9 van 9 rapporten in orde" in " ".join(completed.stdout.split())
    assert "Traceback" not in completed.stderr, completed.stderr


def test_every_report_exists(run) -> None:
    _, reports = run
    names = {p.name for p in _reports(reports)}
    expected = {"index.html", "regio.html"} | {
        report_name(s.brin, s.name) for s in PROGRAMME.participating
    }
    assert names == expected


def test_reports_are_marked_offline_and_without_code(run) -> None:
    _, reports = run
    for path in _reports(reports):
        html = path.read_text(encoding="utf-8")
        assert "SYNTHETISCHE DATA — geen echte schoolgegevens" in html, path.name
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), (
            path.name
        )  # nothing fetched
        assert not re.search(r"<script[^>]*\bsrc=", html), path.name
        assert not re.search(r"<link[^>]*stylesheet", html), path.name
        for marker in (
            "jp-InputArea",
            "input_area",
            "highlight-ipynb",
            "In&nbsp;[",
            "report.header()",
        ):
            assert marker not in html, (path.name, marker)


def test_school_report_shows_evidence_for_each_target(run) -> None:
    _, reports = run
    for school in PROGRAMME.participating:
        html = (reports / report_name(school.brin, school.name)).read_text(encoding="utf-8")
        for project in PROGRAMME.projects_of(school.brin):
            assert "<h2" in html and project.name in html, (school.brin, project.id)
            for target in project.targets:
                if {"school", "location"} & set(target.levels):
                    assert target.title in html or target.title.replace('"', "&quot;") in html, (
                        school.brin,
                        target.id,
                    )
        for header in ("Nulmeting", "Meting", "Uitkomst (95%-interval)", "Status"):
            assert header in html, (school.brin, header)
        assert "(n = " in html or "telling" in html
        images = re.findall(r'<img [^>]*alt="([^"]*)"', html)
        assert images, school.brin
        assert all(alt and "No description" not in alt for alt in images), school.brin


def test_percentages_come_with_n(run) -> None:
    """Every table row that shows a measured share also shows its n (in a cell or an n column)."""
    _, reports = run
    checked = 0
    for path in _reports(reports):
        html = path.read_text(encoding="utf-8")
        for table in re.findall(r"<table.*?</table>", html, flags=re.S):
            has_n_column = bool(re.search(r"<th[^>]*>[^<]*\(n\)</th>", table))
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
                if re.search(r"<td>[^<]*\d,\d%", row):  # a measured share, e.g. 24,3%
                    checked += 1
                    assert has_n_column or "n = " in row or " van " in row, (path.name, row[:300])
    assert checked > 50


def test_index_matches_golden_file(run) -> None:
    _, reports = run
    html = (reports / "index.html").read_text(encoding="utf-8")
    golden = GOLDEN / "index.html"
    if os.environ.get("EVALLIB_UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), (
        "index.html changed; inspect it, then update with EVALLIB_UPDATE_GOLDEN=1 pytest tests/test_pipeline.py"
    )


def _visible_text(html: str) -> str:
    """Report text as a reader sees it: no embedded images, no SHA-256 hashes, no tags."""
    html = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", " ", html)
    html = re.sub(r"<code>[0-9a-f]{64}</code>", " ", html)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_teacher_id_or_birth_year_reaches_a_report(run, example_run) -> None:
    import pandas as pd

    _, reports = run
    # the validated staff table the reports were made from (not validated again here)
    staff = pd.read_parquet(example_run.processed / "personeel.parquet")
    ids = set(staff["docent_id"])
    # Identifiers are single words, so one shows exactly when it is one of the text's words.
    assert all(re.fullmatch(r"\w+", i) for i in ids)
    birth_years = {str(y) for y in staff["geboortejaar"].dropna().astype(int)}
    for path in _reports(reports):
        html = path.read_text(encoding="utf-8")
        text = _visible_text(html)
        assert not ids & set(re.findall(r"\w+", text)), path.name
        assert not re.findall(r"\b19[4-9]\d\b", text), (path.name, "birth year")
        assert not birth_years & set(re.findall(r"\b\d{4}\b", text)) - {
            "2010",
            "2011",
            "2012",
            "2013",
            "2014",
            "2015",
            "2016",
        }


def test_small_groups_never_show_their_count(run) -> None:
    _, reports = run
    person_words = r"(?:starters?|docenten|personen|teamleden|respondenten|deelnemers|docentjaren)"
    for path in _reports(reports):
        text = " ".join(_visible_text(path.read_text(encoding="utf-8")).split())
        for number in re.findall(r"\bn = (\d+)", text):
            assert int(number) >= 10, (path.name, f"n = {number}")
        for number in re.findall(rf"\b(\d+) {person_words}\b", text):
            assert int(number) == 0 or int(number) >= 10, (path.name, number)
        # no counts of persons behind a share ("3 van 4 locaties" on the index counts locations,
        # "11 van 14 doelen gehaald" in a headline counts targets)
        assert not re.search(r"\b\d+ van \d+\b(?! (?:locaties|doel|doelen)\b)", text), path.name
    adelbert = (reports / report_name("14WE", "Adelbert College")).read_text(encoding="utf-8")
    assert "minder dan 10" in adelbert  # Adelbert's small starter groups are there, suppressed


def test_school_reports_name_the_comparison_schools_in_words(run) -> None:
    """Beside each dropout and digital table: the comparison schools' figure, with the caveat,
    or, where their figures are hidden in both periods, that they give no comparison."""
    _, reports = run
    names = [s.name for s in PROGRAMME.comparison]
    with_tables = 0
    for path in _reports(reports):
        if path.name in ("index.html", "regio.html"):
            continue
        text = path.read_text(encoding="utf-8")
        tables = len(re.findall(r"<h3[^>]*>(Uitval van starters na|Digitale didactiek:)", text))
        sentences = re.findall(r"<p>(Ter vergelijking: .*?|De vergelijkingsscholen .*?)</p>", text)
        assert len(sentences) == tables, path.name
        for sentence in sentences:
            assert all(name in sentence for name in names), sentence
            shown = "geen bewijs" in sentence and "n = " in sentence
            assert shown or "geven hier geen vergelijking" in sentence, sentence
        with_tables += bool(sentences)
    assert with_tables >= 6


def test_dutch_reports_hold_no_english_method_words(run) -> None:
    """Methods are explained in Dutch, folded under 'Hoe is dit berekend?' (issue 13.5)."""
    _, reports = run
    for path in _reports(reports):
        text = path.read_text(encoding="utf-8")
        visible = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>|data:[^\"']+", " ", text, flags=re.S)
        for word in ("clustered", "least squares", "cox", "standard error", " se:", "t(4)"):
            assert word not in visible.lower(), (path.name, word)


def _counts_in_sentence(sentence: str) -> set[str]:
    """The n's and counts a verdict states: ``(34 starters)``, ``was 3 in 2015/16`` and
    ``was 2, minimaal``."""
    patterns = (
        r"\((\d+) [^\d)]*\)",
        r"(?:: | was )(\d+)[^,:]*? in \d{4}/\d{2}",
        r"(?:: | was )(\d+)[^,:]*, minimaal",
    )
    return {n for pattern in patterns for n in re.findall(pattern, sentence)}


def test_every_count_in_a_verdict_is_the_count_in_its_table_row(run) -> None:
    """A summary sentence and its target's row agree on each n and count (issue 13.3)."""
    _, reports = run
    checked = 0
    for path in _reports(reports):
        if path.name in ("index.html", "regio.html"):
            continue
        text = path.read_text(encoding="utf-8")
        verdicts = re.findall(
            r'<li><span class="badge[^"]*">.*?</span> <strong>([^<]*)</strong><p>(.*?)</p>', text
        )
        rows = {
            title: re.sub(r"<[^>]+>", " ", row)
            for title, row in re.findall(
                r'<tr class="target" id="doel-[^"]+"><td><div>([^<]*)(<.*?)</tr>', text, re.S
            )
        }
        for title, sentence in verdicts:
            row_numbers = set(re.findall(r"\b\d+\b", rows[title]))
            missing = _counts_in_sentence(sentence) - row_numbers
            assert not missing, (path.name, title, sentence, rows[title])
            checked += bool(_counts_in_sentence(sentence))
    assert checked >= 15
