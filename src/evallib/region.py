"""The regional overview: region-level targets, all schools at a glance, comparison group."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import figures
from . import measures as m
from .dataset import Dataset, load_dataset
from .dates import format_school_year
from .did import DiD, digital_rows, dropout_did, share_did
from .glossary import reading_guide
from .html import Html, badge, figure, synthetic_banner, table, tag
from .privacy import count_text, is_small
from .privacy import series as privacy_series
from .programme import Programme, load_programme
from .report import status_counts, targets_table, verdict_list
from .stats import dropout_ratio, km_curve, km_dropout, ratio_of_sums
from .targets import TargetResult, evaluate_region, evaluate_school
from .text import long_date, num, pct, pp
from .wording import share_with_n

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
        return evaluate_region(self.programme, self.data)

    @cached_property
    def school_results(self) -> dict[str, list[TargetResult]]:
        valid = set(self.data.schools)
        return {
            s.brin: evaluate_school(self.programme, self.data, s.brin, levels=("school",))
            if s.brin in valid
            else []
            for s in self.programme.participating
        }

    def header(self) -> Html:
        p = self.programme
        parts = [synthetic_banner(self.lang)] if self.data.synthetic else []
        participating = ", ".join(s.name for s in p.participating)
        comparison = " en ".join(s.name for s in p.comparison)
        parts += [
            tag("h1", f"Regio-overzicht {p.region}"),
            tag("p", f"{p.name} · peildatum {long_date(p.reference_date)}", class_="subtitle"),
            tag(
                "p",
                f"Deelnemende scholen: {participating}. {comparison} deden niet mee en vormen de "
                "vergelijkingsgroep.",
            ),
        ]
        return Html("".join(parts))

    def summary(self) -> Html:
        return Html(
            tag("h2", "Doelen van de regio")
            + status_counts(self.results, self.lang)
            + verdict_list(self.programme, self.results, self.lang, self.k)
            + tag("h3", "Onderbouwing")
            + targets_table(self.results, self.lang, self.k)
        )

    def school_matrix(self) -> Html:
        """Schools × targets: the status of every school-level target per school."""
        targets = [t for t in self.programme.targets if "school" in t.levels]
        if (
            len(self.programme.participating) > MATRIX_LIMIT
        ):  # a national run: the index does this job
            return Html(
                tag("h2", "Alle scholen in één oogopslag")
                + tag(
                    "p",
                    f"Met {len(self.programme.participating)} scholen staat dit overzicht in de index "
                    "(index.html), waar de tabel te sorteren en te doorzoeken is.",
                )
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
                        badge(by_target[t.id].status, self.lang) if t.id in by_target else "–"
                        for t in targets
                    ],
                ]
            )
        return Html(
            tag("h2", "Alle scholen in één oogopslag")
            + tag(
                "p",
                "Per school de status van elk doel op schoolniveau; '–' betekent dat de school niet "
                "aan dat project meedoet.",
            )
            + table(["School", *[t.title for t in targets]], rows, class_="data matrix")
        )

    def _dropout_rows(self) -> pd.DataFrame:
        p = self.programme
        target = next(t for t in p.targets if t.measure_name == "starter_dropout")
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
            group = (
                "vergelijkingsschool"
                if school.is_comparison
                else "startersprogramma"
                if in_project
                else "overige deelnemer"
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
        rows = self._dropout_rows()
        # Schools whose groups are small are left out of the plot and suppressed in the table.
        small = rows.apply(
            lambda r: is_small(r["baseline"].n, self.k) or is_small(r["outcome"].n, self.k), axis=1
        )
        shown = rows[~small].dropna(subset=["ci_lower"])
        caption = (
            "Scholen zonder interval (te weinig starters of geen uitval) staan alleen in de tabel."
        )
        if (
            len(shown) > FOREST_LIMIT
        ):  # keep the plot readable: the largest schools, all in the table
            size = shown.apply(lambda r: r["baseline"].n + r["outcome"].n, axis=1)
            shown = shown.loc[size.sort_values(ascending=False, kind="stable").index[:FOREST_LIMIT]]
            caption = (
                f"De {FOREST_LIMIT} scholen met de meeste starters; alle {len(rows)} scholen staan in de "
                "tabel."
            )
        fig = figures.ratios(
            shown,
            "Uitval van starters: programmacohorten t.o.v. nulmeting",
            "Verhouding 3-jaarsuitval (1 = geen verandering, 0,5 = gehalveerd)",
            0.5,
        )
        alt = (
            "Bosdiagram: per school de verhouding van de driejaarsuitval van starters na en vóór 2013, "
            "met 95%-interval; scholen in het startersprogramma, overige deelnemers en vergelijkingsscholen."
        )
        body = [
            [
                r.label,
                r.group,
                share_with_n(r.baseline, self.lang, self.k),
                share_with_n(r.outcome, self.lang, self.k),
                "onderdrukt"
                if hidden
                else "–"
                if pd.isna(r.estimate)
                else f"{num(r.estimate, 2)} ({num(r.ci_lower, 2)}–{num(r.ci_upper, 2)})",
            ]
            for r, hidden in zip(rows.itertuples(), small, strict=True)
        ]
        return Html(
            tag("h2", "Uitval van starters: deelnemers en vergelijkingsscholen")
            + figure(fig, alt, caption)
            + table(
                [
                    "School",
                    "Groep",
                    "3-jaarsuitval nulmeting",
                    "3-jaarsuitval programma",
                    "Verhouding (95%-interval)",
                ],
                body,
            )
            + tag(
                "p",
                "Let op: er zijn maar twee vergelijkingsscholen. Een verschil met hen zegt daarom weinig "
                "over wat er zonder het programma was gebeurd.",
                class_="note",
            )
        )

    def digital_comparison(self) -> Html:
        p = self.programme
        project = p.project("e-coaching")
        comparison = {s.brin: tuple(s.locations) for s in p.comparison}
        # Few schools: one line each. A national run: the e-coaching teams and the comparison schools pooled.
        if len(project.participants) + len(comparison) <= 8:
            groups = [
                (f"{p.school(b).name} (e-coachingteam)", {b: locs}, True)
                for b, locs in project.participants.items()
            ]
            groups += [
                (f"{p.school(b).name} (vergelijkingsschool)", {b: locs}, False)
                for b, locs in comparison.items()
            ]
        else:
            groups = [
                ("e-coachingteams (samen)", dict(project.participants), True),
                ("vergelijkingsscholen (samen)", comparison, False),
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
            str(t.measure["year"]): t.at_least
            for t in project.targets
            if t.measure_name == "digital_share" and t.at_least is not None
        }
        fig = figures.shares_by_year(
            pd.DataFrame(rows),
            "Digitale didactiek: e-coachingscholen en vergelijkingsscholen",
            "Aandeel van de lesuren",
            targets,
        )
        alt = (
            "Grafiek: aandeel lesuren met digitale didactiek per schooljaar voor de e-coachingteams van de "
            "deelnemende scholen en voor alle docenten van de vergelijkingsscholen, met de doelen 10% en 20%."
        )
        return Html(
            tag("h2", "Digitale didactiek per school")
            + figure(fig, alt, "Punten met 95%-interval.")
        )

    def participation_figures(self) -> Html:
        """Per planned count of the region (participants, duos): counted against the planned range."""
        p, parts = self.programme, []
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
            fig = figures.counts_by_year(frame, target.title, "Aantal docenten", plan, self.k)
            shown = ", ".join(
                f"{r.year}: {'minder dan ' + str(self.k) if pd.isna(r.count) else int(r.count)}"
                for r in frame.itertuples()
            )
            planned = ", ".join(
                f"{format_school_year(ms.year)}: {ms.min:g}" + (f"–{ms.max:g}" if ms.max else "")
                for ms in target.milestones
            )
            alt = f"Staafdiagram '{target.title}': geteld {shown}; gepland {planned}."
            parts.append(
                figure(
                    fig, alt, "Staven: geteld (volledige telling); oranje: de geplande bandbreedte."
                )
            )
        return (
            Html(tag("h2", "Deelname: gepland en geteld") + Html("".join(parts)))
            if parts
            else Html("")
        )

    def reading_guide(self) -> Html:
        """'Hoe lees je dit rapport?' with the glossary."""
        return reading_guide()

    def data_basis(self) -> Html:
        meta = self.data.meta
        failed = meta.get("failed_schools", [])
        text = f"Verwerkt: {len(meta.get('files', []))} bestanden van {len(meta.get('schools', []))} scholen."
        if failed:
            text += f" Niet verwerkt wegens fouten in de aanlevering: {', '.join(failed)}."
        return Html(tag("h2", "Gegevens") + tag("p", text))

    def did_section(self) -> Html:
        """Difference-in-differences against the comparison schools, with its caveat."""
        p = self.programme
        comparison = {s.brin: tuple(s.locations) for s in p.comparison}
        starters = dict(p.project("starters").participants)
        target = next(t for t in p.targets if t.measure_name == "starter_dropout")
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
            (1, 0): "deelnemers, vóór",
            (1, 1): "deelnemers, na",
            (0, 0): "vergelijking, vóór",
            (0, 1): "vergelijking, na",
        }

        def cell_rows(result: DiD, share: bool) -> list[list[str]]:
            return [
                [
                    group[(int(r.treated), int(r.post))],
                    count_text(int(r.n), self.k),
                    "onderdrukt" if is_small(r.n, self.k) else pct(r.value),
                ]
                for r in result.cells.itertuples()
            ]

        e1, e2 = dropout.effect, digital.effect
        dropout_text = (
            "niet te schatten"
            if not e1.estimable
            else f"{num(e1.estimate, 2)} (95%-interval {num(e1.ci_lower, 2)} tot {num(e1.ci_upper, 2)})"
        )
        digital_text = f"{pp(e2.estimate)} (95%-interval {pp(e2.ci_lower)} tot {pp(e2.ci_upper)})"
        small = "onderdrukt: een van de vier groepen is kleiner dan " + str(self.k)
        if (dropout.cells["n"] < self.k).any():
            dropout_text = small
        if (digital.cells["n"] < self.k).any():
            digital_text = small
        return Html(
            tag(
                "h2",
                "Verschil-in-verschillen: veranderden de deelnemers meer dan de vergelijkingsscholen?",
            )
            + tag(
                "p",
                "Deze vergelijking haalt een verandering die overal gebeurde (ook zonder programma) uit de uitkomst "
                "van de deelnemende scholen.",
            )
            + tag("h3", f"Uitval van starters binnen {k} jaar")
            + table(
                ["Groep", "Starters (n)", f"{k}-jaarsuitval (Kaplan–Meier)"],
                cell_rows(dropout, False),
            )
            + tag(
                "p",
                f"Extra verandering bij de deelnemers, als verhouding van de kans op vertrek: {dropout_text}. "
                "1 betekent: geen extra verandering; 0,5: de kans op vertrek halveerde meer dan bij de "
                f"vergelijkingsscholen. Methode: {dropout.method}.",
            )
            + tag("h3", "Aandeel lesuren met digitale didactiek")
            + table(["Groep", "Docenten (n)", "Aandeel digitale lesuren"], cell_rows(digital, True))
            + tag(
                "p",
                f"Extra stijging bij de e-coachingteams: {digital_text}. Methode: {digital.method}.",
            )
            + tag(
                "p",
                tag("strong", "Let op: ")
                + "er zijn maar twee vergelijkingsscholen, en ze deden zelf niet mee "
                "omdat ze dat niet wilden: ze kunnen om andere redenen anders zijn. De intervallen zijn daarom "
                "ruw; lees dit als een controle, niet als bewijs.",
                class_="note",
            )
        )

    def cohort_figure(self) -> Html:
        """Kaplan–Meier retention per starting cohort, pooled over the starters' project locations."""
        p = self.programme
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
            "Starters in het startersprogramma: wie blijft, per startjaar",
            band_alpha=0.06,
        )
        alt = (
            "Lijngrafiek: per startjaar (2010/11 tot en met 2015/16) het aandeel starters dat nog op de school werkt, "
            "gepoold over de scholen van het startersprogramma, met 95%-banden."
        )
        return figure(
            fig,
            alt,
            "Recente startjaren zijn korter gevolgd: hun lijn stopt eerder. Daarom wordt de uitval "
            "met Kaplan–Meier geschat, niet als 'vertrokken gedeeld door gestart'.",
        )
