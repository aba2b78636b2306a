"""Issue 13, point 1 on real runs: no published count of starters can be worked out.

The example run's reports must pass the linear-programming audit and no longer show the two
leaks the issue found; a 50-school synthetic run's cells must pass the audit too.
"""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path

import pytest

from evallib.contract.programme import load_programme
from evallib.evaluation.dataset import load_dataset
from evallib.evaluation.disclosure import audit, protect
from evallib.evaluation.populations import linked_tables
from evallib.evaluation.published import decide
from evallib.evaluation.starters import starter_table

ROOT = Path(__file__).resolve().parents[1]
PROGRAMME = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")


def _text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    page = re.sub(r"</t[dh]>", " | ", re.sub(r"</(tr|p|h[1-4]|li)>", "\n", page))
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _row(text: str, start: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.strip().startswith(start))
    return [cell.strip() for cell in line.split("|")]


def _count(cell: str) -> int | None:
    """A shown count (``97``, ``34,5% (n = 97)``), or None when it is hidden."""
    found = re.search(r"n = ([\d.]+)\)", cell) or re.fullmatch(r"([\d.]+)", cell)
    return int(found.group(1).replace(".", "")) if found else None


def test_example_run_passes_the_audit(example_run):
    record = json.loads((example_run.processed / "disclosure.json").read_text(encoding="utf-8"))
    assert record["audit"]["passed"] and record["secondary"]
    data = load_dataset(example_run.processed)
    linked = linked_tables(PROGRAMME, data)
    tables = [table for table, _ in linked]
    published = set().union(*(cells for _, cells in linked))
    names = {r["name"] for r in record["secondary"]}
    hidden = {key for table in tables for key in published if table.cells.get(key) in names}
    assert len(hidden) == len(record["secondary"])
    assert audit(tables, published, hidden, PROGRAMME.min_group).passed
    # and without the run's secondary suppressions it would not
    assert not audit(tables, published, set(), PROGRAMME.min_group).passed


def test_regional_baseline_minus_shown_schools_is_closed(example_run):
    """regio.html: the region's nulmeting starters minus the other project schools' counts."""
    text = _text(example_run.reports / "regio.html")
    region = _count(_row(text, "Uitval van startende docenten gehalveerd")[3])
    assert region == 97
    schools = [
        s.name for s in PROGRAMME.participating if s.brin in ("14WE", "01MB", "01GX", "21HC")
    ]
    shown = [_count(_row(text, name)[2]) for name in schools]
    assert shown.count(None) >= 2, shown  # Adelbert's small group and at least one more
    hidden_total = region - sum(n for n in shown if n is not None)
    assert hidden_total >= PROGRAMME.min_group + 1  # at least 1 + the hidden one's ≥ 10


def test_did_comparison_total_minus_one_school_is_closed(example_run):
    """regio.html: the DiD table's comparison starters 'na' minus Erasmus's shown count."""
    text = _text(example_run.reports / "regio.html")
    after = _count(_row(text, "vergelijking, na")[1])
    erasmus = _count(_row(text, "Erasmus College")[3])
    grotius = _count(_row(text, "Grotius College")[3])
    assert grotius is None
    assert after is None or erasmus is None, (after, erasmus)


def test_school_header_does_not_reveal_the_nulmeting(example_run):
    """Adelbert's header counted all its starters; with the programme's 12 shown, 13 leaves 1."""
    report = next(example_run.reports.glob("14WE-*.html"))
    header = next(line for line in _text(report).splitlines() if "in het personeelsbestand" in line)
    assert "waarvan onderdrukt starters" in header, header


@pytest.fixture(scope="module")
def fifty_schools(tmp_path_factory) -> tuple:
    from evallib.synth.generator import extend_programme, generate
    from evallib.validation.validate import validate_directory, write_processed

    have = sum(len(s.locations) for s in PROGRAMME.schools)
    locations = next(
        n for n in range(have, 2000) if len(extend_programme(PROGRAMME, n).schools) >= 50
    )
    out = tmp_path_factory.mktemp("fifty")
    raw = generate(out / "raw", programme=PROGRAMME, seed=7, locations=locations)
    programme = load_programme(raw / "programma.yaml")
    write_processed(validate_directory(raw, programme), out / "processed", programme)
    return programme, load_dataset(out / "processed"), out


def test_fifty_school_run_passes_the_audit(fifty_schools):
    programme, data, _ = fifty_schools
    assert len(programme.schools) >= 50
    started = time.perf_counter()
    record = decide(programme, data)
    seconds = time.perf_counter() - started
    assert record["audit"]["passed"]
    table, published = starter_table(programme, data)
    hidden = {
        key for key in published if table.name(key) in {r["name"] for r in record["secondary"]}
    }
    assert audit([table], published, hidden, programme.min_group).passed
    assert protect([table], published, programme.min_group) == hidden  # deterministic
    print(f"50 schools: {record['audit']}, {len(hidden)} secondary, {seconds:.1f} s")


def test_a_small_survey_group_is_protected_in_the_tables_verdicts_and_totals(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 21HC's pupils answering the digital-lessons item in 2013/14, cut to three: their count is
    # "minder dan 10" in its report, while the region's 2013/14 total and the other e-coaching
    # schools' counts are shown; without a second hidden count the three can be worked out.
    from evallib.evaluation.published import secondary

    survey = load_dataset(ROOT / "data" / "processed" / "example").survey
    pupils = survey.index[
        (survey["brin"] == "21HC")
        & (survey["groep"] == "leerlingen")
        & (survey["schooljaar"] == 2013)
        & survey["digitaal"].notna()
    ]
    data = _without(load_dataset(ROOT / "data" / "processed" / "example"), "survey", pupils[3:])
    population = "respondents:leerlingen:digitaal"
    hidden, results = _protected(data, population, "digitaal-leerlingen", ("02DZ", "21HC", "99SV"))
    shown = [e for r in results for e in (r.evidence.baseline, r.evidence.outcome) if e]
    # the school whose count was hidden shows it nowhere: not in its table, not in its chart
    from evallib.core.text import t
    from evallib.reporting import figures
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections import survey as sections

    drawn = []
    draw = figures.shares_by_year
    monkeypatch.setattr(
        figures, "shares_by_year", lambda rows, *a, **k: drawn.append(rows) or draw(rows, *a, **k)
    )
    target = next(x for x in PROGRAMME.targets if x.id == "digitaal-leerlingen")
    schools = [e for e in hidden if len({w.split("/")[0] for w in e["where"]}) == 1]
    assert schools  # here the run hid another school's count of that year
    for entry in schools:
        report = SchoolReport(PROGRAMME, data, entry["where"][0].split("/")[0])
        table = sections.survey_table(report, target)
        page = _text(_write(tmp_path / f"{report.brin}.html", str(table)))
        assert _row(page, "2013/14")[1] == "onderdrukt"
        sections.survey_figure(report, target)
        own = drawn[-1][drawn[-1]["group"] == t("school.group.this_school", "nl")]
        drawn_years = set(own.loc[~own["hidden"], "year"])  # a hidden year is only marked
        assert "2013/14" not in drawn_years and drawn_years
    for entry in hidden:
        locations: dict[str, list[str]] = {}
        for where in entry["where"]:
            brin, loc = where.split("/")
            locations.setdefault(brin, []).append(loc)
        first, last = (int(y) for y in entry["period"].split("-"))
        scope = {brin: tuple(locs) for brin, locs in locations.items()}
        assert secondary(data, scope, (first, last), population)
    assert any(e.hidden for e in shown)


def _without(data, table: str, rows) -> object:
    """The data without ``rows`` (an index into ``table``), with no decisions yet."""
    from dataclasses import replace

    return replace(data, **{table: getattr(data, table).drop(rows)}, disclosure={})


def _protected(data, population: str, target_id: str, brins: tuple[str, ...]) -> tuple:
    """Assert the leak is real and the run closes it: its secondary suppressions, and the
    target's results in the region and the schools, each hidden where its count is."""
    from evallib.evaluation.populations import linked_tables
    from evallib.evaluation.targets import evaluate_region, evaluate_school

    table, cells = next(
        (t, c) for t, c in linked_tables(PROGRAMME, data) if t.population == population
    )
    assert not audit([table], cells, set(), PROGRAMME.min_group).passed  # the leak is real
    record = decide(PROGRAMME, data)
    data.disclosure.update(record)
    assert record["audit"]["passed"]
    hidden = [r for r in record["secondary"] if r["population"] == population]
    assert hidden, record["secondary"]
    results = [
        r
        for r in evaluate_region(PROGRAMME, data)
        + [r for b in brins for r in evaluate_school(PROGRAMME, data, b)]
        if r.target.id == target_id
    ]
    wheres = [
        sorted(f"{b}/{loc}" for b, locs in r.scope.locations.items() for loc in locs)
        for r in results
    ]
    for entry in hidden:  # a verdict over exactly the hidden count hides it
        for result, where in zip(results, wheres, strict=True):
            if where == entry["where"]:
                sides = (result.evidence.baseline, result.evidence.outcome)
                assert any(e is not None and (e.hidden or e.share_hidden) for e in sides), (
                    result.scope.key
                )
    return hidden, results


def test_a_small_team_with_hours_is_protected_in_tables_verdicts_and_the_region(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 99SV's e-coaching team with hours in 2014/15, cut to three: "minder dan 10" in its
    # report, while the region's 2014/15 team and the other schools' teams are shown.
    from evallib.reporting import figures
    from evallib.reporting.school import SchoolReport
    from evallib.reporting.sections import digital
    from evallib.reporting.sections.base import role_words

    data = load_dataset(ROOT / "data" / "processed" / "example")
    part, hours = data.participation, data.hours
    team = part[
        (part["brin"] == "99SV") & (part["rol"] == "teamlid") & (part["schooljaar"] == 2014)
    ]["docent_id"]
    rows = hours.index[
        (hours["brin"] == "99SV") & (hours["schooljaar"] == 2014) & hours["docent_id"].isin(team)
    ]
    data = _without(data, "hours", rows[3:])
    hidden, _ = _protected(data, "team:e-coaching:teamlid", "digitaal-10", ("02DZ", "21HC", "99SV"))
    drawn = []
    draw = figures.shares_by_year
    monkeypatch.setattr(
        figures, "shares_by_year", lambda rows, *a, **k: drawn.append(rows) or draw(rows, *a, **k)
    )
    target = next(x for x in PROGRAMME.targets if x.id == "digitaal-10")
    schools = [
        e
        for e in hidden
        if e["period"] == "2014-2014" and len({w.split("/")[0] for w in e["where"]}) == 1
    ]
    assert schools  # here the run hid another school's team of that year
    for entry in schools:  # that school shows it nowhere: not in its table, not in its chart
        report = SchoolReport(PROGRAMME, data, entry["where"][0].split("/")[0])
        page = _text(_write(tmp_path / "t.html", str(digital.digital_table(report, target))))
        assert _row(page, "2014/15")[1:3] == ["onderdrukt", "onderdrukt"], _row(page, "2014/15")
        digital.digital_figure(report, target)
        own = drawn[-1][drawn[-1]["group"] == role_words(PROGRAMME, target, "nl")]
        assert "2014/15" not in set(own["year"]) and len(own)


def test_a_small_group_of_participants_is_protected_in_early_leaving():
    # 14WE's mid-career participants, cut to three: their early leaving is hidden in its report,
    # while the region's participants and the other schools' are shown.
    data = load_dataset(ROOT / "data" / "processed" / "example")
    part = data.participation
    mine = part[(part["brin"] == "14WE") & (part["project"] == "halverwege")]
    keep = mine["docent_id"].drop_duplicates().iloc[:3]
    data = _without(data, "participation", mine.index[~mine["docent_id"].isin(keep)])
    _protected(
        data,
        "participants:halverwege:deelnemer:40-55",
        "halverwege-uitval",
        ("14WE", "20BC", "99SV", "02DZ"),
    )


def test_early_leaving_hides_few_leavers_and_the_region_that_would_bound_them():
    # A share of teacher-years beside its teacher-years gives its leavers: Adelbert's "x%
    # (12 docenten)" with 21 teacher-years was 2 of its 12 participants. Each school's few
    # participant leavers are hidden; the region's 10 would then bound each at 7, so the run
    # hides it too.
    from evallib.evaluation.privacy import hidden
    from evallib.evaluation.targets import evaluate_region, evaluate_school

    data = _without(load_dataset(ROOT / "data" / "processed" / "example"), "staff", [])
    record = decide(PROGRAMME, data)
    data.disclosure.update(record)
    results = evaluate_region(PROGRAMME, data) + [
        r for b in ("14WE", "20BC", "99SV", "02DZ") for r in evaluate_school(PROGRAMME, data, b)
    ]
    leaving = [r for r in results if r.target.measure.name == "early_leaving"]
    assert len(leaving) == 5
    for result in leaving:
        outcome = result.evidence.outcome
        assert hidden(outcome, PROGRAMME.min_group), result.scope.key
        assert "docentjaren" in result.evidence.notes[0]
    assert any(
        r["population"] == "leavers:participants:halverwege:deelnemer:40-55"
        and r["period"] == "programma"
        and len({w.split("/")[0] for w in r["where"]}) == 4
        for r in record["secondary"]
    ), record["secondary"]


def test_the_overview_weighs_each_shown_project_ratio_with_the_others(fifty_schools, example_run):
    # Issue 12, point 5: beside each project school's own ratio, its empirical-Bayes estimate;
    # only schools whose ratio is shown take part, and only when two or more can.
    from evallib.reporting.region import RegionReport
    from evallib.reporting.sections.dropout_region import dropout_comparison

    programme, _, out = fifty_schools
    report = RegionReport.load(out / "raw" / "programma.yaml", out / "processed")
    target = next(t for t in programme.targets if t.measure.name == "starter_dropout")
    text = _text(_write(out / "vergelijking.html", str(dropout_comparison(report, target))))
    header = next(line for line in text.splitlines() if "Verhouding (95%-interval)" in line)
    assert header.split("|")[-2].strip() == "Verhouding, meegewogen met de projectscholen"
    project = programme.project(target.project).label("nl")
    rows = [_row(text, s.name) for s in programme.schools]
    weighed = [r for r in rows if r[-2] != "–"]
    assert len(weighed) >= 2
    assert all(r[1] == project and r[4] not in ("–", "onderdrukt") for r in weighed)
    # the example has one such school: nothing to weigh, no column
    assert "meegewogen" not in _text(example_run.reports / "regio.html")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_hidden_school_dropout_cannot_be_worked_out_from_the_region():
    # Delft's programme cohorts: 92 starters, about 5 of whom left within 3 years, so its
    # share is hidden (rule 5). The region's 15.0% of 233 is about 35 leavers; Alfrink's
    # 19.2% of 77 about 15, Westland's 26.5% of 52 about 14, Adelbert's 0% of 12 none: that
    # left about 6 for Delft, until the run hid one more school's leavers.
    from evallib.evaluation import tables
    from evallib.evaluation.privacy import hidden as not_shown
    from evallib.evaluation.privacy import is_small
    from evallib.reporting.region import RegionReport
    from evallib.reporting.sections.base import project_locations, spells
    from evallib.reporting.sections.dropout import tagged, yearly_dropouts
    from evallib.reporting.sections.dropout_region import _ratio_rows

    report = RegionReport.load(
        ROOT / "programmes" / "haaglanden-2013.yaml", ROOT / "data" / "processed" / "example"
    )
    p, k = report.programme, report.k
    target = next(t for t in p.targets if t.id == "starters-uitval")
    years, region = target.measure.years, project_locations(p, target)
    rows = spells(report.data, region, p.reference_date)
    schools = _ratio_rows(report, target)
    schools = schools[schools["in_project"]]
    worked = 0
    for column, span in (("baseline", p.baseline_years), ("outcome", p.programme_years)):
        group = tagged(report, tables.cohorts(rows, *span, p.programme_years[0]), region, span)
        total = yearly_dropouts(report, group, years)[-1]
        parts = list(schools[column])
        if not_shown(total, k) or not any(not_shown(e, k) for e in parts):
            continue
        rest = total.estimate * total.n - sum(
            e.estimate * e.n for e in parts if not not_shown(e, k)
        )
        assert not is_small(round(rest), k), (column, rest)
        worked += 1
    assert worked == 2  # both periods have a shown region and a hidden school


def test_a_hidden_school_share_out_of_education_cannot_be_worked_out_from_the_region():
    # The programme cohorts who left education within 3 years: the region's 15 (read off its
    # share) beside Westland's 11 and two zeros gave Alfrink's 4, hidden in its table.
    from evallib.contract.measures import LEFT_EDUCATION
    from evallib.evaluation import tables
    from evallib.evaluation.privacy import hidden, is_small
    from evallib.evaluation.published import ensure, mark
    from evallib.evaluation.starters import starter_outcome_population

    data = load_dataset(ROOT / "data" / "processed" / "example")
    ensure(PROGRAMME, data)
    p, k = PROGRAMME, PROGRAMME.min_group
    project = p.project("starters")
    population = starter_outcome_population((LEFT_EDUCATION,), 3)
    every = {s.brin: tuple(s.locations) for s in p.schools}
    rows = tables.starter_spells(data.at(every).staff, p.reference_date)

    def shown(where, span):
        chosen = tables.cohorts(rows, *span, p.programme_years[0])
        chosen = chosen[chosen.apply(lambda r: r["vestiging"] in where.get(r["brin"], ()), axis=1)]
        share = tables.outcome_share(chosen, (LEFT_EDUCATION,), 3, 0.05)
        share = mark(mark(share, data, where, span), data, where, span, population, True)
        return None if hidden(share, k) else share.estimate * share.n

    with_hidden_school = 0
    for span in (p.baseline_years, p.programme_years):
        parts = [shown({b: locs}, span) for b, locs in project.participants.items()]
        with_hidden_school += None in parts
        region = shown(dict(project.participants), span)
        if region is not None and None in parts:
            rest = region - sum(x for x in parts if x is not None)
            assert not is_small(round(rest), k), (span, rest)
    assert with_hidden_school == 2  # in both periods a school's share is hidden


def test_a_few_positive_answers_are_protected_in_the_tables_and_the_region():
    # 21HC's pupils on digital lessons in 2013/14: three answer 4 or 5, the rest lower. The
    # share is hidden in its table (rule 5: 3 positive), but the region's 2013/14 share (the
    # school charts' region line) minus the other schools' shown shares gave the three.
    from dataclasses import replace

    example = load_dataset(ROOT / "data" / "processed" / "example")
    survey = example.survey.copy()
    pupils = survey.index[
        (survey["brin"] == "21HC")
        & (survey["groep"] == "leerlingen")
        & (survey["schooljaar"] == 2013)
        & survey["digitaal"].notna()
    ]
    survey.loc[pupils[:3], "digitaal"], survey.loc[pupils[3:], "digitaal"] = 5, 2
    data = replace(example, survey=survey, disclosure={})
    population = "positive:respondents:leerlingen:digitaal"
    hidden, _ = _protected(data, population, "digitaal-leerlingen", ("02DZ", "21HC", "99SV"))
    assert hidden
