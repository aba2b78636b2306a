"""The report pages as objects a notebook calls: one method per section or chart.

A notebook cell shows a section by calling a method; each method returns
:class:`~evallib.html.Html` (which Jupyter displays) or an empty string when the
section does not apply to this school. All computing is done here, so the
notebooks stay thin and every number is covered by the library's tests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import figures
from . import measures as m
from .changes import changes_section, load_previous
from .dataset import Dataset, load_dataset
from .dates import format_school_year
from .glossary import reading_guide, term_link
from .html import Html, badge, figure, synthetic_banner, table, tag
from .privacy import MIN_GROUP, count_text, is_small, total_and_part
from .programme import Programme, load_programme, years
from .protocol import RESULTS_MIME
from .stats import km_curve, km_dropouts, mean_score, proportion, ratio_of_sums
from .targets import Status, TargetResult, comparison_scope, evaluate_school
from .text import long_date, num
from .verdicts import verdict
from .wording import (
    effect_text,
    interval_text,
    mean_text,
    power_text,
    reason_text,
    share_interval_text,
    share_with_n,
    target_text,
)


def status_counts(results: list[TargetResult], lang: str = "nl") -> Html:
    """Badges with the number of targets per status."""
    counts = Counter(r.status for r in results)
    return tag(
        "p",
        [tag("span", [badge(s, lang), f" × {counts[s]}"]) for s in Status if counts[s]],
        class_="summary-counts",
    )


def verdict_list(
    programme: Programme, results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> Html:
    """Targets grouped by project: status badge, title, and the generated verdict sentence."""
    parts = []
    for project in programme.projects:
        mine = [r for r in results if r.target.project == project.id]
        if not mine:
            continue
        items = [
            tag(
                "li",
                [
                    badge(r.status, lang),
                    " ",
                    tag("strong", r.target.title),
                    *([f" ({r.scope.name})"] if r.scope.level == "location" else []),
                    tag("p", verdict(r, lang, min_group)),
                ],
            )
            for r in mine
        ]
        parts.append(
            tag(
                "section",
                [tag("h3", project.name), tag("ul", items, class_="verdicts")],
                class_="summary-project",
            )
        )
    return Html("".join(parts))


def targets_table(
    results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> Html:
    """Every target with nulmeting, outcome, interval, n and status; its explanation in a row below."""
    header = [
        "Doel",
        "Waar",
        "Doelwaarde",
        term_link("nulmeting"),
        term_link("meting"),
        term_link("interval", "Uitkomst (95%-interval)"),
        term_link("status"),
    ]
    rows = []
    for r in results:
        ev = r.evidence
        title = [r.target.title]
        if r.target.derived:
            title.append(tag("div", "afgeleid doel: het plan noemt geen getal", class_="derived"))
        rows.append(
            tag(
                "tr",
                [
                    tag("td", [tag("div", title)]),
                    tag("td", r.scope.name),
                    tag("td", target_text(ev, lang)),
                    tag(
                        "td",
                        share_with_n(ev.baseline, lang, min_group) if ev.kind != "count" else "–",
                    ),
                    tag(
                        "td",
                        share_with_n(ev.outcome, lang, min_group) if ev.kind != "count" else "–",
                    ),
                    tag("td", effect_text(ev, lang, min_group)),
                    tag("td", [badge(r.status, lang)]),
                ],
                class_="target",
            )
        )
        explanation = " ".join(
            filter(
                None,
                [
                    reason_text(r, lang, min_group),
                    *(f"{note}." for note in ev.notes),
                    power_text(ev, lang, min_group),
                ],
            )
        )
        rows.append(tag("tr", [tag("td", explanation, colspan=len(header))], class_="explain"))
    head = tag("thead", [tag("tr", [tag("th", [h], scope="col") for h in header])])
    return tag(
        "div",
        [tag("table", [head, tag("tbody", rows)], class_="data targets")],
        class_="table-wrap",
    )


def result_records(
    results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> list[dict]:
    """Target statuses as plain records (for the index and the run ledger)."""
    return [
        {
            "target": r.target.id,
            "title": r.target.title,
            "project": r.target.project,
            "level": r.scope.level,
            "scope": r.scope.key,
            "scope_name": r.scope.name,
            "status": r.status.value,
            "reason": reason_text(r, lang, min_group),
            # the number the decision rests on, as readers see it (suppressed for small groups)
            "estimate": None
            if r.evidence.effect is None
            or not r.evidence.effect.estimable
            or effect_text(r.evidence, lang, min_group) == "onderdrukt"
            else r.evidence.effect.estimate,
            "shown": effect_text(r.evidence, lang, min_group),
        }
        for r in results
    ]


class ResultsOutput:
    """Displays nothing for a reader; carries the statuses to the batch engine."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        return {RESULTS_MIME: self.records, "text/plain": ""}


@dataclass
class SchoolReport:
    """Everything a school's report shows.

    Examples
    --------
    >>> r = SchoolReport.load("programmes/haaglanden-2013.yaml", "data/processed/example", "02DZ")
    >>> r.school.name, sorted({res.target.project for res in r.results})
    ('Stanislas College', ['e-coaching', 'halverwege'])
    """

    programme: Programme
    data: Dataset
    brin: str
    lang: str = "nl"
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls, programme_file: str | Path, data_dir: str | Path, school: str, lang: str = "nl"
    ) -> SchoolReport:
        return cls(load_programme(programme_file), load_dataset(data_dir), school, lang)

    @property
    def k(self) -> int:
        """Smallest group of persons this report may show (privacy, from the programme)."""
        return self.programme.min_group

    @property
    def school(self):
        return self.programme.school(self.brin)

    @cached_property
    def results(self) -> list[TargetResult]:
        return evaluate_school(self.programme, self.data, self.brin)

    @cached_property
    def _comparison(self) -> Dataset:
        return self.data.at(comparison_scope(self.programme).locations)

    @cached_property
    def _comparison_spells(self):
        return m.starter_spells(self._comparison.staff, self.programme.reference_date)

    @cached_property
    def _own_spells(self):
        return m.starter_spells(
            self.data.at(self._locations("starters")).staff, self.programme.reference_date
        )

    def _locations(self, project_id: str) -> dict[str, tuple[str, ...]]:
        return {self.brin: self.programme.project(project_id).participants.get(self.brin, ())}

    def _takes_part(self, project_id: str) -> bool:
        return bool(self._locations(project_id)[self.brin])

    # --- sections ---------------------------------------------------------------------------
    def header(self) -> Html:
        p = self.programme
        projects = ", ".join(pr.name for pr in p.projects_of(self.brin))
        own = self.data.at({self.brin: tuple(self.school.locations)})
        staff, starters = total_and_part(
            len(own.staff), int(own.staff["starter"].fillna(False).sum()), self.k
        )
        intro = (
            f"Dit rapport laat per project zien of de doelen van het programma '{p.name}' gehaald zijn, "
            f"en hoe zeker dat is. De school doet mee aan: {projects}."
        )
        period = (
            f"Nulmeting: schooljaren {format_school_year(p.baseline_years[0])}–"
            f"{format_school_year(p.baseline_years[1])}. Programma: {format_school_year(p.programme_years[0])}–"
            f"{format_school_year(p.programme_years[1])}. Gegevens tot en met {long_date(p.reference_date)} "
            "(de peildatum)."
        )
        basis = (
            f"De cijfers rusten op {staff} docenten in het personeelsbestand, waarvan {starters} starters, "
            "en op de lesuren en tevredenheidsonderzoeken die de school aanleverde."
        )
        parts = [synthetic_banner(self.lang)] if self.data.synthetic else []
        parts += [
            tag("h1", self.school.name),
            tag("p", f"{p.name} · {self.school.place} · BRIN {self.brin}", class_="subtitle"),
            tag("p", intro),
            tag("p", [period, " ", basis], class_="note"),
            tag(
                "p",
                [
                    tag("a", "Hoe lees je dit rapport?", href="#hoe-lees-je-dit"),
                    " · ",
                    tag("a", "Herkomst van de cijfers", href="#herkomst"),
                ],
                class_="note",
            ),
        ]
        return Html("".join(parts))

    def summary(self) -> Html:
        """One screen first: per project, every target with its badge and one sentence of evidence."""
        return Html(
            tag("h2", "Samenvatting", id="samenvatting")
            + status_counts(self.results, self.lang)
            + verdict_list(self.programme, self.results, self.lang, self.k)
        )

    def project(self, project_id: str) -> Html:
        if not self._takes_part(project_id):
            return Html("")
        project = self.programme.project(project_id)
        locations = ", ".join(
            self.school.locations[loc] for loc in self._locations(project_id)[self.brin]
        )
        results = [r for r in self.results if r.target.project == project_id]
        return Html(
            tag("h2", project.name)
            + tag("p", project.summary)
            + tag("p", f"Deelnemende locaties: {locations}.", class_="note")
            + targets_table(results, self.lang, self.k)
        )

    # --- charts ------------------------------------------------------------------------------
    def retention_figure(self) -> Html:
        if not self._takes_part("starters"):
            return Html("")
        p = self.programme
        target = next(
            t for t in p.project("starters").targets if t.measure_name == "starter_dropout"
        )
        k = int(target.measure.get("years", 3))
        own, comparison = self._own_spells, self._comparison_spells
        base = m.in_years(own, "cohort", *p.baseline_years)
        prog = m.in_years(own, "cohort", *p.programme_years)
        comp = m.in_years(comparison, "cohort", *p.programme_years)
        groups = {
            f"nulmeting {format_school_year(p.baseline_years[0])}–{format_school_year(p.baseline_years[1])}": base,
            f"programma {format_school_year(p.programme_years[0])}–{format_school_year(p.programme_years[1])}": prog,
            "vergelijkingsscholen, zelfde jaren": comp,
        }
        # A curve of a small group would show when each of its few members left: leave it out.
        curves = {
            f"{label} (n = {count_text(len(g), self.k)}"
            + (", niet getoond)" if is_small(len(g), self.k) else ")"): (
                km_curve(g["years"], g["left"])
                if not is_small(len(g), self.k)
                else km_curve([], [])
            )
            for label, g in groups.items()
        }
        base_result = next((r for r in self.results if r.target is target), None)
        goal = None
        if (
            base_result
            and base_result.evidence.baseline
            and base_result.evidence.baseline.estimable
            and not is_small(base_result.evidence.baseline.n, self.k)
        ):
            goal = 1 - base_result.evidence.baseline.estimate * (1 + target.change)
        fig = figures.retention(curves, k, goal, "Hoeveel startende docenten blijven op de school?")
        alt = (
            f"Lijngrafiek: aandeel starters dat nog op {self.school.name} werkt, per jaar sinds de start, "
            f"voor de nulmeting, de programmacohorten en de vergelijkingsscholen, met 95%-banden."
        )
        return figure(
            fig,
            alt,
            "Kaplan–Meier-schatting: wie nog niet lang genoeg gevolgd is, telt mee zolang hij gevolgd is. "
            "De gekleurde banden zijn 95%-intervallen.",
        )

    def digital_figure(self) -> Html:
        if not self._takes_part("e-coaching"):
            return Html("")
        p = self.programme
        rows = []
        own = self.data.at(self._locations("e-coaching"))
        comp = self._comparison
        for year in years((p.programme_years[0] - 1, p.programme_years[1])):
            label = format_school_year(year)
            team, _ = m.team_hours(own.hours, own.participation, year)
            for group, frame in (
                ("e-coachingteam", team),
                ("alle docenten van deze locaties", m.year_hours(own.hours, year)),
                ("vergelijkingsscholen", m.year_hours(comp.hours, year)),
            ):
                if len(frame) >= 2:
                    e = ratio_of_sums(frame["lesuren_digitaal"], frame["lesuren_totaal"])
                    rows.append(
                        {
                            "year": label,
                            "group": f"{group}",
                            "estimate": e.estimate,
                            "ci_lower": e.ci_lower,
                            "ci_upper": e.ci_upper,
                        }
                    )
        targets = {}
        for t in p.project("e-coaching").targets:
            if t.measure_name == "digital_share" and t.at_least is not None:
                targets[str(t.measure["year"])] = t.at_least
        fig = figures.shares_by_year(
            pd.DataFrame(rows),
            "Aandeel lesuren met digitale didactiek",
            "Aandeel van de lesuren",
            targets,
        )
        alt = (
            f"Grafiek: aandeel lesuren met digitale didactiek per schooljaar op {self.school.name}, voor het "
            f"e-coachingteam, alle docenten en de vergelijkingsscholen, met de doelen 10% en 20%."
        )
        return figure(
            fig, alt, "Punten met 95%-interval; de oranje streepjes zijn de doelen uit het plan."
        )

    def survey_figure(self, group: str, item: str, project_id: str) -> Html:
        if not self._takes_part(project_id):
            return Html("")
        own = self.data.at(self._locations(project_id))
        comp = self._comparison
        rows = []
        for year in sorted(set(self.data.survey["schooljaar"].dropna().astype(int))):
            for label, frame in (
                ("deze school", own.survey),
                ("vergelijkingsscholen", comp.survey),
            ):
                k, n = m.positive(m.survey_scores(frame, group, item, year))
                if n and not is_small(n, self.k):
                    e = proportion(k, n)
                    rows.append(
                        {
                            "year": format_school_year(year),
                            "group": f"{label}",
                            "estimate": e.estimate,
                            "ci_lower": e.ci_lower,
                            "ci_upper": e.ci_upper,
                        }
                    )
        if not rows:
            return Html("")
        fig = figures.shares_by_year(
            pd.DataFrame(rows), f"Enquête {group}: '{item}' (4 of 5 gescoord)", "Aandeel positief"
        )
        alt = f"Grafiek: aandeel {group} dat 4 of 5 scoort op '{item}', per schooljaar, deze school en de vergelijkingsscholen."
        return figure(fig, alt, "Aandeel respondenten met score 4 of 5, met 95%-interval (Wilson).")

    def dropout_table(self) -> Html:
        """k-year dropout (k = 1, 2, 3) by Kaplan–Meier for nulmeting, programme and comparison."""
        if not self._takes_part("starters"):
            return Html("")
        p = self.programme
        groups = {
            f"nulmeting ({format_school_year(p.baseline_years[0])}–{format_school_year(p.baseline_years[1])})": m.in_years(
                self._own_spells, "cohort", *p.baseline_years
            ),
            f"programma ({format_school_year(p.programme_years[0])}–{format_school_year(p.programme_years[1])})": m.in_years(
                self._own_spells, "cohort", *p.programme_years
            ),
            "vergelijkingsscholen, programmajaren": m.in_years(
                self._comparison_spells, "cohort", *p.programme_years
            ),
        }
        rows = []
        for label, spells in groups.items():
            cells = km_dropouts(spells["years"], spells["left"], (1, 2, 3))
            rows.append(
                [
                    label,
                    count_text(len(spells), self.k),
                    *(interval_text(c, self.lang, self.k) for c in cells),
                ]
            )
        return Html(
            tag("h3", "Uitval van starters na 1, 2 en 3 jaar")
            + table(["Groep", "Starters (n)", "Na 1 jaar", "Na 2 jaar", "Na 3 jaar"], rows)
            + tag(
                "p",
                "Kaplan–Meier-schatting met 95%-interval. Wie nog geen k jaar gevolgd is, telt mee "
                "zolang hij gevolgd is; '–' betekent dat nog niemand zo lang gevolgd kon worden.",
                class_="note",
            )
        )

    def digital_table(self) -> Html:
        """Per school year: the team's digital share and the share of members at or above 10% and 20%."""
        if not self._takes_part("e-coaching"):
            return Html("")
        p = self.programme
        own = self.data.at(self._locations("e-coaching"))
        rows = []
        for year in years(p.programme_years):
            team, missing = m.team_hours(own.hours, own.participation, year)
            shares = team["lesuren_digitaal"] / team["lesuren_totaal"]
            total = ratio_of_sums(team["lesuren_digitaal"], team["lesuren_totaal"])
            rows.append(
                [
                    format_school_year(year),
                    count_text(len(team), self.k)
                    + (f" (+{count_text(missing, self.k)} zonder uren)" if missing else ""),
                    interval_text(total, self.lang, self.k),
                    share_interval_text(
                        proportion(int((shares >= 0.10).sum()), len(team)), self.lang, self.k
                    ),
                    share_interval_text(
                        proportion(int((shares >= 0.20).sum()), len(team)), self.lang, self.k
                    ),
                ]
            )
        return Html(
            tag("h3", "Digitale didactiek in het e-coachingteam")
            + table(
                [
                    "Schooljaar",
                    "Teamleden (n)",
                    "Aandeel digitale lesuren",
                    "Teamleden ≥ 10%",
                    "Teamleden ≥ 20%",
                ],
                rows,
            )
            + tag(
                "p",
                "Aandeel van alle lesuren van het team, met 95%-interval over docenten; en het deel van de "
                "teamleden dat zelf 10% of 20% haalt (Wilson-interval).",
                class_="note",
            )
        )

    def survey_table(self, group: str, item: str, project_id: str) -> Html:
        """Per school year: mean score and share scoring 4 or 5, with intervals and n."""
        if not self._takes_part(project_id):
            return Html("")
        own = self.data.at(self._locations(project_id))
        rows = []
        for year in sorted(set(own.survey["schooljaar"].dropna().astype(int))):
            scores = m.survey_scores(own.survey, group, item, year)
            if scores.empty:
                continue
            rows.append(
                [
                    format_school_year(year),
                    count_text(len(scores), self.k),
                    mean_text(mean_score(scores), self.lang, self.k),
                    share_interval_text(proportion(*m.positive(scores)), self.lang, self.k),
                ]
            )
        if not rows:
            return Html("")
        return Html(
            table(
                ["Schooljaar", "Respondenten (n)", "Gemiddelde score (1–5)", "Score 4 of 5"],
                rows,
                caption=f"Enquête {group}: '{item}'",
            )
        )

    def changes(self, previous: str = "") -> Html:
        """What changed since an earlier run (its reports folder or ledger), or nothing."""
        if not previous:
            return Html("")
        records = load_previous(previous).get(self.brin, [])
        return changes_section(
            records, result_records(self.results, self.lang, self.k), Path(previous).name
        )

    def reading_guide(self) -> Html:
        """'Hoe lees je dit rapport?' with the glossary the tables link to."""
        return reading_guide()

    def statuses(self) -> ResultsOutput:
        """The target statuses for the run's index and ledger (invisible in the report)."""
        return ResultsOutput(result_records(self.results, self.lang, self.k))

    def data_basis(self) -> Html:
        files = [f for f in self.data.meta.get("files", []) if f["school"] == self.brin]
        rows = [
            [
                f["label"].split("/", 1)[-1],
                count_text(f["rows"], self.k),
                num(f.get("blank_lines", 0)),
                (f.get("sheet") and f"werkblad '{f['sheet']}'")
                or f"CSV, {f.get('encoding')}, scheidingsteken '{f.get('delimiter')}'",
            ]
            for f in files
        ]
        read = sum(f["rows"] for f in files)
        processed = sum(f["rows"] for f in files if f.get("processed", True))
        # Nothing is dropped silently: say how many rows were read and used (schools with
        # errors are not processed at all, so for a report these are equal).
        used = (
            "alle gelezen regels zijn gecontroleerd en gebruikt"
            if processed == read
            else f"{count_text(read - processed, self.k)} regels zijn niet gebruikt"
        )
        warnings = [
            p
            for p in self.data.meta.get("problems", [])
            if p.get("school") == self.brin and p["severity"] == "warning"
        ]
        parts = [
            tag("h2", "Gegevens"),
            tag(
                "p",
                f"De school leverde deze bestanden aan: {count_text(read, self.k)} regels gelezen; {used}. "
                "Lege regels worden overgeslagen en geteld.",
            ),
            table(["Bestand", "Regels", "Lege regels", "Vorm"], rows),
        ]
        if warnings:
            parts.append(
                tag(
                    "p",
                    f"{len(warnings)} waarschuwing(en) bij de controle, zie de validatie-uitvoer.",
                    class_="note",
                )
            )
        return Html("".join(parts))
