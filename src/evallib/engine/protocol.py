"""What notebooks, the planner and the batch engine agree on (kept light: all of them import it)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from evallib.core.errors import EvallibError

#: Tag of the cell the engine prepends to reset the warm kernel's namespace.
RESET_TAG = "evallib-reset"


class ExecutorKind(enum.StrEnum):
    """Where reports are built (see :mod:`evallib.engine.executors`).

    Examples
    --------
    >>> ExecutorKind("dask") is ExecutorKind.DASK, str(ExecutorKind.LOCAL)
    (True, 'local')
    >>> ExecutorKind("cluster")
    Traceback (most recent call last):
    evallib.core.errors.EvallibError: Onbekende uitvoerder (verwacht: local, sequential, dask; gevonden: cluster)
    """

    LOCAL = "local"
    SEQUENTIAL = "sequential"
    DASK = "dask"

    @classmethod
    def _missing_(cls, value: object) -> ExecutorKind:
        raise EvallibError("Onbekende uitvoerder", expected=", ".join(cls), found=str(value))


@dataclass(frozen=True, kw_only=True)
class Task:
    """One report to build: which notebook, with which parameters, titled how."""

    key: str  # "01GX" or "regio"
    notebook: Path
    parameters: dict
    title: str
    synthetic: bool
    lang: str = "nl"
    kernel_name: str = "python3"
    timeout: int = 600
    appendix: str = ""  # already-safe HTML added after the notebook (provenance)


@dataclass(kw_only=True)
class Built:
    """The outcome of a :class:`Task`: the HTML page, or the error."""

    key: str
    ok: bool
    html: str = ""
    seconds: float = 0.0
    error: str = ""
    detail: str = ""
    results: list = field(default_factory=list)  # target statuses the notebook emitted
