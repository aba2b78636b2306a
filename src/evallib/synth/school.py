"""One synthetic school: participation, hours and surveys drawn from its simulated staff.

Part of :mod:`evallib.synth`. :func:`simulate_school` simulates the staff of every
location (:mod:`evallib.synth.staff`), then who takes part in which project, the
teaching hours and the survey answers, and returns the school's raw tables with
its planted truth.
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pandas as pd

from evallib.contract.programme import School
from evallib.core.dates import format_school_year
from evallib.synth.staff import (
    DROPOUT_3Y,
    LEAVING,
    NO_END,
    PUPILS_PER_TEACHER,
    Calendar,
    Location,
    apportion,
    aug1,
    choose,
    dates,
    day,
    dropout,
    employed_in,
    employed_on,
    oct1,
    path,
    pseudonyms,
    school_year_of,
    simulate_staff,
    staff_table,
)

# The survey this generator simulates: groups and the items each group is asked.
SURVEY_GROUPS = ("personeel", "leerlingen")
SURVEY_ITEMS = {
    "tevredenheid": ("personeel", "leerlingen"),
    "inzetbaarheid": ("personeel",),
    "samenwerking": ("personeel",),
    "digitaal": ("leerlingen",),
}
DIGITAL_OTHERS = (0.02, 0.03, 0.04, 0.05)
DIGITAL_TEAM = {
    "02DZ": (0.05, 0.08, 0.14, 0.25),  # meets 10 % and 20 %
    "99SV": (0.04, 0.07, 0.12, 0.22),  # meets both, narrowly
    "21HC": (0.02, 0.04, 0.06, 0.11),  # misses both
}
DIGITAL_CONCENTRATION = 20.0  # Beta concentration of a teacher's share around the mean
#: Share scoring 4 or 5: (flat value, project that moves it, value in the last year).
SURVEY_SHARES = {
    "tevredenheid": (0.60, None, 0.60),
    "inzetbaarheid": (0.45, "halverwege", 0.56),
    "samenwerking": (0.50, "duo", 0.58),
    "digitaal": (0.40, "e-coaching", 0.55),
}
STAFF_RESPONSE, PUPIL_RESPONSES = 0.6, 80

# The plan's own story: duos per school (02GP misses 4–6), teams of about 15 except at
# Lage Woerd ("alle docenten (30)"), where digital lessons barely rise.
_DUOS = {  # duration in years of each duo; all start in the first programme year: 12, 12, 10
    "21HC": {"03": (3, 3, 3), "05": (3, 3)},
    "20BC": {"00": (3, 3), "01": (3, 2)},
    "02GP": {"00": (3, 3, 2)},
}
_TEAM_SIZE = {"99SV": 15, "02DZ": 16}
_TEAM_ALL = {("21HC", "05")}
_DIGITAAL_LAST = {("21HC", "05"): 0.42}
_PART_TIME = (np.arange(4, 11) / 10, (0.05, 0.08, 0.12, 0.15, 0.2, 0.15, 0.25))


def planted_settings(cal: Calendar) -> dict:
    """The generator's global planted settings, for ``planted.json``."""
    return {
        "starter_dropout_3y": DROPOUT_3Y,
        "starter_hazard_per_year": {k: -np.log(1 - v) / 3 for k, v in DROPOUT_3Y.items()},
        "leaving_per_year_non_retirement": LEAVING,
        "digital_share_mean_others": cal.by_year(DIGITAL_OTHERS),
        "digital_share_concentration": DIGITAL_CONCENTRATION,
        "pupils_per_teacher": PUPILS_PER_TEACHER,
        "survey_response": {"personeel": STAFF_RESPONSE, "leerlingen": PUPIL_RESPONSES},
    }


def simulate_school(
    school: School,
    locs: list[Location],
    index: int,
    calendar: Calendar,
    quotas: dict,
    rng: np.random.Generator,
) -> tuple[dict[str, pd.DataFrame], dict]:
    """Simulate one school: its raw tables by file kind, and its planted truth."""
    parts = [simulate_staff(rng, loc, calendar) for loc in locs]
    t = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    t["loc"] = np.repeat(np.arange(len(locs)), [len(p["birth"]) for p in parts])
    t["id"] = pseudonyms(rng, len(t["loc"]), index)
    t["part_time"] = rng.choice(_PART_TIME[0], len(t["loc"]), p=_PART_TIME[1])
    rows = _participation(rng, t, locs, calendar, quotas)
    codes = np.array([loc.code for loc in locs])
    tables = {
        "personeel": staff_table(t, school.brin, codes),
        "deelname": _participation_table(t, rows, school.brin, codes),
        "lesuren": _hours_table(rng, t, rows, locs, calendar, codes),
        "enquete": _survey_table(rng, t, locs, calendar, codes),
    }
    if rows.empty:
        del tables["deelname"]
    return tables, _truth(t, rows, locs, calendar)


class _Rows:
    """Participation rows collected as arrays: teacher index, year, project, role, selected."""

    def __init__(self) -> None:
        self.parts: list[tuple] = []

    def add(
        self,
        idx: np.ndarray,
        year: object,
        project: str,
        role: str,
        selected: np.ndarray | None = None,
    ) -> None:
        idx = np.asarray(idx, dtype=np.int64)
        self.parts.append(
            (
                idx,
                np.broadcast_to(year, idx.shape),
                project,
                role,
                np.full(idx.shape, NO_END) if selected is None else selected,
            )
        )

    def frame(self) -> pd.DataFrame:
        cols = ("idx", "year", "project", "role", "selected")
        if not self.parts:
            return pd.DataFrame({c: [] for c in cols})
        return pd.DataFrame(
            {
                c: np.concatenate([np.broadcast_to(p[i], p[0].shape) for p in self.parts])
                for i, c in enumerate(cols)
            }
        )


def _participation(
    rng: np.random.Generator, t: dict, locs: list[Location], cal: Calendar, quotas: dict
) -> pd.DataFrame:
    """Who takes part in which project, in which role and year (teacher index per row)."""
    rows = _Rows()
    cohort = school_year_of(t["start"])
    for i, loc in enumerate(locs):
        here = t["loc"] == i
        if "starters" in loc.projects:  # every starter of the last four cohorts who is there
            for y in cal.programme:
                m = here & t["new_starter"] & employed_in(t, y) & (cohort > y - 4) & (cohort <= y)
                rows.add(np.flatnonzero(m), y, "starters", "deelnemer")
        if "halverwege" in loc.projects:
            idx = np.flatnonzero(here & (t["hw"] > 0))
            rows.add(idx, t["hw"][idx], "halverwege", "deelnemer")
            for y in cal.programme:
                rows.add(
                    np.flatnonzero(here & t["trainer"] & employed_in(t, y)),
                    y,
                    "halverwege",
                    "trainer",
                )
    coach = _ecoaches(rng, t, locs, cal, quotas, rows)
    _teams(rng, t, locs, cal, coach, rows)
    _duos(rng, t, locs, cal, rows)
    return rows.frame()


def _ecoaches(
    rng: np.random.Generator,
    t: dict,
    locs: list[Location],
    cal: Calendar,
    quotas: dict,
    rows: _Rows,
) -> dict[int, np.ndarray]:
    """Young teachers (started since the first simulated year) selected in spring as e-coaches.

    Each location's quota is sought there first; a shortfall is made up at the school's
    other e-coaching locations, so the school's total holds whenever it can.
    """
    n = len(t["loc"])
    coach = {y: np.zeros(n, bool) for y in cal.programme}
    young = t["start"] >= aug1(cal.years[0])
    for y in sorted({y for loc in locs for y in quotas.get(loc.key, {})}):
        april, june = day(dt.date(y, 4, 1)), day(dt.date(y, 6, 1))
        wanted = {
            i: quotas[loc.key][y] for i, loc in enumerate(locs) if y in quotas.get(loc.key, {})
        }
        pool = young & (t["start"] < april) & employed_in(t, y) & ~np.any(list(coach.values()), 0)
        for i, (size, _) in wanted.items():
            coach[y][choose(rng, pool & (t["loc"] == i), size)] = True
        rest = sum(size for size, _ in wanted.values()) - np.sum(coach[y])
        coach[y][choose(rng, pool & np.isin(t["loc"], list(wanted)) & ~coach[y], rest)] = True
        pick = np.flatnonzero(coach[y])
        on_time = rng.permutation(len(pick)) < sum(by_may for _, by_may in wanted.values())
        rows.add(
            pick,
            y,
            "e-coaching",
            "e-coach",
            np.where(
                on_time,
                april + rng.integers(0, 61, len(pick)),
                june + rng.integers(0, 30, len(pick)),
            ),
        )
    return coach


def _teams(
    rng: np.random.Generator, t: dict, locs: list[Location], cal: Calendar, coach: dict, rows: _Rows
) -> None:
    """E-coaching teams of about 15 a school, kept from year to year where people stay."""
    coaching = [i for i, loc in enumerate(locs) if "e-coaching" in loc.projects]
    shared = [i for i in coaching if locs[i].key not in _TEAM_ALL]
    member = np.zeros(len(t["loc"]), bool)
    for y in cal.programme:
        there = employed_on(t, oct1(y))
        for i in coaching:
            if i not in shared:
                rows.add(np.flatnonzero((t["loc"] == i) & there), y, "e-coaching", "teamlid")
        if not shared:
            continue
        size = _TEAM_SIZE.get(locs[0].brin, 15) + int(rng.integers(-1, 2))
        pools = [(t["loc"] == i) & there & ~coach[y] for i in shared]
        new = np.zeros_like(member)
        for pool, quota in zip(pools, apportion(size, [p.sum() for p in pools]), strict=True):
            stay = choose(rng, pool & member, quota)
            new[stay] = True
            new[choose(rng, pool & ~member, quota - len(stay))] = True
        member = new
        rows.add(np.flatnonzero(member), y, "e-coaching", "teamlid")


def _duos(
    rng: np.random.Generator, t: dict, locs: list[Location], cal: Calendar, rows: _Rows
) -> None:
    """Duos of a senior (50+) and a starter who both stay for the duo's years."""
    used = np.zeros(len(t["loc"]), bool)
    senior = cal.programme[0] - t["birth"] >= 50
    for i, durations in _duo_plan(locs).items():
        for length in durations:
            duo_years = cal.programme[:length]
            stay = np.logical_and.reduce([employed_on(t, oct1(y)) for y in duo_years])
            pool = (t["loc"] == i) & stay & ~used
            starter = pool & (t["new_starter"] if np.any(pool & t["new_starter"]) else t["starter"])
            pair = (choose(rng, pool & senior, 1), choose(rng, starter, 1))
            if len(pair[0]) and len(pair[1]):
                used[np.concatenate(pair)] = True
                for y in duo_years:
                    rows.add(pair[0], y, "duo", "duo-senior")
                    rows.add(pair[1], y, "duo", "duo-starter")


def _duo_plan(locs: list[Location]) -> dict[int, tuple[int, ...]]:
    duo = [i for i, loc in enumerate(locs) if "duo" in loc.projects]
    if not duo:
        return {}
    brin = locs[0].brin
    if brin in _DUOS:
        return {i: _DUOS[brin].get(locs[i].code, ()) for i in duo}
    lengths = [2 if k % 3 == 2 else 3 for k in range(4 + zlib.crc32(brin.encode()) % 3)]
    return {i: tuple(lengths[j :: len(duo)]) for j, i in enumerate(duo)}


def _team_path(locs: list[Location]) -> tuple[float, ...]:
    return DIGITAL_TEAM.get(locs[0].brin, DIGITAL_TEAM["02DZ"])


def _hours_table(
    rng: np.random.Generator,
    t: dict,
    rows: pd.DataFrame,
    locs: list[Location],
    cal: Calendar,
    codes: np.ndarray,
) -> pd.DataFrame:
    team = rows[rows["role"] == "teamlid"]
    team_mu, other_mu = (
        path(_team_path(locs), len(cal.measured)),
        path(DIGITAL_OTHERS, len(cal.measured)),
    )
    parts = []
    for k, y in enumerate(cal.measured):
        idx = np.flatnonzero(employed_on(t, oct1(y)))
        # The year before the programme measures the first team (its nulmeting).
        in_team = np.isin(idx, team["idx"][team["year"] == max(y, cal.programme[0])])
        mu = np.where(in_team, team_mu[k], other_mu[k])
        total = np.maximum(
            np.round(750 * t["part_time"][idx] * rng.uniform(0.95, 1.05, len(idx)) * 2) / 2, 1.0
        )
        share = rng.beta(mu * DIGITAL_CONCENTRATION, (1 - mu) * DIGITAL_CONCENTRATION)
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


def survey_share(loc: Location, item: str, k: int, n_years: int) -> float:
    """Planted share scoring 4 or 5 on ``item`` at ``loc`` in the ``k``-th measured year.

    Examples
    --------
    >>> loc = Location("02DZ", "00", "Stanislas", 1937, frozenset({"halverwege"}), False)
    >>> [round(survey_share(loc, "inzetbaarheid", k, 4), 3) for k in range(4)]
    [0.45, 0.487, 0.523, 0.56]
    """
    flat, project, last = SURVEY_SHARES[item]
    if project not in loc.projects:
        return flat
    last = _DIGITAAL_LAST.get(loc.key, last) if item == "digitaal" else last
    return flat + (last - flat) * k / max(n_years - 1, 1)


def _survey_table(
    rng: np.random.Generator, t: dict, locs: list[Location], cal: Calendar, codes: np.ndarray
) -> pd.DataFrame:
    cols: dict[str, list] = {c: [] for c in ("respondent", "loc", "year", "group", *SURVEY_ITEMS)}
    for k, y in enumerate(cal.measured):
        staff = np.bincount(t["loc"][employed_on(t, oct1(y))], minlength=len(locs))
        for group in SURVEY_GROUPS:
            sizes = [
                round(STAFF_RESPONSE * s) if group == "personeel" else PUPIL_RESPONSES
                for s in staff
            ]
            n = sum(sizes)
            cols["respondent"].append(rng.permutation(n) + 1)  # numbered as filled in
            cols["loc"].append(np.repeat(np.arange(len(locs)), sizes))
            cols["year"].append(np.full(n, y))
            cols["group"].append(np.full(n, group, dtype=object))
            for item, groups in SURVEY_ITEMS.items():
                asked = group in groups
                cols[item].append(
                    np.concatenate(
                        [
                            _likert(rng, size, survey_share(loc, item, k, len(cal.measured)))
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
    for item in SURVEY_ITEMS:
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


def _truth(t: dict, rows: pd.DataFrame, locs: list[Location], cal: Calendar) -> dict:
    """The planted truth of one school, for ``planted.json``."""
    programme_cohort = school_year_of(t["start"]) >= cal.programme[0]
    per_location = {}
    for i, loc in enumerate(locs):
        starters = (t["loc"] == i) & t["new_starter"]
        per_location[loc.code] = {
            "name": loc.name,
            "pupils": loc.pupils,
            "teachers_2010": loc.teachers,
            "projects": sorted(loc.projects),
            "starters": {
                "baseline": int(np.sum(starters & ~programme_cohort)),
                "programme": int(np.sum(starters & programme_cohort)),
            },
            "starter_dropout_3y": {
                "baseline": dropout(loc, cal.years[0], cal),
                "programme": dropout(loc, cal.programme[0], cal),
            },
            "survey_share_4_or_5": {
                group: {
                    item: cal.by_year(
                        tuple(
                            survey_share(loc, item, k, len(cal.measured))
                            for k in range(len(cal.measured))
                        )
                    )
                    for item, groups in SURVEY_ITEMS.items()
                    if group in groups
                }
                for group in SURVEY_GROUPS
            },
            "participation": _counts(
                rows[t["loc"][rows["idx"].to_numpy(dtype=np.int64)] == i], cal.programme
            ),
        }
    project_locs = [loc.code for loc in locs if "starters" in loc.projects]
    evaluated = project_locs or [loc.code for loc in locs]
    truth = {
        "locations": per_location,
        "starters": {
            "locations": evaluated,
            "n": {
                g: sum(per_location[c]["starters"][g] for c in evaluated)
                for g in ("baseline", "programme")
            },
            "dropout_3y": {
                "baseline": DROPOUT_3Y["baseline"],
                "programme": DROPOUT_3Y["programme" if project_locs else "baseline"],
            },
        },
        "participation": _counts(rows, cal.programme),
    }
    team = rows[rows["role"] == "teamlid"]
    if len(team):
        truth["digital_share_mean"] = {
            "team": cal.by_year(_team_path(locs)),
            "others": cal.by_year(DIGITAL_OTHERS),
            "team_size": {
                format_school_year(y): int(np.sum(team["year"] == y)) for y in cal.programme
            },
        }
    return truth


def _counts(rows: pd.DataFrame, programme_years: tuple[int, ...]) -> dict:
    """Distinct people per project and role: per programme year and cumulative."""
    out: dict = {}
    for (project, role), g in rows.groupby(["project", "role"], sort=True):
        year, idx = g["year"].to_numpy(), g["idx"].to_numpy()
        out.setdefault(project, {})[role] = {
            "per_year": {
                format_school_year(y): len(np.unique(idx[year == y])) for y in programme_years
            },
            "cumulative": {
                format_school_year(y): len(np.unique(idx[year <= y])) for y in programme_years
            },
        }
    return out
