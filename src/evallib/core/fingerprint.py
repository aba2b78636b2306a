"""Fingerprints (SHA-256) of everything a report depends on, for the cache and provenance.

A report is rebuilt only when one of its inputs changed: the notebook, the
evallib code, the parameters, the data it reads, the programme file or the
versions of the packages that compute and draw it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
from collections.abc import Iterable, Mapping
from importlib import metadata, resources
from pathlib import Path

import pandas as pd

#: Packages whose versions can change a report's numbers or bytes.
KEY_PACKAGES = (
    "evallib",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "lifelines",
    "matplotlib",
    "seaborn",
    "pyarrow",
    "nbconvert",
    "nbclient",
    "papermill",
    "great-expectations",
    "ipykernel",
    "jinja2",
    "pydantic",
    "babel",
)


def sha256_bytes(data: bytes) -> str:
    """Examples
    --------
    >>> sha256_bytes(b"evallib")[:12]
    '39324ef60264'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def combine(parts: Iterable[str]) -> str:
    """One fingerprint for an ordered sequence of fingerprints or texts."""
    return sha256_bytes("\n".join(parts).encode("utf-8"))


def json_fingerprint(value: object) -> str:
    """Fingerprint of a JSON-able value, independent of key order."""
    return sha256_bytes(
        json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    )


@functools.cache
def code_fingerprint() -> str:
    """Fingerprint of evallib's own source and templates (the code that makes a report)."""
    package = resources.files("evallib")
    files = sorted(
        str(p.relative_to(Path(str(package))))
        for p in Path(str(package)).rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".css", ".j2", ".js", ".csv", ".yaml")
        and "__pycache__" not in p.parts
    )
    return combine(f"{name}:{sha256_file(Path(str(package)) / name)}" for name in files)


@functools.cache
def environment() -> dict[str, str]:
    """Python and key package versions."""
    versions = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """Fingerprint of a table's content (column names, dtypes and values, in row order)."""
    header = json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()])
    values = (
        pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes() if len(frame) else b""
    )
    return sha256_bytes(header.encode() + values)


def tables_fingerprint(tables: Mapping[str, pd.DataFrame]) -> str:
    return combine(f"{name}:{frame_fingerprint(frame)}" for name, frame in sorted(tables.items()))
