"""Staff of one synthetic location, simulated school year by school year.

Part of :mod:`evallib.synth`. Dates are day numbers (:mod:`evallib.synth.days`). Staff are
arrays in a dict (one entry per field in ``_FIELDS``), one element per teacher.

The planted effects that decide who leaves live here: the starters' constant hazard
and the lower leaving rate of the participants of ``band`` roles (:mod:`evallib.synth.plan`),
who are chosen here, as are the people of ``experienced`` roles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evallib.contract.schema import LEAVE_REASONS
from evallib.core.errors import EvallibError
from evallib.synth.days import (
    NO_END,
    Calendar,
    aug1,
    calendar_year,
    dates,
    employed_on,
    jul31,
    school_year_of,
)
from evallib.synth.kinds import RolePlan
from evallib.synth.plan import SynthPlan

PUPILS_PER_TEACHER = 15
#: ``experienced`` roles are taken above 55 (up to 62) first, then from 45.
_EXPERIENCED_AGES = (55, 62, 45)

#: Birth years of the staff in place in 2010: an ageing staff, as the plan says.
_BIRTH_BANDS = ((1950, 1958, 0.25), (1958, 1973, 0.45), (1973, 1987, 0.30))
_QUAL_GAP = (np.arange(6), (0.35, 0.30, 0.15, 0.10, 0.06, 0.04))  # qualifying to first job
_AGE_QUALIFIED = (np.arange(22, 29), (0.2, 0.25, 0.2, 0.15, 0.1, 0.05, 0.05))
_RETIREMENT_AGE = (np.arange(60, 67), (0.05, 0.05, 0.10, 0.15, 0.20, 0.35, 0.10))
_REASON = {name: i for i, name in enumerate(LEAVE_REASONS)}
_QUIT = [_REASON["andere school"], _REASON["buiten onderwijs"], _REASON["onbekend"]]
_QUIT_P = {"starter": (0.55, 0.35, 0.10), "other": (0.55, 0.25, 0.20)}
_ALPHABET = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype="S1")
_ID_BLOCKS = 1009  # prime above any number of schools (DUO lists 642 BRINs)
_FIELDS = {
    "birth": 0,
    "start": 0,
    "end": NO_END,
    "reason": -1,
    "starter": False,
    "qual": 0,
    "new_starter": False,  # hired as a starter in a simulated year: leaves at a hazard
    "retire": 99,
    "band": 0,  # first year in a ``band`` role, 0 if none
    "band_role": -1,  # index of that role in the plan's roles
    "fixed": -1,  # index of the ``experienced`` role in the plan's roles, -1 if none
}


@dataclass(frozen=True)
class Location:
    """A simulated location: its size and the projects it takes part in."""

    brin: str
    code: str
    name: str
    pupils: int
    projects: frozenset[str]
    comparison: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.brin, self.code)

    @property
    def teachers(self) -> int:
        return max(3, round(self.pupils / PUPILS_PER_TEACHER))


def apportion(total: int, weights: list[float]) -> list[int]:
    """Share ``total`` out in proportion to ``weights`` (largest remainders).

    Examples
    --------
    >>> apportion(25, [30, 150, 241])
    [2, 9, 14]
    """
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return [0] * len(w)
    exact = total * w / w.sum()
    shares = np.floor(exact).astype(int)
    order = np.argsort(-(exact - shares), kind="stable")
    shares[order[: total - shares.sum()]] += 1
    return shares.tolist()


def simulate_staff(rng: np.random.Generator, loc: Location, cal: Calendar, plan: SynthPlan) -> dict:
    """Everyone who worked at ``loc`` in the simulated years, as arrays by field.

    Each school year: fill last year's places (starters first), pick the people of
    ``experienced`` and ``band`` roles, then draw who leaves. Starters' leaving times are
    drawn when they are hired (constant hazard); everyone else leaves year by year.
    """
    t = _incumbents(rng, loc.teachers - int(rng.binomial(loc.teachers, 0.07)), cal.years[0])
    here = [(i, r) for i, r in enumerate(plan.roles) if r.project in loc.projects]
    bands = [(i, r, _tranches(rng, loc, cal, plan, r)) for i, r in here if r.kind == "band"]
    for year in cal.years:
        # Hiring fills the places of last year's leavers; starters beyond that are extra.
        vacancies = loc.teachers - int(np.count_nonzero(t["end"] >= aug1(year)))
        n_starters = _starter_count(rng, loc, year, cal, plan)
        new = [
            _hires(rng, max(vacancies - n_starters, 0), year),
            _starters(rng, n_starters, year, dropout(loc, year, cal, plan), cal.reference),
        ]
        t = {k: np.concatenate([t[k], *(n[k] for n in new)]) for k in _FIELDS}
        age = year - t["birth"]
        present = employed_on(t, aug1(year))
        if year == cal.programme[0]:
            for i, role in here:
                if role.kind == "experienced":
                    _experienced(rng, t, present, age, i, _size(loc, plan, role))
        for i, role, tranches in bands:
            if year in tranches:  # a tranche not filled is made up the next year
                low, high = role.ages
                eligible = present & (age >= low) & (age <= high) & (t["band"] == 0)
                wanted = (
                    tranches[year]
                    + sum(tranches[y] for y in tranches if y < year)
                    - np.sum(t["band_role"] == i)
                )
                chosen = choose(rng, eligible & (t["fixed"] < 0), int(wanted))
                t["band"][chosen], t["band_role"][chosen] = year, i
        _draw_leaving(rng, t, year, plan)
    late = t["end"] > cal.reference  # a peildatum before the last 31 July: not yet known
    t["end"][late], t["reason"][late] = NO_END, -1
    return t


def _experienced(
    rng: np.random.Generator, t: dict, present: np.ndarray, age: np.ndarray, i: int, wanted: int
) -> None:
    """Experienced staff for role ``i``, taken above 55 first to spare a band's participants."""
    older, oldest, younger = _EXPERIENCED_AGES
    free = present & (t["fixed"] < 0)
    t["fixed"][choose(rng, free & (age > older) & (age <= oldest), wanted)] = i
    more = wanted - int(np.sum(t["fixed"] == i))
    t["fixed"][choose(rng, present & (age >= younger) & (t["fixed"] < 0), more)] = i


def _size(loc: Location, plan: SynthPlan, role: RolePlan) -> int:
    """People of an ``experienced`` role at a location: the companion's, or the plan's."""
    given = plan.settings.location(loc.brin, loc.code).members.get(role.key)
    if isinstance(given, int):
        return given
    return max(role.size - 1, 0) if plan.misses(loc.brin, role.project) else role.size


def _teachers(n: int, **columns: object) -> dict:
    t = {k: np.full(n, v) for k, v in _FIELDS.items()}
    t.update({k: np.broadcast_to(np.asarray(v), n).copy() for k, v in columns.items()})
    return t


def _incumbents(rng: np.random.Generator, n: int, first_year: int) -> dict:
    birth = _stratified(rng, n, _BIRTH_BANDS)
    earliest = np.minimum(np.maximum(birth + 23, 1975), first_year - 1)
    start_year = rng.integers(earliest, first_year)
    start = aug1(start_year) + _mid_year(rng, n, 0.1)
    starter = (start_year >= first_year - 5) & (start_year - birth <= 30)
    qual = np.where(starter, calendar_year(start) - rng.choice(_QUAL_GAP[0], n, p=_QUAL_GAP[1]), 0)
    return _teachers(
        n,
        birth=birth,
        start=start,
        starter=starter,
        qual=qual,
        retire=rng.choice(_RETIREMENT_AGE[0], n, p=_RETIREMENT_AGE[1]),
    )


def _stratified(rng: np.random.Generator, n: int, bands: tuple) -> np.ndarray:
    """Years drawn from a mixture of uniform bands, one draw per n-th of the distribution.

    Stratifying keeps small locations' age profiles close to the intended one, so that
    each has its share of 40–55-year-olds for Halverwege.
    """
    u = (rng.permutation(n) + rng.random(n)) / n
    edges = np.cumsum([0.0, *(w for _, _, w in bands)])
    band = np.clip(np.searchsorted(edges, u, side="right") - 1, 0, len(bands) - 1)
    lo, hi = (np.array([b[i] for b in bands]) for i in (0, 1))
    within = (u - edges[band]) / np.array([b[2] for b in bands])[band]
    return lo[band] + np.floor(within * (hi - lo)[band]).astype(np.int64)


def _hires(rng: np.random.Generator, n: int, year: int) -> dict:
    return _teachers(
        n,
        birth=year - rng.integers(28, 59, n),
        start=aug1(year) + _mid_year(rng, n, 0.2),
        retire=rng.choice(_RETIREMENT_AGE[0], n, p=_RETIREMENT_AGE[1]),
    )


def _starters(rng: np.random.Generator, n: int, year: int, dropout_3y: float, ref: int) -> dict:
    """Starters whose time to leaving is exponential (constant hazard) from their first day."""
    mid = rng.random(n) < 0.15
    start = aug1(year) + np.where(mid, rng.integers(31, 200, n), 0)
    qual = calendar_year(start) - rng.choice(_QUAL_GAP[0], n, p=_QUAL_GAP[1])
    birth = qual - rng.choice(_AGE_QUALIFIED[0], n, p=_AGE_QUALIFIED[1])
    hazard = -np.log(1 - dropout_3y) / 3
    falls = start + np.floor(rng.exponential(1 / hazard, n) * 365.25).astype(np.int64)
    # Rounding up to 31 July keeps whole-year dropout exact for 1 August starters.
    rounded = ~mid & (rng.random(n) < 0.7)
    left = falls <= ref
    end = np.where(left, np.where(rounded, jul31(school_year_of(falls)), falls), NO_END)
    reason = np.where(left, rng.choice(_QUIT, n, p=_QUIT_P["starter"]), -1)
    return _teachers(
        n,
        birth=birth,
        start=start,
        end=end,
        reason=reason,
        starter=True,
        qual=qual,
        new_starter=True,
        retire=99,
    )


def _draw_leaving(rng: np.random.Generator, t: dict, year: int, plan: SynthPlan) -> None:
    """Who of the staff without a drawn leaving time leaves during ``year``, and when."""
    n, first_day, last_day = len(t["birth"]), aug1(year), jul31(year)
    active = ~t["new_starter"] & (t["end"] == NO_END) & (t["start"] <= last_day)
    age = year - t["birth"]
    retiring = active & (age >= t["retire"])
    low, high = plan.band
    in_band = (age >= low) & (age <= high)
    helped = in_band & (t["band"] > 0) & (t["band"] <= year)
    rate = plan.leaving
    p = np.select(
        [helped, in_band, age < low],
        [rate["band_participants"], rate["band"], rate["under_band"]],
        rate["over_band"],
    )
    quitting = active & ~retiring & (rng.random(n) < p)
    first = np.maximum(t["start"], first_day)
    during = first + (rng.random(n) * (last_day - first)).astype(np.int64)
    when = np.where(rng.random(n) < 0.15, during, last_day)
    t["end"] = np.where(retiring, last_day, np.where(quitting, when, t["end"]))
    quit_reason = rng.choice(_QUIT, n, p=_QUIT_P["other"])
    t["reason"] = np.where(
        retiring, _REASON["pensioen"], np.where(quitting, quit_reason, t["reason"])
    )


def _starter_count(
    rng: np.random.Generator, loc: Location, year: int, cal: Calendar, plan: SynthPlan
) -> int:
    given = plan.settings.location(loc.brin, loc.code)
    treated = plan.treated(loc.projects)
    if given.starters_per_year is not None:
        mean = given.starters_per_year
    elif treated:  # e.g. ~100 starters in the nulmeting, ~270 after
        mean = loc.teachers / 10
    else:  # comparison schools, and those pairing starters, hire like treated ones did before
        busy = loc.comparison or plan.needs_starters(loc.projects)
        mean = loc.teachers / (12 if busy else 25)
    count = int(rng.poisson(mean * (plan.growth if treated and year >= cal.programme[0] else 1.0)))
    if year < cal.programme[0] and given.baseline_starters_max is not None:
        count = min(count, given.baseline_starters_max)
    return count


def dropout(loc: Location, cohort: int, cal: Calendar, plan: SynthPlan) -> float:
    """True 3-year dropout of the starters of ``cohort`` (a school year) at ``loc``."""
    treated = plan.treated(loc.projects) and cohort >= cal.programme[0]
    return plan.dropout_3y["programme" if treated else "baseline"]


def _tranches(
    rng: np.random.Generator, loc: Location, cal: Calendar, plan: SynthPlan, role: RolePlan
) -> dict:
    """Participants of a ``band`` role a programme year: its total, spread evenly."""
    given = plan.settings.location(loc.brin, loc.code).members.get(role.key)
    low, high = role.sizes
    if isinstance(given, int):
        total = given
    elif plan.misses(loc.brin, role.project):
        total = max(low - 3, 0)
    else:
        total = int(rng.integers(low, high + 1))
    sizes = [len(part) for part in np.array_split(np.arange(total), len(cal.programme))]
    return dict(zip(cal.programme, sizes, strict=True))


def pseudonyms(rng: np.random.Generator, n: int, index: int) -> np.ndarray:
    """Random-looking ids like ``D7K2Q9``, unique across schools by construction.

    School ``index`` owns the numbers congruent to ``index`` modulo a prime, so two
    schools' independent draws never collide. A letter comes first: no id reads as a number.

    Examples
    --------
    >>> import re
    >>> ids = pseudonyms(np.random.default_rng(1), 3, index=0)
    >>> [bool(re.fullmatch(r"[A-Z][A-Z0-9]{5}", i)) for i in ids]
    [True, True, True]
    """
    if index >= _ID_BLOCKS:
        raise EvallibError(
            "Te veel scholen voor de synthetische generator",
            expected=f"minder dan {_ID_BLOCKS}",
            found=str(index + 1),
        )
    x = index + _ID_BLOCKS * rng.choice(26 * 36**5 // _ID_BLOCKS, n, replace=False)
    chars = np.empty((n, 6), dtype="S1")
    for pos in range(5, 0, -1):
        chars[:, pos] = _ALPHABET[x % 36]
        x //= 36
    chars[:, 0] = _ALPHABET[10 + x]
    return chars.view("S6").ravel().astype(str)


def staff_table(t: dict, brin: str, codes: np.ndarray) -> pd.DataFrame:
    """The ``personeel`` table of a school from its staff arrays."""
    table = pd.DataFrame(
        {
            "docent_id": t["id"],
            "brin": brin,
            "vestiging": codes[t["loc"]],
            "geboortejaar": t["birth"],
            "datum_in_dienst": dates(t["start"]),
            "datum_uit_dienst": dates(t["end"]),
            "reden_uit_dienst": np.array([*LEAVE_REASONS, ""], dtype=object)[t["reason"]],
            "starter": t["starter"],
            "jaar_bevoegdheid": pd.Series(t["qual"]).where(t["qual"] > 0).astype("Int64"),
        }
    )
    return table.sort_values(["vestiging", "docent_id"], ignore_index=True)


def choose(rng: np.random.Generator, mask: np.ndarray, k: int) -> np.ndarray:
    """Up to ``k`` random indices where ``mask`` holds."""
    idx = np.flatnonzero(mask)
    return idx if k >= len(idx) else rng.choice(idx, max(k, 0), replace=False)


def _mid_year(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Days after 1 August for the few who start during the year (most start on 1 August)."""
    return np.where(rng.random(n) < share, rng.integers(31, 200, n), 0)
