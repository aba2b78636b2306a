"""Evaluate programme targets into a status that carries its evidence.

A status is one of *gehaald*, *op koers*, *niet gehaald*, *nog niet meetbaar* and
*onvoldoende gegevens*. :func:`evaluate` evaluates one target in one scope (a location, a
school, the region): the target's shape (:mod:`evallib.evaluation.shapes`) asks its measure
(:mod:`evallib.evaluation.measures`) for the estimates it needs, and the decision rule
(:mod:`evallib.evaluation.decision`, documented in ``docs/methods.md``) turns them into a
status.

The texts a result carries (scope names of the region, evidence labels, notes and the values
filled into its reason) are written in the ``lang`` given to :func:`evaluate` and friends
("nl" by default, or "en").
"""

from __future__ import annotations

from dataclasses import replace

from evallib.contract.programme import Programme, Target
from evallib.evaluation.dataset import Dataset
from evallib.evaluation.decision import Context, decide
from evallib.evaluation.evidence import Evidence, MilestoneResult, Scope, TargetResult
from evallib.evaluation.measures import ESTIMATORS
from evallib.evaluation.scopes import comparison_scope, region_scope, school_scopes
from evallib.evaluation.shapes import SHAPES
from evallib.evaluation.status import Status
from evallib.evaluation.subjects import subject

__all__ = [
    "Evidence",
    "MilestoneResult",
    "Scope",
    "Status",
    "TargetResult",
    "comparison_scope",
    "decide",
    "evaluate",
    "evaluate_region",
    "evaluate_school",
    "region_scope",
    "school_scopes",
    "supported",
]


def supported(target: Target) -> bool:
    """Whether evallib knows how to evaluate this shape with this measure."""
    return target.shape in SHAPES and target.measure.name in ESTIMATORS


def evaluate(
    target: Target, programme: Programme, data: Dataset, scope: Scope, lang: str = "nl"
) -> TargetResult:
    """Evaluate one target in one scope.

    Parameters
    ----------
    target
        The target, from the programme file.
    programme
        The programme (decision rule, periods, reference date).
    data
        All processed data; it is sliced to ``scope.locations`` here.
    scope
        Where to evaluate (see :func:`school_scopes` and :func:`region_scope`).
    lang
        Language of the texts the result carries (evidence labels, notes, reason values).

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.evaluation.dataset import load_dataset
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> target = next(t for t in p.targets if t.id == "digitaal-20")
    >>> scope = school_scopes(p, "02DZ", target)[0]
    >>> r = evaluate(target, p, load_dataset("data/processed/example"), scope)
    >>> r.scope.name, r.status.label(), r.evidence.effect.n
    ('Stanislas College', 'niet zeker', 16)
    >>> evaluate(target, p, load_dataset("data/processed/example"), scope, "en").evidence.outcome_label
    'e-coaching team members 2015/16'
    """
    context = Context(programme, data.at(scope.locations), scope, lang)
    found = SHAPES[target.shape](target, context)
    return replace(found, subject=subject(target, programme, lang))


def evaluate_school(
    programme: Programme,
    data: Dataset,
    brin: str,
    levels: tuple[str, ...] = ("school", "location"),
    lang: str = "nl",
) -> list[TargetResult]:
    """All targets of every project the school takes part in, at the given levels.

    The texts the results carry are in ``lang`` (see :func:`evaluate`).
    """
    return [
        evaluate(target, programme, data, scope, lang)
        for project in programme.projects_of(brin)
        for target in project.targets
        for scope in school_scopes(programme, brin, target)
        if scope.level in levels
    ]


def evaluate_region(programme: Programme, data: Dataset, lang: str = "nl") -> list[TargetResult]:
    """Every target with a region level, pooled over the project's locations.

    The texts the results carry are in ``lang`` (see :func:`evaluate`).
    """
    return [
        evaluate(target, programme, data, region_scope(programme, target, lang), lang)
        for target in programme.targets
        if "region" in target.levels
    ]
