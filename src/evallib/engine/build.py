"""Step 3 of a run: build the planned reports and write them, or a failure page for each.

Reports are written atomically as they finish (a killed run leaves no half-written page);
a school whose delivery was rejected, or whose notebook failed, gets a readable failure
page in the run's language, and the full error goes to a log for the administrator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from evallib.contract.programme import Programme, School
from evallib.core.files import write_atomic
from evallib.core.fingerprint import sha256_bytes
from evallib.core.text import t
from evallib.engine.config import REGIO, Progress, RunConfig
from evallib.engine.ledger import Entry
from evallib.engine.outcome import SchoolOutcome
from evallib.engine.plan import Plan, report_name
from evallib.engine.protocol import Built, Task
from evallib.reporting.index import failure_page

if TYPE_CHECKING:
    from evallib.engine.executors import Executor

_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in IPython tracebacks


class LazyExecutor:
    """Imports and starts workers only when there is work: an unchanged rerun never loads the kernel stack."""

    def __init__(self, config: RunConfig) -> None:
        self.config, self._executor = config, None

    def _get(self) -> Executor:
        if self._executor is None:
            from evallib.engine.executors import Executor

            c = self.config
            self._executor = Executor(
                c.executor, c.workers, c.scheduler, c.kernel_name, c.path(c.notebooks_dir)
            )
        return self._executor

    def start(self) -> None:
        """Start the workers now, so their kernels warm up while validation runs."""
        self._get().start()

    def run(self, tasks: list[Task], on_done: Callable[[Built], None]) -> None:
        self._get().run(tasks, on_done)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()


def write_rejected(config: RunConfig, plan: Plan) -> dict[str, SchoolOutcome]:
    """A failure page for every school whose delivery was rejected; their outcomes."""
    reports = config.path(config.reports_dir)
    outcomes = {}
    for key, rejected in plan.rejected.items():
        school = rejected.school
        report = report_name(school.brin, school.name)
        page = failure_page(school, rejected.problems, rejected.reason, plan.synthetic, config.lang)
        write_atomic(reports / report, page)
        outcomes[key] = SchoolOutcome(
            brin=key,
            name=school.name,
            ok=False,
            seconds=0.0,
            report=report,
            error=rejected.reason,
            problems=rejected.problems,
        )
        plan.ledger.entries[key] = Entry(
            key=key,
            name=school.name,
            report=report,
            status="failed",
            cache="miss",
            seconds=0.0,
            input_hash="",
            report_sha256=sha256_bytes(page.encode()),
            error=rejected.reason,
        )
        plan.records[report] = {"school": key, "failure": rejected.reason}
    return outcomes


def build_reports(
    config: RunConfig,
    programme: Programme,
    plan: Plan,
    executor: LazyExecutor,
    tell: Progress,
) -> dict[str, SchoolOutcome]:
    """Build every planned report (the overview first: it takes longest); their outcomes."""
    reports = config.path(config.reports_dir)
    outcomes: dict[str, SchoolOutcome] = {}

    def finished(built: Built) -> None:
        planned = plan.builds[built.key]
        html = built.html if built.ok else _failure_html(config, programme, plan, built)
        write_atomic(reports / planned.provenance.report, html)
        outcomes[built.key] = SchoolOutcome(
            brin=built.key,
            name=planned.name,
            ok=built.ok,
            seconds=built.seconds,
            report=planned.provenance.report,
            error=built.error,
            results=built.results,
        )
        entry = Entry(
            key=built.key,
            name=planned.name,
            report=planned.provenance.report,
            status="ok" if built.ok else "failed",
            cache="miss",
            seconds=round(built.seconds, 3),
            input_hash=planned.fingerprint,
            report_sha256=sha256_bytes(html.encode()),
            error=built.error,
            results=built.results,
        )
        plan.ledger.record(entry, reports)  # a killed run keeps what it finished
        tell("done", planned.name)

    order = sorted(plan.builds, key=lambda k: k != REGIO)
    if order:
        executor.run([plan.builds[k].task for k in order], finished)
    return outcomes


def _failure_html(config: RunConfig, programme: Programme, plan: Plan, built: Built) -> str:
    """The reader gets one plain line; the full traceback goes to a log for the administrator."""
    log = config.processed / "logs" / f"{built.key}.log"
    write_atomic(log, _ANSI.sub("", built.detail) + "\n")
    technical = t("failure.technical_details", config.lang, log=config.shown(log))
    school = None if built.key == REGIO else programme.school(built.key)
    return failure_page(
        school or _regio_school(programme, config.lang),
        [],
        built.error,
        plan.synthetic,
        config.lang,
        detail=f"{built.error}\n{technical}",
    )


def _regio_school(programme: Programme, lang: str = "nl") -> School:
    name = t("overview.title", lang, region=programme.region)
    return School.model_construct(
        brin="regio", name=name, place=programme.region, role="participant", locations={}
    )
