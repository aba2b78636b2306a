"""What changed since an earlier run (``evallib run --compare-to DIR``).

The earlier run's ``ledger.json`` holds, per report, every target's status and
the number its decision rested on (as already shown to readers, so with small
groups suppressed). Comparing them with this run's gives, per school, the
targets whose status changed or whose number moved.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from evallib.core.text import t
from evallib.evaluation.status import Status
from evallib.reporting.html import Html, badge, table, tag

#: A change smaller than this (in the unit of the number) is not called a change.
TOLERANCE = 0.005


def load_previous(path: str | Path | None) -> dict[str, list[dict]]:
    """Status records per report key from an earlier run's ledger (empty if none).

    Examples
    --------
    >>> load_previous(None)
    {}
    """
    if not path:
        return {}
    file = Path(path)
    if file.is_dir():
        file = file / "ledger.json"
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {key: entry.get("results", []) for key, entry in raw.get("reports", {}).items()}


def _number(record: dict) -> float | None:
    value = record.get("estimate")
    return (
        None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    )


def compare(previous: list[dict], current: list[dict]) -> list[tuple[dict | None, dict]]:
    """Pairs (earlier, now) of the targets whose status changed or whose number moved.

    Examples
    --------
    >>> before = [{"target": "a", "scope": "01GX", "status": "onvoldoende_gegevens", "estimate": 0.4}]
    >>> now = [{"target": "a", "scope": "01GX", "status": "gehaald", "estimate": 0.45},
    ...        {"target": "b", "scope": "01GX", "status": "gehaald", "estimate": 0.1}]
    >>> [(p and p["status"], c["target"]) for p, c in compare(before, now)]
    [('onvoldoende_gegevens', 'a'), (None, 'b')]
    """
    earlier = {(r["target"], r["scope"]): r for r in previous}
    changed = []
    for record in current:
        old = earlier.get((record["target"], record["scope"]))
        if old is None:
            changed.append((None, record))
            continue
        a, b = _number(old), _number(record)
        moved = (a is None) != (b is None) or (
            a is not None and b is not None and abs(a - b) > TOLERANCE
        )
        if old["status"] != record["status"] or moved:
            changed.append((old, record))
    return changed


def _shown(record: dict | None) -> str:
    if record is None:
        return "–"
    return record.get("shown") or "–"


def changes_section(
    previous: list[dict], current: list[dict], label: str, lang: str = "nl"
) -> Html:
    """The 'Wat is er veranderd?' section of a report."""
    pairs = compare(previous, current)
    heading = tag("h2", t("changes.heading", lang, label=label), id="veranderd")
    if not previous:
        return Html(heading + tag("p", t("changes.no_previous", lang, label=label)))
    if not pairs:
        return Html(heading + tag("p", t("changes.none", lang)))
    rows = [
        [
            now["title"],
            now["scope_name"],
            badge(Status(old["status"]), lang) if old else t("changes.new", lang),
            badge(Status(now["status"]), lang),
            _shown(old),
            _shown(now),
        ]
        for old, now in pairs
    ]
    header = [
        t(f"changes.{column}", lang)
        for column in ("target", "where", "before", "now", "outcome_before", "outcome_now")
    ]
    return Html(heading + table(header, rows, lang=lang))
