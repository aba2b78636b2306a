"""Where a report comes from: input files, programme, code, parameters, environment, seed.

Each report ends with a Dutch *Herkomst* section, and ``reports/manifest.json``
holds the same for every report in machine-readable form; ``evallib verify``
reruns from it. Nothing here varies between two runs on the same inputs (no
times, no paths outside the project), so the reports stay byte-identical.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .fingerprint import environment
from .html import Html, table, tag

MANIFEST = "manifest.json"


@functools.cache
def code_version(where: str) -> dict[str, object]:
    """The git commit of the code at ``where`` and whether tracked files were changed."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", where, *args], capture_output=True, text=True, timeout=20, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        clean = git("status", "--porcelain", "--untracked-files=no") == ""
        return {"commit": commit, "clean": clean}
    except (OSError, subprocess.SubprocessError):
        return {"commit": "onbekend", "clean": None}


@dataclass(frozen=True)
class Provenance:
    """Everything one report depends on."""

    report: str
    parameters: Mapping[str, object]
    inputs: Mapping[str, str]  # raw file (relative to the data directory) -> SHA-256
    programme: Mapping[str, str]  # {"file": ..., "sha256": ...}
    code: Mapping[str, object]
    environment: Mapping[str, str] = field(default_factory=environment)
    data: Mapping[str, object] = field(default_factory=dict)  # raw_dir, synthetic, seed

    def record(self) -> dict:
        return asdict(self)


def seed_of(raw_dir: Path) -> int | None:
    """The generator seed of a synthetic data set (from its ``planted.json``), else None."""
    try:
        return int(
            json.loads((raw_dir / "planted.json").read_text(encoding="utf-8"))["settings"]["seed"]
        )
    except (OSError, KeyError, ValueError, TypeError):
        return None


def herkomst(p: Provenance) -> Html:
    """The Dutch provenance section of a report."""
    code = p.code
    commit = str(code.get("commit", "onbekend"))
    state = {
        True: "zonder wijzigingen",
        False: "met niet-vastgelegde wijzigingen",
        None: "status onbekend",
    }[code.get("clean")]
    seed = p.data.get("seed")
    rows = [[name, tag("code", digest)] for name, digest in sorted(p.inputs.items())]
    parameters = ", ".join(f"{k} = {v}" for k, v in sorted(p.parameters.items()))
    packages = ", ".join(f"{k} {v}" for k, v in p.environment.items())
    return Html(
        tag("h2", "Herkomst", id="herkomst")
        + tag(
            "p",
            "Met deze gegevens kan iedereen dit rapport opnieuw maken en controleren of het precies "
            "hetzelfde is (evallib verify). De vingerafdrukken (SHA-256) veranderen als er ook maar één "
            "teken in een bestand verandert.",
        )
        + table(
            ["Invoerbestand", "SHA-256"], rows, caption=f"Gegevens uit {p.data.get('raw_dir', '?')}"
        )
        + tag(
            "ul",
            [
                tag(
                    "li",
                    [
                        f"Programmabestand: {p.programme.get('file')} (SHA-256 ",
                        tag("code", p.programme.get("sha256", "")),
                        ")",
                    ],
                ),
                tag(
                    "li",
                    [
                        f"Code: evallib {p.environment.get('evallib', '?')}, git-commit ",
                        tag("code", commit),
                        f", {state}.",
                    ],
                ),
                tag("li", f"Parameters: {parameters}."),
                tag("li", f"Omgeving: {packages}."),
                tag(
                    "li",
                    f"Seed van de synthetische gegevens: {seed}."
                    if seed is not None
                    else "Seed: niet van toepassing (geen synthetische gegevens).",
                ),
            ],
            class_="provenance",
        )
    )


def write_manifest(reports: Path, records: Mapping[str, Mapping]) -> Path:
    """``reports/manifest.json``: one provenance record per report, keys sorted (deterministic)."""
    from .files import write_atomic

    path = reports / MANIFEST
    write_atomic(
        path,
        json.dumps({"version": 1, "reports": records}, indent=2, sort_keys=True, ensure_ascii=False)
        + "\n",
    )
    return path
