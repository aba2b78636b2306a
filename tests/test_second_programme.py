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


@pytest.mark.parametrize("school", [s.brin for s in load_programme(PROGRAMME).participating])
def test_every_school_report_renders(processed: Path, school: str) -> None:
    report = SchoolReport.load(PROGRAMME, processed, school)
    html = "".join(str(report.project(p)) for p in report.projects())
    assert report.projects() and "<table" in html
