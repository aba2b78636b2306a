"""The regional overview: region-level targets, all schools at a glance, comparison group.

Which charts and tables it shows follows from the programme's region targets and their
measures (:mod:`evallib.reporting.sections`); nothing in here knows a project or role.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from evallib.contract.programme import Programme, load_programme
from evallib.core.text import LANGUAGES, long_date, t, t_count
from evallib.evaluation.dataset import Dataset, load_dataset
from evallib.evaluation.published import ensure
from evallib.evaluation.targets import TargetResult, evaluate_region, evaluate_school
from evallib.reporting.glossary import reading_guide
from evallib.reporting.html import Html, badge, synthetic_banner, table, tag
from evallib.reporting.records import ResultsOutput, result_records
from evallib.reporting.sections import counts, did, digital, dropout_region, indicators
from evallib.reporting.sections.base import and_list
from evallib.reporting.summary import status_counts, targets_table, verdict_list

#: Above this many schools, per-school tables and plots give way to summaries.
MATRIX_LIMIT = 40


@dataclass
class RegionReport:
    """Everything the regional overview shows.

    Examples
    --------
    >>> r = RegionReport.load("programmes/haaglanden-2013.yaml", "data/processed/example")
    >>> len(r.school_results) == len(r.programme.participating)
    True
    """

    programme: Programme
    data: Dataset
    lang: str = "nl"

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")
        ensure(self.programme, self.data)  # the run's suppressions, shared by all its reports

    @classmethod
    def load(
        cls, programme_file: str | Path, data_dir: str | Path, lang: str = "nl"
    ) -> RegionReport:
        return cls(load_programme(programme_file), load_dataset(data_dir), lang)

    @property
    def k(self) -> int:
        """Smallest group of persons this report may show (privacy, from the programme)."""
        return self.programme.min_group

    @cached_property
    def results(self) -> list[TargetResult]:
        return evaluate_region(self.programme, self.data, self.lang)

    @cached_property
    def school_results(self) -> dict[str, list[TargetResult]]:
        valid = set(self.data.schools)
        return {
            s.brin: evaluate_school(
                self.programme, self.data, s.brin, levels=("school",), lang=self.lang
            )
            if s.brin in valid
            else []
            for s in self.programme.participating
        }

    def header(self) -> Html:
        p = self.programme
        parts = [synthetic_banner(self.lang)] if self.data.synthetic else []
        lang = self.lang
        participating = ", ".join(s.name for s in p.participating)
        valid = set(self.data.schools)
        present = [s.name for s in p.comparison if s.brin in valid]
        absent = [s.name for s in p.comparison if s.brin not in valid]
        comparison = t("overview.and", lang).join(present)
        parts += [
            tag("h1", t("overview.title", lang, region=p.region)),
            tag(
                "p",
                t(
                    "overview.subtitle",
                    lang,
                    programme=p.name,
                    date=long_date(p.reference_date, lang),
                ),
                class_="subtitle",
            ),
            tag(
                "p",
                t("overview.participants", lang, participating=participating, comparison=comparison)
                if present
                else t("overview.participants_only", lang, participating=participating),
            ),
        ]
        if absent:  # say so: the comparison group is not what the programme file names
            key = "overview.comparison_incomplete" + ("_many" if len(absent) > 1 else "")
            schools = t("overview.and", lang).join(absent)
            parts.append(tag("p", t(key, lang, schools=schools), class_="note"))
        return Html("".join(parts))

    def summary(self) -> Html:
        return Html(
            tag("h2", t("overview.targets_heading", self.lang))
            + status_counts(self.results, self.lang)
            + verdict_list(self.programme, self.results, self.lang, self.k)
            + tag("h3", t("overview.evidence", self.lang))
            + targets_table(self.results, self.lang, self.k)
        )

    def statuses(self) -> ResultsOutput:
        """The region's target statuses for the run's downloads (invisible in the overview).

        Examples
        --------
        >>> r = RegionReport.load("programmes/haaglanden-2013.yaml", "data/processed/example")
        >>> records = r.statuses().records
        >>> {record["level"] for record in records}, len(records) == len(r.results)
        ({'region'}, True)
        """
        return ResultsOutput(result_records(self.results, self.lang, self.k))

    def school_matrix(self) -> Html:
        """Schools × targets: the status of every school-level target per school."""
        lang = self.lang
        targets = [target for target in self.programme.targets if "school" in target.levels]
        if (
            len(self.programme.participating) > MATRIX_LIMIT
        ):  # a national run: the index does this job
            return Html(
                tag("h2", t("overview.matrix_heading", lang))
                + tag("p", t("overview.matrix_in_index", lang, n=len(self.programme.participating)))
            )
        rows = []
        for school in self.programme.participating:
            by_target = {
                r.target.id: r
                for r in self.school_results[school.brin]
                if r.scope.level == "school"
            }
            rows.append(
                [
                    school.name,
                    *[
                        badge(by_target[target.id].status, lang) if target.id in by_target else "–"
                        for target in targets
                    ],
                ]
            )
        return Html(
            tag("h2", t("overview.matrix_heading", lang))
            + tag("p", t("overview.matrix_intro", lang))
            + table(
                [t("overview.school", lang), *[target.label(lang) for target in targets]],
                rows,
                class_="data matrix",
                lang=lang,
            )
        )

    def reading_guide(self) -> Html:
        """'Hoe lees je dit rapport?' with the glossary."""
        return reading_guide(lang=self.lang)

    def comparison_intro(self) -> Html:
        """Why the overview compares with the schools that did not take part."""
        names = and_list([s.name for s in self.programme.comparison], self.lang)
        return Html(
            tag("h2", t("overview.comparison_heading", self.lang))
            + tag(
                "p",
                t_count(
                    "overview.comparison_intro",
                    len(self.programme.comparison),
                    self.lang,
                    names=names,
                ),
            )
        )

    def sections(self) -> Html:
        """The measures' sections, in a fixed order: trends first, then the comparison schools.

        Retention per cohort, counts against the plan and the region's figures; then, when
        there are comparison schools, dropout per school, difference-in-differences and
        digital teaching time beside them.
        """
        targets = self._measured()
        named = lambda name: [t_ for t_ in targets if t_.measure.name == name]  # noqa: E731
        parts = [dropout_region.cohort_figure(self, t_) for t_ in named("starter_dropout")]
        parts.append(counts.counts_section(self, list(self.programme.targets)))
        parts.append(
            indicators.indicators_section(
                self, [t_ for t_ in self.programme.targets if "region" in t_.levels]
            )
        )
        comparison = [
            dropout_region.dropout_comparison(self, t_) for t_ in named("starter_dropout")
        ]
        comparison.append(did.did_section(self, targets))
        comparison += [digital.digital_comparison(self, t_) for t_ in named("digital_share")]
        if self.programme.comparison and any(comparison):
            parts += [self.comparison_intro(), *comparison]
        return Html("").join(parts)

    def _measured(self) -> list:
        """One region target per distinct measure (project and measure parameters)."""
        seen, chosen = [], []
        for target in self.programme.targets:
            key = (target.project, target.measure)
            if "region" in target.levels and key not in seen:
                seen.append(key)
                chosen.append(target)
        return chosen

    def data_basis(self) -> Html:
        meta, lang = self.data.meta, self.lang
        failed = meta.get("failed_schools", [])
        text = t(
            "overview.processed",
            lang,
            files=len(meta.get("files", [])),
            schools=len(meta.get("schools", [])),
        )
        if failed:
            text += " " + t("overview.not_processed", lang, schools=", ".join(failed))
        return Html(tag("h2", t("overview.data_heading", lang)) + tag("p", text))
