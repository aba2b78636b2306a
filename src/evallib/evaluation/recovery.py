"""Planted versus estimated: do evallib's estimates recover what the generator planted?

The synthetic generator writes the true values it planted to ``planted.json``.
:func:`recovery_table` estimates the same quantities from the processed data,
with 95% intervals, and says whether each interval covers the planted value.
``docs/planted-effects.md`` is generated from it (``python -m evallib.evaluation.recovery``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from evallib.contract.programme import Programme, load_programme
from evallib.core.dates import format_school_year, parse_school_year
from evallib.evaluation import tables as m
from evallib.evaluation.dataset import Dataset, load_dataset
from evallib.stats.did import digital_rows, dropout_did, share_did
from evallib.stats.estimates import (
    Estimate,
    dropout_ratio,
    km_dropout,
    proportion,
    rate_ratio,
    ratio_of_sums,
)


def _row(quantity: str, scope: str, planted: float, e: Estimate) -> dict:
    return {
        "quantity": quantity,
        "scope": scope,
        "planted": planted,
        "estimate": e.estimate,
        "ci_lower": e.ci_lower,
        "ci_upper": e.ci_upper,
        "n": e.n,
        "covered": bool(e.ci_lower <= planted <= e.ci_upper),
    }


def _starters(p: Programme, data: Dataset, locations: dict) -> tuple:
    spells = m.starter_spells(data.at(locations).staff, p.reference_date)
    base = m.in_years(spells, "cohort", *p.baseline_years)
    prog = m.in_years(spells, "cohort", *p.programme_years)
    return km_dropout(base["years"], base["left"], 3), km_dropout(prog["years"], prog["left"], 3)


def _location_values(
    planted: dict, brin: str, locations: tuple[str, ...], *path: str
) -> list[float]:
    values = []
    for loc in locations:
        node = planted["schools"][brin]["locations"][loc]
        for key in path:
            node = node[key]
        values.append(node)
    return values


def _midcareer_ratio(planted: dict) -> float:
    leaving = planted["settings"]["leaving_per_year_non_retirement"]
    return leaving["age_40_55_halverwege"] / leaving["age_40_55"]


def _digital_did_row(p: Programme, data: Dataset, planted: dict, comparison: dict) -> dict:
    ecoaching = dict(p.project("e-coaching").participants)
    first, last = p.programme_years
    before = first - 1
    labels = {y: format_school_year(y) for y in (before, first, last)}

    def team_mean(year: int, size_year: int) -> float:
        weights = {
            b: planted["schools"][b]["digital_share_mean"]["team_size"][labels[size_year]]
            for b in ecoaching
        }
        return sum(
            w * planted["schools"][b]["digital_share_mean"]["team"][labels[year]]
            for b, w in weights.items()
        ) / sum(weights.values())

    others = planted["settings"]["digital_share_mean_others"]
    truth = (team_mean(last, last) - team_mean(before, first)) - (
        others[labels[last]] - others[labels[before]]
    )
    scope = data.at({**ecoaching, **comparison})
    rows = digital_rows(
        scope.hours,
        scope.participation,
        set(ecoaching),
        set(comparison),
        before,
        first,
        last,
        "e-coaching",
        "teamlid",
    )
    return _row(
        "verschil-in-verschillen digitale lesuren",
        "e-coachingteams vs vergelijking",
        truth,
        share_did(rows).effect,
    )


def recovery_table(programme: Programme, data: Dataset, planted: dict) -> pd.DataFrame:
    """Planted value, estimate, 95% interval, n and coverage for each planted effect.

    Examples
    --------
    >>> import json
    >>> table = recovery_table(load_programme("programmes/haaglanden-2013.yaml"),
    ...                        load_dataset("data/processed/example"),
    ...                        json.loads(open("data/raw/example/planted.json").read()))
    >>> list(table.columns)
    ['quantity', 'scope', 'planted', 'estimate', 'ci_lower', 'ci_upper', 'n', 'covered']
    """
    p = programme
    rows = []
    starters = dict(p.project("starters").participants)
    comparison = {s.brin: tuple(s.locations) for s in p.comparison}
    for label, locations in (
        ("startersprogramma (gepoold)", starters),
        ("vergelijkingsscholen", comparison),
    ):
        base, prog = _starters(p, data, locations)
        truth = [
            _location_values(planted, b, locs, "starter_dropout_3y")
            for b, locs in locations.items()
        ]
        truth0 = sum(t["baseline"] for ts in truth for t in ts) / sum(len(ts) for ts in truth)
        truth1 = sum(t["programme"] for ts in truth for t in ts) / sum(len(ts) for ts in truth)
        rows.append(_row("3-jaarsuitval starters, nulmeting", label, truth0, base))
        rows.append(_row("3-jaarsuitval starters, programma", label, truth1, prog))
        rows.append(
            _row(
                "verhouding uitval programma / nulmeting",
                label,
                truth1 / truth0,
                dropout_ratio(prog, base),
            )
        )

    # Difference-in-differences against the comparison schools.
    spells = m.starter_spells(data.at({**starters, **comparison}).staff, p.reference_date)
    did = dropout_did(spells, set(starters), p.baseline_years, p.programme_years, 3)
    hazard = math.log(1 - 0.15) / math.log(1 - 0.30)  # constant hazards: programme over baseline
    rows.append(
        _row(
            "verschil-in-verschillen uitval (hazardratio)",
            "startersprogramma vs vergelijking",
            hazard,
            did.effect,
        )
    )
    rows.append(_digital_did_row(p, data, planted, comparison))

    project = p.project("e-coaching")
    for brin, locations in project.participants.items():
        own = data.at({brin: locations})
        for year_text in ("2014/15", "2015/16"):
            year = parse_school_year(year_text)
            team, _ = m.team_hours(own.hours, own.participation, year, "e-coaching", "teamlid")
            planted_share = planted["schools"][brin]["digital_share_mean"]["team"][year_text]
            rows.append(
                _row(
                    f"aandeel digitale lesuren e-coachingteam {year_text}",
                    p.school(brin).name,
                    planted_share,
                    ratio_of_sums(team["lesuren_digitaal"], team["lesuren_totaal"]),
                )
            )

    halverwege = dict(p.project("halverwege").participants)
    own = data.at(halverwege)
    base = m.teacher_years(own.staff, *p.baseline_years, 40, 55, p.reference_date)
    prog = m.teacher_years(own.staff, *p.programme_years, 40, 55, p.reference_date)
    prog = prog.merge(
        m.first_participation(own.participation, "halverwege", "deelnemer"),
        on=["brin", "docent_id"],
    )
    prog = prog[prog["schooljaar"] >= prog["first_year"]]
    rr = rate_ratio(
        int(prog["left"].sum()),
        len(prog),
        int(base["left"].sum()),
        len(base),
        len(base) + len(prog),
    )
    rows.append(
        _row(
            "verhouding vroege uitval deelnemers Halverwege / nulmeting",
            "Halverwege-locaties (gepoold)",
            _midcareer_ratio(planted),
            rr,
        )
    )

    for item, group, project_id in (
        ("inzetbaarheid", "personeel", "halverwege"),
        ("digitaal", "leerlingen", "e-coaching"),
    ):
        locations = dict(p.project(project_id).participants)
        scope = data.at(locations)
        for year_text in ("2012/13", "2015/16"):
            truth = [
                v
                for b, locs in locations.items()
                for v in _location_values(
                    planted, b, locs, "survey_share_4_or_5", group, item, year_text
                )
            ]
            e = proportion(
                *m.positive(
                    m.survey_scores(scope.survey, group, item, parse_school_year(year_text))
                )
            )
            rows.append(
                _row(
                    f"aandeel {group} 4 of 5 op '{item}' {year_text}",
                    f"{project_id}-locaties (gepoold)",
                    sum(truth) / len(truth),
                    e,
                )
            )
    return pd.DataFrame(rows)


def render_markdown(table: pd.DataFrame, counts: list[tuple[str, int, int]]) -> str:
    """The planted-effects page."""

    def f(x: float) -> str:
        return f"{x:.3f}"

    lines = [
        "# Planted effects in the example data, and what evallib recovers",
        "",
        "*Generated by `python -m evallib.evaluation.recovery` from `data/raw/example` (seed 2013); "
        "`tests/test_recovery.py` checks that this page is current and that the key effects are recovered.*",
        "",
        "The synthetic generator plants known effects (see `data/raw/example/planted.json`). Below, each planted",
        "value beside evallib's estimate from the same files, with the 95% interval and the number of persons or",
        "respondents it rests on. With some twenty intervals at 95%, about one may miss its planted value by chance.",
        "",
        "| quantity | where | planted | estimate | 95% interval | n | covered |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| {r.quantity} | {r.scope} | {f(r.planted)} | {f(r.estimate)} | {f(r.ci_lower)} – {f(r.ci_upper)} "
            f"| {r.n} | {'yes' if r.covered else '**no**'} |"
        )
    lines += [
        "",
        "Counts are complete counts (no sampling error) and must match exactly:",
        "",
        "| count | planted | found |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {planted} | {found} |" for name, planted, found in counts]
    covered = int(table["covered"].sum())
    lines += ["", f"{covered} of {len(table)} intervals cover the planted value.", ""]
    return "\n".join(lines)


def planted_counts(
    programme: Programme, data: Dataset, planted: dict
) -> list[tuple[str, int, int]]:
    """Exact counts the generator planted, beside what evallib counts."""
    region = planted["region"]
    rows = []
    for year_text, values in region["ecoach_selection_planned"].items():
        year = parse_school_year(year_text)
        found = m.selected_by(
            data.participation, "e-coaching", "e-coach", year, pd.Timestamp(year, 5, 31)
        )
        rows.append(
            (
                f"e-coaches geselecteerd vóór 1 juni ({year_text})",
                values["selected_by_31_may"],
                found,
            )
        )
    for project, roles in region["participation"].items():
        for role, kinds in roles.items():
            for year_text, count in kinds["cumulative"].items():
                year = parse_school_year(year_text)
                rows.append(
                    (
                        f"{project} / {role}, cumulatief t/m {format_school_year(year)}",
                        count,
                        m.participants(data.participation, project, role, year, True),
                    )
                )
    return rows


def main(
    raw_dir: str = "data/raw/example",
    processed_dir: str = "data/processed/example",
    programme_file: str = "programmes/haaglanden-2013.yaml",
) -> str:
    programme = load_programme(programme_file)
    data = load_dataset(processed_dir)
    planted = json.loads(Path(raw_dir, "planted.json").read_text(encoding="utf-8"))
    return render_markdown(
        recovery_table(programme, data, planted), planted_counts(programme, data, planted)
    )


def censoring_markdown(programme: Programme, data: Dataset, years: int = 3) -> str:
    """Naive 'left / started' share beside Kaplan–Meier on the example data (for docs/methods.md)."""
    p = programme
    groups = {
        "startersprogramma": dict(p.project("starters").participants),
        "vergelijkingsscholen": {s.brin: tuple(s.locations) for s in p.comparison},
    }
    lines = [
        f"| group | cohorts | starters | naive share left within {years} years | Kaplan–Meier {years}-year dropout (95% interval) |",
        "|---|---|---|---|---|",
    ]
    for label, locations in groups.items():
        spells = m.starter_spells(data.at(locations).staff, p.reference_date)
        for span in (p.baseline_years, p.programme_years):
            rows = m.in_years(spells, "cohort", *span)
            naive = float((rows["left"] & (rows["years"] <= years)).mean())
            km = km_dropout(rows["years"], rows["left"], years)
            lines.append(
                f"| {label} | {format_school_year(span[0])}–{format_school_year(span[1])} | {len(rows)} "
                f"| {naive:.3f} | {km.estimate:.3f} ({km.ci_lower:.3f}–{km.ci_upper:.3f}) |"
            )
    return "\n".join(lines) + "\n"


def update_methods(path: str | Path = "docs/methods.md") -> str:
    """The methods page with its generated block (between the markers) brought up to date."""
    text = Path(path).read_text(encoding="utf-8")
    start, end = "<!-- generated: naive vs kaplan-meier -->\n", "<!-- end generated -->"
    block = censoring_markdown(
        load_programme("programmes/haaglanden-2013.yaml"), load_dataset("data/processed/example")
    )
    head, rest = text.split(start, 1)
    return head + start + block + end + rest.split(end, 1)[1]


if __name__ == "__main__":  # pragma: no cover
    import sys

    if sys.argv[1:] == ["--methods"]:
        Path("docs/methods.md").write_text(update_methods(), encoding="utf-8")
    else:
        print(main(), end="")
