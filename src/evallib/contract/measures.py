"""What a programme file may measure: each measure's name, parameters and kind.

A target names a measure (``measure: {name: starter_dropout, years: 3}``). This module says
which measures exist, which parameters each takes (typed, unknown ones refused) and what
*kind* of number it gives; the kind decides which target shapes fit it:

============  ===========================================  =====================================
kind          what it is                                   shapes it fits
============  ===========================================  =====================================
share         a share of persons, with interval and n      relative_change, pp_change, threshold
rate          events per person-year, with interval        relative_change
count         persons counted in full (no sampling error)  count_range, go_no_go
amount        a quantity such as fte (no persons)          threshold, relative_change
distribution  shares of the categories of an outcome       distribution
============  ===========================================  =====================================

How each measure is computed lives in :mod:`evallib.evaluation.measures` (one estimator per
name here; ``tests/test_measures.py`` checks both lists agree).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field


class Kind(StrEnum):
    """What kind of number a measure gives (see the module docstring)."""

    SHARE = "share"
    RATE = "rate"
    COUNT = "count"
    AMOUNT = "amount"
    DISTRIBUTION = "distribution"


SHAPES_FOR_KIND: dict[Kind, tuple[str, ...]] = {
    Kind.SHARE: ("relative_change", "pp_change", "threshold"),
    Kind.RATE: ("relative_change",),
    Kind.COUNT: ("count_range", "go_no_go"),
    Kind.AMOUNT: ("threshold", "relative_change"),
    Kind.DISTRIBUTION: ("distribution",),
}

#: Where starters are ``years`` after starting: still at the school, or why they left (the
#: ``reden_uit_dienst`` values of the staff file).
STARTER_OUTCOMES = ("nog op school", "andere school", "buiten onderwijs", "pensioen", "onbekend")
#: The outcome "left education" (beside dropout, which is leaving the school for any reason).
LEFT_EDUCATION = STARTER_OUTCOMES[2]


class _Measure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The kind of number (indicator measures take theirs from the indicator).
    kind: ClassVar[Kind] = Kind.SHARE
    #: School data the measure reads (``staff``, ``participation``, ``hours``, ``survey``),
    #: or ``indicators`` for region-level figures.
    needs: ClassVar[tuple[str, ...]] = ()
    #: Catalogue key of what the measure counts, for "32% (97 starters)" (None: the
    #: estimate's own unit, e.g. an indicator's).
    unit: ClassVar[str | None] = None
    #: Whether the measure counts persons who leave: a fall is then "uitval −50% of meer".
    leaving: ClassVar[bool] = False

    @property
    def role_ref(self) -> tuple[str | None, str] | None:
        """The (project, role) this measure counts or follows, if any (project None: the target's)."""
        role = getattr(self, "role", None)
        return None if role is None else (getattr(self, "project", None), role)


class StarterDropout(_Measure):
    """k-year dropout of starting teachers (Kaplan–Meier, censoring-aware): a share."""

    name: Literal["starter_dropout"]
    years: Annotated[int, Field(ge=1, le=10)] = 3
    needs: ClassVar[tuple[str, ...]] = ("staff",)
    unit: ClassVar[str | None] = "unit.starting_teachers"
    leaving: ClassVar[bool] = True


class StarterOutcomes(_Measure):
    """Where starters are after k years: still at the school, or why they left."""

    name: Literal["starter_outcomes"]
    years: Annotated[int, Field(ge=1, le=10)] = 3
    kind: ClassVar[Kind] = Kind.DISTRIBUTION
    needs: ClassVar[tuple[str, ...]] = ("staff",)
    unit: ClassVar[str | None] = "unit.starting_teachers"

    @property
    def categories(self) -> tuple[str, ...]:
        return STARTER_OUTCOMES


class EarlyLeaving(_Measure):
    """Leaving (not retiring) per teacher-year of teachers in an age band: participants vs all."""

    name: Literal["early_leaving"]
    role: str
    project: str | None = None
    min_age: Annotated[int, Field(ge=15, le=80)] = 40
    max_age: Annotated[int, Field(ge=15, le=80)] = 55
    kind: ClassVar[Kind] = Kind.RATE
    needs: ClassVar[tuple[str, ...]] = ("staff", "participation")
    unit: ClassVar[str | None] = "unit.teachers"
    leaving: ClassVar[bool] = True


class SurveyPositive(_Measure):
    """Share of a survey group answering 4 or 5 (agree, satisfied) on one item."""

    name: Literal["survey_positive"]
    group: str
    item: str
    needs: ClassVar[tuple[str, ...]] = ("survey",)
    unit: ClassVar[str | None] = "unit.respondents"


class DigitalShare(_Measure):
    """Share of teaching hours given with digital didactics by the members of a project role."""

    name: Literal["digital_share"]
    role: str
    project: str | None = None
    needs: ClassVar[tuple[str, ...]] = ("hours", "participation")
    unit: ClassVar[str | None] = "unit.team_members"


class Participants(_Measure):
    """Distinct teachers in a project role in a year (or up to it, ``cumulative``): a count."""

    name: Literal["participants"]
    role: str
    project: str | None = None
    cumulative: bool = True
    kind: ClassVar[Kind] = Kind.COUNT
    needs: ClassVar[tuple[str, ...]] = ("participation",)


class Selected(_Measure):
    """Distinct teachers selected for a project role by the target's date: a count."""

    name: Literal["selected"]
    role: str
    project: str | None = None
    kind: ClassVar[Kind] = Kind.COUNT
    needs: ClassVar[tuple[str, ...]] = ("participation",)


class Indicator(_Measure):
    """A region-level figure from the indicator file; its kind is the indicator's."""

    name: Literal["indicator"]
    indicator: str
    needs: ClassVar[tuple[str, ...]] = ("indicators",)


Measure = Annotated[
    StarterDropout
    | StarterOutcomes
    | EarlyLeaving
    | SurveyPositive
    | DigitalShare
    | Participants
    | Selected
    | Indicator,
    Field(discriminator="name"),
]

#: Every measure by name (for docs and checks).
MEASURES: dict[str, type[_Measure]] = {
    model.model_fields["name"].annotation.__args__[0]: model
    for model in (
        StarterDropout,
        StarterOutcomes,
        EarlyLeaving,
        SurveyPositive,
        DigitalShare,
        Participants,
        Selected,
        Indicator,
    )
}
