"""Report sections per measure: the charts and tables that show a target's measure.

:data:`SCHOOL_SECTIONS` lists, per measure name, the sections a school report shows under a
project with a target on that measure (each ``section(report, target) -> Html``). The
overview's sections are put together by :class:`evallib.reporting.region.RegionReport` from
the ``region_*`` functions here, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable

from evallib.reporting.sections import (
    counts,
    did,
    digital,
    dropout,
    dropout_region,
    indicators,
    survey,
)

SCHOOL_SECTIONS: dict[str, tuple[Callable, ...]] = {
    "starter_dropout": (dropout.retention_figure, dropout.dropout_trend, dropout.dropout_table),
    "digital_share": (digital.digital_figure, digital.digital_table),
    "survey_positive": (survey.survey_figure, survey.survey_table),
}

__all__ = [
    "SCHOOL_SECTIONS",
    "counts",
    "did",
    "digital",
    "dropout",
    "dropout_region",
    "indicators",
    "survey",
]
