"""Where :func:`evallib.engine.execute.build` runs: in this process, in a process pool, or on Dask.

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
from pathlib import Path

from evallib.core.errors import EvallibError
from evallib.engine.execute import build, shutdown_kernels, warm_up
from evallib.engine.protocol import EXECUTORS, Built, Task


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class Executor:
    """Workers with warm kernels: start them early (while validation runs), then build.

    Examples
    --------
    >>> finished = []
    >>> with Executor("sequential") as executor:
    ...     executor.run([], finished.append)
    >>> finished
    []
    """

    def __init__(
        self,
        executor: str = "local",
        workers: int | None = None,
        scheduler: str | None = None,
        kernel_name: str = "python3",
        notebooks: Path | None = None,
    ) -> None:
        if executor not in EXECUTORS:
            raise EvallibError(
                "Onbekende uitvoerder", expected=", ".join(EXECUTORS), found=executor
            )
        self.kind, self.scheduler = executor, scheduler
        self.workers = workers or default_workers()
        self.warm = (kernel_name, str(notebooks)) if notebooks else None
        self._pool: ProcessPoolExecutor | None = None
        self._client = self._cluster = None

    def start(self) -> Executor:
        """Start workers and their kernels now; they warm up in the background."""
        if self.kind == "local" and self.workers > 1 and self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=warm_up if self.warm else None,
                initargs=self.warm or (),
            )
            for _ in range(self.workers):  # make every worker start (and warm up) now
                self._pool.submit(_noop)
        elif self.kind == "dask" and self._client is None:
            self._connect()
        return self

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        shutdown_kernels()

    def run(self, tasks: Iterable[Task], on_done: Callable[[Built], None]) -> None:
        """Build every task and hand each result to ``on_done`` as it finishes.

        Results are not kept here: a national run's reports together would not fit in memory.
        """
        tasks = list(tasks)
        if not tasks:
            return
        if self.kind == "sequential" or (
            self.kind == "local" and (self.workers == 1 or len(tasks) == 1)
        ):
            for task in tasks:
                on_done(build(task))
            return
        self.start()
        if self.kind == "local":
            # as_completed lets go of each future once it has been yielded (no list of them here).
            for future in as_completed([self._pool.submit(build, task) for task in tasks]):
                on_done(future.result())
            return
        from dask.distributed import as_completed as dask_completed

        keys = [f"evallib-{t.key}" for t in tasks]
        for future in dask_completed(self._client.map(build, tasks, pure=False, key=keys)):
            built = future.result()
            future.release()  # the cluster can forget the report now
            on_done(built)

    def _connect(self) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - dask is a dependency
            raise EvallibError(
                "dask.distributed is niet geïnstalleerd", hint="pip install 'dask[distributed]'"
            ) from None
        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            self._client = Client(self._cluster)
        if self.warm:
            self._client.run(warm_up, *self.warm)


def _noop() -> None:
    return None
