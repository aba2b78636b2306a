"""Step 1 of a run: validate the raw data into the processed folder, unless nothing changed."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from evallib.contract.programme import Programme, load_programme
from evallib.core.errors import InputError
from evallib.core.fingerprint import code_fingerprint, combine, json_fingerprint, sha256_file
from evallib.engine.config import Progress, RunConfig
from evallib.ingest.folders import raw_fingerprint
from evallib.validation.validate import check_output_dir

#: Raw data up to this size is validated while the workers warm up; above it the two would
#: together need more memory than either alone (validation holds every raw cell at once).
WARM_DURING_VALIDATION = 20 * 2**20


def prepare_data(
    config: RunConfig,
    programme: Programme,
    tell: Progress,
    before: Callable[[], object] = lambda: None,
) -> tuple[dict, bool]:
    """Validate raw data into the processed directory unless nothing changed; return its meta.

    ``before`` is called just before validating (the run starts its workers then, so their
    kernels warm up while validation runs). The second value says whether validation ran.
    """
    raw, processed = config.path(config.raw_dir), config.processed
    if not raw.is_dir():
        raise InputError(
            "Map met ruwe gegevens niet gevonden",
            file=str(raw),
            hint="Geef de map met één submap per school, bijv. data/raw/example",
        )
    check_output_dir(processed, raw)  # before validating, not after
    raw_files = raw_fingerprint(raw)
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
    job = (
        str(raw),
        str(config.path(config.programme_file)),
        str(processed),
        {"input_key": key, "raw_files": raw_files},
    )
    if _size(raw, raw_files) < WARM_DURING_VALIDATION:
        # Small input: the workers warm up while this process validates it. Not in a process
        # of its own: that costs a start and, where this one has great_expectations imported
        # already (tests, notebooks), seconds to import it again. The price is the import's
        # memory, kept for the rest of the run (peak +70 MB at N = 50, benchmarks/bench_run.py).
        before()
        _validate_job(*job)
    else:
        # Validation holds every raw cell in memory at once; a separate process gives all of
        # it back before the report kernels start (they start after it, for the same reason).
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            pool.submit(_validate_job, *job).result()
    return json.loads(meta_path.read_text(encoding="utf-8")), True


def _size(raw: Path, raw_files: dict[str, str]) -> int:
    sizes = (raw / name for name, digest in raw_files.items() if len(digest) == 64)
    return sum(p.stat().st_size for p in sizes if p.is_file())


def _validate_job(raw: str, programme_file: str, processed: str, key: dict) -> None:
    from evallib.validation.validate import validate_directory, write_processed

    programme = load_programme(programme_file)
    write_processed(validate_directory(raw, programme), processed, programme, key)
