"""The whole run: validate, plan, build every report (cached, in parallel), publish.

:func:`run` is what ``evallib run`` calls. Each step has its own module:

1. :mod:`~evallib.engine.prepare`: validate the raw data into ``data/processed/<name>/``,
   skipped when the raw files, the programme and the code are unchanged.
2. :mod:`~evallib.engine.plan`: one task per participating school plus the regional
   overview, each with a fingerprint of everything it depends on; a task whose
   fingerprint and report file match the ledger is a cache hit and is not rebuilt.
3. :mod:`~evallib.engine.build`: build the other tasks on warm kernels
   (:mod:`evallib.engine.executors`) and write each report atomically, or a failure page.
4. :mod:`~evallib.engine.publish`: the index, ``manifest.json`` and ``ledger.json``.

Every page a reader sees is in the run's language (``RunConfig.lang``, Dutch by default).
"""

from __future__ import annotations

import time

from evallib.contract.programme import Programme, load_programme
from evallib.core.errors import EvallibError
from evallib.core.files import check_writable, exclusive, remove_stale_temporaries
from evallib.engine.build import LazyExecutor, build_reports, write_rejected
from evallib.engine.config import REGIO, Progress, RunConfig, check_language
from evallib.engine.ledger import Ledger
from evallib.engine.outcome import RunSummary, SchoolOutcome
from evallib.engine.plan import make_plan, report_name
from evallib.engine.prepare import prepare_data
from evallib.engine.publish import publish

#: The lock file that keeps two runs from writing one reports folder at the same time.
LOCK = ".evallib.lock"

__all__ = [
    "REGIO",
    "RunConfig",
    "RunSummary",
    "SchoolOutcome",
    "check_language",
    "report_name",
    "run",
]


def run(config: RunConfig, progress: Progress | None = None) -> RunSummary:
    """Validate the raw data and build every report that is not up to date.

    Parameters
    ----------
    config
        Paths and options.
    progress
        Called with ``("validate", dir)``, ``("start", n)``, ``("school", name)``
        and ``("done", name)`` so a caller can show a progress bar.

    Returns
    -------
    RunSummary
        How every report went; ``ok`` is false when any failed.
    """
    tell = progress or (lambda event, detail: None)
    check_language(config.lang)
    started = time.perf_counter()
    programme = load_programme(config.path(config.programme_file))
    reports, processed = config.path(config.reports_dir), config.processed
    for folder in (reports, processed.parent):
        check_writable(folder)  # a read-only folder or a full disk: say so before any work
    with (
        exclusive(reports / LOCK, str(reports)),
        exclusive(processed.parent / f".{processed.name}.lock", str(processed)),
    ):
        remove_stale_temporaries(reports)  # from a run that was killed mid-write
        return _run(config, programme, tell, started)


def _run(config: RunConfig, programme: Programme, tell: Progress, started: float) -> RunSummary:
    reports = config.path(config.reports_dir)
    executor = LazyExecutor(config)
    try:
        meta, validated = prepare_data(config, programme, tell, before=executor.start)
        plan = make_plan(config, programme, meta, Ledger.load(reports))
        tell("start", str(len(plan.builds)))
        outcomes = {**write_rejected(config, plan), **plan.cached}
        outcomes.update(build_reports(config, programme, plan, executor, tell))
        seconds = time.perf_counter() - started
        run_info = {
            "executor": config.executor,
            "workers": config.workers,
            "validated": validated,
            "seconds": round(seconds, 3),
            "built": len(plan.builds),
            "cached": len(plan.cached),
        }
        publish(config, programme, plan, outcomes, run_info)
        ordered = [outcomes[s.brin] for s in programme.participating] + [outcomes[REGIO]]
        problems = meta.get("problems", [])
        summary = RunSummary(
            outcomes=ordered,
            reports_dir=reports,
            seconds=seconds,
            validation_errors=sum(p["severity"] == "error" for p in problems),
            validation_warnings=sum(p["severity"] == "warning" for p in problems),
            validated=validated,
            counts=meta.get("counts", {}),
            comparison_missing=[
                s.brin for s in programme.comparison if s.brin not in meta.get("schools", [])
            ],
        )
        if config.pdf:  # printed after all HTML is written: a missing Chromium costs no report
            from evallib.engine.pdf import write_pdfs

            try:
                summary.pdfs = write_pdfs(reports, [o.report for o in ordered if o.ok])
            except EvallibError as exc:
                summary.pdf_error = str(exc)
        return summary
    finally:
        executor.close()
