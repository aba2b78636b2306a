"""What evaluating a target gives: where (scope), the status, why, and the evidence.

A status never comes alone: :class:`TargetResult` carries the reason (a catalogue key and its
values) and the :class:`Evidence` (estimate, interval, n, and the two measurements behind a
change), so every report sentence can show what the status rests on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from evallib.contract.programme import Target
from evallib.core.periods import Period
from evallib.core.text import t
from evallib.evaluation.designs import Design
from evallib.evaluation.status import Status
from evallib.stats.estimates import Estimate
from evallib.stats.power import Chances, PowerCheck


@dataclass(frozen=True)
class Scope:
    """Where a target is evaluated: a location, a school's locations, the region."""

    level: str
    key: str
    name: str
    locations: Mapping[str, tuple[str, ...]]

    def level_label(self, lang: str = "nl") -> str:
        """The level as readers say it ("locatie", "school", "regio"; "location", ... in English).

        Examples
        --------
        >>> Scope("region", "regio", "Regio", {}).level_label("en")
        'region'
        """
        return t(f"level.{self.level}", lang)


@dataclass(frozen=True)
class MilestoneResult:
    """A count against the plan for one year; ``due`` once the year has ended."""

    year: int
    count: int
    min: float | None
    max: float | None
    due: bool
    period: Period | None = None

    @property
    def label(self) -> str:
        return self.period.label if self.period else Period(self.year).label

    @property
    def met(self) -> bool:
        return self.min is None or self.count >= self.min

    @property
    def above(self) -> bool:
        return self.max is not None and self.count > self.max

    def __str__(self) -> str:  # in a reason's text (TargetResult.reason_text): its plan
        return self.plan()

    def plan(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min:g}–{self.max:g}"
        return f"≥ {self.min:g}" if self.min is not None else f"≤ {self.max:g}"


@dataclass(frozen=True)
class Evidence:
    """What a status rests on.

    ``effect`` is the number the decision is about (a ratio, a share, a difference);
    ``baseline`` and ``outcome`` are the two measurements behind it (the *nulmeting* and the
    later measurement), each with interval and n.
    """

    kind: str  # "ratio", "share", "difference" or "count"
    effect: Estimate | None = None
    baseline: Estimate | None = None
    outcome: Estimate | None = None
    baseline_label: str = ""
    outcome_label: str = ""
    target_value: float | None = None
    direction: str | None = None  # "at_least" or "at_most"
    null_value: float | None = None
    milestones: tuple[MilestoneResult, ...] = ()
    notes: tuple[str, ...] = ()
    power: PowerCheck | None = None
    #: The chance of *gehaald* at the target exactly and clearly exceeded (at these n), from
    #: the normal approximation; reports simulate it from ``design`` where there is one.
    chances: Chances | None = None
    #: How the data behind ``effect`` came about, to draw them again
    #: (:mod:`evallib.evaluation.chance`).
    design: Design | None = None

    @classmethod
    def level_of(
        cls, kind: str, outcome: Estimate, label: str, target: Target, design: Design | None
    ) -> Evidence:
        """One group's level held against the target's bound: the outcome is what is decided.

        Examples
        --------
        >>> from evallib.contract.programme import load_programme
        >>> target = load_programme("programmes/haaglanden-2013.yaml").targets[0]
        >>> ev = Evidence.level_of("share", Estimate(0.2, 0.1, 0.3, 50), "2015/16", target, None)
        >>> ev.effect is ev.outcome, ev.baseline, ev.target_value == target.value
        (True, None, True)
        """
        return cls(kind, outcome, None, outcome, "", label, target.value, target.direction,
                   design=design)  # fmt: skip


@dataclass(frozen=True)
class TargetResult:
    """A target evaluated in one scope: status, why, and the evidence."""

    target: Target
    scope: Scope
    status: Status
    reason: str
    reason_values: Mapping[str, object] = field(default_factory=dict)
    evidence: Evidence = field(default_factory=lambda: Evidence("none"))
    #: What the target is about, as the subject of a sentence, in the result's language.
    subject: str = ""

    def reason_text(self, lang: str = "nl") -> str:
        return t(self.reason, lang, **self.reason_values)


@dataclass(frozen=True)
class Finding:
    """What a measure found for a target: the evidence, and a status when the data decide
    before any decision rule does (not due yet, no data)."""

    evidence: Evidence
    status: Status | None = None
    reason: str = ""
    values: Mapping[str, object] = field(default_factory=dict)
