"""Region-level figures (``indicatoren.csv``) whose series meet some targets and miss others.

Part of :mod:`evallib.synth`. For each indicator of the programme, the targets on it are
taken in order: the first is met, the second missed, the third met, and so on. A figure is
planted in every period a target looks at (the baseline of a change at a plain starting
value). Every other share indicator comes with its n (and so gets an interval); the rest
have none, as many real figures do.
"""

from __future__ import annotations

import pandas as pd

from evallib.contract.programme import Programme, Target
from evallib.contract.schema import INDICATORS
from evallib.core.periods import Period
from evallib.synth.plan import SynthPlan
from evallib.synth.quotas import planned_count

REGION = "regio"
#: Persons behind a share that has an n (shares have 3 decimals, so the counts are whole).
SHARE_N = 2000
_START = {"share": 0.2, "count": 100.0, "amount": 50.0, "distribution": 0.2}


def indicator_table(plan: SynthPlan) -> tuple[pd.DataFrame, dict]:
    """The indicator file's rows, and the planted values per indicator and period.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> from evallib.synth.plan import make_plan
    >>> from evallib.synth.settings import Settings
    >>> p = load_programme("programmes/haaglanden-2013.yaml")
    >>> table, truth = indicator_table(make_plan(p, Settings()))
    >>> list(table.columns), truth
    (['indicator', 'scope', 'periode', 'categorie', 'waarde', 'n', 'bron'], {})
    """
    p = plan.programme
    rows, truth = [], {}
    for k, spec in enumerate(p.indicators):
        targets = [t for t in p.targets if getattr(t.measure, "indicator", None) == spec.id]
        series = _series(p, spec.kind, spec.categories, targets)
        with_n = spec.kind in ("share", "distribution") and k % 2 == 0
        for period in sorted(series):
            value = series[period]
            parts = value if isinstance(value, dict) else {"": value}
            for category, share in parts.items():
                rows.append(
                    {
                        "indicator": spec.id,
                        "scope": REGION,
                        "periode": period.label,
                        "categorie": category,
                        "waarde": share,
                        "n": SHARE_N if with_n else None,
                        "bron": spec.source or "synthetisch",
                    }
                )
        truth[spec.id] = {period.label: series[period] for period in sorted(series)}
    table = pd.DataFrame(rows, columns=list(INDICATORS.column_names))
    table["n"] = table["n"].astype("Int64")
    return table, truth


def _series(
    p: Programme, kind: str, categories: tuple[str, ...], targets: list[Target]
) -> dict[Period, float | dict[str, float]]:
    values: dict[Period, float | dict[str, float]] = {}
    for j, t in enumerate(targets):
        meet = j % 2 == 0
        if t.shape == "threshold":
            values[t.year] = _bound(t.value, t.direction, meet, kind)
        elif t.shape in ("relative_change", "pp_change"):
            before, after = _spans(p, t)
            base = values.setdefault(before, _START[kind])
            if t.shape == "relative_change":
                value = base * (1 + t.change * (1.5 if meet else 0.3))
            else:
                sign = 1 if t.direction == "at_least" else -1
                value = base + t.value + sign * (0.04 if meet else -0.04)
            values[after] = _clip(value, kind)
        elif t.shape == "count_range":
            for ms in t.milestones:
                values[ms.year] = float(planned_count(ms.min, ms.max, not meet))
        elif t.shape == "go_no_go":
            values[t.year] = float(max(t.at_least + (1 if meet else -1), 0))
        elif t.shape == "distribution":
            _, after = _spans(p, t)
            share = _bound(t.value, t.direction, meet, "share")
            values[after] = _categories(categories, t.category_parts, share)
    return values


def _spans(p: Programme, t: Target) -> tuple[Period, Period]:
    """The periods a change or distribution compares: the last of its ``from`` and ``to``."""
    first, last = p.baseline_years[1], p.programme_years[1]
    before = t.from_[-1] if getattr(t, "from_", None) else Period(first)
    after = t.to[-1] if getattr(t, "to", None) else Period(last)
    return before, after


def _bound(value: float, direction: str, meet: bool, kind: str) -> float:
    """A figure on the right side of a bound (``meet``) or the wrong one."""
    share = kind in ("share", "distribution")
    margin = max(0.02, 0.2 * min(value, 1 - value)) if share else 0.2 * value
    up = (direction == "at_least") == meet
    return _clip(value + margin if up else value - margin, kind)


def _clip(value: float, kind: str) -> float:
    if kind in ("share", "distribution"):
        return round(min(max(value, 0.001), 0.999), 3)
    if kind == "count":
        return float(max(round(value), 0))
    return round(max(value, 0.0), 2)


def _categories(categories: tuple[str, ...], parts: tuple[str, ...], share: float) -> dict:
    """Shares of a distribution's categories: ``share`` over ``parts``, the rest over the others."""
    others = [c for c in categories if c not in parts] or list(parts)
    out = {c: round(share / len(parts), 3) for c in parts}
    rest = 1 - sum(out.values())
    for c in others:
        if c not in parts:
            out[c] = round(rest / len(others), 3)
    return out
