"""evallib: reproducible evaluation of Dutch teacher-shortage programmes.

The layers, from the bottom: core → contract → ingest → validation, stats → evaluation →
reporting → engine → cli (see docs/architecture.md). The names below are the
public API; everything else may change.

Examples
--------
>>> from evallib import load_programme
>>> load_programme("programmes/haaglanden-2013.yaml").name
'Knelpuntregio Haaglanden 2013–2016'
"""

import importlib
import sys

# jsonschema (under nbformat and great_expectations) imports rfc3987_syntax, which compiles
# 38 grammars at import: about a second in every worker and validation process, for IRI
# format checks that nothing here uses (python-jsonschema/jsonschema#1428). Without it,
# jsonschema falls back to not checking that format. A caller who imported it first keeps it.
sys.modules.setdefault("rfc3987_syntax", None)

__version__ = "0.1.0"

# Public names and the module each comes from. Imported on first use (PEP 562), so that
# `import evallib` and the command line stay fast: the statistics stack and
# great_expectations take seconds to import and most commands need only part of it.
_EXPORTS = {
    "Dataset": "evaluation.dataset",
    "load_dataset": "evaluation.dataset",
    "EvallibError": "core.errors",
    "InputError": "core.errors",
    "Problem": "core.errors",
    "ProgrammeError": "core.errors",
    "RunError": "core.errors",
    "ValidationError": "core.errors",
    "Programme": "contract.programme",
    "load_programme": "contract.programme",
    "Estimate": "stats.estimates",
    "km_curve": "stats.estimates",
    "km_dropout": "stats.estimates",
    "proportion": "stats.estimates",
    "ratio_of_sums": "stats.estimates",
    "Status": "evaluation.status",
    "TargetResult": "evaluation.targets",
    "evaluate": "evaluation.targets",
    "evaluate_region": "evaluation.targets",
    "evaluate_school": "evaluation.targets",
    "ValidationResult": "validation.validate",
    "validate_directory": "validation.validate",
    "write_processed": "validation.validate",
}


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'evallib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
