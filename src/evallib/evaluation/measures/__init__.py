"""The measures as registered objects: one estimator per measure of the contract.

:data:`ESTIMATORS` maps a measure name (``starter_dropout``, ``digital_share``, ...) to its
:class:`~evallib.evaluation.measures.base.Estimator`. The contract
(:mod:`evallib.contract.measures`) says which parameters each measure takes and what kind of
number it gives; the estimator says how it is computed from the data.
"""

from evallib.evaluation.measures import dropout, hours, indicators, leaving, participation, survey
from evallib.evaluation.measures.base import ESTIMATORS, Estimator, Span

__all__ = [
    "ESTIMATORS",
    "Estimator",
    "Span",
    "dropout",
    "hours",
    "indicators",
    "leaving",
    "participation",
    "survey",
]
