"""Command line: ``evallib synth | validate | run``. Parses arguments and calls the library."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evallib.core.errors import EvallibError
from evallib.engine.protocol import ExecutorKind

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="evallib: reproducible evaluation of teacher-shortage programmes.",
)
# No emoji codes (':x:' in a cell stays ':x:'); text from data also goes through _plain.
console = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)


def _plain(text: object) -> str:
    """Text from data or errors as printed: control characters visible, no rich markup."""
    from evallib.core.text import visible

    return escape(visible(str(text)))


DEFAULT_PROGRAMME = Path("programmes/haaglanden-2013.yaml")
_state = {"debug": False}


def _fail(exc: BaseException, code: int = 2) -> None:
    if _state["debug"]:
        raise exc
    err.print(f"[bold red]Fout:[/] {_plain(exc)}")
    if not isinstance(exc, EvallibError):
        err.print("Draai opnieuw met --debug voor de volledige foutmelding.")
    raise typer.Exit(code)


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks.")) -> None:
    _state["debug"] = debug
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@app.command()
def synth(
    out: Path = typer.Option(..., "--out", help="Directory to write the synthetic raw data to."),
    seed: int = typer.Option(
        2013, "--seed", help="Random seed; the same seed gives the same bytes."
    ),
    locations: int | None = typer.Option(
        None, "--locations", help="Total number of school locations (default: the programme's)."
    ),
    programme: Path = typer.Option(DEFAULT_PROGRAMME, "--programme", help="Programme file."),
) -> None:
    """Generate synthetic example data (clearly marked as synthetic)."""
    from evallib.contract.programme import load_programme
    from evallib.synth.generator import generate

    try:
        generate(out, programme=load_programme(programme), seed=seed, locations=locations)
    except EvallibError as exc:
        _fail(exc)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in files)
    console.print(
        f"Synthetische gegevens geschreven naar [bold]{out}[/]: {len(files)} bestanden, {size / 1e6:.1f} MB (seed {seed})."
    )


@app.command()
def templates(
    out: Path = typer.Option(Path("templates"), "--out", help="Directory for the Excel templates."),
    programme: Path | None = typer.Option(
        DEFAULT_PROGRAMME, "--programme", help="Programme whose schools fill the drop-down lists."
    ),
) -> None:
    """Write the Excel intake templates for schools (one per file, with Dutch help and drop-downs)."""
    from evallib.contract.programme import load_programme
    from evallib.validation.intake import write_templates

    try:
        written = write_templates(out, load_programme(programme) if programme else None)
    except EvallibError as exc:
        _fail(exc)
    console.print(
        f"{len(written)} sjablonen geschreven naar [bold]{escape(str(out))}[/]: "
        + ", ".join(p.name for p in written)
    )


@app.command()
def validate(
    raw_dir: Path = typer.Argument(..., help="Directory with one folder per school."),
    programme: Path = typer.Option(DEFAULT_PROGRAMME, "--programme", help="Programme file."),
    out: Path | None = typer.Option(
        None, "--out", help="Write valid data as Parquet here (default: data/processed/<name>)."
    ),
) -> None:
    """Check school deliveries; list every problem with file, row and column. Exit 1 on errors."""
    from evallib.contract.programme import load_programme
    from evallib.validation.validate import check_output_dir, validate_directory, write_processed

    try:
        prog = load_programme(programme)
        target = check_output_dir(out or Path("data/processed") / raw_dir.resolve().name, raw_dir)
        result = validate_directory(raw_dir, prog)
        write_processed(result, target, prog)
    except EvallibError as exc:
        _fail(exc)
    _print_problems(result.problems)
    rows = sum(f.rows for f in result.files)
    console.print(
        f"{len(result.files)} bestanden, {rows} regels, {len(result.schools)} scholen: "
        f"{len(result.errors)} fouten, {len(result.warnings)} waarschuwingen."
    )
    if result.failed_schools:
        console.print(
            f"Scholen met fouten (niet verwerkt): {_plain(', '.join(sorted(result.failed_schools)))}"
        )
    console.print(f"Verwerkte gegevens: {target}")
    raise typer.Exit(1 if result.errors else 0)


@app.command()
def run(
    data: Path = typer.Option(
        Path("data/raw/example"), "--data", help="Raw data directory (one folder per school)."
    ),
    programme: Path = typer.Option(DEFAULT_PROGRAMME, "--programme", help="Programme file."),
    reports: Path = typer.Option(
        Path("reports"), "--reports", help="Where to write the HTML reports."
    ),
    processed: Path | None = typer.Option(
        None, "--processed", help="Where to write processed data (default: data/processed/<name>)."
    ),
    root: Path = typer.Option(
        Path("."), "--root", help="Project root that relative paths start from."
    ),
    lang: str = typer.Option(
        "nl", "--lang", help="Report language: nl (Dutch, the default) or en (English)."
    ),
    executor: ExecutorKind = typer.Option(
        ExecutorKind.LOCAL, "--executor", help="local (worker processes), sequential, or dask."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Parallel workers (default: one per core)."
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster).",
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild everything, ignoring the cache."),
    only_failed: bool = typer.Option(
        False, "--only-failed", help="Rebuild only the reports that failed last time."
    ),
    pdf: bool = typer.Option(
        False, "--pdf", help="Also print each report to PDF (needs Debian's chromium package)."
    ),
    compare_to: Path | None = typer.Option(
        None,
        "--compare-to",
        help="An earlier run's reports folder: show which statuses and numbers changed.",
    ),
) -> None:
    """Validate, build one report per school, the regional overview and the index."""
    from evallib.engine.config import RunConfig, check_language
    from evallib.engine.run import run as run_all

    try:
        check_language(lang)
    except EvallibError as exc:
        _fail(exc)
    config = RunConfig(
        root=root.resolve(),
        raw_dir=data,
        programme_file=programme,
        processed_dir=processed,
        reports_dir=reports,
        lang=lang,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        force=force,
        only_failed=only_failed,
        pdf=pdf,
        compare_to=compare_to,
    )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("Gegevens nagaan", total=None)

        def progress(event: str, detail: str) -> None:
            if event == "validate":
                bar.update(task, description="Gegevens controleren (validatie)")
            elif event == "start":
                bar.update(task, total=int(detail), completed=0, description="Rapporten maken")
            elif event == "done":
                bar.update(task, description=f"Klaar: {detail}")
                bar.advance(task)

        try:
            summary = run_all(config, progress)
        except EvallibError as exc:
            _fail(exc)
    _print_summary(summary)
    if summary.pdfs:
        console.print(
            f"PDF's: {len(summary.pdfs)} in [bold]{escape(str(summary.pdfs[0].parent))}[/]"
        )
    if summary.pdf_error:
        err.print(f"[bold red]PDF:[/] {escape(summary.pdf_error)}")
    raise typer.Exit(0 if summary.ok and not summary.pdf_error else 1)


@app.command()
def verify(
    reports: Path = typer.Option(
        Path("reports"), "--reports", help="Reports directory with manifest.json."
    ),
    root: Path = typer.Option(
        Path("."), "--root", help="Project root that the manifest's paths start from."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Parallel workers (default: one per core)."
    ),
    data: Path | None = typer.Option(
        None, "--data", help="Raw data directory, if it moved since the run."
    ),
) -> None:
    """Rebuild every report from its raw files and check it is byte-identical. Exit 1 on any difference."""
    from evallib.engine.verify import verify as verify_reports

    with console.status("Alle rapporten opnieuw maken uit de ruwe gegevens…"):
        try:
            checks = verify_reports(reports, root, workers=workers, data=data)
        except EvallibError as exc:
            _fail(exc, 1)  # no usable manifest: nothing can be shown to be identical
    for check in checks:
        verdict = "[green]identiek[/]" if check.identical else "[red]verschillend[/]"
        console.print(
            f"{verdict}  {_plain(check.report)}"
            + (f"  ({_plain(check.reason)})" if check.reason else "")
        )
    different = [c for c in checks if not c.identical]
    console.print(f"{len(checks) - len(different)} van {len(checks)} bestanden identiek.")
    raise typer.Exit(1 if different else 0)


#: Problems of one kind in one file listed one by one; the rest are counted ("en N meer").
LISTED = 20


def _print_problems(problems: list) -> None:
    """Every problem counted; per file and kind the first LISTED shown, then 'en N meer'."""
    from collections import Counter

    seen: Counter = Counter()
    for problem in problems:
        group = (problem.file, problem.code, problem.severity)
        seen[group] += 1
        if seen[group] > LISTED:
            continue
        colour = "red" if problem.severity == "error" else "yellow"
        label = "FOUT" if problem.severity == "error" else "waarschuwing"
        console.print(f"[{colour}]{label}[/] {_plain(problem)}")  # data may contain [markup]
    for (file, code, _), n in seen.items():
        if n > LISTED:
            console.print(f"… en {n - LISTED} meer van deze soort ({code}) in {_plain(file)}")


@app.command()
def portal(
    reports: Path = typer.Argument(
        Path("reports"),
        help="Folder with one report folder per programme (each made by evallib run).",
    ),
    lang: str = typer.Option("nl", "--lang", help="Language of the page: nl or en."),
) -> None:
    """Write the start page that links the reports of several programmes (REPORTS/index.html)."""
    from evallib.engine.portal import write_portal
    from evallib.engine.run import check_language

    try:
        path = write_portal(reports, check_language(lang))
    except EvallibError as exc:
        _fail(exc)
    console.print(f"Startpagina: [bold]{escape(str(path))}[/] (open in een browser).")


def _print_summary(summary) -> None:
    from collections import Counter

    from evallib.evaluation.status import Status
    from evallib.reporting.html import SYMBOLS

    table = Table(title="Samenvatting van de run")
    table.add_column("School", overflow="fold")
    table.add_column("Resultaat", overflow="fold")
    table.add_column("Doelen", no_wrap=True)
    table.add_column("Tijd (s)", justify="right")
    for o in summary.outcomes:
        counts = Counter(Status(r["status"]) for r in o.results)
        goals = " ".join(f"{SYMBOLS[s]} {counts[s]}" for s in Status if counts[s])
        result = (
            "[green]ok[/]" + (" (uit cache)" if o.cached else "")
            if o.ok
            else f"[red]mislukt[/]: {_plain(o.error)}"
        )
        table.add_row(
            _plain(f"{o.name} ({o.brin})" if o.brin != "regio" else o.name),
            result,
            goals,
            "–" if o.cached else f"{o.seconds:.1f}",
        )
    console.print(table)
    # The legend comes from the statuses themselves, so a new status cannot be left out.
    console.print("Doelen: " + "  ".join(f"{SYMBOLS[s]} {s.label()}" for s in Status))
    failed = [o for o in summary.outcomes if not o.ok]
    built = [o for o in summary.outcomes if not o.cached]
    slowest = sorted((o for o in built if o.ok), key=lambda o: -o.seconds)[:3]
    console.print(
        f"{len(summary.outcomes) - len(failed)} van {len(summary.outcomes)} rapporten in orde "
        f"({len(built)} gemaakt, {summary.cache_hits} ongewijzigd uit de cache, {len(failed)} mislukt) "
        f"in {summary.seconds:.1f} s; validatie: "
        + (
            f"{summary.validation_errors} fouten, {summary.validation_warnings} waarschuwingen."
            if summary.validated
            else "overgeslagen (ruwe gegevens ongewijzigd)."
        )
    )
    if summary.comparison_missing:
        err.print(
            "[bold red]Vergelijking onvolledig:[/] de gegevens van vergelijkingsschool "
            + ", ".join(summary.comparison_missing)
            + " zijn afgekeurd of ontbreken (zie de validatiefouten); het overzicht zegt dit ook."
        )
    if summary.counts:
        from evallib.validation.results import RowCounts

        console.print("Gegevens: " + RowCounts(**summary.counts).text() + ".")
    if slowest:
        console.print(
            "Traagst: " + _plain(", ".join(f"{o.name} {o.seconds:.1f} s" for o in slowest))
        )
    console.print(
        f"Rapporten: [bold]{summary.reports_dir / 'index.html'}[/] (open in een browser)."
    )


def entry() -> None:  # pragma: no cover - console script wrapper
    try:
        app()
    except EvallibError as exc:
        err.print(f"Fout: {_plain(exc)}")
        sys.exit(2)
