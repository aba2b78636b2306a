"""The processed data of one run, loaded from Parquet, and slices of it by location."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .errors import InputError
from .schema import FILES

Locations = Mapping[str, tuple[str, ...]]  # BRIN -> location codes


def _empty(kind: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in FILES[kind].column_names})


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
    synthetic: bool = False
    meta: Mapping = field(default_factory=dict, compare=False)

    def at(self, locations: Locations) -> Dataset:
        """Only the rows of the given locations (school BRIN -> location codes)."""
        keys = {f"{brin}/{loc}" for brin, locs in locations.items() for loc in locs}

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            key = frame["brin"].astype(str) + "/" + frame["vestiging"].astype(str)
            return frame[key.isin(keys)]

        return replace(
            self,
            staff=keep(self.staff),
            participation=keep(self.participation),
            hours=keep(self.hours),
            survey=keep(self.survey),
        )

    @property
    def schools(self) -> list[str]:
        return sorted(self.meta.get("schools", sorted(set(self.staff["brin"]))))


def load_dataset(processed_dir: str | Path) -> Dataset:
    """Load the Parquet tables written by :func:`evallib.validate.write_processed`.

    Parameters
    ----------
    processed_dir
        Directory with ``personeel.parquet`` ... and ``meta.json``.
    """
    processed_dir = Path(processed_dir)
    meta_path = processed_dir / "meta.json"
    if not meta_path.exists():
        raise InputError(
            "Geen verwerkte gegevens gevonden",
            file=str(processed_dir),
            expected="meta.json en Parquet-bestanden",
            found="geen meta.json",
            hint="Draai eerst 'evallib validate' of 'evallib run'",
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))

    def table(kind: str) -> pd.DataFrame:
        path = processed_dir / f"{kind}.parquet"
        return pd.read_parquet(path) if path.exists() else _empty(kind)

    return Dataset(
        staff=table("personeel"),
        participation=table("deelname"),
        hours=table("lesuren"),
        survey=table("enquete"),
        synthetic=bool(meta.get("synthetic")),
        meta=meta,
    )
