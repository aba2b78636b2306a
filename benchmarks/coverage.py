"""Coverage of evallib's 95% intervals and the statuses built on them, by simulation.

Usage: ``python benchmarks/coverage.py [--reps 1000] [--seed 1] [--workers 2]
[--kind starters|persons|did] [--only TEXT] [--csv PATH] [--markdown PATH]``, or
``python benchmarks/coverage.py --from-csv A.csv B.csv [--markdown PATH]`` to join runs of
different kinds (settings are seeded each on their own, so a run in parts gives the same rows
as one run).

Runs :func:`evallib.stats.simulation.simulate_coverage` (starters with Kaplan–Meier, its
ratio and difference, Aalen–Johansen; teams; teacher-years with the rate ratio; survey
intervals; both difference-in-differences estimators with few schools), with and without
random school effects, and judges every replication's status against its own truth
(:mod:`evallib.evaluation.label_errors`). Prints one row per quantity and setting: reps,
estimable replications (the others are counted, never dropped), coverage with its
Monte-Carlo SE, the share of intervals wholly below / above the truth, and the shares of
wrong statuses, then the wall time.

Every checked interval is classed:

* *ok*: coverage 93–97%;
* *conservative (documented)*: 97–99% and listed in :data:`CONSERVATIVE` with its reason;
* *CONSERVATIVE, UNDOCUMENTED*, *TOO WIDE* (above 99%), *TOO NARROW* (below 93%), or
  *NOT ESTIMABLE* (no estimable replication).

The script exits with status 1 if any checked row is not *ok* or documented, or if any
status is wrong in more than :data:`~evallib.evaluation.label_errors.LIMIT` of the
replications. Naive-share rows (censoring ignored) are shown for their bias only.

With 1000 replications the Monte-Carlo SE of a coverage near 95% is about 0.7 points, so
the 93–97% band is about ±2.9 SE: a correct interval falls outside it by chance in about
0.4% of rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass

import pandas as pd
from rich.console import Console
from rich.table import Table

from evallib.evaluation.label_errors import LIMIT, label_errors
from evallib.stats.simulation import (
    DID_SETTINGS,
    SETTINGS,
    STARTER_SETTINGS,
    simulate_coverage,
    summarise,
)

LOW, HIGH, CEILING = 0.93, 0.97, 0.99
KEYS = ["quantity", "setting", "group", "k"]
KINDS = {
    "starters": STARTER_SETTINGS,
    "did": DID_SETTINGS,
    "persons": tuple(s for s in SETTINGS if s not in (*STARTER_SETTINGS, *DID_SETTINGS)),
}


@dataclass(frozen=True)
class Conservative:
    """Rows allowed to cover 97–99%: those of ``quantity`` whose setting starts with
    ``setting`` and whose horizon is in ``k`` (any when empty), with the reason."""

    quantity: str
    setting: str
    k: tuple[int, ...]
    reason: str

    def matches(self, row) -> bool:
        k_ok = not self.k or (not pd.isna(row.k) and int(row.k) in self.k)
        return row.quantity == self.quantity and row.setting.startswith(self.setting) and k_ok


#: Intervals that may be conservative, each with its reason (docs/methods.md repeats them).
CONSERVATIVE: tuple[Conservative, ...] = (
    Conservative(
        "rate ratio", "", (),
        "exact conditional (Clopper–Pearson) interval: at least 95% by construction, and "
        "conservative with few events (about 20 leavers at school size, 80 at region size)",
    ),
    Conservative(
        "aalen-johansen, leaving education", "", (),
        "few events: a third of leavers leave education, 3–10 per group and horizon; the "
        "complementary log-log interval cannot then miss on both sides at 2.5%",
    ),
    Conservative(
        "dropout ratio", "school", (1, 2),
        "few leavers within one or two years at school size (about 3 and 5 in the nulmeting); "
        "the score bound when the programme group has none is exact-like and conservative",
    ),
    Conservative(
        "dropout difference", "school", (1, 2),
        "few leavers at school size (about 3 and 4 per group within one and two years); a "
        "group without leavers (about one in ten programme groups at one year) brings its "
        "exact bound into the interval",
    ),
    Conservative(
        "km dropout", "school", (),
        "mid-p beta product interval with few leavers (about 3 within one year, 5 within "
        "three) and few still followed at k (about 20, 11 and 4 nulmeting starters at one, "
        "two and three years): it allows for an unseen leaver among those still at risk",
    ),
)  # fmt: skip


def verdict(row) -> str:
    """The class of one summary row (see the module docstring)."""
    if not row.checked:
        return "bias only"
    if pd.isna(row.coverage):
        return "NOT ESTIMABLE"
    if row.coverage < LOW:
        return "TOO NARROW"
    if row.coverage <= HIGH:
        return "ok"
    if row.coverage > CEILING:
        return "TOO WIDE"
    if any(c.matches(row) for c in CONSERVATIVE):
        return "conservative (documented)"
    return "CONSERVATIVE, UNDOCUMENTED"


def _pct(x: float, digits: int = 1) -> str:
    return "" if pd.isna(x) else f"{100 * x:.{digits}f}"


def combine(records: pd.DataFrame) -> pd.DataFrame:
    """The coverage summary with the wrong-status shares beside it and a verdict per row."""
    table = summarise(records)
    table["estimable"] = table["reps"] - table["not_estimable"]
    labels = label_errors(records)
    if not labels.empty:
        labels = labels[[*KEYS, "target", "gehaald_when_missed", "niet_gehaald_when_met",
                         "wrong", "wrong_se", "no_claim"]]  # fmt: skip
        table = table.merge(labels, on=KEYS, how="left")
    else:
        for column in ("target", "gehaald_when_missed", "niet_gehaald_when_met", "wrong"):
            table[column] = float("nan")
    table["verdict"] = [verdict(row) for row in table.itertuples()]
    table["status_ok"] = ~(table["wrong"] > LIMIT)
    return table


def render(table: pd.DataFrame, reps: int, seed: int) -> Table:
    """A rich table of the summary, failing rows in red."""
    out = Table(
        title=f"Coverage of nominal 95% intervals ({reps} replications, seed {seed})",
        caption="est.: replications with an interval (coverage over these); below/above: % of "
        "intervals wholly below / above the truth; wrong status: % 'gehaald' when the truth "
        "misses the target / % 'niet gehaald' when it meets it / % of all replications",
    )
    columns = ("quantity", "setting", "group", "k", "n", "true", "bias", "reps", "est.",
               "coverage %", "MC SE", "below/above %", "wrong status %", "check")  # fmt: skip
    for name in columns:
        left = name in ("quantity", "setting", "group", "check")
        out.add_column(name, justify="left" if left else "right", overflow="fold")
    for row in table.itertuples():
        bad = row.verdict not in ("ok", "bias only", "conservative (documented)")
        wrong = "" if pd.isna(row.wrong) else (
            f"{_pct(row.gehaald_when_missed)}/{_pct(row.niet_gehaald_when_met)}/{_pct(row.wrong)}"
        )  # fmt: skip
        out.add_row(
            row.quantity, row.setting, row.group,
            "" if pd.isna(row.k) else str(int(row.k)), str(row.n), f"{row.true:.3f}",
            "" if pd.isna(row.bias) else f"{row.bias:+.3f}", str(row.reps), str(row.estimable),
            _pct(row.coverage), _pct(row.coverage_se),
            f"{_pct(row.interval_below)}/{_pct(row.interval_above)}", wrong,
            row.verdict + ("" if row.status_ok else "; STATUS WRONG TOO OFTEN"),
            style="red" if bad or not row.status_ok else ("dim" if not row.checked else None),
        )  # fmt: skip
    return out


def markdown(table: pd.DataFrame) -> str:
    """The checked rows as a Markdown table, for docs/methods.md."""
    lines = [
        "| quantity | setting | group | k | reps | estimable | coverage | below / above | "
        "wrong status (gehaald / niet gehaald / all) | check |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table[table["checked"]].itertuples():
        k = "" if pd.isna(row.k) else str(int(row.k))
        wrong = "" if pd.isna(row.wrong) else (
            f"{_pct(row.gehaald_when_missed)} / {_pct(row.niet_gehaald_when_met)} / "
            f"{_pct(row.wrong)}"
        )  # fmt: skip
        lines.append(
            f"| {row.quantity} | {row.setting} | {row.group} | {k} | {row.reps} | "
            f"{row.estimable} | {_pct(row.coverage)} | {_pct(row.interval_below)} / "
            f"{_pct(row.interval_above)} | {wrong} | {row.verdict} |"
        )
    return "\n".join(lines)


def _summary_lines(table: pd.DataFrame, elapsed: float, workers: int) -> list[tuple[str, str]]:
    checked = table[table["checked"]]
    counts = checked["verdict"].value_counts()
    lines = [(
        f"Wall time: {elapsed:.1f} s with {workers} worker(s); {len(checked)} intervals "
        f"checked: " + ", ".join(f"{n} {v}" for v, n in counts.items()) + "; "
        f"{int((~table['status_ok']).sum())} with statuses wrong in more than {LIMIT:.0%}.",
        "",
    )]  # fmt: skip
    for row in checked.itertuples():
        if row.verdict != "ok":
            reason = next((c.reason for c in CONSERVATIVE if c.matches(row)), "")
            style = "yellow" if row.verdict == "conservative (documented)" else "red"
            k = "" if pd.isna(row.k) else f", k={int(row.k)}"
            lines.append((
                f"  {row.verdict}: {row.quantity} ({row.group}{k}) in '{row.setting}': "
                f"coverage {_pct(row.coverage)}% (SE {_pct(row.coverage_se)})"
                + (f" — {reason}" if reason else ""), style,
            ))  # fmt: skip
        if not row.status_ok:
            lines.append((f"  wrong statuses in {_pct(row.wrong)}%: {row.quantity} "
                          f"({row.group}) in '{row.setting}'", "red"))  # fmt: skip
    not_estimable = table[table["not_estimable"] > 0]
    for row in not_estimable.itertuples():
        lines.append((f"  not estimable in {row.not_estimable} of {row.reps}: {row.quantity} "
                      f"({row.group}) in '{row.setting}'", "dim"))  # fmt: skip
    return lines


def failed(table: pd.DataFrame) -> bool:
    """True when a checked row is outside the accepted range or statuses are wrong too often."""
    accepted = ("ok", "bias only", "conservative (documented)")
    return bool((~table["verdict"].isin(accepted)).any() or (~table["status_ok"]).any())


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000, help="replications per setting")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--kind", choices=sorted(KINDS), help="run only settings of this kind")
    parser.add_argument("--only", help="run only settings whose name contains this text")
    parser.add_argument("--csv", help="also write the summary table to this CSV file")
    parser.add_argument("--markdown", help="also write the checked rows as Markdown here")
    parser.add_argument("--from-csv", nargs="+", help="join earlier runs' CSV files instead")
    return parser.parse_args(argv)


def _joined(paths: list[str]) -> pd.DataFrame:
    table = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    table["k"] = table["k"].astype("Int64")
    table["verdict"] = [verdict(row) for row in table.itertuples()]  # today's documentation
    return table


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    settings = KINDS[args.kind] if args.kind else SETTINGS
    settings = tuple(s for s in settings if not args.only or args.only in s.name)
    started = time.perf_counter()
    if args.from_csv:
        table = _joined(args.from_csv)
    else:
        records = simulate_coverage(args.reps, args.seed, settings, workers=args.workers)
        table = combine(records)
    elapsed = time.perf_counter() - started

    console = Console(width=220)
    console.print(render(table, args.reps, args.seed))
    for text, style in _summary_lines(table, elapsed, args.workers):
        console.print(text, style=style or None, markup=False)
    if args.csv:
        table.to_csv(args.csv, index=False)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(markdown(table) + "\n")
    return 1 if failed(table) else 0


if __name__ == "__main__":
    sys.exit(main())
