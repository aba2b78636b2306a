"""The shared words in English: privacy, wording, verdicts, figures, page parts and the programme.

With ``lang="en"`` the English texts are shown; with the default (Dutch) every text is the
one the reports have always shown. That no text escapes translation is checked in the
pseudo-language (test_pseudo_locale.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.text
import pandas as pd
import pytest
import yaml

from evallib.contract.programme import load_programme, read_programme
from evallib.core.errors import ProgrammeError
from evallib.core.text import long_date, pp
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.privacy import count_text, total_and_part
from evallib.evaluation.status import Status
from evallib.evaluation.subjects import subject
from evallib.evaluation.targets import (
    Evidence,
    Scope,
    comparison_scope,
    evaluate_region,
    region_scope,
)
from evallib.reporting import figures
from evallib.reporting.html import badge, page, synthetic_banner
from evallib.reporting.verdicts import verdict
from evallib.reporting.wording import (
    effect_text,
    interval_text,
    mean_text,
    power_text,
    share_interval_text,
    share_with_n,
    target_text,
)
from evallib.stats.estimates import Estimate
from evallib.stats.power import Chances

PROGRAMME_FILE = "programmes/haaglanden-2013.yaml"
PROGRAMME = load_programme(PROGRAMME_FILE)

# --- privacy ------------------------------------------------------------------------------


def test_counts_of_small_groups_in_english() -> None:
    assert count_text(4, lang="en") == "fewer than 10"
    assert count_text(1234, lang="en") == "1,234"
    assert count_text(4, min_group=5, lang="en") == "fewer than 5"


def test_totals_and_parts_in_english_and_dutch() -> None:
    assert total_and_part(1040, 1036, lang="en") == ("1,040", "more than 1,030")
    assert total_and_part(40, 3, lang="en") == ("40", "fewer than 10")
    assert total_and_part(8, 3, lang="en") == ("fewer than 10", "fewer than 10")
    assert total_and_part(185, 95, lang="en") == ("185", "95")
    # Dutch as before, also as positional call with the privacy threshold
    assert total_and_part(1040, 1036) == ("1.040", "meer dan 1.030")
    assert total_and_part(40, 36, 10) == ("40", "meer dan 30")
    assert total_and_part(8, 3) == ("minder dan 10", "minder dan 10")


# --- wording ------------------------------------------------------------------------------


def test_numbers_with_their_n_and_interval_in_english() -> None:
    assert share_with_n(Estimate(0.243, 0.18, 0.31, 1058), "en") == "24.3% (n = 1,058)"
    assert share_with_n(Estimate(0.2, 0.04, 0.62, 5), "en") == "suppressed (n fewer than 10)"
    assert interval_text(Estimate(0.243, 0.17, 0.331, 58), "en") == "24.3% (17.0–33.1%)"
    assert share_interval_text(Estimate(0.0, 0.0, 0.4, 6, 0), "en") == (
        "suppressed (n fewer than 10)"
    )
    assert mean_text(Estimate(3.62, 3.48, 3.76, 80), "en") == "3.62 (3.48–3.76)"
    assert pp(-0.02, lang="en") == "−2.0 percentage points"
    assert long_date(pd.Timestamp("2016-07-31").date(), "en") == "31 July 2016"


@pytest.mark.parametrize(
    ("evidence", "nl", "en"),
    [
        (
            Evidence("ratio", effect=Estimate(0.48, 0.25, 0.91, 120)),
            "−52% t.o.v. nulmeting (95%: −75% tot −9%)",
            "−52% vs baseline (95%: −75% to −9%)",
        ),
        (
            Evidence("difference", effect=Estimate(0.05, -0.01, 0.11, 120)),
            "+5,0 procentpunt (95%: −1,0 procentpunt tot +11,0 procentpunt)",
            "+5.0 percentage points (95%: −1.0 percentage points to +11.0 percentage points)",
        ),
        (
            Evidence("share", effect=Estimate(0.12, 0.08, 0.16, 120)),
            "12,0% (95%: 8,0% tot 16,0%)",
            "12.0% (95%: 8.0% to 16.0%)",
        ),
        (
            Evidence("share", effect=Estimate(0.12, 0.08, 0.16, 4), outcome=Estimate(0.1, 0, 1, 4)),
            "onderdrukt",
            "suppressed",
        ),
    ],
)
def test_effects_in_both_languages(evidence: Evidence, nl: str, en: str) -> None:
    assert effect_text(evidence) == nl
    assert effect_text(evidence, "en") == en


@pytest.mark.parametrize(
    ("evidence", "nl", "en"),
    [
        (
            Evidence("ratio", target_value=0.9, direction="at_most"),  # e.g. a region's shortage
            "−10% of meer",
            "−10% or more",
        ),
        (
            Evidence("ratio", target_value=1.15, direction="at_least"),
            "+15% of meer",
            "+15% or more",
        ),
        (
            Evidence("difference", target_value=0.0, direction="at_least"),
            "ten minste een stijging",
            "at least a rise",
        ),
        (
            Evidence("difference", target_value=0.0, direction="at_most"),
            "hooguit een daling",
            "at most a fall",
        ),
        (
            Evidence("difference", target_value=0.05, direction="at_least"),
            "ten minste +5,0 procentpunt",
            "at least +5.0 percentage points",
        ),
        (Evidence("share", target_value=0.1, direction="at_most"), "hooguit 10%", "at most 10%"),
    ],
)
def test_targets_in_both_languages(evidence: Evidence, nl: str, en: str) -> None:
    assert target_text(evidence) == nl
    assert target_text(evidence, "en") == en


def test_a_fall_in_leavers_is_named_as_dropout_in_both_languages() -> None:
    evidence = Evidence("ratio", target_value=0.5, direction="at_most")
    assert target_text(evidence, leaving=True) == "uitval −50% of meer"
    assert target_text(evidence, "en", leaving=True) == "dropout −50% or more"


def test_power_in_english_gives_both_chances() -> None:
    ev = Evidence(
        "ratio",
        baseline=Estimate(0.3, 0.2, 0.4, 40),
        outcome=Estimate(0.2, 0.1, 0.3, 80),
        target_value=0.5,
        chances=Chances(0.025, 0.66, 0.25),
    )
    nl, en = power_text(ev), power_text(ev, "en")
    assert "2,5%" in nl and "66%" in nl and "−75%" in nl
    assert "2.5%" in en and "66%" in en and "−75%" in en


# --- verdicts -----------------------------------------------------------------------------


def test_subjects_in_english() -> None:
    subjects = {t.id: subject(t, PROGRAMME, "en") for t in PROGRAMME.targets}
    assert subjects["starters-uitval"] == "Dropout of starting teachers within 3 years"
    assert subjects["digitaal-leerlingen"] == (
        "The share of pupils who are positive about the digital lessons"
    )
    assert subjects["halverwege-uitval"] == "Early leaving among participants (aged 40–55)"
    # a count target has no measure sentence: its English title is the subject
    assert subjects["duo-per-jaar"] == "12, 12 and 10 duos at work"


@pytest.fixture(scope="module")
def region_results():
    data = load_dataset("data/processed/example")
    return evaluate_region(PROGRAMME, data), evaluate_region(PROGRAMME, data, "en")


def test_region_results_carry_english_texts(region_results) -> None:
    dutch, english = region_results
    assert [r.status for r in dutch] == [r.status for r in english]
    assert {r.scope.name for r in english} == {"Region (all participating schools)"}


def test_a_halving_verdict_in_english(region_results) -> None:
    target = PROGRAMME.targets[0]
    ev = Evidence(
        "ratio",
        Estimate(0.46, 0.27, 0.83, 330),
        Estimate(0.32, 0.24, 0.42, 97),
        Estimate(0.15, 0.09, 0.24, 233),
        target_value=0.5,
        direction="at_most",
        null_value=1.0,
    )
    from evallib.evaluation.targets import TargetResult

    r = TargetResult(
        target,
        Scope("region", "regio", "Region", {}),
        Status.GEHAALD,
        "reason.met",
        {},
        ev,
        subject=subject(target, PROGRAMME, "en"),
    )
    assert verdict(r, "en") == (
        "Dropout of starting teachers within 3 years has halved: from 32% (97 starters) in the"
        " baseline to 15% (233 starters); with 95% confidence the change lies between −73% and"
        " −17%."
    )


def test_scopes_in_english() -> None:
    target = PROGRAMME.targets[0]
    assert region_scope(PROGRAMME, target, "en").name == "Region (all participating schools)"
    assert region_scope(PROGRAMME, target).name == "Regio (alle deelnemende scholen)"
    assert comparison_scope(PROGRAMME, "en").name == "Comparison schools"
    assert region_scope(PROGRAMME, target, "en").key == "regio"  # an identifier, not a text
    assert Scope("location", "x", "y", {}).level_label("en") == "location"
    assert Scope("region", "x", "y", {}).level_label() == "regio"


# --- page parts ---------------------------------------------------------------------------


def test_badges_and_page_in_english() -> None:
    assert "> not met</span>" in badge(Status.NIET_GEHAALD, "en")
    assert "> niet gehaald</span>" in badge(Status.NIET_GEHAALD)
    assert 'lang="en"' in page("Report", "<p>x</p>", synthetic=False, lang="en")
    assert "SYNTHETIC DATA" in synthetic_banner("en")


# --- figures ------------------------------------------------------------------------------


def figure_texts(fig) -> list[str]:
    fig.canvas.draw()  # tick labels are made when drawn
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


def all_figures(lang: str | None) -> list:
    kw = {} if lang is None else {"lang": lang}
    curve = pd.DataFrame(
        {
            "years": [0, 1, 2, 3],
            "estimate": [1, 0.9, 0.8, 0.75],
            "ci_lower": [1, 0.8, 0.7, 0.6],
            "ci_upper": [1, 1, 0.9, 0.85],
        }
    )
    shares = pd.DataFrame(
        {
            "year": ["2014/15", "2015/16"],
            "group": ["team", "team"],
            "estimate": [0.12, 0.025],
            "ci_lower": [0.08, 0.01],
            "ci_upper": [0.16, 0.05],
        }
    )
    counts = pd.DataFrame({"year": ["2013/14", "2014/15"], "count": [25, None]})
    plan = pd.DataFrame({"year": ["2013/14"], "min": [20], "max": [30]})
    forest = pd.DataFrame(
        {
            "label": ["A", "B"],
            "estimate": [0.6, 1.3],
            "ci_lower": [0.14, 0.9],
            "ci_upper": [0.9, 2.5],
            "group": ["school", "region"],
        }
    )
    return [
        figures.retention({"2013/14": curve}, 3, 0.8, "T", **kw),
        figures.shares_by_year(shares, "T", "Share", {"2014/15": 0.1}, **kw),
        figures.counts_by_year(counts, "T", "Number", plan, **kw),
        figures.ratios(forest, "T", "Ratio", 0.5, **kw),
    ]


def test_figures_in_english() -> None:
    texts = [t for fig in all_figures("en") for t in figure_texts(fig)]
    assert "Years since starting at the school" in texts
    assert "target after 3 years: 80% stay" in texts
    assert "School year" in texts and "planned" in texts and "target 10%" in texts
    assert "0.125" in texts and "20%" in texts
    assert not [t for t in texts if re.search(r"\d,\d", t)], texts  # English numbers


def test_figures_in_dutch_by_default() -> None:
    texts = [t for fig in all_figures(None) for t in figure_texts(fig)]
    for words in (
        "Jaren sinds de start op de school",
        "Nog werkzaam op de school",
        "doel na 3 jaar: 80% blijft",
        "Schooljaar",
        "gepland",
        "doel 10%",
        "doel",
        "0,5",
        "0,125",
    ):
        assert words in texts, words


# --- programme ----------------------------------------------------------------------------


def test_every_project_and_target_has_english() -> None:
    for project in PROGRAMME.projects:
        assert project.en.name and project.en.summary, project.id
        assert project.label() == project.name and project.summary_text() == project.summary
        for target in project.targets:
            assert target.en.title, target.id
            assert target.label() == target.title


def write(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(Path(PROGRAMME_FILE).read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_without_english_the_dutch_is_used(tmp_path: Path) -> None:
    def drop(raw: dict) -> None:
        for project in raw["projects"]:
            project.pop("en")
            for target in project["targets"]:
                target.pop("en")

    programme = read_programme(write(tmp_path, drop))
    project = programme.projects[0]
    assert project.label("en") == project.name == "Een sterk startersprogramma"
    assert project.summary_text("en") == project.summary
    assert programme.targets[0].label("en") == programme.targets[0].title


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda raw: raw["projects"][0]["en"].update(title="x"), "projects[starters].en.title"),
        (
            lambda raw: raw["projects"][0]["targets"][0]["en"].update(name="x"),
            "targets[starters-uitval].en.name",
        ),
        (lambda raw: raw["projects"][0]["targets"][0]["en"].update(title=""), "en.title"),
        (lambda raw: raw["projects"][0].update(en="A name"), "projects[starters].en"),
    ],
)
def test_mistakes_in_english_name_the_key(tmp_path: Path, change, key: str) -> None:
    with pytest.raises(ProgrammeError) as info:
        read_programme(write(tmp_path, change))
    assert key in str(info.value)
