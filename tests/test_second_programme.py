"""The second shipped programme (Onderwijsregio Haaglanden 2024) on its own example data:
every school report and the overview render, as `make demo` builds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from evallib.contract.programme import load_programme
from evallib.reporting.region import RegionReport
from evallib.reporting.school import SchoolReport
from evallib.validation.validate import validate_directory, write_processed

PROGRAMME = Path("programmes/onderwijsregio-haaglanden-2024.yaml")
RAW = Path("data/raw/example-onderwijsregio-2024")


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("or2024") / "processed"
    programme = load_programme(PROGRAMME)
    write_processed(validate_directory(RAW, programme), out, programme)
    return out


def test_the_overview_renders_every_section(processed: Path) -> None:
    report = RegionReport.load(PROGRAMME, processed)
    parts = [report.header(), report.summary(), report.school_matrix(), report.sections()]
    html = "".join(str(part) for part in parts)
    assert "Haags Inductie Programma" in html
    assert "Traceback" not in html


def test_region_figures_show_in_their_unit_without_an_n(processed: Path) -> None:
    # The indicator file's figures have no n: the targets table once showed the po shortage
    # (50 and 42.5 fte) as "5.000,0% (n = 0)" and "4.250,0% (n = 0)", and called its fall
    # "uitval −10% of meer", the words of a dropout target.
    import html as markup
    import re

    summary = str(RegionReport.load(PROGRAMME, processed).summary())
    rows = {
        markup.unescape(re.sub(r"<[^>]+>", "", cells[0])): [
            markup.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells
        ]
        for cells in (
            re.findall(r"<td>(.*?)</td>", row, re.S)
            for row in re.findall(r'<tr class="target"[^>]*>(.*?)</tr>', summary, re.S)
        )
    }
    shortage = next(v for k, v in rows.items() if k.startswith("Tekort aan leraren in het po"))
    assert shortage[2:6] == ["−10% of meer", "50 fte", "42,5 fte", "−15% t.o.v. nulmeting"]
    stopping = next(v for k, v in rows.items() if k.startswith("Hooguit een kwart"))
    assert stopping[4] == "20,0%"  # a share delivered without its n
    assert "(n = 0)" not in summary
    starters = next(v for k, v in rows.items() if k.startswith("Uitval van startende"))
    assert starters[2] == "uitval −25% of meer"  # a dropout target keeps its words


def test_a_figure_without_n_is_explained_once_and_its_target_written_as_in_the_table(
    processed: Path,
) -> None:
    # The summary's verdict called the shortage target "hooguit −10%" beside the table's
    # "−10% of meer", and the explanation under each such row said twice that the figure
    # has no interval ("... geen interval (geen n bekend). Dit cijfer komt zonder n ...").
    import html as markup
    import re

    summary = markup.unescape(
        re.sub(r"<[^>]+>", " ", str(RegionReport.load(PROGRAMME, processed).summary()))
    )
    text = re.sub(r"\s+", " ", summary)
    assert (
        "Tekort aan onderwijzend personeel in het po: −15%; het doel (−10% of meer) is gehaald"
        in text
    )
    assert "hooguit −" not in text
    reason = "Het komt zonder n en heeft daarom geen interval: het cijfer zelf beslist."
    assert text.count(reason) == 3  # the shortage, the vacancies and the zij-instroom share
    assert "zonder n en heeft daarom geen interval: het cijfer zelf beslist. Dit cijfer" not in text


@pytest.mark.parametrize("school", [s.brin for s in load_programme(PROGRAMME).participating])
def test_every_school_report_renders(processed: Path, school: str) -> None:
    report = SchoolReport.load(PROGRAMME, processed, school)
    html = "".join(str(report.project(p)) for p in report.projects())
    assert report.projects() and "<table" in html


def test_the_retention_chart_marks_no_target_from_a_nulmeting_giving_its_count_away(
    processed: Path,
) -> None:
    # De Populier's nulmeting: 20 starters, about 34% left within 2 years, so its table hides
    # that share (rule 5 of docs/privacy.md: 7 leavers). The chart's mark "doel na 2 jaar: 83%
    # blijft" was 1 - 0.34 x 0.5 and gave it back.
    from evallib.evaluation.privacy import reveals_count
    from evallib.reporting.sections.dropout import retention_goal

    report = SchoolReport.load(PROGRAMME, processed, "02GJ")
    target = next(t for t in report.programme.targets if t.measure.name == "starter_dropout")
    base = next(r for r in report.results if r.target is target).evidence.baseline
    assert base.n == 20 and reveals_count(base, report.k)
    assert retention_goal(report, target) is None


def test_a_milestone_plan_is_written_with_the_language_s_thousands_separator(
    processed: Path,
) -> None:
    # "het aantal studenten was 1.943 in 2024, gepland ≥ 1619": the count had its separator,
    # the plan beside it had none.
    import html as markup
    import re

    for lang, plan in (("nl", "≥ 1.619"), ("en", "≥ 1,619")):
        summary = str(RegionReport.load(PROGRAMME, processed, lang=lang).summary())
        text = re.sub(r"\s+", " ", markup.unescape(re.sub(r"<[^>]+>", " ", summary)))
        assert text.count(plan) >= 2, lang  # the verdict and the targets table (and its reason)
        assert "1619" not in text, lang
