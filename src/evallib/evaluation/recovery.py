"""Planted versus estimated: do evallib's estimates recover what the generator planted?

The synthetic generator writes the true values it planted to ``planted.json``.
:func:`recovery_table` estimates the same quantities from the processed data, with the
estimators that evaluate the programme's targets (:func:`evallib.evaluation.targets.evaluate`),
with 95% intervals, and says whether each interval covers the planted value. Which
quantities there are follows from the programme's targets: starter dropout, leaving in an age
band, digital teaching time of teams, survey shares, selections by a date and counts.
``docs/planted-effects.md`` is generated from it (``python -m evallib.evaluation.recovery``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd

from evallib.contract.programme import Programme, Target, load_programme
from evallib.core.dates import format_school_year, parse_school_year
from evallib.core.periods import Period
from evallib.core.text import day_month
from evallib.evaluation import tables as m
from evallib.evaluation.dataset import Dataset, load_dataset
from evallib.evaluation.decision import Context
from evallib.evaluation.measures.indicators import figure
from evallib.evaluation.measures.survey import positive_share
from evallib.evaluation.planted import leaving_keys, selection_keys
from evallib.evaluation.targets import Scope, comparison_scope, evaluate, region_scope
from evallib.stats.did import digital_rows, dropout_did, share_did
from evallib.stats.estimates import Estimate, km_dropout


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


def _targets(p: Programme, measure: str, shape: str | None = None) -> list[Target]:
    return [
        t for t in p.targets if t.measure.name == measure and (shape is None or t.shape == shape)
    ]


def _first_per_project(targets: list[Target]) -> list[Target]:
    seen: dict[str, Target] = {}
    for t in targets:
        seen.setdefault(t.project, t)
    return list(seen.values())


def _mean(planted: dict, locations: dict, *path: str) -> float:
    """The planted value at ``path``, averaged over the scope's locations."""
    values = []
    for brin, codes in locations.items():
        for code in codes:
            node = planted["schools"][brin]["locations"][code]
            for key in path:
                node = node[key]
            values.append(node)
    return sum(values) / len(values)


def _dropout_rows(p: Programme, data: Dataset, planted: dict) -> list[dict]:
    """k-year starter dropout before and in the programme, and their ratio, per scope."""
    rows = []
    for target in _first_per_project(_targets(p, "starter_dropout", "relative_change")):
        k = target.measure.years
        scopes = [(region_scope(p, target), f"{target.project}-locaties (gepoold)")]
        if p.comparison:
            scopes.append((comparison_scope(p), "vergelijkingsscholen"))
        for scope, label in scopes:
            evidence = evaluate(target, p, data, scope).evidence
            truth = [
                _k_years(_mean(planted, scope.locations, "starter_dropout_3y", g), k)
                for g in ("baseline", "programme")
            ]
            rows += [
                _row(f"{k}-jaarsuitval starters, nulmeting", label, truth[0], evidence.baseline),
                _row(f"{k}-jaarsuitval starters, programma", label, truth[1], evidence.outcome),
                _row(
                    "verhouding uitval programma / nulmeting",
                    label,
                    truth[1] / truth[0],
                    evidence.effect,
                ),
            ]
    return rows


def _k_years(dropout_3y: float, k: int) -> float:
    """k-year dropout from a 3-year one, at a constant hazard."""
    return dropout_3y if k == 3 else 1 - (1 - dropout_3y) ** (k / 3)


def _did_rows(p: Programme, data: Dataset, planted: dict) -> list[dict]:
    """Difference-in-differences against the comparison schools: dropout and digital time."""
    if not p.comparison:
        return []
    comparison = dict(comparison_scope(p).locations)
    rows = []
    for target in _first_per_project(_targets(p, "starter_dropout")):
        treated = dict(p.project(target.project).participants)
        spells = m.starter_spells(data.at({**treated, **comparison}).staff, p.reference_date)
        did = dropout_did(spells, set(treated), p.baseline_years, p.programme_years, 3)
        truth = planted["settings"]["starter_dropout_3y"]
        hazard = math.log(1 - truth["programme"]) / math.log(1 - truth["baseline"])
        label = "verschil-in-verschillen uitval (hazardratio)"
        rows.append(_row(label, f"{target.project} vs vergelijking", hazard, did.effect))
    roles = dict.fromkeys(p.role_of(t) for t in _targets(p, "digital_share"))
    for project, role in roles:
        rows.append(_digital_did_row(p, data, planted, comparison, project, role))
    return rows


def _digital_did_row(
    p: Programme, data: Dataset, planted: dict, comparison: dict, project: str, role: str
) -> dict:
    treated = dict(p.project(project).participants)
    first, last = p.programme_years
    before = first - 1
    labels = {y: format_school_year(y) for y in (before, first, last)}
    means = {b: planted["schools"][b]["digital_share_mean"] for b in treated}

    def team_mean(year: int, size_year: int) -> float:
        weights = {b: mean["team_size"][labels[size_year]] for b, mean in means.items()}
        return sum(w * means[b]["team"][labels[year]] for b, w in weights.items()) / sum(
            weights.values()
        )

    others = planted["settings"]["digital_share_mean_others"]
    truth = (team_mean(last, last) - team_mean(before, first)) - (
        others[labels[last]] - others[labels[before]]
    )
    scope = data.at({**treated, **comparison})
    rows = digital_rows(
        scope.hours,
        scope.participation,
        set(treated),
        set(comparison),
        before,
        first,
        last,
        project,
        role,
    )
    label = p.project(project).role_label(role)
    return _row(
        "verschil-in-verschillen digitale lesuren",
        f"{label} vs vergelijking",
        truth,
        share_did(rows).effect,
    )


def _team_rows(p: Programme, data: Dataset, planted: dict) -> list[dict]:
    """Each school's team share of digital lessons in each threshold year."""
    rows = []
    targets = _targets(p, "digital_share", "threshold")
    for project in dict.fromkeys(t.project for t in targets):
        mine = [t for t in targets if t.project == project]
        for brin, locations in p.project(project).participants.items():
            name = p.school(brin).name
            scope = Scope("school", brin, name, {brin: locations})
            for target in mine:
                year = target.year.label
                label = p.project(project).role_label(p.role_of(target)[1])
                rows.append(
                    _row(
                        f"aandeel digitale lesuren {label} {year}",
                        name,
                        planted["schools"][brin]["digital_share_mean"]["team"][year],
                        evaluate(target, p, data, scope).evidence.outcome,
                    )
                )
    return rows


def _leaving_rows(p: Programme, data: Dataset, planted: dict) -> list[dict]:
    """Leaving of a band's participants against all teachers in the band before."""
    rows = []
    rates = planted["settings"]["leaving_per_year_non_retirement"]
    for target in _targets(p, "early_leaving", "relative_change"):
        m_ = target.measure
        project = p.project(target.project)
        keys = leaving_keys(m_.min_age, m_.max_age, [project.id])
        label = project.role_label(p.role_of(target)[1])
        rows.append(
            _row(
                f"verhouding vroege uitval {label} {project.name} / nulmeting",
                f"{project.name}-locaties (gepoold)",
                rates[keys[project.id]] / rates[keys["band"]],
                evaluate(target, p, data, region_scope(p, target)).evidence.effect,
            )
        )
    return rows


def _survey_rows(p: Programme, data: Dataset, planted: dict) -> list[dict]:
    """Shares answering 4 or 5 in the first and last survey year, where a target follows them."""
    groups = list(p.survey.groups)
    targets = sorted(_targets(p, "survey_positive"), key=lambda t: groups.index(t.measure.group))
    seen = dict.fromkeys((t.measure.group, t.measure.item, t.project) for t in targets)
    rows = []
    for group, item, project in seen:
        target = next(
            t
            for t in targets
            if (t.measure.group, t.measure.item, t.project) == (group, item, project)
        )
        scope = region_scope(p, target)
        ctx = Context(p, data.at(scope.locations), scope)
        for year in (p.programme_years[0] - 1, p.programme_years[1]):
            label = format_school_year(year)
            truth = _mean(planted, scope.locations, "survey_share_4_or_5", group, item, label)
            rows.append(
                _row(
                    f"aandeel {group} 4 of 5 op '{item}' {label}",
                    f"{project}-locaties (gepoold)",
                    truth,
                    positive_share(ctx, target, (Period(year), Period(year))),
                )
            )
    return rows


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
    rows = []
    for part in (_dropout_rows, _did_rows, _team_rows, _leaving_rows, _survey_rows):
        rows += part(programme, data, planted)
    columns = ["quantity", "scope", "planted", "estimate", "ci_lower", "ci_upper", "n", "covered"]
    return pd.DataFrame(rows, columns=columns)


def planted_counts(
    programme: Programme, data: Dataset, planted: dict
) -> list[tuple[str, object, object]]:
    """Exact numbers the generator planted (selections, participants, region figures),
    beside what evallib counts."""
    p = programme
    region = planted["region"]
    rows: list[tuple[str, object, object]] = []
    for target in _targets(p, "selected", "go_no_go"):
        project, role = p.role_of(target)
        people = p.project(project).role_label(role, "en")
        block, _, by_key = selection_keys(role, people, target.by)
        expected = region.get(block, {}).get(target.year.label, {}).get(by_key)
        if expected is None:
            continue
        found = evaluate(target, p, data, region_scope(p, target)).evidence.milestones[0].count
        day = target.by + dt.timedelta(days=1)
        before = day_month(day)
        name = f"{p.project(project).role_label(role)} geselecteerd vóór {before}"
        rows.append((f"{name} ({target.year.label})", expected, found))
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
    return rows + _figures(p, data, region.get("indicators", {}))


def _figures(p: Programme, data: Dataset, series: dict) -> list[tuple[str, object, object]]:
    """Region-level figures as planted and as read back from the indicator file."""
    rows: list[tuple[str, object, object]] = []
    for indicator, by_period in series.items():
        target = next(t for t in _targets(p, "indicator") if t.measure.indicator == indicator)
        scope = region_scope(p, target)
        ctx = Context(p, data.at(scope.locations), scope)
        for label, value in by_period.items():
            parts = value if isinstance(value, dict) else {"": value}
            for category, expected in parts.items():
                period = (
                    Period(int(label), school=False)
                    if label.isdigit()
                    else Period(parse_school_year(label))
                )
                found = figure(ctx, target, period, (category,) if category else ()).estimate
                name = f"{indicator} {label}" + (f" ({category})" if category else "")
                rows.append((name, expected, round(found, 4)))
    return rows


def render_markdown(table: pd.DataFrame, counts: list[tuple[str, object, object]]) -> str:
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


def main(
    raw_dir: str = "data/raw/example",
    processed_dir: str = "data/processed/example",
    programme_file: str = "programmes/haaglanden-2013.yaml",
) -> str:
    """The planted-effects page of a synthetic set (by default the example data)."""
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
        f"{t.project}-locaties": dict(p.project(t.project).participants)
        for t in _first_per_project(_targets(p, "starter_dropout"))
    }
    if p.comparison:
        groups["vergelijkingsscholen"] = dict(comparison_scope(p).locations)
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
