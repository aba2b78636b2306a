"""What a run gives back: how each report went, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evallib.core.errors import Problem


@dataclass(kw_only=True)
class SchoolOutcome:
    """How one report went in this run.

    Examples
    --------
    >>> SchoolOutcome(brin="01GX", name="CLD", ok=True, seconds=1.5, report="01GX-cld.html").cached
    False
    """

    brin: str
    name: str
    ok: bool
    seconds: float
    report: str
    error: str = ""
    cached: bool = False
    results: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(kw_only=True)
class RunSummary:
    """The run as a whole: every outcome, validation counts, time, PDFs.

    Examples
    --------
    >>> RunSummary(outcomes=[], reports_dir=Path("reports"), seconds=0.0,
    ...            validation_errors=0, validation_warnings=0).ok
    True
    """

    outcomes: list[SchoolOutcome]
    reports_dir: Path
    seconds: float
    validation_errors: int
    validation_warnings: int
    validated: bool = True
    counts: dict = field(default_factory=dict)  # rows read, skipped, with errors, processed
    pdfs: list[Path] = field(default_factory=list)
    pdf_error: str = ""
    #: comparison schools whose delivery was rejected or missing: the comparison is incomplete
    comparison_missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every report was made, and the comparison group is complete."""
        return all(o.ok for o in self.outcomes) and not self.comparison_missing

    @property
    def cache_hits(self) -> int:
        """Reports taken unchanged from the last run."""
        return sum(o.cached for o in self.outcomes)
