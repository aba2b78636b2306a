"""Run every setting in chunks, seeded so that the results do not depend on the worker count."""

from __future__ import annotations

import zlib
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from evallib.stats.simulation.comparison import DID_SETTINGS, DidSetting, dropout_chunk, share_chunk
from evallib.stats.simulation.persons import (
    LEAVING_SETTINGS,
    SURVEY_SETTINGS,
    TEAM_SETTINGS,
    LeavingSetting,
    SurveySetting,
    TeamSetting,
    leaving_chunk,
    survey_chunk,
    team_chunk,
)
from evallib.stats.simulation.records import frame, summarise
from evallib.stats.simulation.starters import STARTER_SETTINGS, StarterSetting, starter_chunk

Setting = StarterSetting | TeamSetting | LeavingSetting | SurveySetting | DidSetting
SETTINGS: tuple[Setting, ...] = (
    *STARTER_SETTINGS,
    *TEAM_SETTINGS,
    *LEAVING_SETTINGS,
    *SURVEY_SETTINGS,
    *DID_SETTINGS,
)
#: Parts of a setting that run as separate tasks, and their rough cost per replication
#: (seconds of one core), used only to start the slow tasks first.
_PARTS = {
    StarterSetting: (("starters", 0.1),),
    TeamSetting: (("team", 0.001),),
    LeavingSetting: (("leaving", 0.01),),
    SurveySetting: (("survey", 0.005),),
    DidSetting: (("did: dropout", 0.8), ("did: share", 0.04)),
}


def _run(task: tuple) -> list:
    setting, part, reps, seed, chunk, horizons = task
    rng = np.random.default_rng([seed, zlib.crc32(f"{part}: {setting.name}".encode()), chunk])
    if part == "starters":
        return starter_chunk(setting, reps, rng, horizons)
    if part == "did: dropout":
        return dropout_chunk(setting, reps, rng)
    chunks = {"team": team_chunk, "leaving": leaving_chunk, "survey": survey_chunk,
              "did: share": share_chunk}  # fmt: skip
    return chunks[part](setting, reps, rng)


def simulate_coverage(
    reps: int = 1000,
    seed: int = 1,
    settings: tuple[Setting, ...] = SETTINGS,
    horizons: tuple[int, ...] = (1, 2, 3),
    workers: int = 1,
    chunk: int = 50,
) -> pd.DataFrame:
    """Every setting ``reps`` times: one record per replication and interval.

    Replications run in chunks of ``chunk``, each seeded from ``(seed, setting and part,
    chunk index)``: the records are the same for any ``workers``. Columns: see
    :data:`evallib.stats.simulation.records.FIELDS`.
    """
    tasks = [(setting, part, min(chunk, reps - first), seed, first // chunk, tuple(horizons))
             for setting in settings for part, _ in _PARTS[type(setting)]
             for first in range(0, reps, chunk)]  # fmt: skip
    cost = {part: c for parts in _PARTS.values() for part, c in parts}
    order = sorted(range(len(tasks)), key=lambda j: -cost[tasks[j][1]] * tasks[j][2])
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = dict(zip(order, pool.map(_run, [tasks[j] for j in order]), strict=True))
    else:
        done = {j: _run(tasks[j]) for j in order}
    return frame([row for j in range(len(tasks)) for row in done[j]])


def coverage_study(
    reps: int = 1000,
    seed: int = 1,
    settings: tuple[Setting, ...] = SETTINGS,
    horizons: tuple[int, ...] = (1, 2, 3),
    workers: int = 1,
    chunk: int = 50,
) -> pd.DataFrame:
    """:func:`simulate_coverage` summarised with :func:`~evallib.stats.simulation.records.summarise`.

    Examples
    --------
    >>> t = coverage_study(reps=20, seed=1, settings=TEAM_SETTINGS[:1])
    >>> t[["quantity", "true", "reps", "not_estimable"]].to_dict("records")
    [{'quantity': 'digital share', 'true': 0.1, 'reps': 20, 'not_estimable': 0}]
    """
    return summarise(simulate_coverage(reps, seed, settings, horizons, workers, chunk))
