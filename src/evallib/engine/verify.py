"""``evallib verify``: rebuild every report from the raw files and compare, byte for byte.

Reads ``reports/manifest.json``, checks that every input file still has the
SHA-256 it had, reruns the whole pipeline into a temporary directory (nothing
is cached, nothing in the project is written) and compares each rebuilt report
with the one on disk. Any difference, missing report, changed input, or HTML file
that is not in the manifest is reported per report, with the first place where the
bytes differ.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from evallib.core.errors import EvallibError
from evallib.core.fingerprint import sha256_file
from evallib.engine.protocol import ExecutorKind
from evallib.engine.provenance import MANIFEST, input_set, read_manifest
from evallib.ingest.folders import raw_fingerprint


@dataclass(frozen=True)
class Check:
    """The verdict for one report."""

    report: str
    identical: bool
    reason: str = ""


def first_difference(a: bytes, b: bytes, context: int = 40) -> str:
    """Where two byte strings first differ, as line and column, with a little context.

    Examples
    --------
    >>> first_difference(b"abc\\ndef", b"abc\\ndXf")
    "regel 2, kolom 2: 'def' / 'dXf'"
    """
    limit = min(len(a), len(b))
    at = next((i for i in range(limit) if a[i] != b[i]), limit)
    if at == limit and len(a) == len(b):
        return "identiek"
    line = a.count(b"\n", 0, at) + 1
    column = at - (a.rfind(b"\n", 0, at) + 1) + 1
    start = max(a.rfind(b"\n", 0, at) + 1, at - context)

    def show(data: bytes) -> str:
        return repr(data[start : at + context].split(b"\n")[0].decode("utf-8", "replace"))

    return f"regel {line}, kolom {column}: {show(a)} / {show(b)}"


def verify(
    reports: Path,
    root: Path = Path("."),
    executor: ExecutorKind | str = ExecutorKind.LOCAL,
    workers: int | None = None,
    data: Path | None = None,
) -> list[Check]:
    """Rebuild from the manifest's raw data and programme; compare every report, both ways.

    Every report in the manifest must be on disk and identical to its rebuild, and every
    HTML file in the folder must be in the manifest (a page that no run made is a
    failure too). A manifest that is missing or not of the shape evallib writes raises
    :class:`~evallib.core.errors.EvallibError`.

    Parameters
    ----------
    reports
        The reports directory holding ``manifest.json``.
    root
        Project root the manifest's relative paths start from.
    data
        The raw data directory, if it is no longer where the manifest says.
    """
    manifest = read_manifest(reports)
    strangers = [
        Check(
            p.name, False, "staat niet in het manifest: geen evallib-run heeft dit bestand gemaakt"
        )
        for p in sorted(reports.glob("*.html"))
        if p.name not in manifest
    ]
    source = next((r for r in manifest.values() if "data" in r), None)
    if source is None:
        raise EvallibError("Manifest noemt geen invoergegevens", file=str(reports / MANIFEST))
    raw_dir = data or Path(source["data"].get("raw_path", source["data"].get("raw_dir", "")))
    programme = Path(source["programme"].get("path", source["programme"].get("file", "")))
    raw = raw_dir if raw_dir.is_absolute() else root / raw_dir
    if not raw.is_dir():
        missing = [Check(n, False, f"invoermap ontbreekt: {raw_dir}") for n in sorted(manifest)]
        return sorted(missing + strangers, key=lambda c: c.report)
    with tempfile.TemporaryDirectory(prefix="evallib-verify-") as tmp:
        from evallib.engine.run import RunConfig, run

        run(
            RunConfig(
                root=root.resolve(),
                raw_dir=raw_dir,
                programme_file=programme,
                processed_dir=Path(tmp) / "processed",
                reports_dir=Path(tmp) / "reports",
                force=True,
                executor=executor,
                workers=workers,
            )
        )
        current = raw_fingerprint(raw)
        checks = [
            _check(name, record, reports, Path(tmp) / "reports", current)
            for name, record in manifest.items()
        ]
    return sorted(checks + strangers, key=lambda c: c.report)


def _check(name: str, record: dict, reports: Path, rebuilt_in: Path, current: dict) -> Check:
    """One report: on disk, rebuilt the same, and made from the inputs the manifest names."""
    inputs, groups = record.get("inputs", {}), record.get("input_groups", {})
    schools = sorted({n.split("/", 1)[0][:4].upper() for n in inputs} | set(groups))
    own = [record["parameters"]["school"]] if "school" in record.get("parameters", {}) else []
    files, now = input_set(current, own, [b for b in schools if b not in own])
    changed = sorted(f for f, digest in inputs.items() if files.get(f) != digest)
    changed += sorted(f"{s}/" for s, group in groups.items() if now.get(s) != group)
    notes = [f"invoer gewijzigd of ontbrekend: {', '.join(changed)}"] if changed else []
    rebuilt, original = rebuilt_in / name, reports / name
    if not original.is_file():
        return Check(name, False, "; ".join(["rapport ontbreekt", *notes]))
    if not rebuilt.is_file():
        return Check(name, False, "; ".join(["niet opnieuw gemaakt", *notes]))
    if sha256_file(original) != record["sha256"]:
        where = first_difference(original.read_bytes(), rebuilt.read_bytes())
        return Check(name, False, "; ".join([f"rapport veranderd na de run; {where}", *notes]))
    if sha256_file(rebuilt) != record["sha256"]:
        where = first_difference(original.read_bytes(), rebuilt.read_bytes())
        return Check(name, False, "; ".join([f"eerste verschil {where}", *notes]))
    return Check(name, not changed, "; ".join(notes))
