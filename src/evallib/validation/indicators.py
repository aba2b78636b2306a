"""Rules for the region's indicator file, checked against the programme that names the indicators.

Each row must name an indicator of the programme file; a share or a distribution has a value
between 0 and 1; a distribution's row names one of its categories and other indicators' rows
name none; a count of persons is a whole number; one figure per indicator, scope, period and
category. Problems are filed under the region (``school="regio"``).
"""

from __future__ import annotations

import pandas as pd

from evallib.contract.programme import Programme
from evallib.core.errors import Problem
from evallib.ingest.folders import REGION
from evallib.ingest.read import ROW, shown


def _problem(
    label: str, row: pd.Series, column: str, code: str, message: str, expected: str
) -> Problem:
    value = row[column]
    return Problem(
        file=label,
        row=int(row[ROW]),
        column=column,
        code=code,
        message=message,
        expected=expected,
        found="(leeg)" if pd.isna(value) else shown(value),
        school=REGION,
    )


def check_indicators(frame: pd.DataFrame, programme: Programme, label: str) -> list[Problem]:
    """Every row that breaks a rule of the indicator file, named by file, row and column.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> rows = pd.DataFrame({"indicator": ["onbekend"], "scope": ["regio"], "periode": ["2024"],
    ...     "categorie": [None], "waarde": [0.5], "n": [None], "bron": [None], "_row": [2]})
    >>> [p.code for p in check_indicators(rows, load_programme("programmes/haaglanden-2013.yaml"), "x.csv")]
    ['unknown_indicator']
    """
    specs = {spec.id: spec for spec in programme.indicators}
    problems: list[Problem] = []
    for _, row in frame.iterrows():
        spec = specs.get(row["indicator"])
        if spec is None:
            if not pd.isna(row["indicator"]):
                problems.append(
                    _problem(
                        label,
                        row,
                        "indicator",
                        "unknown_indicator",
                        "Onbekende indicator",
                        ", ".join(specs) or "(het programmabestand noemt geen indicatoren)",
                    )
                )
            continue
        problems += _row_problems(label, row, spec)
    problems += _duplicates(label, frame)
    return problems


def _row_problems(label: str, row: pd.Series, spec) -> list[Problem]:
    problems = []
    value, category = row["waarde"], row["categorie"]
    if spec.kind in ("share", "distribution") and not pd.isna(value) and not 0 <= value <= 1:
        problems.append(
            _problem(
                label,
                row,
                "waarde",
                "share_out_of_range",
                "Een aandeel ligt tussen 0 en 1",
                "een getal tussen 0 en 1 (0,218 voor 21,8%)",
            )
        )
    if spec.kind == "count" and not pd.isna(value) and float(value) != int(value):
        problems.append(
            _problem(
                label,
                row,
                "waarde",
                "count_not_whole",
                "Een aantal is een geheel getal",
                "geheel getal",
            )
        )
    if spec.kind == "distribution" and (pd.isna(category) or category not in spec.categories):
        problems.append(
            _problem(
                label,
                row,
                "categorie",
                "unknown_category",
                "Onbekende categorie van deze verdeling",
                ", ".join(spec.categories),
            )
        )
    if spec.kind != "distribution" and not pd.isna(category):
        problems.append(
            _problem(
                label,
                row,
                "categorie",
                "category_not_expected",
                "Alleen een verdeling heeft categorieën",
                "leeg voor deze indicator",
            )
        )
    return problems


def _duplicates(label: str, frame: pd.DataFrame) -> list[Problem]:
    keys = ["indicator", "scope", "periode", "categorie"]
    doubled = frame[frame.duplicated(subset=keys, keep="first")]
    return [
        _problem(
            label,
            row,
            "indicator",
            "duplicate",
            "Dubbele regel",
            "één waarde per indicator, scope, periode en categorie",
        )
        for _, row in doubled.iterrows()
    ]
