"""Classes 7 and 9: input never controls the terminal; names from data never break output."""

from __future__ import annotations

import io
from pathlib import Path

from small_example import programme_file
from typer.testing import CliRunner

from evallib.cli import app
from evallib.contract.programme import Programme, load_programme
from evallib.engine.run import report_name
from evallib.reporting.index import failure_page
from evallib.validation.validate import validate_directory

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")
HOSTILE = "\x1b]0;gehackt\x07\x1b[2J:x:[bold]vet[/bold]\u202e00"


def _plant(raw: Path) -> None:
    path = raw / "14WE" / "personeel.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ACZ2BX,14WE,00,", f"ACZ2BX,14WE,{HOSTILE},", 1), encoding="utf-8")


def test_validate_shows_control_characters_markup_and_emoji_codes_as_text(
    raw: Path, tmp_path: Path
) -> None:
    _plant(raw)
    result = CliRunner().invoke(
        app,
        ["validate", str(raw), "--programme", str(programme_file(raw)), "--out", str(tmp_path)],
        color=True,
    )
    out = result.output
    assert result.exit_code == 1
    assert "\x1b]0;" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "\\x1b]0;gehackt\\x07" in out and "<U+202E>" in out
    assert ":x:" in out and "❌" not in out and "[bold]vet[/bold]" in out


def test_a_right_to_left_override_is_visible_in_the_failure_page(
    raw: Path, programme: Programme
) -> None:
    _plant(raw)
    problems = [p for p in validate_directory(raw, programme).errors if p.school == "14WE"]
    page = failure_page(programme.school("14WE"), problems, "fouten", True)
    assert "\u202e" not in page and "\x1b" not in page
    assert "&lt;U+202E&gt;" in page or "<U+202E>" in page


def test_report_file_names_are_bounded_unique_and_never_lose_the_name() -> None:
    long = report_name("01GX", "Christelijk Lyceum " * 20)  # a 380-character school name
    chinese = report_name("01MB", "北京第一中学")
    assert len(long) <= 70 and long.startswith("01GX-christelijk-lyceum")
    assert chinese == "01MB-beijingdiyizhongxue.html"
    assert report_name("01MB", "!!!") == "01MB.html"
    names = {report_name(s.brin, s.name) for s in PROGRAMME.schools}
    assert len(names) == len(PROGRAMME.schools)


def test_chart_text_is_never_read_as_math() -> None:
    import pandas as pd

    from evallib.reporting.figures import ratios

    frame = pd.DataFrame(
        {
            "label": [r"$\foo$ school"],
            "estimate": [0.6],
            "ci_lower": [0.4],
            "ci_upper": [0.9],
            "group": ["school"],
        }
    )
    figure = ratios(frame, r"Doel $\foo$ en 5$ of 10$", r"$\frac{1}{0}$")
    figure.savefig(io.BytesIO(), format="png")  # mathtext would raise here
    assert figure.axes[0].get_title(loc="left") == r"Doel $\foo$ en 5$ of 10$"
