"""Periods a target or an indicator speaks of: a school year (``2013/14``) or a calendar year.

School files count in school years (1 August – 31 July). Figures a region gets from elsewhere
often count in calendar years (a labour-market monitor's ``2024``). A :class:`Period` is
either, knows when it ends (a target for it is due from then on) and sorts in time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from evallib.core.dates import format_school_year, parse_school_year, school_year_end
from evallib.core.errors import EvallibError

_CALENDAR_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """A school year (``school=True``, starting in ``year``) or the calendar year ``year``.

    Examples
    --------
    >>> Period(2014).label, Period(2024, school=False).label
    ('2014/15', '2024')
    >>> Period(2014).end, Period(2024, school=False).end
    (datetime.date(2015, 7, 31), datetime.date(2024, 12, 31))
    """

    year: int
    school: bool = True

    @property
    def label(self) -> str:
        return format_school_year(self.year) if self.school else str(self.year)

    @property
    def end(self) -> dt.date:
        """The last day of the period: a target for it can be judged from the day after."""
        return school_year_end(self.year) if self.school else dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        return self.label


def parse_period(value: object) -> Period:
    """A period from its written form: ``2013/14`` (school year) or ``2024`` (calendar year).

    Examples
    --------
    >>> parse_period("2013/14"), parse_period(2024)
    (Period(year=2013, school=True), Period(year=2024, school=False))
    """
    if isinstance(value, Period):
        return value
    text = str(value)
    calendar = _CALENDAR_YEAR.match(text)
    if calendar and not isinstance(value, bool):
        return Period(int(calendar.group(1)), school=False)
    try:
        return Period(parse_school_year(text))
    except EvallibError:
        raise EvallibError(
            "Periode niet herkend",
            expected="schooljaar als 2013/14 of kalenderjaar als 2024",
            found=text,
        ) from None
