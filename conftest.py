"""Shared test set-up: run from the project root, with the example data processed once.

Doctests in ``src/evallib`` use ``data/processed/example``; on a fresh clone it
does not exist yet, so it is built here (from the committed synthetic example
data) before any test runs. Nothing under ``data/raw`` is written.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
EXAMPLE_RAW = ROOT / "data" / "raw" / "example"
EXAMPLE_PROCESSED = ROOT / "data" / "processed" / "example"
PROGRAMME = ROOT / "programmes" / "haaglanden-2013.yaml"


@pytest.fixture(scope="session", autouse=True)
def _project_root_and_example_data() -> None:
    os.chdir(ROOT)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    EXAMPLE_PROCESSED.parent.mkdir(parents=True, exist_ok=True)
    # pytest-xdist runs several workers: the first builds, the others wait for it.
    with open(EXAMPLE_PROCESSED.parent / ".example.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (EXAMPLE_PROCESSED / "meta.json").exists() and EXAMPLE_RAW.exists():
            from evallib.contract.programme import load_programme
            from evallib.validation.validate import validate_directory, write_processed

            programme = load_programme(PROGRAMME)
            write_processed(
                validate_directory(EXAMPLE_RAW, programme), EXAMPLE_PROCESSED, programme
            )
