"""Where :func:`evallib.engine.execute.build` runs: a small registry of futures executors.

All backends call the same function on the same tasks through one futures loop, so they
give the same bytes; only the wall time differs.

* ``sequential``: one warm kernel in this process (an executor that runs each task as it
  is submitted).
* ``local`` (default): a :class:`~concurrent.futures.ProcessPoolExecutor` (default: one
  worker per core), each worker with its own warm kernel. Workers are *spawned*, not
  forked, so they never inherit the parent's threads or open sockets.
* ``dask``: a dask.distributed cluster, through ``Client.get_executor()``: the one at
  ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``) or, without an address, a ``LocalCluster``
  with ``workers`` single-threaded worker processes. Every Dask worker keeps its own warm
  kernel between tasks.

A backend is a function in :data:`BACKENDS` that opens a :class:`Pool`: the executor, how
many tasks to keep in flight, and how to close it.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from evallib.core.errors import EvallibError
from evallib.engine.execute import build, shutdown_kernels, warm_up
from evallib.engine.protocol import Built, ExecutorKind, Task

Warm = tuple[str, str] | None  # (kernel name, notebooks folder) to warm a worker's kernel with


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class InProcess(cf.Executor):
    """A futures executor that runs each call in this process as it is submitted.

    Examples
    --------
    >>> InProcess().submit(sum, [1, 2]).result()
    3
    """

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


@dataclass(frozen=True)
class Pool:
    """An open backend: its executor, how many tasks to keep in flight, how to close it."""

    executor: cf.Executor
    in_flight: int
    close: Callable[[], object] = lambda: None


def _sequential(workers: int, scheduler: str | None, warm: Warm) -> Pool:
    return Pool(InProcess(), 1)


def _local(workers: int, scheduler: str | None, warm: Warm) -> Pool:
    if workers == 1:
        return _sequential(workers, scheduler, warm)
    pool = cf.ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=warm_up if warm else None,
        initargs=warm or (),
    )
    for _ in range(workers):  # make every worker start (and warm up) now
        pool.submit(_noop)
    return Pool(pool, 2 * workers, pool.shutdown)


def _dask(workers: int, scheduler: str | None, warm: Warm) -> Pool:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask is a dependency
        raise EvallibError(
            "dask.distributed is niet geïnstalleerd", hint="pip install 'dask[distributed]'"
        ) from None
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
    # Warmed by a task on each worker, not by client.run: that runs on the worker's event-loop
    # thread, and the first tasks then waited seconds for a kernel started on another thread.
    # Kept until close: a released future is cancelled.
    warming = [
        client.submit(warm_up, *warm, workers=[w], allow_other_workers=False, pure=False)
        for w in (client.scheduler_info()["workers"] if warm else [])
    ]

    def close() -> None:
        warming.clear()
        client.close()
        if cluster is not None:
            cluster.close()

    threads = sum(client.nthreads().values()) or workers
    return Pool(client.get_executor(pure=False), 2 * threads, close)


#: Every backend by kind; ``--executor`` chooses one.
BACKENDS: dict[ExecutorKind, Callable[[int, str | None, Warm], Pool]] = {
    ExecutorKind.SEQUENTIAL: _sequential,
    ExecutorKind.LOCAL: _local,
    ExecutorKind.DASK: _dask,
}


def run_tasks(pool: Pool, tasks: Iterable[Task], on_done: Callable[[Built], None]) -> None:
    """Build every task on ``pool`` and hand each result to ``on_done`` as it finishes.

    At most ``pool.in_flight`` tasks are submitted at a time, and results are not kept
    here: a national run's reports together would not fit in memory.

    Examples
    --------
    >>> finished = []
    >>> run_tasks(Pool(InProcess(), 1), [], finished.append)
    >>> finished
    []
    """
    waiting, pending = iter(tasks), set()
    while True:
        for task in itertools.islice(waiting, pool.in_flight - len(pending)):
            pending.add(pool.executor.submit(build, task))
        if not pending:
            return
        done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        for future in done:
            on_done(future.result())


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
        executor: ExecutorKind | str = ExecutorKind.LOCAL,
        workers: int | None = None,
        scheduler: str | None = None,
        kernel_name: str = "python3",
        notebooks: Path | None = None,
    ) -> None:
        self.kind, self.scheduler = ExecutorKind(executor), scheduler
        self.workers = workers or default_workers()
        self.warm = (kernel_name, str(notebooks)) if notebooks else None
        self._pool: Pool | None = None

    def start(self) -> Executor:
        """Start workers and their kernels now; they warm up in the background."""
        if self._pool is None:
            self._pool = BACKENDS[self.kind](self.workers, self.scheduler, self.warm)
        return self

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers and this process's kernels."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        shutdown_kernels()

    def run(self, tasks: Iterable[Task], on_done: Callable[[Built], None]) -> None:
        """Build every task and hand each result to ``on_done`` as it finishes."""
        tasks = list(tasks)
        if self._pool is None and len(tasks) == 1:  # not worth starting workers for
            run_tasks(_sequential(1, None, None), tasks, on_done)
            return
        run_tasks(self.start()._pool, tasks, on_done)


def _noop() -> None:
    return None
