"""The processed data of one run, loaded from Parquet, and slices of it by location."""

from __future__ import annotations

import functools
import gc
import json
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evallib.contract.schema import FILES, REGION_FILES
from evallib.core.errors import InputError
from evallib.core.fingerprint import combine, frame_fingerprint, row_hashes

Locations = Mapping[str, tuple[str, ...]]  # BRIN -> location codes
T = TypeVar("T")
_ARROW_STRINGS = {
    pa.string(): pd.StringDtype("pyarrow"),
    pa.large_string(): pd.StringDtype("pyarrow"),
}


def _empty(kind: str) -> pd.DataFrame:
    spec = {**FILES, **REGION_FILES}[kind]
    return pd.DataFrame({name: pd.Series(dtype="object") for name in spec.column_names})


#: The typed tables by attribute and by file kind.
TABLES = {
    "staff": "personeel",
    "participation": "deelname",
    "hours": "lesuren",
    "survey": "enquete",
}


@dataclass(frozen=True)
class Dataset:
    """Typed tables of all valid schools: ``staff``, ``participation``, ``hours``, ``survey``.

    Examples
    --------
    >>> ds = load_dataset("data/processed/example")
    >>> sub = ds.at({"01GX": ("00",)})
    >>> set(sub.staff["brin"]) == {"01GX"}, ds.synthetic
    (True, True)
    """

    staff: pd.DataFrame
    participation: pd.DataFrame
    hours: pd.DataFrame
    survey: pd.DataFrame
    #: Region-level figures (the indicator file), the same in every slice.
    indicators: pd.DataFrame = field(default_factory=lambda: _empty("indicatoren"))
    synthetic: bool = False
    meta: Mapping = field(default_factory=dict, compare=False)
    #: The run's suppression decisions (``disclosure.json``, see
    #: :mod:`evallib.evaluation.published`), shared by every slice.
    disclosure: dict = field(default_factory=dict, compare=False)

    def at(self, locations: Locations) -> Dataset:
        """Only the rows of the given locations (school BRIN -> location codes).

        Slices are kept: asking for the same locations again gives the same object, so what
        was computed from a slice (see :meth:`derived`) is computed once per scope.
        """
        key = ("at", tuple(sorted((brin, tuple(locs)) for brin, locs in locations.items())))
        return self.derived(key, lambda: self._slice(locations))

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value computed from this data set once and then kept (e.g. starters' spells).

        Examples
        --------
        >>> ds = load_dataset("data/processed/example")
        >>> ds.derived("answer", lambda: 42), ds.derived("answer", lambda: 0)
        (42, 42)
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @functools.cached_property
    def _memo(self) -> dict:
        return {}

    def fingerprint(self, locations: Locations | None = None) -> str:
        """Fingerprint of the four typed tables, or of their rows at ``locations`` only.

        The same as fingerprinting the slice :meth:`at` gives, but each table's rows are
        hashed once for all scopes (a national run's plan fingerprints hundreds).

        Examples
        --------
        >>> ds = load_dataset("data/processed/example")
        >>> ds.fingerprint({"01GX": ("00",)}) == ds.at({"01GX": ("00",)}).fingerprint()
        True
        """
        parts = []
        for kind in sorted(TABLES):
            frame, hashes = getattr(self, kind), self._row_hashes[kind]
            if locations is not None:
                hashes = hashes[self._rows(kind, locations)]
            parts.append(f"{kind}:{frame_fingerprint(frame, hashes)}")
        return combine(parts)

    @functools.cached_property
    def _row_hashes(self) -> dict[str, np.ndarray]:
        return {kind: row_hashes(getattr(self, kind)) for kind in TABLES}

    def _rows(self, kind: str, locations: Locations) -> np.ndarray:
        """Positions of the rows of ``kind`` at ``locations``, in table order."""
        groups = self._row_groups[kind]
        parts = [
            groups[(b, loc)] for b, locs in locations.items() for loc in locs if (b, loc) in groups
        ]
        return np.sort(np.concatenate(parts)) if parts else np.array([], dtype=int)

    def _slice(self, locations: Locations) -> Dataset:
        sliced = {kind: getattr(self, kind).iloc[self._rows(kind, locations)] for kind in TABLES}
        return replace(self, **sliced)

    @functools.cached_property
    def _row_groups(self) -> dict[str, dict[tuple[str, str], np.ndarray]]:
        # Row positions per (BRIN, location), computed once: slicing is then cheap at national scale.
        return {
            kind: {
                key: np.asarray(idx)
                for key, idx in getattr(self, kind)
                .groupby(["brin", "vestiging"], sort=False, observed=True)
                .indices.items()
            }
            for kind in TABLES
        }

    @property
    def schools(self) -> list[str]:
        return sorted(self.meta.get("schools", sorted(set(self.staff["brin"]))))


def load_dataset(processed_dir: str | Path) -> Dataset:
    """Load the Parquet tables written by :func:`evallib.validation.validate.write_processed`.

    Loaded once per process and reused while ``meta.json`` is unchanged: a warm
    kernel that builds report after report reads the data only once. Treat the
    tables as read-only.

    Parameters
    ----------
    processed_dir
        Directory with ``personeel.parquet`` ... and ``meta.json``.
    """
    processed_dir = Path(processed_dir).resolve()
    meta_path = processed_dir / "meta.json"
    if not meta_path.exists():
        raise InputError(
            "Geen verwerkte gegevens gevonden",
            file=str(processed_dir),
            expected="meta.json en Parquet-bestanden",
            found="geen meta.json",
            hint="Draai eerst 'evallib validate' of 'evallib run'",
        )
    stamp = meta_path.stat()
    decisions = processed_dir / "disclosure.json"
    decided = decisions.stat() if decisions.exists() else None
    return _load(
        str(processed_dir),
        stamp.st_mtime_ns,
        stamp.st_size,
        (decided.st_mtime_ns, decided.st_size) if decided else None,
    )


def forget_loaded() -> None:
    """Drop the datasets this process keeps loaded and give their memory back to the system.

    The run calls this once every report is planned: from then on the reports are built in
    other processes, and a national dataset would otherwise stay in this one for nothing.

    Examples
    --------
    >>> forget_loaded()
    """
    _load.cache_clear()
    gc.collect()
    pa.default_memory_pool().release_unused()


@functools.lru_cache(maxsize=4)
def _load(processed_dir: str, mtime_ns: int, size: int, decided: tuple | None) -> Dataset:
    directory = Path(processed_dir)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    disclosure = (
        json.loads((directory / "disclosure.json").read_text(encoding="utf-8")) if decided else {}
    )

    def table(kind: str) -> pd.DataFrame:
        path = directory / f"{kind}.parquet"
        if not path.exists():
            return _empty(kind)
        # Text as Arrow-backed strings straight from the file: the same pandas "string" dtype,
        # a third of the memory (a national run holds this in every kernel).
        return pq.read_table(path).to_pandas(types_mapper=_ARROW_STRINGS.get)

    return Dataset(
        staff=table("personeel"),
        participation=table("deelname"),
        hours=table("lesuren"),
        survey=table("enquete"),
        indicators=table("indicatoren"),
        synthetic=bool(meta.get("synthetic")),
        meta=meta,
        disclosure=disclosure,
    )
