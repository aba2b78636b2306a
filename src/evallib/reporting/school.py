"""The school report as an object a notebook calls: one method per part of the page.

A notebook cell shows a part by calling a method; each returns
:class:`~evallib.reporting.html.Html` (which Jupyter displays), empty when the part does
not apply to this school. Each project shows its targets and then the sections of its
targets' measures (:mod:`evallib.reporting.sections`); nothing in here knows a project,
role or survey item of any programme. All computing is done in the library, so the
notebooks stay thin and every number is covered by the library's tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from evallib.contract.programme import Programme, load_programme
from evallib.core.dates import format_school_year, school_year_of
from evallib.core.text import long_date, num, t
from evallib.evaluation.dataset import Dataset, load_dataset
from evallib.evaluation.privacy import count_text, total_and_part
from evallib.evaluation.published import ensure, secondary
from evallib.evaluation.targets import TargetResult, evaluate_school
from evallib.reporting.changes import changes_section, load_previous
from evallib.reporting.glossary import reading_guide
from evallib.reporting.html import Html, synthetic_banner, table, tag
from evallib.reporting.records import ResultsOutput, result_records
from evallib.reporting.sections import SCHOOL_SECTIONS
from evallib.reporting.summary import headline, status_counts, targets_table, verdict_list


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

    def __post_init__(self) -> None:
        ensure(self.programme, self.data)  # the run's suppressions, shared by all its reports

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

    # --- sections ---------------------------------------------------------------------------
    def header(self) -> Html:
        p, lang = self.programme, self.lang
        projects = ", ".join(pr.label(lang) for pr in p.projects_of(self.brin))
        own = self.data.at({self.brin: tuple(self.school.locations)})
        # the starters the report's tables count: those who started in the report's years
        first, last = p.baseline_years[0], p.programme_years[1]
        cohort = school_year_of(own.staff["datum_in_dienst"])
        starting = own.staff["starter"].fillna(False).astype(bool) & cohort.between(first, last)
        staff, starters = total_and_part(len(own.staff), int(starting.sum()), self.k, lang=lang)
        if secondary(self.data, {self.brin: tuple(self.school.locations)}, (first, last)):
            starters = count_text(int(starting.sum()), self.k, lang, hidden=True)
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
        basis = t(
            "school.header.basis",
            lang,
            staff=staff,
            starters=starters,
            first=format_school_year(first),
            last=format_school_year(last),
        )
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
            + headline(self.results, self.lang)
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

    def projects(self) -> list[str]:
        """The ids of the projects this school takes part in, in the programme's order."""
        return [project.id for project in self.programme.projects_of(self.brin)]

    def project(self, project_id: str) -> Html:
        """A project: what it is, its targets with their evidence, and the sections of their measures."""
        project = self.programme.project(project_id)
        locations = project.participants.get(self.brin, ())
        if not locations:
            return Html("")
        lang = self.lang
        names = ", ".join(self.school.locations[loc] for loc in locations)
        results = [r for r in self.results if r.target.project == project_id]
        parts = [
            tag("h2", project.label(lang)),
            tag("p", project.summary_text(lang)),
            tag("p", t("school.project.locations", lang, locations=names), class_="note"),
            targets_table(results, lang, self.k) if results else self._no_targets(project),
        ]
        parts += [section(self, target) for target, section in self._sections(project)]
        return Html("").join(parts)

    def _no_targets(self, project) -> Html:
        """Instead of an empty table: where this project's targets are, if anywhere."""
        key = (
            "school.project.region_targets_only" if project.targets else "school.project.no_targets"
        )
        return tag("p", t(key, self.lang))

    def _sections(self, project) -> list:
        """(target, section) for each distinct measure a school or location target of the project has."""
        seen, chosen = [], []
        for target in project.targets:
            if not {"school", "location"} & set(target.levels) or target.measure in seen:
                continue
            seen.append(target.measure)
            chosen += [
                (target, section) for section in SCHOOL_SECTIONS.get(target.measure.name, ())
            ]
        return chosen

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
            table(header, rows, lang=lang),
        ]
        if warnings:
            parts.append(tag("p", t("school.data.warnings", lang, n=len(warnings)), class_="note"))
        return Html("".join(parts))
