"""The whole run: validate, execute the school notebook per school, render, index.

:func:`run` is what ``evallib run`` calls. A school that fails (bad data or a
notebook error) gets a Dutch failure page; the other schools go on, and the run
summary tells which failed so the CLI can exit non-zero.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill

from .dataset import load_dataset
from .errors import Problem
from .index import failure_page, index_page
from .kernels import IPCKernelManager
from .programme import load_programme
from .render import notebook_html, slug, write_atomic
from .targets import TargetResult, evaluate_school
from .validate import validate_directory, write_processed

Progress = Callable[[str, str], None]  # (event, detail)


@dataclass(frozen=True)
class RunConfig:
    """Where everything is; all paths are resolved against ``root``."""

    root: Path = Path(".")
    raw_dir: Path = Path("data/raw/example")
    programme_file: Path = Path("programmes/haaglanden-2013.yaml")
    processed_dir: Path | None = None  # default: data/processed/<name of raw_dir>
    reports_dir: Path = Path("reports")
    notebooks_dir: Path = Path("notebooks")
    lang: str = "nl"
    kernel_name: str = "python3"
    timeout: int = 600

    def path(self, p: Path) -> Path:
        return p if p.is_absolute() else (self.root / p).resolve()

    @property
    def processed(self) -> Path:
        return self.path(
            self.processed_dir or Path("data/processed") / self.path(self.raw_dir).name
        )


@dataclass
class SchoolOutcome:
    """How one school's report went."""

    brin: str
    name: str
    ok: bool
    seconds: float
    report: str
    error: str = ""
    results: list[TargetResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RunSummary:
    outcomes: list[SchoolOutcome]
    reports_dir: Path
    seconds: float
    validation_errors: int
    validation_warnings: int

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)


def report_name(brin: str, name: str) -> str:
    """File name of a school's report, e.g. ``01GX-christelijk-lyceum-delft.html``."""
    return f"{brin}-{slug(name)}.html"


def execute_notebook(
    notebook: Path, parameters: dict, cwd: Path, config: RunConfig, save_to: Path
) -> nbformat.NotebookNode:
    """Run a notebook with papermill; the executed notebook is kept in ``save_to`` for inspection."""
    save_to.parent.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        str(notebook),
        str(save_to),
        parameters=parameters,
        kernel_name=config.kernel_name,
        progress_bar=False,
        cwd=str(cwd),
        execution_timeout=config.timeout,
        report_mode=True,
        kernel_manager_class=IPCKernelManager,
    )


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, papermill.PapermillExecutionError):
        return f"{exc.ename}: {exc.evalue} (cel {exc.exec_count})"
    return f"{type(exc).__name__}: {exc}"


def run(config: RunConfig, progress: Progress | None = None) -> RunSummary:
    """Validate the raw data and build every report.

    Parameters
    ----------
    config
        Paths and options.
    progress
        Called with ``("start", n)``, ``("school", name)``, ``("done", name)``
        so a caller can show a progress bar.

    Returns
    -------
    RunSummary
        One outcome per participating school, plus the regional overview.
    """
    tell = progress or (lambda event, detail: None)
    started = time.perf_counter()
    programme_file = config.path(config.programme_file)
    programme = load_programme(programme_file)
    reports = config.path(config.reports_dir)
    notebooks = config.path(config.notebooks_dir)
    processed = config.processed

    tell("validate", str(config.path(config.raw_dir)))
    validation = validate_directory(config.path(config.raw_dir), programme)
    write_processed(validation, processed, programme)
    data = load_dataset(processed)
    failed = validation.failed_schools
    schools = programme.participating
    tell("start", str(len(schools) + 1))

    outcomes = []
    for school in schools:
        tell("school", school.name)
        t0 = time.perf_counter()
        name = report_name(school.brin, school.name)
        if school.brin not in validation.schools or school.brin in failed:
            problems = failed.get(school.brin, [])
            reason = (
                "geen aanlevering gevonden"
                if school.brin not in validation.schools
                else f"{len(problems)} fout(en) in de aanlevering"
            )
            write_atomic(
                reports / name, failure_page(school, problems, reason, data.synthetic, config.lang)
            )
            outcomes.append(
                SchoolOutcome(
                    school.brin,
                    school.name,
                    False,
                    time.perf_counter() - t0,
                    name,
                    reason,
                    problems=problems,
                )
            )
            tell("done", school.name)
            continue
        try:
            nb = execute_notebook(
                notebooks / "school.ipynb",
                {
                    "school": school.brin,
                    "programme_file": str(programme_file),
                    "data_dir": str(processed),
                    "lang": config.lang,
                },
                notebooks,
                config,
                processed / "notebooks" / f"{school.brin}.ipynb",
            )
            html = notebook_html(
                nb,
                f"{school.name} – evaluatie {programme.name}",
                synthetic=data.synthetic,
                lang=config.lang,
            )
            write_atomic(reports / name, html)
            results = evaluate_school(programme, data, school.brin)
            outcomes.append(
                SchoolOutcome(
                    school.brin, school.name, True, time.perf_counter() - t0, name, results=results
                )
            )
        except Exception as exc:  # one school's failure must not stop the others
            error = _error_text(exc)
            write_atomic(
                reports / name,
                failure_page(
                    school,
                    [],
                    error,
                    data.synthetic,
                    config.lang,
                    detail=traceback.format_exception_only(exc)[-1],
                ),
            )
            outcomes.append(
                SchoolOutcome(
                    school.brin, school.name, False, time.perf_counter() - t0, name, error
                )
            )
        tell("done", school.name)

    tell("school", "Regio-overzicht")
    t0 = time.perf_counter()
    try:
        nb = execute_notebook(
            notebooks / "regio.ipynb",
            {
                "programme_file": str(programme_file),
                "data_dir": str(processed),
                "lang": config.lang,
            },
            notebooks,
            config,
            processed / "notebooks" / "regio.ipynb",
        )
        write_atomic(
            reports / "regio.html",
            notebook_html(
                nb,
                f"Regio-overzicht – {programme.name}",
                synthetic=data.synthetic,
                lang=config.lang,
            ),
        )
        regio = SchoolOutcome(
            "regio", "Regio-overzicht", True, time.perf_counter() - t0, "regio.html"
        )
    except Exception as exc:
        regio = SchoolOutcome(
            "regio",
            "Regio-overzicht",
            False,
            time.perf_counter() - t0,
            "regio.html",
            _error_text(exc),
        )
    tell("done", "Regio-overzicht")

    write_atomic(
        reports / "index.html", index_page(programme, outcomes, regio, data.synthetic, config.lang)
    )
    return RunSummary(
        [*outcomes, regio],
        reports,
        time.perf_counter() - started,
        len(validation.errors),
        len(validation.warnings),
    )
