"""evallib: reproducible evaluation of Dutch teacher-shortage programmes.

The flow is io → validate → measures → stats → targets → report → run. The
names below are the public API; everything else may change.

Examples
--------
>>> from evallib import load_programme
>>> load_programme("programmes/haaglanden-2013.yaml").name
'Knelpuntregio Haaglanden 2013–2016'
"""

from .dataset import Dataset, load_dataset
from .errors import EvallibError, InputError, Problem, ProgrammeError, RunError, ValidationError
from .programme import Programme, load_programme
from .stats import Estimate, km_curve, km_dropout, proportion, ratio_of_sums
from .targets import Status, TargetResult, evaluate, evaluate_region, evaluate_school

__version__ = "0.1.0"

# Validation needs great_expectations, which takes seconds to import; report
# notebooks never validate, so these names are imported on first use.
_LAZY = {"ValidationResult", "validate_directory", "write_processed"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from . import validate

        return getattr(validate, name)
    raise AttributeError(f"module 'evallib' has no attribute {name!r}")


__all__ = [
    "Dataset",
    "Estimate",
    "EvallibError",
    "InputError",
    "Problem",
    "Programme",
    "ProgrammeError",
    "RunError",
    "Status",
    "TargetResult",
    "ValidationError",
    "ValidationResult",
    "__version__",
    "evaluate",
    "evaluate_region",
    "evaluate_school",
    "km_curve",
    "km_dropout",
    "load_dataset",
    "load_programme",
    "proportion",
    "ratio_of_sums",
    "validate_directory",
    "write_processed",
]
