"""Bounded reading (issue 14, class 5): how fast a file over the limits is refused, and how
much memory validating a large CSV takes.

Prints one table, measured in this run:

- reading a ~2 MB workbook that declares 10⁹ cells (``read_raw``, in process): refused from
  the sheet's declared dimension, before any cell is parsed;
- ``evallib validate`` on a folder with only that workbook (a fresh process, so it includes
  starting Python and importing the stack);
- ``evallib validate`` on one school whose ``personeel.csv`` has N rows (default 1,000,000),
  with the peak resident memory of that process (``ru_maxrss`` of the child).

Usage::

    python benchmarks/bounded_reading.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from faults.test_bounded_reading import billion_cells  # noqa: E402

from evallib.core.errors import EvallibError  # noqa: E402
from evallib.ingest.read import read_raw  # noqa: E402

EXAMPLE_SCHOOL = ROOT / "data" / "raw" / "example" / "14WE"


def large_csv(folder: Path, rows: int) -> Path:
    """A school folder whose personeel.csv repeats the example's rows with fresh ids."""
    school = folder / "14WE"
    school.mkdir(parents=True)
    lines = (EXAMPLE_SCHOOL / "personeel.csv").read_text(encoding="utf-8-sig").splitlines()
    mark, header, body = lines[0], lines[1], lines[2:]
    with open(school / "personeel.csv", "w", encoding="utf-8") as out:
        out.write(f"{mark}\n{header}\n")
        for i in range(rows):
            rest = body[i % len(body)].split(",", 1)[1]
            out.write(f"X{i:07d},{rest}\n")
    return school / "personeel.csv"


def validate(folder: Path, out: Path) -> tuple[float, int, float]:
    """Wall seconds, exit code and peak resident MiB of ``evallib validate folder``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evallib", "validate", str(folder), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far (KiB on Linux): measure the big run last.
    return seconds, done.returncode, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "xlsx" / "14WE").mkdir(parents=True)
        book = billion_cells(tmp / "xlsx" / "14WE" / "personeel.xlsx")
        started = time.perf_counter()
        try:
            read_raw(book, "personeel", "14WE/personeel.xlsx")
            refused = "no"
        except EvallibError:
            refused = "yes"
        rows.append(
            (
                "read_raw, 10⁹-cell workbook",
                book.stat().st_size,
                time.perf_counter() - started,
                refused,
                "",
            )
        )
        seconds, code, _ = validate(tmp / "xlsx", tmp / "p1")
        rows.append(
            ("evallib validate, same workbook", book.stat().st_size, seconds, f"exit {code}", "")
        )
        csv = large_csv(tmp / "csv", args.rows)
        seconds, code, peak = validate(tmp / "csv", tmp / "p2")
        rows.append(
            (
                f"evallib validate, {args.rows:,}-row CSV",
                csv.stat().st_size,
                seconds,
                f"exit {code}",
                f"{peak:.0f}",
            )
        )
    print(f"{'case':<40} {'file MB':>8} {'seconds':>8} {'result':>8} {'peak MiB':>9}")
    for name, size, seconds, result, peak in rows:
        print(f"{name:<40} {size / 1e6:>8.1f} {seconds:>8.2f} {result:>8} {peak:>9}")
    print(f"refusal vs validate process start: {rows[0][2] / rows[1][2]:.2f}")


if __name__ == "__main__":
    main()
