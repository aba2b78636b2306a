"""Operating characteristics of the decision rule: P(status) as a function of the true effect.

Usage: ``python benchmarks/operating_characteristics.py [--reps 1000] [--seed 1] [--workers 2]
[--plot docs/img/operating-characteristics.png] [--write-docs]``

For every kind of target that rests on an estimate (see ``evallib.evaluation.operating``),
at school size and region size, simulates data for a grid of true values and counts how
often evallib's estimator and rule give each status. Prints the table, the rows at the
target (where *gehaald* and *niet gehaald* must each stay at or below 5%; the script exits
with status 1 otherwise), and the simulated chance of *gehaald* beside the one a report of
that size states (``evaluation.chance``, simulated from its design). ``--plot`` draws the
curves; ``--write-docs`` puts the target rows into ``docs/methods.md`` between its markers.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from rich.console import Console
from rich.table import Table

from evallib.evaluation.operating import CASES, operating_characteristics

LIMIT = 0.05
STATUSES = ("gehaald", "niet_zeker", "niet_gehaald", "onvoldoende_gegevens")
DOCS = Path("docs/methods.md")
MARK = ("<!-- generated: operating characteristics -->", "<!-- end generated -->")


def _pct(x: float) -> str:
    return "" if pd.isna(x) else f"{100 * x:.1f}"


def at_target(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[(table["truth"] - table["target"]).abs() < 1e-12].copy()
    rows["ok"] = (rows["gehaald"] <= LIMIT) & (rows["niet_gehaald"] <= LIMIT)
    return rows


def render(table: pd.DataFrame, reps: int, seed: int) -> Table:
    out = Table(title=f"P(status) by true value ({reps} replications per row, seed {seed})")
    for name in ("case", "size", "truth", *STATUSES, "stated gehaald"):
        out.add_column(name, justify="left" if name in ("case", "size") else "right")
    for r in table.itertuples():
        at = abs(r.truth - r.target) < 1e-12
        style = "bold" if at else None
        out.add_row(
            r.case,
            r.size,
            f"{r.truth:g}",
            *(_pct(getattr(r, s)) for s in STATUSES),
            _pct(r.predicted),
            style=style,
        )
    return out


def plot(table: pd.DataFrame, path: Path) -> None:
    cases = list(dict.fromkeys(table["case"]))
    fig, axes = plt.subplots(len(cases), 2, figsize=(10, 2.6 * len(cases)), sharey=True)
    colours = {
        "gehaald": "#009E73",
        "niet_zeker": "#6a3d9a",
        "niet_gehaald": "#D55E00",
        "onvoldoende_gegevens": "#999999",
    }
    for i, case in enumerate(cases):
        for j, size in enumerate(("school", "region")):
            ax = axes[i][j]
            rows = table[(table["case"] == case) & (table["size"] == size)]
            for status in STATUSES:
                ax.plot(
                    rows["truth"],
                    rows[status],
                    marker="o",
                    ms=3,
                    label=status.replace("_", " "),
                    color=colours[status],
                )
            ax.axvline(rows["target"].iloc[0], color="black", ls="--", lw=0.8)
            ax.axhline(LIMIT, color="grey", ls=":", lw=0.8)
            ax.set_title(f"{case} — {size}", fontsize=8, loc="left")
            ax.set_ylim(-0.02, 1.02)
            ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=7, loc="center left")
    fig.supxlabel("true value (dashed: the target)", fontsize=9)
    fig.supylabel("share of replications", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})


def docs_table(table: pd.DataFrame, reps: int, seed: int) -> str:
    rows = at_target(table)
    lines = [
        f"*{reps} replications per row, seed {seed}; the truth exactly at the target.*",
        "",
        "| target | size | gehaald | niet zeker | niet gehaald | onvoldoende gegevens | stated chance of gehaald |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows.itertuples():
        lines.append(
            f"| {r.case} | {r.size} | {_pct(r.gehaald)}% | {_pct(r.niet_zeker)}% | "
            f"{_pct(r.niet_gehaald)}% | {_pct(r.onvoldoende_gegevens)}% | {_pct(r.predicted)}% |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    table = operating_characteristics(args.reps, args.seed, args.workers)
    seconds = time.perf_counter() - started
    console = Console(width=200)
    console.print(render(table, args.reps, args.seed))
    rows = at_target(table)
    for r in rows.itertuples():
        verdict = "ok" if r.ok else "TOO OFTEN"
        console.print(
            f"{verdict:9} {r.case} ({r.size}): gehaald {_pct(r.gehaald)}%, niet gehaald "
            f"{_pct(r.niet_gehaald)}% at the target (limit {100 * LIMIT:.0f}% each)"
        )
    console.print(f"{len(CASES)} cases, {len(table)} rows, {seconds:.1f} s")
    if args.plot:
        plot(table, args.plot)
    if args.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        block = f"{MARK[0]}\n{docs_table(table, args.reps, args.seed)}\n{MARK[1]}"
        pattern = re.compile(re.escape(MARK[0]) + r".*?" + re.escape(MARK[1]), re.S)
        DOCS.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
    return 0 if rows["ok"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
