"""The regional overview: region-level targets, all schools at a glance, comparison group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from evallib.contract.programme import Programme, load_programme
from evallib.core.dates import format_school_year
from evallib.core.text import LANGUAGES, long_date, num, pct, pp, t
from evallib.evaluation import measures as m
from evallib.evaluation.dataset import Dataset, load_dataset
from evallib.evaluation.privacy import count_text, is_small
from evallib.evaluation.privacy import series as privacy_series
from evallib.evaluation.targets import TargetResult, evaluate_region, evaluate_school
from evallib.reporting import figures
from evallib.reporting.glossary import reading_guide
from evallib.reporting.html import Html, badge, figure, synthetic_banner, table, tag
from evallib.reporting.school import status_counts, targets_table, verdict_list
from evallib.reporting.wording import share_with_n
from evallib.stats.did import DiD, digital_rows, dropout_did, share_did
from evallib.stats.estimates import dropout_ratio, km_curve, km_dropout, ratio_of_sums

#: Above this many schools, per-school tables and plots give way to summaries.
MATRIX_LIMIT = 40
FOREST_LIMIT = 30


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
        comparison = t("overview.and", lang).join(s.name for s in p.comparison)
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
                t(
                    "overview.participants",
                    lang,
                    participating=participating,
                    comparison=comparison,
                ),
            ),
        ]
        return Html("".join(parts))

    def summary(self) -> Html:
        return Html(
            tag("h2", t("overview.targets_heading", self.lang))
            + status_counts(self.results, self.lang)
            + verdict_list(self.programme, self.results, self.lang, self.k)
            + tag("h3", t("overview.evidence", self.lang))
            + targets_table(self.results, self.lang, self.k)
        )

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
            )
        )

    def _dropout_rows(self) -> pd.DataFrame:
        p = self.programme
        target = next(x for x in p.targets if x.measure_name == "starter_dropout")
        k = int(target.measure.get("years", 3))
        rows = []
        project = p.project("starters").participants
        for school in p.schools:
            # Project schools: only their project locations; others: the whole school.
            locations = project.get(school.brin) or tuple(school.locations)
            spells = m.starter_spells(
                self.data.at({school.brin: locations}).staff, p.reference_date
            )
            base = m.in_years(spells, "cohort", *p.baseline_years)
            prog = m.in_years(spells, "cohort", *p.programme_years)
            d0 = km_dropout(base["years"], base["left"], k)
            d1 = km_dropout(prog["years"], prog["left"], k)
            ratio = dropout_ratio(d1, d0)
            in_project = school.brin in project
            group = t(
                "overview.group_comparison"
                if school.is_comparison
                else "overview.group_starters"
                if in_project
                else "overview.group_other",
                self.lang,
            )
            rows.append(
                {
                    "label": school.name,
                    "group": group,
                    "baseline": d0,
                    "outcome": d1,
                    "estimate": ratio.estimate,
                    "ci_lower": ratio.ci_lower,
                    "ci_upper": ratio.ci_upper,
                }
            )
        return pd.DataFrame(rows)

    def dropout_comparison(self) -> Html:
        lang = self.lang
        rows = self._dropout_rows()
        # Schools whose groups are small are left out of the plot and suppressed in the table.
        small = rows.apply(
            lambda r: is_small(r["baseline"].n, self.k) or is_small(r["outcome"].n, self.k), axis=1
        )
        shown = rows[~small].dropna(subset=["ci_lower"])
        caption = t("overview.forest_caption", lang)
        if (
            len(shown) > FOREST_LIMIT
        ):  # keep the plot readable: the largest schools, all in the table
            size = shown.apply(lambda r: r["baseline"].n + r["outcome"].n, axis=1)
            shown = shown.loc[size.sort_values(ascending=False, kind="stable").index[:FOREST_LIMIT]]
            caption = t("overview.forest_caption_largest", lang, limit=FOREST_LIMIT, n=len(rows))
        fig = figures.ratios(
            shown,
            t("overview.forest_title", lang),
            t("overview.forest_xlabel", lang),
            0.5,
            lang=lang,
        )
        alt = t("overview.forest_alt", lang)
        body = [
            [
                r.label,
                r.group,
                share_with_n(r.baseline, lang, self.k),
                share_with_n(r.outcome, lang, self.k),
                t("overview.suppressed", lang)
                if hidden
                else "–"
                if pd.isna(r.estimate)
                else f"{num(r.estimate, 2, lang)} ({num(r.ci_lower, 2, lang)}–{num(r.ci_upper, 2, lang)})",
            ]
            for r, hidden in zip(rows.itertuples(), small, strict=True)
        ]
        return Html(
            tag("h2", t("overview.dropout_heading", lang))
            + figure(fig, alt, caption)
            + table(
                [
                    t("overview.school", lang),
                    t("overview.group", lang),
                    t("overview.dropout_baseline", lang),
                    t("overview.dropout_programme", lang),
                    t("overview.ratio_interval", lang),
                ],
                body,
            )
            + tag("p", t("overview.dropout_note", lang), class_="note")
        )

    def digital_comparison(self) -> Html:
        p, lang = self.programme, self.lang
        project = p.project("e-coaching")
        comparison = {s.brin: tuple(s.locations) for s in p.comparison}
        # Few schools: one line each. A national run: the e-coaching teams and the comparison schools pooled.
        if len(project.participants) + len(comparison) <= 8:
            groups = [
                (t("overview.ecoaching_team", lang, school=p.school(b).name), {b: locs}, True)
                for b, locs in project.participants.items()
            ]
            groups += [
                (t("overview.comparison_school", lang, school=p.school(b).name), {b: locs}, False)
                for b, locs in comparison.items()
            ]
        else:
            groups = [
                (t("overview.ecoaching_pooled", lang), dict(project.participants), True),
                (t("overview.comparison_pooled", lang), comparison, False),
            ]
        rows = []
        for label, locations, team_only in groups:
            data = self.data.at(locations)
            for year in range(p.programme_years[0] - 1, p.programme_years[1] + 1):
                frame = (
                    m.team_hours(data.hours, data.participation, year)[0]
                    if team_only
                    else m.year_hours(data.hours, year)
                )
                if len(frame) >= max(2, self.k):  # no share of a small group
                    e = ratio_of_sums(frame["lesuren_digitaal"], frame["lesuren_totaal"])
                    rows.append(
                        {
                            "year": format_school_year(year),
                            "group": label,
                            "estimate": e.estimate,
                            "ci_lower": e.ci_lower,
                            "ci_upper": e.ci_upper,
                        }
                    )
        targets = {
            str(target.measure["year"]): target.at_least
            for target in project.targets
            if target.measure_name == "digital_share" and target.at_least is not None
        }
        fig = figures.shares_by_year(
            pd.DataFrame(rows),
            t("overview.digital_title", lang),
            t("overview.digital_ylabel", lang),
            targets,
            lang=lang,
        )
        alt = t("overview.digital_alt", lang)
        return Html(
            tag("h2", t("overview.digital_heading", lang))
            + figure(fig, alt, t("overview.digital_caption", lang))
        )

    def participation_figures(self) -> Html:
        """Per planned count of the region (participants, duos): counted against the planned range."""
        p, lang, parts = self.programme, self.lang, []
        for target in p.targets:
            if (
                target.shape != "count_range"
                or "region" not in target.levels
                or len(target.milestones) < 2
            ):
                continue
            scope = self.data.at(dict(p.project(target.project).participants))
            cumulative = bool(target.measure.get("cumulative", True))
            counts = [
                m.participants(
                    scope.participation,
                    target.measure["project"],
                    target.measure["role"],
                    ms.year,
                    cumulative,
                )
                for ms in target.milestones
            ]
            frame = pd.DataFrame(
                {
                    "year": [format_school_year(ms.year) for ms in target.milestones],
                    "count": privacy_series(counts, self.k, cumulative),
                }
            )
            plan = pd.DataFrame(
                [
                    {"year": format_school_year(ms.year), "min": ms.min, "max": ms.max}
                    for ms in target.milestones
                ]
            )
            title = target.label(lang)
            fig = figures.counts_by_year(
                frame, title, t("overview.teachers", lang), plan, self.k, lang=lang
            )
            shown = ", ".join(
                f"{r.year}: {t('overview.fewer_than', lang, k=self.k) if pd.isna(r.count) else int(r.count)}"
                for r in frame.itertuples()
            )
            planned = ", ".join(
                f"{format_school_year(ms.year)}: {ms.min:g}" + (f"–{ms.max:g}" if ms.max else "")
                for ms in target.milestones
            )
            alt = t("overview.counts_alt", lang, title=title, shown=shown, planned=planned)
            parts.append(figure(fig, alt, t("overview.counts_caption", lang)))
        return (
            Html(tag("h2", t("overview.counts_heading", lang)) + Html("".join(parts)))
            if parts
            else Html("")
        )

    def reading_guide(self) -> Html:
        """'Hoe lees je dit rapport?' with the glossary."""
        return reading_guide(lang=self.lang)

    def comparison_intro(self) -> Html:
        """Why the overview compares with the schools that did not take part."""
        return Html(
            tag("h2", t("overview.comparison_heading", self.lang))
            + tag("p", t("overview.comparison_intro", self.lang))
        )

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

    def did_section(self) -> Html:
        """Difference-in-differences against the comparison schools, with its caveat."""
        p, lang = self.programme, self.lang
        comparison = {s.brin: tuple(s.locations) for s in p.comparison}
        starters = dict(p.project("starters").participants)
        target = next(x for x in p.targets if x.measure_name == "starter_dropout")
        k = int(target.measure.get("years", 3))
        spells = m.starter_spells(self.data.at({**starters, **comparison}).staff, p.reference_date)
        dropout = dropout_did(spells, set(starters), p.baseline_years, p.programme_years, k)
        ecoaching = dict(p.project("e-coaching").participants)
        data = self.data.at({**ecoaching, **comparison})
        before = p.programme_years[0] - 1
        digital = share_did(
            digital_rows(
                data.hours,
                data.participation,
                set(ecoaching),
                set(comparison),
                before,
                p.programme_years[0],
                p.programme_years[1],
            )
        )
        group = {
            (1, 0): t("overview.did_participants_before", lang),
            (1, 1): t("overview.did_participants_after", lang),
            (0, 0): t("overview.did_comparison_before", lang),
            (0, 1): t("overview.did_comparison_after", lang),
        }

        def cell_rows(result: DiD, share: bool) -> list[list[str]]:
            return [
                [
                    group[(int(r.treated), int(r.post))],
                    count_text(int(r.n), self.k, lang),
                    t("overview.suppressed", lang)
                    if is_small(r.n, self.k)
                    else pct(r.value, lang=lang),
                ]
                for r in result.cells.itertuples()
            ]

        e1, e2 = dropout.effect, digital.effect
        dropout_text = (
            t("overview.not_estimable", lang)
            if not e1.estimable
            else t(
                "overview.with_interval",
                lang,
                estimate=num(e1.estimate, 2, lang),
                lower=num(e1.ci_lower, 2, lang),
                upper=num(e1.ci_upper, 2, lang),
            )
        )
        digital_text = t(
            "overview.with_interval",
            lang,
            estimate=pp(e2.estimate, lang=lang),
            lower=pp(e2.ci_lower, lang=lang),
            upper=pp(e2.ci_upper, lang=lang),
        )
        small = t("overview.did_suppressed", lang, k=self.k)
        if (dropout.cells["n"] < self.k).any():
            dropout_text = small
        if (digital.cells["n"] < self.k).any():
            digital_text = small
        return Html(
            tag("h2", t("overview.did_heading", lang))
            + tag("p", t("overview.did_intro", lang))
            + tag("h3", t("overview.did_dropout_heading", lang, k=k))
            + table(
                [
                    t("overview.group", lang),
                    t("overview.starters_n", lang),
                    t("overview.did_dropout_column", lang, k=k),
                ],
                cell_rows(dropout, False),
            )
            + tag(
                "p",
                t(
                    "overview.did_dropout_result",
                    lang,
                    result=dropout_text,
                    method=_method(dropout, lang),
                ),
            )
            + tag("h3", t("overview.did_digital_heading", lang))
            + table(
                [
                    t("overview.group", lang),
                    t("overview.teachers_n", lang),
                    t("overview.did_digital_column", lang),
                ],
                cell_rows(digital, True),
            )
            + tag(
                "p",
                t(
                    "overview.did_digital_result",
                    lang,
                    result=digital_text,
                    method=_method(digital, lang),
                ),
            )
            + tag(
                "p",
                tag("strong", t("overview.note", lang)) + t("overview.did_note", lang),
                class_="note",
            )
        )

    def cohort_figure(self) -> Html:
        """Kaplan–Meier retention per starting cohort, pooled over the starters' project locations."""
        p, lang = self.programme, self.lang
        spells = m.starter_spells(
            self.data.at(dict(p.project("starters").participants)).staff, p.reference_date
        )
        curves = {}
        for cohort in range(p.baseline_years[0], p.programme_years[1] + 1):
            rows = spells[spells["cohort"] == cohort]
            if not is_small(len(rows), self.k):  # a small cohort's curve shows each leaver
                curves[f"{format_school_year(cohort)} (n = {len(rows)})"] = km_curve(
                    rows["years"], rows["left"]
                )
        fig = figures.retention(
            curves,
            3,
            None,
            t("overview.cohort_title", lang),
            band_alpha=0.06,
            lang=lang,
        )
        return figure(fig, t("overview.cohort_alt", lang), t("overview.cohort_caption", lang))


def _method(result: DiD, lang: str) -> str:
    """How a difference in differences was estimated, in words (``overview.did_method.*``)."""
    if not result.effect.estimable:
        return t("overview.did_method.not_estimable", lang)
    model = "cox" if result.scale == "hazard ratio" else "wls"
    key = f"overview.did_method.{model}_{'clustered' if result.clustered else 'model'}"
    return t(key, lang, clusters=result.clusters, df=result.clusters - 1)
