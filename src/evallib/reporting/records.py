"""The target statuses a report hands to the run (for the index, the ledger and ``--compare-to``).

A notebook shows :class:`ResultsOutput` as its last output: invisible to a reader, it carries
the statuses under :data:`RESULTS_MIME`, which the engine collects from the executed notebook.
"""

from __future__ import annotations

import math
import re

from evallib.evaluation.privacy import MIN_GROUP, SUPPRESSED, is_small
from evallib.evaluation.targets import Evidence, TargetResult
from evallib.reporting.wording import UNBOUNDED, effect_text, reason_text

#: Output MIME type carrying the target statuses from a notebook to the engine; never rendered.
RESULTS_MIME = "application/vnd.evallib.results+json"


def target_anchor(target: str, level: str, scope: str) -> str:
    """The ``id`` of a target's row in a report, which the index links to.

    Stable between runs and languages: ``doel-<target id>``, and for a location
    ``doel-<target id>-<vestiging>`` (``scope`` is the record's scope key, ``<brin>/<vestiging>``
    for a location). Characters that an address would have to encode become ``-``.

    Examples
    --------
    >>> target_anchor("starters-uitval", "school", "01GX")
    'doel-starters-uitval'
    >>> target_anchor("halverwege-per-locatie", "location", "02DZ/04")
    'doel-halverwege-per-locatie-04'
    """
    parts = ["doel", target]
    if level == "location":
        parts.append(scope.rsplit("/", 1)[-1])
    return re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))


#: Why a record's number is empty: the group is small (as the report shows it), or there is none.
WITHHELD_SMALL, WITHHELD_NONE = "small_group", "not_estimable"

_PERIOD = re.compile(r"\d{4}(?:/\d{2})?(?:–\d{4}(?:/\d{2})?)?")


def period_of(result: TargetResult) -> str:
    """The period a result's number speaks of, as written in the report (``2015/16``).

    A threshold or go/no-go target names its year; a count its last milestone that is due;
    a change the period of its later measurement (the last period in the evidence's label).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(target=SimpleNamespace(), evidence=Evidence(
    ...     "ratio", outcome_label="deelnemers, 2013/14–2015/16"))
    >>> period_of(r)
    '2013/14–2015/16'
    >>> period_of(SimpleNamespace(target=r.target, evidence=Evidence(
    ...     "share", outcome_label="starters 2013/14–2015/16, na 3 jaar")))
    '2013/14–2015/16'
    """
    year = getattr(result.target, "year", None)
    if year is not None:
        return year.label
    milestones = result.evidence.milestones
    if milestones:
        due = [m for m in milestones if m.due] or list(milestones)
        return due[-1].label
    found = _PERIOD.findall(result.evidence.outcome_label)
    return found[-1] if found else ""


def numbers(evidence: Evidence, lang: str = "nl", min_group: int = MIN_GROUP) -> dict:
    """The number a status rests on, with interval, n, unit and method, as far as a report shows it.

    What a report suppresses (a small group, see :mod:`evallib.evaluation.privacy`) is ``None``
    here too, and ``withheld`` says why a number is empty. A count of people in a programme role
    is shown in the reports, so it is given here (as the estimate, without interval).

    Examples
    --------
    >>> from evallib.stats.estimates import Estimate
    >>> numbers(Evidence("share", effect=Estimate(0.2, 0.1, 0.3, 40, method="wilson",
    ...                                              unit="persons")))["n"]
    40
    >>> numbers(Evidence("share", effect=Estimate(0.2, 0.1, 0.3, 4)))["withheld"]
    'small_group'
    """
    e = evidence.effect
    empty = {"estimate": None, "ci_lower": None, "ci_upper": None, "n": None}
    if evidence.kind == "count":
        last = [m for m in evidence.milestones if m.due] or list(evidence.milestones)
        count = last[-1].count if last else None
        withheld = "" if count is not None else WITHHELD_NONE
        return {
            **empty,
            "estimate": count,
            "unit": "persons",
            "method": "count",
            "withheld": withheld,
        }
    unit = (e.unit if e is not None else "") or (evidence.outcome.unit if evidence.outcome else "")
    about = {"unit": unit, "method": e.method if e is not None else ""}
    if effect_text(evidence, lang, min_group) == SUPPRESSED[lang] or (
        e is not None and is_small(e.n, min_group)
    ):
        return {**empty, **about, "withheld": WITHHELD_SMALL}
    if e is None or not e.estimable:
        return {**empty, **about, "withheld": WITHHELD_NONE}

    def value(x: float) -> float | None:
        # a ratio's bound the report calls "geen bovengrens" is no number here either
        unbounded = evidence.kind == "ratio" and x >= UNBOUNDED
        return None if math.isnan(x) or math.isinf(x) or unbounded else float(x)

    return {
        "estimate": float(e.estimate),
        "ci_lower": value(e.ci_lower),
        "ci_upper": value(e.ci_upper),
        "n": int(e.n) if e.n else None,
        **about,
        "withheld": "",
    }


def result_records(
    results: list[TargetResult], lang: str = "nl", min_group: int = MIN_GROUP
) -> list[dict]:
    """Target statuses as plain records (for the index, the run ledger and the downloads).

    Each record holds what the report shows of the target and nothing more: its number with
    interval and n are ``None`` where the report suppresses them (:func:`numbers`).
    """
    records = []
    for r in results:
        found = numbers(r.evidence, lang, min_group)
        records.append(
            {
                "target": r.target.id,
                "title": r.target.label(lang),
                "project": r.target.project,
                "level": r.scope.level,
                "scope": r.scope.key,
                "scope_name": r.scope.name,
                "period": period_of(r),
                "status": r.status.value,
                "reason": reason_text(r, lang, min_group),
                "kind": r.evidence.kind,
                # the number the decision rests on, as readers see it (suppressed for small groups)
                **found,
                "shown": effect_text(r.evidence, lang, min_group),
            }
        )
    return records


class ResultsOutput:
    """Displays nothing for a reader; carries the statuses to the batch engine."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        return {RESULTS_MIME: self.records, "text/plain": ""}
