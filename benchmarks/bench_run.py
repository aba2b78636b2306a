"""Benchmark: the plain papermill + nbconvert loop against ``evallib run``, cold and warm.

Usage::

    python benchmarks/bench_run.py                    # N = 10 and 50 schools, then N = 1,500 locations
    python benchmarks/bench_run.py --sizes 10 --no-national

For each size N (synthetic schools, made with ``evallib synth``), in one run:

(a) the plain loop: ``evallib validate``, then per school ``papermill`` (CLI) and
    ``jupyter nbconvert --to html --no-input`` (CLI), one after the other;
(b) ``evallib run`` cold (empty reports and processed directories);
(c) ``evallib run`` again with nothing changed;
(d) ``evallib run --executor sequential`` (evallib's own sequential mode), whose
    report bytes must equal (b)'s.

Then ``evallib run`` alone on a national-scale set (1,500 locations). Prints a
table of seconds, seconds per school, ratios to the plain loop and the peak
resident memory of the whole process tree (kernels and workers included), and
the largest report. Exits 1 if (b) and (d) differ.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tree_rss(root_pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(p, 0) for p in tree)


def measure(command: list[str], **kwargs) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; return wall seconds and the peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, **kwargs
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        print(
            f"command failed ({process.returncode}): {' '.join(command)}\n{out[-2000:]}\n{err[-2000:]}",
            file=sys.stderr,
        )
    return elapsed, peak, subprocess.CompletedProcess(command, process.returncode, out, err)


def locations_for(schools: int) -> int:
    """The number of locations for which the synthetic set has ``schools`` schools."""
    from evallib.contract.programme import load_programme
    from evallib.synth.generator import extend_programme

    base = load_programme(ROOT / "programmes" / "haaglanden-2013.yaml")
    have = sum(len(s.locations) for s in base.schools)
    if schools <= len(base.schools):
        return have
    for locations in range(have, 5000):
        if len(extend_programme(base, locations).schools) >= schools:
            return locations
    raise ValueError(schools)


def synth(out: Path, locations: int) -> tuple[Path, Path, int]:
    subprocess.run(
        [BIN / "evallib", "synth", "--out", str(out), "--seed", "7", "--locations", str(locations)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    programme = out / "programma.yaml"
    if not programme.exists():
        programme = ROOT / "programmes" / "haaglanden-2013.yaml"
    from evallib.contract.programme import load_programme

    return out, programme, len(load_programme(programme).participating)


def plain_loop(raw: Path, programme: Path, work: Path) -> float:
    """validate once, then papermill + nbconvert per school and for the overview, sequentially."""
    from evallib.contract.programme import load_programme

    processed = work / "processed"
    started = time.perf_counter()
    subprocess.run(
        [
            BIN / "evallib",
            "validate",
            str(raw),
            "--programme",
            str(programme),
            "--out",
            str(processed),
        ],
        cwd=ROOT,
        capture_output=True,
    )
    jobs = [("school.ipynb", {"school": s.brin}) for s in load_programme(programme).participating]
    jobs.append(("regio.ipynb", {}))
    for number, (notebook, params) in enumerate(jobs):
        executed = work / f"{number}.ipynb"
        args = [
            str(BIN / "papermill"),
            str(ROOT / "notebooks" / notebook),
            str(executed),
            "--no-progress-bar",
            "-k",
            "python3",
            "--cwd",
            str(ROOT / "notebooks"),
            "-p",
            "programme_file",
            str(programme),
            "-p",
            "data_dir",
            str(processed),
        ]
        for key, value in params.items():
            args += ["-p", key, value]
        subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    return time.perf_counter() - started


def evallib_run(
    raw: Path, programme: Path, work: Path, *extra: str
) -> tuple[float, int, subprocess.CompletedProcess]:
    return measure(
        [
            str(BIN / "evallib"),
            "run",
            "--data",
            str(raw),
            "--programme",
            str(programme),
            "--reports",
            str(work / "reports"),
            "--processed",
            str(work / "processed"),
            *extra,
        ],
        env={**os.environ, "COLUMNS": "120"},
    )


def _bytes(reports: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(reports.glob("*.html"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 50], help="numbers of schools")
    parser.add_argument("--national", type=int, default=1500, help="locations for the national run")
    parser.add_argument("--no-national", action="store_true")
    parser.add_argument("--no-plain", action="store_true", help="skip the (slow) plain loop")
    args = parser.parse_args(argv)

    rows, ok = [], True
    with tempfile.TemporaryDirectory(prefix="evallib-bench-") as tmp:
        tmp = Path(tmp)
        for size in args.sizes:
            raw, programme, schools = synth(tmp / f"raw{size}", locations_for(size))
            plain = None if args.no_plain else plain_loop(raw, programme, tmp / f"plain{size}")
            cold, cold_peak, _ = evallib_run(raw, programme, tmp / f"cold{size}")
            warm, warm_peak, _ = evallib_run(raw, programme, tmp / f"cold{size}")
            seq, seq_peak, _ = evallib_run(
                raw, programme, tmp / f"seq{size}", "--executor", "sequential"
            )
            same = _bytes(tmp / f"cold{size}" / "reports") == _bytes(tmp / f"seq{size}" / "reports")
            ok &= same
            reports = schools + 1
            if plain is not None:
                rows.append(
                    (size, "(a) plain loop: papermill + nbconvert CLI", plain, reports, 1.0, None)
                )
            rows.append(
                (
                    size,
                    "(b) evallib run, cold",
                    cold,
                    reports,
                    plain / cold if plain else None,
                    cold_peak,
                )
            )
            rows.append(
                (
                    size,
                    "(c) evallib run, unchanged",
                    warm,
                    reports,
                    plain / warm if plain else None,
                    warm_peak,
                )
            )
            rows.append(
                (
                    size,
                    f"(d) evallib run --executor sequential (same bytes as b: {same})",
                    seq,
                    reports,
                    plain / seq if plain else None,
                    seq_peak,
                )
            )
        if not args.no_national:
            raw, programme, schools = synth(tmp / "national", args.national)
            seconds, peak, done = evallib_run(raw, programme, tmp / "nat")
            largest = max(
                (p.stat().st_size for p in (tmp / "nat" / "reports").glob("*.html")), default=0
            )
            rows.append(
                (
                    args.national,
                    f"evallib run, cold ({schools} schools; largest report {largest / 1e6:.2f} MB)",
                    seconds,
                    schools + 1,
                    None,
                    peak,
                )
            )
            ok &= done.returncode == 0

    print(f"\n{'N':>5}  {'what':<70} {'seconds':>8} {'s/report':>9} {'× faster':>9} {'peak MB':>8}")
    for size, what, seconds, reports, ratio, peak in rows:
        print(
            f"{size:>5}  {what:<70} {seconds:>8.1f} {seconds / reports:>9.2f} "
            f"{'' if ratio is None else f'{ratio:.1f}':>9} {'' if peak is None else f'{peak / 2**20:.0f}':>8}"
        )
    print(f"\n{os.cpu_count()} cores; reports per run = schools + regional overview.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
