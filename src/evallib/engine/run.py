"""The whole run: validate, build every report (cached, in parallel), write index, ledger, manifest.

:func:`run` is what ``evallib run`` calls:

1. Validate the raw data into ``data/processed/<name>/`` — skipped when the raw
   files, the programme and the code are unchanged since the last validation.
2. Plan one task per participating school plus the regional overview, each with
   a fingerprint of everything it depends on; a task whose fingerprint and
   report file match the ledger is a cache hit and is not rebuilt.
3. Build the other tasks on warm kernels (:mod:`evallib.engine.executors`).
4. Write reports atomically, a failure page for each school that failed,
   then the index, ``ledger.json`` and ``manifest.json``; every page a reader sees is
   in the run's language (``RunConfig.lang``, Dutch by default).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from evallib.contract.programme import Programme, School, load_programme
from evallib.core.errors import EvallibError, InputError, Problem
from evallib.core.files import remove_stale_temporaries, slug, write_atomic
from evallib.core.fingerprint import (
    code_fingerprint,
    combine,
    directory_fingerprint,
    environment,
    json_fingerprint,
    sha256_bytes,
    sha256_file,
    tables_fingerprint,
)
from evallib.core.text import LANGUAGES, t
from evallib.engine.ledger import Entry, Ledger
from evallib.engine.protocol import Built, Task
from evallib.engine.provenance import (
    Provenance,
    code_version,
    herkomst,
    input_set,
    seed_of,
    write_manifest,
)
from evallib.evaluation.dataset import Dataset, forget_loaded, load_dataset
from evallib.reporting.index import failure_page, index_page

Progress = Callable[[str, str], None]  # (event, detail)
REGIO = "regio"
#: Raw data up to this size is validated while the workers warm up; above it the two would
#: together need more memory than either alone (validation holds every raw cell at once).
WARM_DURING_VALIDATION = 20 * 2**20
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in IPython tracebacks


@dataclass(frozen=True)
class RunConfig:
    """Where everything is and how to run; relative paths start at ``root``."""

    root: Path = Path(".")
    raw_dir: Path = Path("data/raw/example")
    programme_file: Path = Path("programmes/haaglanden-2013.yaml")
    processed_dir: Path | None = None  # default: data/processed/<name of raw_dir>
    reports_dir: Path = Path("reports")
    notebooks_dir: Path = Path("notebooks")
    lang: str = "nl"
    kernel_name: str = "python3"
    timeout: int = 600
    executor: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    force: bool = False
    only_failed: bool = False
    pdf: bool = False
    compare_to: Path | None = None  # an earlier run's reports folder: show what changed

    def path(self, p: Path) -> Path:
        return p if p.is_absolute() else (self.root / p).resolve()

    @property
    def processed(self) -> Path:
        return self.path(
            self.processed_dir or Path("data/processed") / self.path(self.raw_dir).name
        )

    def shown(self, p: Path) -> str:
        """A path as shown in reports: relative to the root when inside it (no machine-specific parts)."""
        p = self.path(p)
        try:
            return p.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.name


@dataclass
class SchoolOutcome:
    """How one report went in this run."""

    brin: str
    name: str
    ok: bool
    seconds: float
    report: str
    error: str = ""
    cached: bool = False
    results: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RunSummary:
    outcomes: list[SchoolOutcome]
    reports_dir: Path
    seconds: float
    validation_errors: int
    validation_warnings: int
    validated: bool = True
    counts: dict = field(default_factory=dict)  # rows read, skipped, with errors, processed
    pdfs: list[Path] = field(default_factory=list)
    pdf_error: str = ""

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    @property
    def cache_hits(self) -> int:
        return sum(o.cached for o in self.outcomes)


def report_name(brin: str, name: str) -> str:
    """File name of a school's report, e.g. ``01GX-christelijk-lyceum-delft.html``."""
    return f"{brin}-{slug(name)}.html"


def prepare_data(
    config: RunConfig,
    programme: Programme,
    tell: Progress,
    before: Callable[[], object] = lambda: None,
) -> tuple[dict, bool]:
    """Validate raw data into the processed directory unless nothing changed; return its meta.

    ``before`` is called just before validating (the run starts its workers then, so their
    kernels warm up while validation runs).
    """
    raw, processed = config.path(config.raw_dir), config.processed
    raw_files = directory_fingerprint(raw)
    key = combine(
        [
            json_fingerprint(raw_files),
            sha256_file(config.path(config.programme_file)),
            code_fingerprint(),
        ]
    )
    meta_path = processed / "meta.json"
    if not config.force and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("input_key") == key:
            return meta, False
    tell("validate", str(raw))
    small = sum((raw / name).stat().st_size for name in raw_files) < WARM_DURING_VALIDATION
    if small:
        before()  # small input: warm the workers while validating; large: one after the other (memory)
    if not raw.is_dir():
        raise InputError(
            "Map met ruwe gegevens niet gevonden",
            file=str(raw),
            hint="Geef de map met één submap per school, bijv. data/raw/example",
        )
    # Validation holds every raw cell in memory at once; a separate process gives all of it
    # back before the report kernels start (and keeps great_expectations out of this one).
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        pool.submit(
            _validate_job, str(raw), str(config.path(config.programme_file)), str(processed)
        ).result()
    finally:
        # The process takes a second to wind down; only a large input's memory is worth waiting for.
        pool.shutdown(wait=not small)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(input_key=key, raw_files=raw_files)
    write_atomic(meta_path, json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return meta, True


def _validate_job(raw: str, programme_file: str, processed: str) -> None:
    from evallib.validation.validate import validate_directory, write_processed

    programme = load_programme(programme_file)
    write_processed(validate_directory(raw, programme), processed, programme)


def _failed_schools(meta: dict) -> dict[str, list[Problem]]:
    failed: dict[str, list[Problem]] = {}
    for problem in meta.get("problems", []):
        if problem["severity"] == "error":
            failed.setdefault(problem.get("school") or "?", []).append(Problem(**problem))
    return failed


class _Planner:
    """Tasks, their fingerprints and provenance, from the programme and the processed data."""

    def __init__(self, config: RunConfig, programme: Programme, data: Dataset, meta: dict) -> None:
        self.config, self.programme, self.data, self.meta = config, programme, data, meta
        self.programme_file = config.path(config.programme_file)
        self.programme_info = {
            "file": config.shown(config.programme_file),
            "path": config.shown(config.programme_file)
            if self.programme_file.is_relative_to(config.root.resolve())
            else str(self.programme_file),
            "sha256": sha256_file(self.programme_file),
        }
        self.code = code_version(str(Path(__file__).resolve().parent))
        raw = config.path(config.raw_dir)
        self.data_info = {
            "raw_dir": config.shown(config.raw_dir),
            # where to find it again (for evallib verify): relative to the root when inside it
            "raw_path": config.shown(config.raw_dir)
            if raw.is_relative_to(config.root.resolve())
            else str(raw),
            "synthetic": data.synthetic,
            "seed": seed_of(raw),
        }
        self.raw_files = meta.get("raw_files", {})
        self.comparison = {s.brin: tuple(s.locations) for s in programme.comparison}
        self.previous, self.previous_file = {}, None
        if config.compare_to:
            from evallib.reporting.changes import load_previous

            # A copy, so a run that compares with its own reports folder reads the old ledger.
            source = config.path(config.compare_to)
            self.previous = load_previous(source)
            self.previous_file = config.processed / "previous" / source.name / "ledger.json"
            write_atomic(
                self.previous_file,
                json.dumps(
                    {"reports": {k: {"results": v} for k, v in self.previous.items()}},
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            )
        lock = config.path(Path("requirements/constraints.txt"))  # the locked dependencies, if here
        self.common = combine(
            [
                code_fingerprint(),
                json_fingerprint(environment()),
                sha256_file(lock) if lock.exists() else "no lock file",
                self.programme_info["sha256"],
                json_fingerprint(self.code),
            ]
        )

    def task(self, school: School | None) -> tuple[Task, str, Provenance]:
        c, p = self.config, self.programme
        notebooks = c.path(c.notebooks_dir)
        if school is None:
            key, name, notebook = REGIO, "regio.html", notebooks / "regio.ipynb"
            parameters = {
                "programme_file": str(self.programme_file),
                "data_dir": str(c.processed),
                "lang": c.lang,
            }
            schools, own = [s.brin for s in p.schools], []
            title = t("index.region_report_title", c.lang, programme=p.name)
            scope = self.data
        else:
            key, name, notebook = (
                school.brin,
                report_name(school.brin, school.name),
                notebooks / "school.ipynb",
            )
            parameters = {
                "school": school.brin,
                "programme_file": str(self.programme_file),
                "data_dir": str(c.processed),
                "lang": c.lang,
            }
            if self.previous_file is not None:
                parameters["previous"] = str(self.previous_file.parent)
            schools, own = [school.brin, *self.comparison], [school.brin]
            title = t(
                "index.school_report_title",
                c.lang,
                school=school.name,
                programme=p.name,
            )
            scope = self.data.at({school.brin: tuple(school.locations), **self.comparison})
        # Paths are not shown: the programme and the raw data are listed with their hashes, and
        # where the processed data or reports live must not change a report's bytes.
        shown = {
            k: v
            for k, v in parameters.items()
            if k not in ("programme_file", "data_dir", "previous")
        }
        if "previous" in parameters:
            shown["vergeleken_met"] = Path(parameters["previous"]).name
        provenance = Provenance(
            name,
            shown,
            input_set(self.raw_files, own, [b for b in schools if b not in own]),
            self.programme_info,
            self.code,
            data=self.data_info,
        )
        appendix = herkomst(provenance, lang=c.lang)
        task = Task(
            key,
            notebook,
            parameters,
            title,
            self.data.synthetic,
            c.lang,
            c.kernel_name,
            c.timeout,
            appendix,
        )
        school_meta = [f for f in self.meta.get("files", []) if f.get("school") in schools]
        fingerprint = combine(
            [
                self.common,
                sha256_file(notebook),
                json_fingerprint(shown),
                sha256_bytes(appendix.encode()),
                tables_fingerprint(_tables(scope)),
                json_fingerprint(school_meta),
                title,
                json_fingerprint(
                    self.previous.get(key, [])
                ),  # what the changes section compares with
            ]
        )
        return task, fingerprint, provenance


def _tables(data: Dataset) -> dict:
    return {
        "staff": data.staff,
        "participation": data.participation,
        "hours": data.hours,
        "survey": data.survey,
    }


def run(config: RunConfig, progress: Progress | None = None) -> RunSummary:
    """Validate the raw data and build every report that is not up to date.

    Parameters
    ----------
    config
        Paths and options.
    progress
        Called with ``("validate", dir)``, ``("start", n)``, ``("school", name)``
        and ``("done", name)`` so a caller can show a progress bar.
    """
    tell = progress or (lambda event, detail: None)
    check_language(config.lang)
    started = time.perf_counter()
    programme = load_programme(config.path(config.programme_file))
    reports = config.path(config.reports_dir)
    reports.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(reports)  # from a run that was killed mid-write
    executor = _LazyExecutor(config)
    try:
        meta, validated = prepare_data(config, programme, tell, before=executor.start)
        data = load_dataset(config.processed)
        failed = _failed_schools(meta)
        delivered = set(meta.get("schools", [])) | set(failed)
        ledger = Ledger.load(reports)
        planner = _Planner(config, programme, data, meta)

        outcomes: dict[str, SchoolOutcome] = {}
        planned: dict[str, tuple[Task, str, Provenance, str]] = {}
        records: dict[str, dict] = {}  # manifest: report file -> provenance
        for school in [*programme.participating, None]:
            key = school.brin if school else REGIO
            name = school.name if school else t("index.overview", config.lang)
            if school is not None and (school.brin in failed or school.brin not in delivered):
                problems = failed.get(school.brin, [])
                reason = (
                    t("failure.errors_in_delivery", config.lang, n=len(problems))
                    if problems
                    else t("failure.no_delivery", config.lang)
                )
                counts = meta.get("counts_by_school", {}).get(school.brin)
                if counts:  # say how much was read and that none of it was used
                    from evallib.validation.results import RowCounts

                    reason += f" ({RowCounts(**counts).text()})"
                page = failure_page(school, problems, reason, data.synthetic, config.lang)
                write_atomic(reports / report_name(school.brin, school.name), page)
                outcomes[key] = SchoolOutcome(
                    key,
                    name,
                    False,
                    0.0,
                    report_name(school.brin, school.name),
                    reason,
                    problems=problems,
                )
                ledger.entries[key] = Entry(
                    key,
                    name,
                    report_name(school.brin, school.name),
                    "failed",
                    "miss",
                    0.0,
                    "",
                    sha256_bytes(page.encode()),
                    reason,
                )
                records[report_name(school.brin, school.name)] = {"school": key, "failure": reason}
                continue
            task, fingerprint, provenance = planner.task(school)
            report = provenance.report
            records[report] = provenance.record()
            entry = None if config.force else ledger.fresh(key, fingerprint, reports)
            if (
                config.only_failed
                and entry is None
                and ledger.entries.get(key, None) is not None
                and ledger.entries[key].status == "ok"
            ):
                entry = ledger.entries[key]  # --only-failed: leave reports that were fine alone
            if entry is not None:
                outcomes[key] = SchoolOutcome(
                    key, name, True, 0.0, report, cached=True, results=entry.results
                )
                entry.cache, entry.seconds = "hit", 0.0
                continue
            planned[key] = (task, fingerprint, provenance, name)

        # Every fingerprint is taken: the reports are built in other processes from here on.
        synthetic = data.synthetic
        del data
        planner.data = None
        forget_loaded()
        tell("start", str(len(planned)))

        def finished(built: Built) -> None:
            _, fingerprint, provenance, name = planned[built.key]
            school = None if built.key == REGIO else programme.school(built.key)
            if built.ok:
                html = built.html
            else:
                # The reader gets one plain line; the full traceback goes to a log for the administrator.
                log = config.processed / "logs" / f"{built.key}.log"
                write_atomic(log, _ANSI.sub("", built.detail) + "\n")
                technical = t("failure.technical_details", config.lang, log=config.shown(log))
                html = failure_page(
                    school or _regio_school(programme, config.lang),
                    [],
                    built.error,
                    synthetic,
                    config.lang,
                    detail=f"{built.error}\n{technical}",
                )
            write_atomic(reports / provenance.report, html)
            outcomes[built.key] = SchoolOutcome(
                built.key,
                name,
                built.ok,
                built.seconds,
                provenance.report,
                built.error,
                results=built.results,
            )
            ledger.entries[built.key] = Entry(
                built.key,
                name,
                provenance.report,
                "ok" if built.ok else "failed",
                "miss",
                round(built.seconds, 3),
                fingerprint,
                sha256_bytes(html.encode()),
                built.error,
                built.results,
            )
            tell("done", name)

        order = sorted(
            planned, key=lambda k: k != REGIO
        )  # the overview takes longest: start it first
        if planned:
            executor.run([planned[k][0] for k in order], finished)

        schools = [outcomes[s.brin] for s in programme.participating]
        regio = outcomes[REGIO]
        write_atomic(
            reports / "index.html",
            index_page(
                programme,
                schools,
                regio,
                synthetic,
                config.lang,
                planner.previous if config.compare_to else None,
            ),
        )
        records["index.html"] = {"index": True, "programme": planner.programme_info}
        for name, record in records.items():
            record["sha256"] = sha256_file(reports / name)
        write_manifest(reports, dict(sorted(records.items())))
        seconds = time.perf_counter() - started
        ledger.run = {
            "executor": config.executor,
            "workers": config.workers,
            "validated": validated,
            "seconds": round(seconds, 3),
            "built": len(planned),
            "cached": sum(o.cached for o in outcomes.values()),
        }
        ledger.save(reports)
        problems = [p for p in meta.get("problems", [])]
        pdfs, pdf_error = [], ""
        if config.pdf:  # printed after all HTML is written: a missing Chromium costs no report
            from evallib.engine.pdf import write_pdfs

            try:
                pdfs = write_pdfs(reports, [o.report for o in [*schools, regio] if o.ok])
            except EvallibError as exc:
                pdf_error = str(exc)
        return RunSummary(
            [*schools, regio],
            reports,
            seconds,
            sum(p["severity"] == "error" for p in problems),
            sum(p["severity"] == "warning" for p in problems),
            validated,
            meta.get("counts", {}),
            pdfs,
            pdf_error,
        )
    finally:
        executor.close()


class _LazyExecutor:
    """Starts workers only when there is work: an unchanged rerun never imports the kernel stack."""

    def __init__(self, config: RunConfig) -> None:
        self.config, self._executor = config, None

    def start(self) -> object:
        if self._executor is None:
            from evallib.engine.executors import Executor

            c = self.config
            self._executor = Executor(
                c.executor, c.workers, c.scheduler, c.kernel_name, c.path(c.notebooks_dir)
            )
        return self._executor.start()

    def run(self, tasks: list[Task], on_done: Callable[[Built], None]) -> None:
        self.start().run(tasks, on_done)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()


def _regio_school(programme: Programme, lang: str = "nl") -> School:
    name = t("overview.title", lang, region=programme.region)
    return School.model_construct(
        brin="regio", name=name, place=programme.region, role="participant", locations={}
    )


def check_language(lang: str) -> str:
    """``lang`` if reports can be written in it, else an error that names the choices."""
    if lang not in LANGUAGES:
        raise EvallibError(
            "Onbekende taal voor de rapporten",
            expected=" of ".join(LANGUAGES),
            found=repr(lang),
            hint="Kies --lang nl (Nederlands) of --lang en (Engels)",
        )
    return lang
