"""Step 2 of a run: which reports, their tasks, fingerprints and provenance, and the cache hits.

One task per participating school plus the regional overview, each with a fingerprint of
everything it depends on. A school whose delivery was rejected gets no task but a failure
page; a task whose fingerprint and report file match the ledger is a cache hit.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from evallib.contract.programme import Programme, School
from evallib.core.errors import Problem
from evallib.core.files import slug, write_atomic
from evallib.core.fingerprint import (
    code_fingerprint,
    json_fingerprint,
    sha256_file,
)
from evallib.core.text import t
from evallib.engine.config import REGIO, RunConfig
from evallib.engine.inputs import ReportInputs
from evallib.engine.ledger import Ledger
from evallib.engine.outcome import SchoolOutcome
from evallib.engine.protocol import Task
from evallib.engine.provenance import (
    Provenance,
    code_version,
    herkomst,
    input_set,
    read_manifest,
    seed_of,
)
from evallib.evaluation import published
from evallib.evaluation.dataset import Dataset, forget_loaded, load_dataset


def report_name(brin: str, name: str) -> str:
    """File name of a school's report: BRIN plus a shortened, transliterated name.

    Bounded (at most 70 characters) and unique (the BRIN code is), whatever the name holds.

    Examples
    --------
    >>> report_name("01GX", "Christelijk Lyceum Delft")
    '01GX-christelijk-lyceum-delft.html'
    >>> report_name("01MB", "北京中学"), len(report_name("01MB", "x" * 328))
    ('01MB-beijingzhongxue.html', 70)
    """
    words = slug(name)
    return f"{brin}-{words}.html" if words else f"{brin}.html"


@dataclass(frozen=True, kw_only=True)
class Rejected:
    """A school whose delivery had errors (or was missing): it gets a failure page."""

    school: School
    problems: list[Problem]
    reason: str


@dataclass(frozen=True, kw_only=True)
class Planned:
    """A report to build: its task and its inputs."""

    task: Task
    inputs: ReportInputs
    name: str

    @property
    def provenance(self) -> Provenance:
        return self.inputs.provenance

    @functools.cached_property
    def fingerprint(self) -> str:
        return self.inputs.fingerprint()


@dataclass(kw_only=True)
class Plan:
    """Everything decided before any report is built."""

    ledger: Ledger
    synthetic: bool
    programme_info: dict
    previous: dict
    rejected: dict[str, Rejected] = field(default_factory=dict)
    cached: dict[str, SchoolOutcome] = field(default_factory=dict)
    builds: dict[str, Planned] = field(default_factory=dict)
    records: dict[str, dict] = field(default_factory=dict)  # manifest: report file -> provenance


def failed_schools(meta: dict) -> dict[str, list[Problem]]:
    """The schools whose delivery has errors, with those errors, from the processed meta."""
    failed: dict[str, list[Problem]] = {}
    for problem in meta.get("problems", []):
        if problem["severity"] == "error":
            failed.setdefault(problem.get("school") or "?", []).append(Problem(**problem))
    return failed


def make_plan(config: RunConfig, programme: Programme, meta: dict, ledger: Ledger) -> Plan:
    """Decide, for every report, whether it fails, comes from the cache or is built."""
    data = load_dataset(config.processed)
    # Suppression must hold across all reports: decided once, here, for all of them (and
    # not again on a rerun whose processed data and programme settings are unchanged).
    decisions = published.ensure(programme, data)
    published.write(config.processed, decisions)
    planner = _Planner(config, programme, data, meta)
    planner.disclosure = json_fingerprint(published.decisions(decisions))
    plan = Plan(
        ledger=ledger,
        synthetic=data.synthetic,
        programme_info=planner.programme_info,
        previous=planner.previous,
    )
    failed = failed_schools(meta)
    delivered = set(meta.get("schools", [])) | set(failed)
    reports = config.path(config.reports_dir)
    kept = read_manifest(reports) if config.only_failed else {}
    for school in [*programme.participating, None]:
        if school is not None and (school.brin in failed or school.brin not in delivered):
            plan.rejected[school.brin] = _rejected(config, school, failed, meta)
            continue
        key = school.brin if school else REGIO
        name = school.name if school else t("index.overview", config.lang)
        planned = planner.task(school, name)
        report = planned.provenance.report
        plan.records[report] = planned.provenance.record()
        entry = None if config.force else ledger.fresh(key, planned.fingerprint, reports)
        if entry is None and report in kept and ledger.unchanged(key, reports):
            # --only-failed leaves a report that was fine alone, and so its manifest record:
            # the report is not re-stamped with inputs it was not built from.
            entry, plan.records[report] = ledger.unchanged(key, reports), dict(kept[report])
        if entry is not None:
            plan.cached[key] = SchoolOutcome(
                brin=key,
                name=name,
                ok=True,
                seconds=0.0,
                report=planned.provenance.report,
                cached=True,
                results=entry.results,
            )
            entry.cache, entry.seconds = "hit", 0.0
            continue
        plan.builds[key] = planned
    # Every fingerprint is taken: the reports are built in other processes from here on.
    del data, planner
    forget_loaded()
    return plan


def _rejected(
    config: RunConfig, school: School, failed: dict[str, list[Problem]], meta: dict
) -> Rejected:
    problems = failed.get(school.brin, [])
    reason = (
        t("failure.errors_in_delivery", config.lang, n=len(problems))
        if problems
        else t("failure.no_delivery", config.lang)
    )
    counts = meta.get("counts_by_school", {}).get(school.brin)
    if counts:  # say how much was read and that none of it was used
        from evallib.validation.results import RowCounts

        reason += f" ({RowCounts(**counts).text(config.lang)})"
    return Rejected(school=school, problems=problems, reason=reason)


class _Planner:
    """Tasks and their inputs, from the programme and the processed data."""

    def __init__(self, config: RunConfig, programme: Programme, data: Dataset, meta: dict) -> None:
        self.config, self.programme, self.data, self.meta = config, programme, data, meta
        self.programme_file = config.path(config.programme_file)
        self.programme_info = {
            "file": config.shown(config.programme_file),
            "path": config.findable(config.programme_file),
            "sha256": sha256_file(self.programme_file),
        }
        self.code = code_version(str(Path(__file__).resolve().parent))
        self.data_info = {
            "raw_dir": config.shown(config.raw_dir),
            "raw_path": config.findable(config.raw_dir),
            "synthetic": data.synthetic,
            "seed": seed_of(config.path(config.raw_dir)),
        }
        self.raw_files = meta.get("raw_files", {})
        self.comparison = {s.brin: tuple(s.locations) for s in programme.comparison}
        self.previous, self.previous_file = self._previous()
        lock = config.path(Path("requirements/constraints.txt"))  # the locked dependencies, if here
        self.lock = sha256_file(lock) if lock.exists() else "no lock file"
        self.disclosure = ""  # fingerprint of the run's suppressions (disclosure.json)

    def _previous(self) -> tuple[dict, Path | None]:
        """An earlier run's statuses (``--compare-to``), and a copy the notebooks read."""
        c = self.config
        if not c.compare_to:
            return {}, None
        from evallib.reporting.changes import load_previous

        # A copy, so a run that compares with its own reports folder reads the old ledger.
        source = c.path(c.compare_to)
        previous = load_previous(source)
        copy = c.processed / "previous" / source.name / "ledger.json"
        records = {k: {"results": v} for k, v in previous.items()}
        write_atomic(copy, json.dumps({"reports": records}, ensure_ascii=False, sort_keys=True))
        return previous, copy

    def task(self, school: School | None, name: str) -> Planned:
        c, p = self.config, self.programme
        parameters = {
            "programme_file": str(self.programme_file),
            "data_dir": str(c.processed),
            "lang": c.lang,
        }
        if school is None:
            key, report, notebook = REGIO, "regio.html", "regio.ipynb"
            schools, own = [s.brin for s in p.schools], []
            title = t("index.region_report_title", c.lang, programme=p.name)
            scope = None  # all the data
        else:
            key, report = school.brin, report_name(school.brin, school.name)
            notebook = "school.ipynb"
            parameters = {"school": school.brin, **parameters}
            if self.previous_file is not None:
                parameters["previous"] = str(self.previous_file.parent)
            schools, own = [school.brin, *self.comparison], [school.brin]
            title = t("index.school_report_title", c.lang, school=school.name, programme=p.name)
            scope = {school.brin: tuple(school.locations), **self.comparison}
        shown = _shown(parameters)
        notebook_path = c.path(c.notebooks_dir) / notebook
        files, groups = input_set(self.raw_files, own, [b for b in schools if b not in own])
        inputs = ReportInputs(
            provenance=Provenance(
                report=report,
                parameters=shown,
                inputs=files,
                input_groups=groups,
                programme=self.programme_info,
                code=self.code,
                data=self.data_info,
            ),
            lang=c.lang,
            notebook=sha256_file(notebook_path),
            code=code_fingerprint(),
            lock=self.lock,
            tables=self.data.fingerprint(scope),
            disclosure=self.disclosure,
            delivery=[f for f in self.meta.get("files", []) if f.get("school") in schools],
            title=title,
            previous=self.previous.get(key, []),
        )
        task = Task(
            key=key,
            notebook=notebook_path,
            parameters=parameters,
            title=title,
            synthetic=self.data.synthetic,
            lang=c.lang,
            kernel_name=c.kernel_name,
            timeout=c.timeout,
            appendix=herkomst(inputs.provenance, lang=c.lang),
        )
        return Planned(task=task, inputs=inputs, name=name)


def _shown(parameters: dict) -> dict:
    """The parameters a report names. Paths are not shown: the programme and the raw data are
    listed with their hashes, and where the processed data or reports live must not change a
    report's bytes."""
    shown = {
        k: v for k, v in parameters.items() if k not in ("programme_file", "data_dir", "previous")
    }
    if "previous" in parameters:
        shown["vergeleken_met"] = Path(parameters["previous"]).name
    return shown
