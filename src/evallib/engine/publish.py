"""Step 4 of a run: the index, the manifest and the ledger, once every report is written."""

from __future__ import annotations

from evallib.contract.programme import Programme
from evallib.core.files import write_atomic
from evallib.core.fingerprint import sha256_file
from evallib.engine.config import REGIO, RunConfig
from evallib.engine.outcome import SchoolOutcome
from evallib.engine.plan import Plan
from evallib.engine.provenance import write_manifest
from evallib.reporting.index import index_page


def publish(
    config: RunConfig,
    programme: Programme,
    plan: Plan,
    outcomes: dict[str, SchoolOutcome],
    run_info: dict,
) -> None:
    """Write ``index.html``, ``manifest.json`` (every report's provenance) and ``ledger.json``."""
    reports = config.path(config.reports_dir)
    schools = [outcomes[s.brin] for s in programme.participating]
    write_atomic(
        reports / "index.html",
        index_page(
            programme,
            schools,
            outcomes[REGIO],
            plan.synthetic,
            config.lang,
            plan.previous if config.compare_to else None,
        ),
    )
    plan.records["index.html"] = {"index": True, "programme": plan.programme_info}
    for name, record in plan.records.items():
        record["sha256"] = sha256_file(reports / name)
    write_manifest(reports, dict(sorted(plan.records.items())))
    plan.ledger.run = run_info
    plan.ledger.save(reports)
