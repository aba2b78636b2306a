"""The six target shapes of a programme file, as typed models (a union on ``shape``).

Each shape says how a measure's estimates are held against the plan's numbers:

* ``relative_change``: the outcome period against the baseline, as a ratio
  (``change: -0.5`` halves, ``change: 0.15`` is 15% more);
* ``pp_change``: the change in percentage points between two periods;
* ``threshold``: a share (or amount) in one period, at least or at most a value;
* ``count_range``: counts by the end of years (milestones), against a planned range;
* ``go_no_go``: a count by a date, at least a minimum;
* ``distribution``: the share of one category (or of several taken together) of an outcome.

Which measures fit which shape is decided by the measure's kind
(:data:`evallib.contract.measures.SHAPES_FOR_KIND`) and checked when the programme loads.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from evallib.contract.measures import Measure
from evallib.core.periods import Period, parse_period

Level = Literal["location", "school", "region"]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
PeriodField = Annotated[
    Period, BeforeValidator(parse_period), PlainSerializer(lambda p: p.label, return_type=str)
]


def _span(value: object) -> object:
    """A period or ``[first, last]`` as a (first, last) pair of periods."""
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ValueError("geef één periode of [eerste, laatste]")
        return (parse_period(value[0]), parse_period(value[1]))
    period = parse_period(value)
    return (period, period)


def _span_text(span: tuple[Period, Period]) -> str | list[str]:
    first, last = span
    return first.label if first == last else [first.label, last.label]


Span = Annotated[
    tuple[Period, Period], BeforeValidator(_span), PlainSerializer(_span_text, return_type=object)
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TargetEnglish(_Model):
    title: Annotated[str, Field(min_length=1)]


class _Target(_Model):
    id: Identifier
    #: The project the target belongs to (filled in from the enclosing project).
    project: Annotated[Identifier, Field(exclude=True)]
    title: Annotated[str, Field(min_length=1)]
    source: str = ""
    #: True when the plan states no number and the file's number is a reading of it.
    derived: bool = False
    levels: Annotated[tuple[Level, ...], Field(min_length=1)]
    en: TargetEnglish | None = None
    measure: Measure

    @property
    def measure_name(self) -> str:
        return self.measure.name

    def label(self, lang: str = "nl") -> str:
        """The target's title in ``lang``; the Dutch title where no English is given."""
        return self.en.title if lang != "nl" and self.en else self.title


class _Bound(_Model):
    """``at_least`` or ``at_most``: exactly one of the two."""

    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> _Bound:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("geef precies één van at_least en at_most")
        return self

    @property
    def direction(self) -> str:
        return "at_least" if self.at_least is not None else "at_most"

    @property
    def value(self) -> float:
        return self.at_least if self.at_least is not None else self.at_most


class RelativeChange(_Target):
    shape: Literal["relative_change"]
    #: -0.5 halves, 0.15 is 15% more.
    change: Annotated[float, Field(gt=-1, le=10)]
    #: Baseline and outcome periods; default: the programme's baseline and programme years.
    from_: Annotated[Span | None, Field(alias="from")] = None
    to: Span | None = None

    @model_validator(mode="after")
    def _not_zero(self) -> RelativeChange:
        if self.change == 0:
            raise ValueError("change is 0: dat is geen verandering; gebruik bijv. -0.5 of 0.15")
        return self

    @property
    def direction(self) -> str:
        return "at_least" if self.change > 0 else "at_most"

    @property
    def value(self) -> float:
        """The ratio the target asks for (outcome over baseline)."""
        return 1 + self.change


class PpChange(_Target, _Bound):
    shape: Literal["pp_change"]
    from_: Annotated[Span, Field(alias="from")]
    to: Span


class Threshold(_Target, _Bound):
    shape: Literal["threshold"]
    year: PeriodField


class Milestone(_Model):
    """A planned count by the end of a year: at least ``min``, at most ``max`` (one may be open)."""

    year: PeriodField
    min: Annotated[float | None, Field(ge=0)] = None
    max: Annotated[float | None, Field(ge=0)] = None

    @model_validator(mode="after")
    def _some_bound(self) -> Milestone:
        if self.min is None and self.max is None:
            raise ValueError("een mijlpaal heeft min, max of beide nodig")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is groter dan max ({self.max:g})")
        return self


class CountRange(_Target):
    shape: Literal["count_range"]
    milestones: Annotated[tuple[Milestone, ...], Field(min_length=1)]


class GoNoGo(_Target):
    shape: Literal["go_no_go"]
    at_least: Annotated[int, Field(ge=1)]
    year: PeriodField
    #: The date by which the count is taken (e.g. the go/no-go moment in May).
    by: dt.date | None = None

    @property
    def direction(self) -> str:
        return "at_least"

    @property
    def value(self) -> float:
        return float(self.at_least)


class Distribution(_Target, _Bound):
    shape: Literal["distribution"]
    #: A category of the outcome, or ``{name: [category, ...]}`` for several taken together.
    category: str | Annotated[dict[str, tuple[str, ...]], Field(min_length=1, max_length=1)]
    #: Cohorts compared: default the programme's baseline and programme years.
    from_: Annotated[Span | None, Field(alias="from")] = None
    to: Span | None = None

    @property
    def category_name(self) -> str:
        return self.category if isinstance(self.category, str) else next(iter(self.category))

    @property
    def category_parts(self) -> tuple[str, ...]:
        return (
            (self.category,)
            if isinstance(self.category, str)
            else next(iter(self.category.values()))
        )


Target = Annotated[
    RelativeChange | PpChange | Threshold | CountRange | GoNoGo | Distribution,
    Field(discriminator="shape"),
]

SHAPES = ("relative_change", "pp_change", "threshold", "count_range", "go_no_go", "distribution")
