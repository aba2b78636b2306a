"""Where :func:`evallib.engine.build` runs: in this process, in a process pool, or on Dask.

All three call the same function on the same tasks, so they give the same
bytes; only the wall time differs.

* ``sequential``: one warm kernel in this process.
* ``local`` (default): a pool of worker processes (default: one per core), each
  with its own warm kernel. Workers are *spawned*, not forked, so they never
  inherit the parent's threads or open sockets.
* ``dask``: the tasks go to a dask.distributed cluster: the one at
  ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``) or, without an address, a
  ``LocalCluster`` with ``workers`` single-threaded worker processes. Every
  Dask worker keeps its own warm kernel between tasks.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed

from .engine import build, shutdown_kernels
from .errors import EvallibError
from .protocol import EXECUTORS, Built, Task


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_exit() -> None:  # runs in each pool worker when it stops
    shutdown_kernels()


def run_tasks(
    tasks: Iterable[Task],
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[Built], None] | None = None,
) -> dict[str, Built]:
    """Build every task; call ``on_done`` as each finishes; return results by task key.

    Examples
    --------
    >>> run_tasks([], executor="sequential")
    {}
    """
    tasks = list(tasks)
    done = on_done or (lambda built: None)
    results: dict[str, Built] = {}
    if not tasks:
        return results
    workers = workers or default_workers()
    if executor == "sequential" or (executor == "local" and (workers == 1 or len(tasks) == 1)):
        try:
            for task in tasks:
                results[task.key] = built = build(task)
                done(built)
        finally:
            shutdown_kernels()
        return results
    if executor == "local":
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
            futures = [pool.submit(build, task) for task in tasks]
            for future in as_completed(futures):
                built = future.result()
                results[built.key] = built
                done(built)
        return results
    if executor == "dask":
        return _run_on_dask(tasks, workers, scheduler, done)
    raise EvallibError("Onbekende uitvoerder", expected=", ".join(EXECUTORS), found=executor)


def _run_on_dask(
    tasks: list[Task], workers: int, scheduler: str | None, done: Callable[[Built], None]
) -> dict[str, Built]:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover - dask is a dependency
        raise EvallibError(
            "dask.distributed is niet geïnstalleerd", hint="pip install 'dask[distributed]'"
        ) from None
    results: dict[str, Built] = {}
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
    try:
        futures = client.map(build, tasks, pure=False, key=[f"evallib-{t.key}" for t in tasks])
        for future in dask_completed(futures):
            built = future.result()
            results[built.key] = built
            done(built)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results
