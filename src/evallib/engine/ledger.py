"""The run ledger (``reports/ledger.json``): what each report's last build did.

For every school (and the regional overview): its status, how long it took,
whether the cache was used, an error summary, the fingerprint of its inputs,
the SHA-256 of the report written, and the target statuses the index shows.
The ledger is the run's log, so unlike the reports it holds times and is not
byte-identical between runs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evallib.core.files import write_atomic
from evallib.core.fingerprint import sha256_file

LEDGER = "ledger.json"
VERSION = 1


@dataclass(kw_only=True)
class Entry:
    """One report in the ledger."""

    key: str
    name: str
    report: str
    status: str  # "ok" or "failed"
    cache: str  # "hit" or "miss"
    seconds: float
    input_hash: str
    report_sha256: str = ""
    error: str = ""
    results: list = field(default_factory=list)


@dataclass
class Ledger:
    entries: dict[str, Entry] = field(default_factory=dict)
    run: dict = field(default_factory=dict)

    @classmethod
    def load(cls, reports: Path) -> Ledger:
        path = reports / LEDGER
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != VERSION:
                return cls()
            return cls({k: Entry(**v) for k, v in raw["reports"].items()}, raw.get("run", {}))
        except (FileNotFoundError, json.JSONDecodeError, TypeError, KeyError):
            return cls()  # no usable ledger: everything is rebuilt

    def fresh(self, key: str, input_hash: str, reports: Path) -> Entry | None:
        """The entry if the report can be reused: same inputs, built fine, file unchanged on disk."""
        entry = self.unchanged(key, reports)
        return entry if entry is not None and entry.input_hash == input_hash else None

    def unchanged(self, key: str, reports: Path) -> Entry | None:
        """The entry if its report was built fine and is on disk as it was written."""
        entry = self.entries.get(key)
        if entry is None or entry.status != "ok":
            return None
        path = reports / entry.report
        if not path.is_file() or sha256_file(path) != entry.report_sha256:
            return None
        return entry

    def save(self, reports: Path) -> None:
        data = {
            "version": VERSION,
            "run": self.run,
            "reports": {k: asdict(v) for k, v in sorted(self.entries.items())},
        }
        write_atomic(reports / LEDGER, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
