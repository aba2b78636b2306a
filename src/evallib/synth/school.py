"""One synthetic school: participation, hours and surveys drawn from its simulated staff.

Part of :mod:`evallib.synth`. :func:`simulate_school` simulates the staff of every
location (:mod:`evallib.synth.staff`), then who takes part in which project role
(:mod:`evallib.synth.roles`), the teaching hours and the survey answers, and returns the
school's raw tables with its planted truth (:mod:`evallib.synth.truth`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evallib.contract.programme import School
from evallib.core.dates import format_school_year
from evallib.synth.days import Calendar, dates, employed_on, oct1, path
from evallib.synth.plan import SynthPlan
from evallib.synth.roles import participation
from evallib.synth.staff import Location, pseudonyms, simulate_staff, staff_table
from evallib.synth.truth import in_team, school_truth, survey_share

_PART_TIME = (np.arange(4, 11) / 10, (0.05, 0.08, 0.12, 0.15, 0.2, 0.15, 0.25))
#: Teaching hours a year of a full-time teacher.
_FULL_TIME_HOURS = 750


def simulate_school(
    school: School,
    locs: list[Location],
    index: int,
    calendar: Calendar,
    quotas: dict,
    plan: SynthPlan,
    rng: np.random.Generator,
) -> tuple[dict[str, pd.DataFrame], dict]:
    """Simulate one school: its raw tables by file kind, and its planted truth."""
    parts = [simulate_staff(rng, loc, calendar, plan) for loc in locs]
    t = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    t["loc"] = np.repeat(np.arange(len(locs)), [len(p["birth"]) for p in parts])
    t["id"] = pseudonyms(rng, len(t["loc"]), index)
    t["part_time"] = rng.choice(_PART_TIME[0], len(t["loc"]), p=_PART_TIME[1])
    rows = participation(rng, t, locs, calendar, quotas, plan)
    codes = np.array([loc.code for loc in locs])
    tables = {
        "personeel": staff_table(t, school.brin, codes),
        "deelname": _participation_table(t, rows, school.brin, codes),
        "lesuren": _hours_table(rng, t, rows, locs, calendar, codes, plan),
        "enquete": _survey_table(rng, t, locs, calendar, codes, plan),
    }
    if rows.empty:
        del tables["deelname"]
    return tables, school_truth(t, rows, locs, calendar, plan)


def _hours_table(
    rng: np.random.Generator,
    t: dict,
    rows: pd.DataFrame,
    locs: list[Location],
    cal: Calendar,
    codes: np.ndarray,
    plan: SynthPlan,
) -> pd.DataFrame:
    team = rows[in_team(rows, plan)]
    projects = frozenset().union(*(loc.projects for loc in locs))
    team_mu, other_mu = (
        path(plan.team_path(locs[0].brin, projects), len(cal.measured)),
        path(plan.digital_others, len(cal.measured)),
    )
    parts = []
    for k, y in enumerate(cal.measured):
        idx = np.flatnonzero(employed_on(t, oct1(y)))
        # The year before the programme measures the first team (its nulmeting).
        in_year = np.isin(idx, team["idx"][team["year"] == max(y, cal.programme[0])])
        mu = np.where(in_year, team_mu[k], other_mu[k])
        total = np.maximum(
            np.round(_FULL_TIME_HOURS * t["part_time"][idx] * rng.uniform(0.95, 1.05, len(idx)) * 2)
            / 2,
            1.0,
        )
        share = rng.beta(mu * plan.concentration, (1 - mu) * plan.concentration)
        parts.append(
            pd.DataFrame(
                {
                    "idx": idx,
                    "year": y,
                    "lesuren_totaal": total,
                    "lesuren_digitaal": np.minimum(np.round(share * total, 1), total),
                }
            )
        )
    h = pd.concat(parts, ignore_index=True)
    table = pd.DataFrame(
        {
            "docent_id": t["id"][h["idx"]],
            "brin": locs[0].brin,
            "vestiging": codes[t["loc"][h["idx"]]],
            "schooljaar": h["year"].map(format_school_year),
            "lesuren_totaal": h["lesuren_totaal"],
            "lesuren_digitaal": h["lesuren_digitaal"],
        }
    )
    return table.sort_values(["schooljaar", "vestiging", "docent_id"], ignore_index=True)


def _respondents(plan: SynthPlan, group: str, staff: np.ndarray) -> list[int]:
    """Respondents per location: a share of its staff, or a fixed number."""
    kind, value = plan.response[group]
    return [round(value * s) if kind == "staff" else int(value) for s in staff]


def _survey_table(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    codes: np.ndarray,
    plan: SynthPlan,
) -> pd.DataFrame:
    items = {item: spec.groups for item, spec in plan.programme.survey.items.items()}
    cols: dict[str, list] = {c: [] for c in ("respondent", "loc", "year", "group", *items)}
    for k, y in enumerate(cal.measured):
        staff = np.bincount(t["loc"][employed_on(t, oct1(y))], minlength=len(locs))
        for group in plan.programme.survey.groups:
            sizes = _respondents(plan, group, staff)
            n = sum(sizes)
            cols["respondent"].append(rng.permutation(n) + 1)  # numbered as filled in
            cols["loc"].append(np.repeat(np.arange(len(locs)), sizes))
            cols["year"].append(np.full(n, y))
            cols["group"].append(np.full(n, group, dtype=object))
            for item, groups in items.items():
                asked = group in groups
                cols[item].append(
                    np.concatenate(
                        [
                            _likert(rng, size, survey_share(loc, item, k, len(cal.measured), plan))
                            if asked
                            else np.zeros(size, np.int64)
                            for loc, size in zip(locs, sizes, strict=True)
                        ]
                    )
                )
    c = {name: np.concatenate(parts) for name, parts in cols.items()}
    order = np.lexsort((c["respondent"], c["group"].astype(str), c["year"]))
    table = pd.DataFrame(
        {
            "respondent": np.char.add("R", np.char.zfill(c["respondent"][order].astype(str), 4)),
            "brin": locs[0].brin,
            "vestiging": codes[c["loc"][order]],
            "schooljaar": _school_year_labels(c["year"][order]),
            "groep": c["group"][order],
        }
    )
    for item in items:
        scores = c[item][order]
        table[item] = pd.arrays.IntegerArray(scores, scores == 0)  # 0: not asked
    return table


def _school_year_labels(year: np.ndarray) -> np.ndarray:
    labels = {y: format_school_year(int(y)) for y in np.unique(year)}
    return np.array([labels[y] for y in year.tolist()], dtype=object)


def _likert(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Scores 1–5 of which exactly the planted share (rounded) is 4 or 5."""
    high = np.arange(n) < int(np.floor(share * n + 0.5))
    rng.shuffle(high)
    return np.where(
        high, rng.choice([4, 5], n, p=(0.6, 0.4)), rng.choice([1, 2, 3], n, p=(0.1, 0.3, 0.6))
    )


def _participation_table(t: dict, rows: pd.DataFrame, brin: str, codes: np.ndarray) -> pd.DataFrame:
    idx = rows["idx"].to_numpy(dtype=np.int64)
    table = pd.DataFrame(
        {
            "docent_id": t["id"][idx],
            "brin": brin,
            "vestiging": codes[t["loc"][idx]],
            "schooljaar": rows["year"].map(format_school_year).to_numpy(),
            "project": rows["project"].to_numpy(),
            "rol": rows["role"].to_numpy(),
            "datum_selectie": dates(rows["selected"].to_numpy(dtype=np.int64)),
        }
    )
    return table.sort_values(
        ["schooljaar", "project", "rol", "vestiging", "docent_id"], ignore_index=True
    )
