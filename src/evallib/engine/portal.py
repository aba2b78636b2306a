"""The start page of several programmes' reports: one folder per programme, one link each.

``evallib portal reports/`` looks for the programmes' report folders under ``reports/``
(each with the ``index.html`` and ``manifest.json`` a run writes) and writes
``reports/index.html``: per programme its name, region, reference date, how many reports and
how many targets per status, with a link to its own index.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from evallib.contract.programme import load_programme
from evallib.core.errors import EvallibError
from evallib.core.files import write_atomic
from evallib.core.text import long_date, t
from evallib.engine.ledger import Ledger
from evallib.engine.provenance import MANIFEST
from evallib.evaluation.status import Status
from evallib.reporting.html import Html, badge, page, table, tag


def _programme_file(folder: Path, root: Path) -> Path | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        path = manifest["reports"]["index.html"]["programme"]["path"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    path = Path(path)
    return path if path.exists() else None


def programme_folders(root: Path) -> list[Path]:
    """The report folders of programmes under ``root``, in name order."""
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "index.html").is_file())


def write_portal(root: str | Path, lang: str = "nl") -> Path:
    """Write ``root/index.html``: a link to each programme's reports, with its statuses.

    Raises
    ------
    EvallibError
        When ``root`` holds no programme's reports.
    """
    root = Path(root)
    folders = programme_folders(root) if root.is_dir() else []
    if not folders:
        raise EvallibError(
            "Geen rapporten van een programma gevonden",
            file=str(root),
            expected="een map per programma met index.html (gemaakt door evallib run)",
            hint="Draai eerst evallib run --reports <map>/<programma>",
        )
    rows, synthetic = [], False
    for folder in folders:
        path = _programme_file(folder, root)
        programme = load_programme(path) if path and path.exists() else None
        ledger = Ledger.load(folder)
        counts = Counter(
            r.get("status") for entry in ledger.entries.values() for r in entry.results
        )
        synthetic = synthetic or "SYNTHETISCHE DATA" in (folder / "index.html").read_text(
            encoding="utf-8"
        )
        badges = Html(" ").join(
            Html(f"{badge(s, lang)} × {counts[s.value]}") for s in Status if counts[s.value]
        )
        rows.append(
            [
                tag(
                    "a",
                    programme.name if programme else folder.name,
                    href=f"{folder.name}/index.html",
                ),
                programme.region if programme else "",
                long_date(programme.reference_date, lang) if programme else "",
                str(len(ledger.entries)),
                badges,
            ]
        )
    header = [
        t(f"portal.{column}", lang)
        for column in ("programme", "region", "date", "reports", "statuses")
    ]
    body = Html(
        tag("h1", t("portal.title", lang))
        + tag("p", t("portal.intro", lang))
        + table(header, rows, lang=lang)
    )
    target = root / "index.html"
    write_atomic(target, page(t("portal.title", lang), body, synthetic=synthetic, lang=lang))
    return target
