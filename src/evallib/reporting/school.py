"""The report pages as objects a notebook calls: one method per section or chart.

A notebook cell shows a section by calling a method; each method returns
:class:`~evallib.reporting.html.Html` (which Jupyter displays) or an empty string when the
section does not apply to this school. All computing is done here, so the
notebooks stay thin and every number is covered by the library's tests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from evallib.contract.programme import Programme, load_programme, years
from evallib.core.dates import format_school_year
from evallib.core.text import CATALOGUE, long_date, num, t
from evallib.evaluation import measures as m
from evallib.evaluation.dataset import Dataset, load_dataset
from evallib.evaluation.privacy import MIN_GROUP, count_text, is_small, total_and_part
from evallib.evaluation.targets import Status, TargetResult, comparison_scope, evaluate_school
from evallib.reporting import figures
from evallib.reporting.changes import changes_section, load_previous
from evallib.reporting.glossary import reading_guide, term_link
from evallib.reporting.html import Html, badge, figure, synthetic_banner, table, tag
from evallib.reporting.records import ResultsOutput, result_records, target_anchor
from evallib.reporting.verdicts import verdict
from evallib.reporting.wording import (
    effect_text,
    interval_text,
    mean_text,
    power_text,
    reason_text,
    share_interval_text,
    share_with_n,
    target_text,
)
from evallib.stats.estimates import km_curve, km_dropouts, mean_score, proportion, ratio_of_sums


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
                    tag("strong", r.target.label(lang)),
                    *([f" ({r.scope.name})"] if r.scope.level == "location" else []),
                    tag("p", verdict(r, lang, min_group)),
                ],
            )
            for r in mine
        ]
        parts.append(
            tag(
                "section",
                [tag("h3", project.label(lang)), tag("ul", items, class_="verdicts")],
                class_="summary-project",
            )
        )
    return Html("".join(parts))


def targets_table(
    results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> Html:
    """Every target with nulmeting, outcome, interval, n and status; its explanation in a row below."""
    header = [
        t("school.targets.target", lang),
        t("school.targets.where", lang),
        t("school.targets.target_value", lang),
        term_link("nulmeting", lang=lang),
        term_link("meting", lang=lang),
        term_link("interval", t("school.targets.outcome_interval", lang), lang=lang),
        term_link("status", lang=lang),
    ]
    rows = []
    for r in results:
        ev = r.evidence
        title = [r.target.label(lang)]
        if r.target.derived:
            title.append(tag("div", t("school.targets.derived", lang), class_="derived"))
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
                id=target_anchor(r.target.id, r.scope.level, r.scope.key),  # the index links here
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
        return evaluate_school(self.programme, self.data, self.brin, lang=self.lang)

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

    def _years(self, span: tuple[int, int]) -> dict[str, str]:
        """A span of school years as the ``first``/``last`` values of a catalogue text."""
        return {"first": format_school_year(span[0]), "last": format_school_year(span[1])}

    def _survey_words(self, group: str, item: str) -> dict[str, str]:
        """A survey's respondent group and question as the report names them in its language."""
        return {
            "group": _word("school.respondents", group, self.lang),
            "item": _word("school.question", item, self.lang),
        }

    # --- sections ---------------------------------------------------------------------------
    def header(self) -> Html:
        p, lang = self.programme, self.lang
        projects = ", ".join(pr.label(lang) for pr in p.projects_of(self.brin))
        own = self.data.at({self.brin: tuple(self.school.locations)})
        staff, starters = total_and_part(
            len(own.staff), int(own.staff["starter"].fillna(False).sum()), self.k, lang=lang
        )
        intro = t("school.header.intro", lang, programme=p.name, projects=projects)
        period = t(
            "school.header.period",
            lang,
            baseline_from=format_school_year(p.baseline_years[0]),
            baseline_to=format_school_year(p.baseline_years[1]),
            programme_from=format_school_year(p.programme_years[0]),
            programme_to=format_school_year(p.programme_years[1]),
            reference_date=long_date(p.reference_date, lang),
        )
        basis = t("school.header.basis", lang, staff=staff, starters=starters)
        parts = [synthetic_banner(lang)] if self.data.synthetic else []
        parts += [
            tag("h1", self.school.name),
            tag(
                "p",
                t(
                    "school.header.subtitle",
                    lang,
                    programme=p.name,
                    place=self.school.place,
                    brin=self.brin,
                ),
                class_="subtitle",
            ),
            tag("p", intro),
            tag("p", [period, " ", basis], class_="note"),
            tag(
                "p",
                [
                    tag("a", t("school.header.how_to_read", lang), href="#hoe-lees-je-dit"),
                    " · ",
                    tag("a", t("school.header.provenance", lang), href="#herkomst"),
                ],
                class_="note",
            ),
        ]
        return Html("".join(parts))

    def summary(self) -> Html:
        """One screen first: per project, every target with its badge and one sentence of evidence."""
        return Html(
            tag("h2", t("school.summary.heading", self.lang), id="samenvatting")
            + status_counts(self.results, self.lang)
            + verdict_list(self.programme, self.results, self.lang, self.k)
        )

    def projects_intro(self) -> Html:
        """The paragraph before the projects: what each target's row shows."""
        parts = t("school.projects_intro", self.lang).split("**")
        # Every second part was between ** and ** in the catalogue: printed in bold.
        return tag(
            "p", [tag("strong", part) if i % 2 else part for i, part in enumerate(parts) if part]
        )

    def project(self, project_id: str) -> Html:
        if not self._takes_part(project_id):
            return Html("")
        lang = self.lang
        project = self.programme.project(project_id)
        locations = ", ".join(
            self.school.locations[loc] for loc in self._locations(project_id)[self.brin]
        )
        results = [r for r in self.results if r.target.project == project_id]
        return Html(
            tag("h2", project.label(lang))
            + tag("p", project.summary_text(lang))
            + tag("p", t("school.project.locations", lang, locations=locations), class_="note")
            + targets_table(results, lang, self.k)
        )

    # --- charts ------------------------------------------------------------------------------
    def retention_figure(self) -> Html:
        if not self._takes_part("starters"):
            return Html("")
        p, lang = self.programme, self.lang
        target = next(
            x for x in p.project("starters").targets if x.measure_name == "starter_dropout"
        )
        k = int(target.measure.get("years", 3))
        own, comparison = self._own_spells, self._comparison_spells
        base = m.in_years(own, "cohort", *p.baseline_years)
        prog = m.in_years(own, "cohort", *p.programme_years)
        comp = m.in_years(comparison, "cohort", *p.programme_years)
        groups = {
            t("school.group.baseline", lang, **self._years(p.baseline_years)): base,
            t("school.group.programme", lang, **self._years(p.programme_years)): prog,
            t("school.group.comparison_same_years", lang): comp,
        }
        # A curve of a small group would show when each of its few members left: leave it out.
        curves = {
            t(
                "school.retention.curve_hidden"
                if is_small(len(g), self.k)
                else "school.retention.curve",
                lang,
                label=label,
                n=count_text(len(g), self.k, lang),
            ): (
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
        fig = figures.retention(curves, k, goal, t("school.retention.title", lang), lang=lang)
        return figure(
            fig,
            t("school.retention.alt", lang, school=self.school.name),
            t("school.retention.caption", lang),
        )

    def digital_figure(self) -> Html:
        if not self._takes_part("e-coaching"):
            return Html("")
        p, lang = self.programme, self.lang
        rows = []
        own = self.data.at(self._locations("e-coaching"))
        comp = self._comparison
        for year in years((p.programme_years[0] - 1, p.programme_years[1])):
            label = format_school_year(year)
            team, _ = m.team_hours(own.hours, own.participation, year)
            for group, frame in (
                (t("school.group.team", lang), team),
                (t("school.group.all_teachers", lang), m.year_hours(own.hours, year)),
                (t("school.group.comparison", lang), m.year_hours(comp.hours, year)),
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
        for target in p.project("e-coaching").targets:
            if target.measure_name == "digital_share" and target.at_least is not None:
                targets[str(target.measure["year"])] = target.at_least
        fig = figures.shares_by_year(
            pd.DataFrame(rows),
            t("school.digital.title", lang),
            t("school.digital.ylabel", lang),
            targets,
            lang=lang,
        )
        return figure(
            fig,
            t("school.digital.alt", lang, school=self.school.name),
            t("school.digital.caption", lang),
        )

    def survey_figure(self, group: str, item: str, project_id: str) -> Html:
        if not self._takes_part(project_id):
            return Html("")
        lang = self.lang
        own = self.data.at(self._locations(project_id))
        comp = self._comparison
        rows = []
        for year in sorted(set(self.data.survey["schooljaar"].dropna().astype(int))):
            for label, frame in (
                (t("school.group.this_school", lang), own.survey),
                (t("school.group.comparison", lang), comp.survey),
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
        words = self._survey_words(group, item)
        fig = figures.shares_by_year(
            pd.DataFrame(rows),
            t("school.survey.title", lang, **words),
            t("school.survey.ylabel", lang),
            lang=lang,
        )
        return figure(fig, t("school.survey.alt", lang, **words), t("school.survey.caption", lang))

    def dropout_table(self) -> Html:
        """k-year dropout (k = 1, 2, 3) by Kaplan–Meier for nulmeting, programme and comparison."""
        if not self._takes_part("starters"):
            return Html("")
        p, lang = self.programme, self.lang
        groups = {
            t("school.group.baseline_in_brackets", lang, **self._years(p.baseline_years)): (
                m.in_years(self._own_spells, "cohort", *p.baseline_years)
            ),
            t("school.group.programme_in_brackets", lang, **self._years(p.programme_years)): (
                m.in_years(self._own_spells, "cohort", *p.programme_years)
            ),
            t("school.group.comparison_programme_years", lang): m.in_years(
                self._comparison_spells, "cohort", *p.programme_years
            ),
        }
        rows = []
        for label, spells in groups.items():
            cells = km_dropouts(spells["years"], spells["left"], (1, 2, 3))
            rows.append(
                [
                    label,
                    count_text(len(spells), self.k, lang),
                    *(interval_text(c, lang, self.k) for c in cells),
                ]
            )
        header = [
            t(f"school.dropout.{column}", lang)
            for column in ("group", "starters", "after_1", "after_2", "after_3")
        ]
        return Html(
            tag("h3", t("school.dropout.heading", lang))
            + table(header, rows)
            + tag("p", t("school.dropout.note", lang), class_="note")
        )

    def digital_table(self) -> Html:
        """Per school year: the team's digital share and the share of members at or above 10% and 20%."""
        if not self._takes_part("e-coaching"):
            return Html("")
        p, lang = self.programme, self.lang
        own = self.data.at(self._locations("e-coaching"))
        rows = []
        for year in years(p.programme_years):
            team, missing = m.team_hours(own.hours, own.participation, year)
            shares = team["lesuren_digitaal"] / team["lesuren_totaal"]
            total = ratio_of_sums(team["lesuren_digitaal"], team["lesuren_totaal"])
            without = t("school.digital.without_hours", lang, n=count_text(missing, self.k, lang))
            rows.append(
                [
                    format_school_year(year),
                    count_text(len(team), self.k, lang) + (f" {without}" if missing else ""),
                    interval_text(total, lang, self.k),
                    share_interval_text(
                        proportion(int((shares >= 0.10).sum()), len(team)), lang, self.k
                    ),
                    share_interval_text(
                        proportion(int((shares >= 0.20).sum()), len(team)), lang, self.k
                    ),
                ]
            )
        header = [
            t("school.school_year", lang),
            *(
                t(f"school.digital.{column}", lang)
                for column in ("members", "share", "members_10", "members_20")
            ),
        ]
        return Html(
            tag("h3", t("school.digital.heading", lang))
            + table(header, rows)
            + tag("p", t("school.digital.note", lang), class_="note")
        )

    def survey_table(self, group: str, item: str, project_id: str) -> Html:
        """Per school year: mean score and share scoring 4 or 5, with intervals and n."""
        if not self._takes_part(project_id):
            return Html("")
        lang = self.lang
        own = self.data.at(self._locations(project_id))
        rows = []
        for year in sorted(set(own.survey["schooljaar"].dropna().astype(int))):
            scores = m.survey_scores(own.survey, group, item, year)
            if scores.empty:
                continue
            rows.append(
                [
                    format_school_year(year),
                    count_text(len(scores), self.k, lang),
                    mean_text(mean_score(scores), lang, self.k),
                    share_interval_text(proportion(*m.positive(scores)), lang, self.k),
                ]
            )
        if not rows:
            return Html("")
        header = [
            t("school.school_year", lang),
            *(t(f"school.survey.{column}", lang) for column in ("respondents", "mean", "positive")),
        ]
        return Html(
            table(
                header,
                rows,
                caption=t("school.survey.table_caption", lang, **self._survey_words(group, item)),
            )
        )

    def changes(self, previous: str = "") -> Html:
        """What changed since an earlier run (its reports folder or ledger), or nothing."""
        if not previous:
            return Html("")
        records = load_previous(previous).get(self.brin, [])
        return changes_section(
            records,
            result_records(self.results, self.lang, self.k),
            Path(previous).name,
            lang=self.lang,
        )

    def reading_guide(self) -> Html:
        """'Hoe lees je dit rapport?' with the glossary the tables link to."""
        return reading_guide(lang=self.lang)

    def statuses(self) -> ResultsOutput:
        """The target statuses for the run's index and ledger (invisible in the report)."""
        return ResultsOutput(result_records(self.results, self.lang, self.k))

    def data_basis(self) -> Html:
        lang = self.lang
        files = [f for f in self.data.meta.get("files", []) if f["school"] == self.brin]
        rows = [
            [
                f["label"].split("/", 1)[-1],
                count_text(f["rows"], self.k, lang),
                num(f.get("blank_lines", 0), lang=lang),
                (f.get("sheet") and t("school.data.sheet", lang, sheet=f["sheet"]))
                or t(
                    "school.data.csv",
                    lang,
                    encoding=f.get("encoding"),
                    delimiter=f.get("delimiter"),
                ),
            ]
            for f in files
        ]
        read = sum(f["rows"] for f in files)
        processed = sum(f["rows"] for f in files if f.get("processed", True))
        # Nothing is dropped silently: say how many rows were read and used (schools with
        # errors are not processed at all, so for a report these are equal).
        used = (
            t("school.data.all_used", lang)
            if processed == read
            else t("school.data.not_used", lang, n=count_text(read - processed, self.k, lang))
        )
        warnings = [
            p
            for p in self.data.meta.get("problems", [])
            if p.get("school") == self.brin and p["severity"] == "warning"
        ]
        header = [
            t(f"school.data.{column}", lang) for column in ("file", "rows", "blank_rows", "form")
        ]
        parts = [
            tag("h2", t("school.data.heading", lang)),
            tag(
                "p",
                t("school.data.intro", lang, read=count_text(read, self.k, lang), used=used),
            ),
            table(header, rows),
        ]
        if warnings:
            parts.append(tag("p", t("school.data.warnings", lang, n=len(warnings)), class_="note"))
        return Html("".join(parts))


def _word(prefix: str, name: str, lang: str) -> str:
    """A data name (a survey group or question) as the report shows it; the name if not listed."""
    key = f"{prefix}.{name}"
    return t(key, lang) if key in CATALOGUE else name
