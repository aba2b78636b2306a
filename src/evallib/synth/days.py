"""Dates as day numbers, and the school years a synthetic set covers.

Part of :mod:`evallib.synth`. Dates are day numbers (days since 1970-01-01, ``int64``) so that
the simulation is vectorised; ``NO_END`` means "still employed".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evallib.contract.programme import Programme, years
from evallib.core.dates import format_school_year

NO_END = 10**9  # "still employed": later than any date


@dataclass(frozen=True)
class Calendar:
    """Simulated school years, programme years, measured years (hours, surveys), peildatum."""

    years: tuple[int, ...]
    programme: tuple[int, ...]
    measured: tuple[int, ...]
    reference: int

    @classmethod
    def of(cls, programme: Programme) -> Calendar:
        prog = tuple(years(programme.programme_years))
        return cls(
            tuple(range(programme.baseline_years[0], prog[-1] + 1)),
            prog,
            (prog[0] - 1, *prog),
            day(programme.reference_date),
        )

    def by_year(self, values: tuple[float, ...]) -> dict[str, float]:
        """Spread a planted path over the measured years, keyed by school year."""
        spread = path(values, len(self.measured))
        return {
            format_school_year(y): round(float(v), 4)
            for y, v in zip(self.measured, spread, strict=True)
        }


def path(values: tuple[float, ...], n: int) -> np.ndarray:
    """A planted path of values, stretched to ``n`` years if a programme has other years."""
    return np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(values)), values)


def day(date: dt.date) -> int:
    """Day number of a date (days since 1970-01-01), as used in the simulation.

    Examples
    --------
    >>> day(dt.date(1970, 1, 2)), int(aug1(2013)) == day(dt.date(2013, 8, 1))
    (1, True)
    """
    return int(np.datetime64(date, "D").astype(np.int64))


def _first_of(year: object, month: int) -> np.ndarray:
    months = (np.asarray(year) - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    return (months + (month - 1)).astype("datetime64[D]").astype(np.int64)


def aug1(year: object) -> np.ndarray:
    """First day of the school year(s) starting in ``year``."""
    return _first_of(year, 8)


def oct1(year: object) -> np.ndarray:
    """1 October of the school year(s): the day staff are counted for hours and surveys."""
    return _first_of(year, 10)


def jul31(year: object) -> np.ndarray:
    """Last day of the school year(s) starting in ``year``."""
    return _first_of(np.asarray(year) + 1, 8) - 1


def school_year_of(days: np.ndarray) -> np.ndarray:
    """Starting year of the school year each day number falls in.

    Examples
    --------
    >>> school_year_of(np.array([jul31(2012), aug1(2013)])).tolist()
    [2012, 2013]
    """
    months = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months // 12 + 1970 - (months % 12 < 7)


def calendar_year(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def employed_on(t: dict, when: object) -> np.ndarray:
    """Who of the staff ``t`` works there on day ``when``."""
    return (t["start"] <= when) & (t["end"] >= when)


def employed_in(t: dict, year: int) -> np.ndarray:
    """Who of the staff ``t`` works there on some day of the school year ``year``."""
    return (t["start"] <= jul31(year)) & (t["end"] >= aug1(year))


def dates(days: np.ndarray) -> pd.Series:
    """Day numbers as dates; ``NO_END`` becomes missing."""
    out = np.asarray(days).astype("datetime64[D]")
    out[np.asarray(days) >= NO_END] = np.datetime64("NaT")
    return pd.Series(out)
