"""Turn a :class:`~evallib.io.RawTable` into a typed table, one problem per bad cell.

Each column kind of the contract (:data:`evallib.schema.KIND_FORMATS`) has one
parser. A cell that cannot be parsed becomes missing in the typed table and a
:class:`~evallib.errors.Problem` names its file, row and column, what was
expected and what was found. Whether a missing value is allowed, and whether a
value is in range, is decided afterwards by the validation suites.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from .dates import parse_school_year
from .errors import EvallibError, Problem
from .io import ROW, RawTable, excel_serial_to_date
from .schema import FILES, KIND_FORMATS, Column

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_BRIN = re.compile(r"^[0-9]{2}[A-Z]{2}$")
_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0"}
#: Excel serial day numbers we accept as dates (1954 … 2064).
_SERIAL_RANGE = (20000, 60000)


class _Bad(ValueError):
    """A cell that does not fit its column kind."""


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: Any) -> dt.date:
    """Parse a date as schools write it: ISO, Dutch day-first, or Excel serial.

    Examples
    --------
    >>> parse_date("01-08-2013"), parse_date("2013-08-01"), parse_date(41487)
    (datetime.date(2013, 8, 1), datetime.date(2013, 8, 1), datetime.date(2013, 8, 1))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return excel_serial_to_date(value)
        raise _Bad
    text = _text(value)
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return parse_date(float(text))
    text = text.split(" ")[0].split("T")[0]  # "2013-08-01 00:00:00" from spreadsheets
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _Bad


def parse_decimal(value: Any) -> float:
    """Parse a number written with a decimal point or a decimal comma.

    Examples
    --------
    >>> parse_decimal("96,5"), parse_decimal("1.234,5"), parse_decimal(640)
    (96.5, 1234.5, 640.0)
    """
    if isinstance(value, bool):
        raise _Bad
    if isinstance(value, int | float):
        return float(value)
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        # The separator that comes last is the decimal one.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise _Bad
    return float(text)


def parse_int(value: Any) -> int:
    number = parse_decimal(value)
    if not float(number).is_integer():
        raise _Bad
    return int(number)


def _parse_id(value: Any) -> str:
    text = _text(value)
    if not _ID.match(text):
        raise _Bad
    return text


def _parse_brin(value: Any) -> str:
    text = _text(value).upper()
    if not _BRIN.match(text):
        raise _Bad
    return text


def _parse_location(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"\d{1,2}", text):
        raise _Bad
    return text.zfill(2)  # spreadsheets drop the leading zero of "00"


def _parse_bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad


def _parse_category(value: Any) -> str:
    return " ".join(_text(value).lower().split())


def _parse_school_year(value: Any) -> int:
    try:
        return parse_school_year(_text(value))
    except EvallibError:
        raise _Bad from None


_PARSERS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "id": (_parse_id, "string"),
    "brin": (_parse_brin, "string"),
    "vestiging": (_parse_location, "string"),
    "int": (parse_int, "Int64"),
    "likert": (parse_int, "Int64"),
    "decimal": (parse_decimal, "float64"),
    "date": (parse_date, "datetime64[ns]"),
    "schoolyear": (_parse_school_year, "Int64"),
    "bool": (_parse_bool, "boolean"),
    "category": (_parse_category, "string"),
}


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or _text(value) == ""


def _shown(value: Any, limit: int = 40) -> str:
    text = _text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def coerce_column(
    values: pd.Series, rows: pd.Series, column: Column, label: str
) -> tuple[pd.Series, list[Problem]]:
    """Parse one column; unparseable cells become missing and a problem each.

    Examples
    --------
    >>> from evallib.schema import STAFF
    >>> typed, problems = coerce_column(pd.Series(["1971", "19x1", ""]), pd.Series([2, 3, 4]),
    ...                                 STAFF.column("geboortejaar"), "personeel.csv")
    >>> typed.tolist(), [(p.row, p.found) for p in problems]
    ([1971, <NA>, <NA>], [(3, '19x1')])
    """
    parse, dtype = _PARSERS[column.kind]
    parsed: list[Any] = []
    problems = []
    for value, row in zip(values.tolist(), rows.tolist(), strict=True):
        if _is_blank(value):
            parsed.append(None)
            continue
        try:
            parsed.append(parse(value))
        except (_Bad, ValueError, OverflowError):
            parsed.append(None)
            problems.append(
                Problem(
                    file=label,
                    row=int(row),
                    column=column.name,
                    code="type",
                    message="Waarde heeft niet de juiste vorm",
                    expected=KIND_FORMATS[column.kind],
                    found=_shown(value),
                )
            )
    series = pd.Series(parsed, index=values.index, dtype="object")
    if dtype.startswith("datetime"):
        return pd.to_datetime(series), problems
    return series.astype(dtype), problems


def coerce_table(raw: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every known column of a raw table; report missing and extra columns.

    Returns the typed table (columns in contract order, plus ``_row``) and the
    problems. Missing required columns are errors; extra columns are warnings
    and are not read.
    """
    spec = FILES[raw.kind]
    problems: list[Problem] = []
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
                    found="kolommen " + ", ".join(raw.header),
                )
            )
    for name in raw.header:
        if name not in spec.column_names:
            problems.append(
                Problem(
                    file=raw.label,
                    row=raw.header_row,
                    column=name,
                    code="extra_column",
                    message="Onbekende kolom wordt niet gelezen",
                    expected="alleen kolommen uit docs/data-format.md",
                    found=name,
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
            _, dtype = _PARSERS[column.kind]
            typed[column.name] = pd.Series([None] * len(raw.frame), dtype="object").astype(
                "datetime64[ns]" if dtype.startswith("datetime") else dtype
            )
    typed[ROW] = raw.frame[ROW].to_numpy()
    return pd.DataFrame(typed), problems
