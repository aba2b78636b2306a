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
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path

import numpy as np
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


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of ``frame`` (its values, not its index)."""
    if not len(frame):
        return np.empty(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def frame_fingerprint(frame: pd.DataFrame, hashes: np.ndarray | None = None) -> str:
    """Fingerprint of a table's content (column names, dtypes and values, in row order).

    ``hashes`` are :func:`row_hashes` of ``frame`` if known already: a row's hash depends on
    that row alone, so the rows of a slice have the whole table's hashes at their positions.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [1, 2, 3]})
    >>> frame_fingerprint(frame.iloc[[0, 2]]) == frame_fingerprint(
    ...     frame.iloc[[0, 2]], row_hashes(frame)[[0, 2]])
    True
    """
    header = json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()])
    values = row_hashes(frame) if hashes is None else hashes
    return sha256_bytes(header.encode() + values.tobytes())
