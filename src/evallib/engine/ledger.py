"""The run ledger (``reports/ledger.json``): what each report's last build did.

For every school (and the regional overview): its status, how long it took,
whether the cache was used, an error summary, the fingerprint of its inputs,
the SHA-256 of the report written, and the target statuses the index shows.
The ledger is the run's log, so unlike the reports it holds times and is not
byte-identical between runs.

A run writes ``ledger.json`` once, at its end. Until then each report it finishes is
appended to ``ledger.journal`` (one JSON line per report), so a run that is killed or
interrupted loses no finished report: the next run reads the journal with the ledger and
builds only what is missing or changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evallib.core.files import write_atomic
from evallib.core.fingerprint import sha256_file

LEDGER = "ledger.json"
JOURNAL = "ledger.journal"
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
            ledger = cls({k: Entry(**v) for k, v in raw["reports"].items()}, raw.get("run", {}))
        except (FileNotFoundError, json.JSONDecodeError, TypeError, KeyError):
            ledger = cls()  # no usable ledger: everything is rebuilt
        ledger.entries.update(_journal(reports / JOURNAL))
        return ledger

    def record(self, entry: Entry, reports: Path) -> None:
        """Add ``entry`` (a report just written) and append it to the journal at once.

        Appending costs one line per report; writing the whole ledger after every report
        would cost the square of a national run's thousand-odd reports.

        Examples
        --------
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> entry = Entry(key="01GX", name="Christelijk Lyceum Delft", report="01GX.html",
        ...               status="ok", cache="miss", seconds=0.8, input_hash="abc")
        >>> Ledger().record(entry, folder)  # the run is killed here: no ledger.json
        >>> Ledger.load(folder).entries["01GX"].input_hash
        'abc'
        """
        self.entries[entry.key] = entry
        with open(reports / JOURNAL, "a", encoding="utf-8") as journal:
            journal.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")

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
        (reports / JOURNAL).unlink(missing_ok=True)  # all of it is in the ledger now


def _journal(path: Path) -> dict[str, Entry]:
    """The entries a run appended before it stopped; a line it was killed writing is skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    entries = {}
    for line in lines:
        try:
            entry = Entry(**json.loads(line))
        except (json.JSONDecodeError, TypeError):
            continue
        entries[entry.key] = entry
    return entries
