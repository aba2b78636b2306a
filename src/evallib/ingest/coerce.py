"""Turn a :class:`~evallib.ingest.read.RawTable` into a typed table, one problem per bad cell.

Each column kind of the contract (:data:`evallib.contract.schema.KIND_FORMATS`) has one
parser (:mod:`evallib.ingest.parsers`). A cell that cannot be parsed becomes missing in the typed table and a
:class:`~evallib.core.errors.Problem` names its file, row and column, what was
expected and what was found. Whether a missing value is allowed, and whether a
value is in range, is decided afterwards by the validation suites.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evallib.contract.schema import ALL_FILES, KIND_FORMATS, Column, FileSpec
from evallib.core.errors import Problem
from evallib.ingest.parsers import (
    MESSAGES,
    PARSERS,
    TEXT_KINDS,
    CellError,
    is_blank,
    looks_like_formula,
    parse_cell,
    parse_date,
    parse_decimal,
    parse_int,
)
from evallib.ingest.read import ROW, RawTable, shown

__all__ = [
    "TEXT_KINDS",
    "coerce_column",
    "coerce_table",
    "looks_like_formula",
    "parse_date",
    "parse_decimal",
    "parse_int",
]


def coerce_column(
    values: pd.Series, rows: pd.Series, column: Column, label: str
) -> tuple[pd.Series, list[Problem]]:
    """Parse one column; unparseable cells become missing and a problem each.

    Examples
    --------
    >>> from evallib.contract.schema import STAFF
    >>> typed, problems = coerce_column(pd.Series(["1971", "19x1", ""]), pd.Series([2, 3, 4]),
    ...                                 STAFF.column("geboortejaar"), "personeel.csv")
    >>> typed.tolist(), [(p.row, p.found) for p in problems]
    ([1971, <NA>, <NA>], [(3, '19x1')])
    """
    _, dtype = PARSERS[column.kind]
    parsed: list[Any] = []
    problems = []
    # Dates, years, codes and categories repeat a lot: parse each distinct cell once. The type is
    # part of the key because 1, 1.0 and True are equal in Python but not the same cell.
    seen: dict[tuple[type, Any], Any] = {}
    for value, row in zip(values.tolist(), rows.tolist(), strict=True):
        key = (value.__class__, value)
        if key not in seen:
            seen[key] = _parse(value, column.kind)
        result = seen[key]
        if not isinstance(result, Exception):
            parsed.append(result)
        else:
            parsed.append(None)
            bad = result if isinstance(result, CellError) else CellError()
            problems.append(
                Problem(
                    file=label,
                    row=int(row),
                    column=column.name,
                    code=bad.code,
                    message=bad.message or MESSAGES[column.kind],
                    expected=bad.expected or KIND_FORMATS[column.kind],
                    found=shown(value),
                )
            )
    series = pd.Series(parsed, index=values.index, dtype="object")
    if dtype.startswith("datetime"):
        return pd.to_datetime(series), problems
    return series.astype(dtype), problems


def _parse(value: Any, kind: str) -> Any:
    """The typed cell (None if blank), or the exception that says why it does not parse."""
    if is_blank(value):
        return None
    try:
        return parse_cell(value, kind)
    except (CellError, ValueError, OverflowError) as exc:
        return exc


def coerce_table(raw: RawTable, spec: FileSpec | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every known column of a raw table; report missing and extra columns.

    ``spec`` is the file's contract for the programme (:func:`evallib.contract.schema.files_for`,
    which adds the survey's item columns); by default the contract without a programme.

    Returns the typed table (columns in contract order, plus ``_row``) and the
    problems: those found while reading (rows that did not fit the header), then
    missing required columns (errors), extra columns (warnings, not read) and bad
    cells.
    """
    spec = spec or ALL_FILES[raw.kind]
    problems: list[Problem] = list(raw.problems)
    present = set(raw.header)
    for column in spec.columns:
        if column.name not in present and column.required:
            problems.append(
                Problem(
                    file=raw.label,
                    row=raw.header_row,
                    column=column.name,
                    code="missing_column",
                    message="Verplichte kolom ontbreekt",
                    expected=f"kolom '{column.name}' ({column.description})",
                    found=shown("kolommen " + ", ".join(raw.header), 160),
                )
            )
    for name in raw.header:
        if name not in spec.column_names:
            problems.append(
                Problem(
                    file=raw.label,
                    row=raw.header_row,
                    column=shown(name),
                    code="extra_column",
                    message="Onbekende kolom wordt niet gelezen",
                    expected="alleen kolommen uit docs/data-format.md",
                    found=shown(name),
                    severity="warning",
                )
            )
    typed = {}
    for column in spec.columns:
        if column.name in present:
            typed[column.name], found = coerce_column(
                raw.frame[column.name], raw.frame[ROW], column, raw.label
            )
            problems.extend(found)
        else:
            _, dtype = PARSERS[column.kind]
            typed[column.name] = pd.Series([None] * len(raw.frame), dtype="object").astype(
                "datetime64[ns]" if dtype.startswith("datetime") else dtype
            )
    typed[ROW] = raw.frame[ROW].to_numpy()
    return pd.DataFrame(typed), problems
