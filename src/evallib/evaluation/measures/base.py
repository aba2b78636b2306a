"""The measure interface: how a measure of the contract is computed for one target and scope.

Each measure of :mod:`evallib.contract.measures` has one :class:`Estimator`, registered
under its name. A shape (:mod:`evallib.evaluation.shapes`) asks the estimator for what it
needs: a change between two periods, a level in one period, a count, or the share of a
category; the contract's kinds guarantee it only asks what the measure can give.
"""

from __future__ import annotations

from typing import ClassVar

from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.evaluation.decision import Context
from evallib.evaluation.evidence import Finding
from evallib.evaluation.scopes import Span

#: Every estimator by measure name (filled by :func:`register`).
ESTIMATORS: dict[str, Estimator] = {}


class Estimator:
    """How one measure is computed; each method serves the shapes of one kind of number."""

    name: ClassVar[str]

    def change(
        self, target: Target, ctx: Context, baseline: Span, outcome: Span, scale: str
    ) -> Finding:
        """Outcome period against baseline period, as a ``"ratio"`` or a ``"difference"``."""
        raise NotImplementedError(f"{self.name} has no change between periods")

    def level(self, target: Target, ctx: Context, period: Period) -> Finding:
        """The measure in one period, against the target's bound."""
        raise NotImplementedError(f"{self.name} has no level in one period")

    def count(self, target: Target, ctx: Context, period: Period) -> int:
        """Persons counted by the end of ``period`` (complete counts, no sampling error)."""
        raise NotImplementedError(f"{self.name} counts nothing")

    def category(self, target: Target, ctx: Context, baseline: Span, outcome: Span) -> Finding:
        """The share of the target's category (or categories taken together) of an outcome."""
        raise NotImplementedError(f"{self.name} has no categories")


def register(cls: type[Estimator]) -> type[Estimator]:
    """Register an estimator class under its measure name."""
    ESTIMATORS[cls.name] = cls()
    return cls


def span_label(span: Span) -> str:
    """``2010/11–2012/13``, or one period's label.

    Examples
    --------
    >>> span_label((Period(2010), Period(2012))), span_label((Period(2014), Period(2014)))
    ('2010/11–2012/13', '2014/15')
    """
    first, last = span
    return first.label if first == last else f"{first.label}–{last.label}"


def years_of(span: Span) -> tuple[int, int]:
    """The first and last school year of a span, as the integers the tables use."""
    return span[0].year, span[1].year
