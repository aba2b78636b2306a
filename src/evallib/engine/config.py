"""What a run is told: where everything is, how to build, in which language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evallib.core.errors import EvallibError
from evallib.core.text import LANGUAGES
from evallib.engine.protocol import ExecutorKind

#: Called with ``(event, detail)``: ``("validate", dir)``, ``("start", n)``, ``("done", name)``.
Progress = Callable[[str, str], None]
#: The key of the regional overview among the schools' BRIN codes.
REGIO = "regio"


@dataclass(frozen=True)
class RunConfig:
    """Where everything is and how to run; relative paths start at ``root``.

    Examples
    --------
    >>> config = RunConfig(root=Path("/project"), raw_dir=Path("data/raw/2016"))
    >>> config.processed.as_posix(), config.shown(Path("data/raw/2016"))
    ('/project/data/processed/2016', 'data/raw/2016')
    """

    root: Path = Path(".")
    raw_dir: Path = Path("data/raw/example")
    programme_file: Path = Path("programmes/haaglanden-2013.yaml")
    processed_dir: Path | None = None  # default: data/processed/<name of raw_dir>
    reports_dir: Path = Path("reports")
    notebooks_dir: Path = Path("notebooks")
    lang: str = "nl"
    kernel_name: str = "python3"
    timeout: int = 600
    executor: ExecutorKind = ExecutorKind.LOCAL
    workers: int | None = None
    scheduler: str | None = None
    force: bool = False
    only_failed: bool = False
    pdf: bool = False
    compare_to: Path | None = None  # an earlier run's reports folder: show what changed

    def __post_init__(self) -> None:
        object.__setattr__(self, "executor", ExecutorKind(self.executor))  # "dask" works too

    def path(self, p: Path) -> Path:
        """``p`` as an absolute path (relative paths start at the root)."""
        return p if p.is_absolute() else (self.root / p).resolve()

    @property
    def processed(self) -> Path:
        """The folder of the processed data."""
        return self.path(
            self.processed_dir or Path("data/processed") / self.path(self.raw_dir).name
        )

    def shown(self, p: Path) -> str:
        """A path as shown in reports: relative to the root when inside it (no machine-specific parts)."""
        p = self.path(p)
        try:
            return p.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.name

    def findable(self, p: Path) -> str:
        """Where to find ``p`` again (for ``evallib verify``): relative to the root when inside it."""
        full = self.path(p)
        return self.shown(p) if full.is_relative_to(self.root.resolve()) else str(full)


def check_language(lang: str) -> str:
    """``lang`` if reports can be written in it, else an error that names the choices.

    Examples
    --------
    >>> check_language("en")
    'en'
    """
    if lang not in LANGUAGES:
        raise EvallibError(
            "Onbekende taal voor de rapporten",
            expected=" of ".join(LANGUAGES),
            found=repr(lang),
            hint="Kies --lang nl (Nederlands) of --lang en (Engels)",
        )
    return lang
