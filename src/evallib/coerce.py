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
from .io import ROW, RawTable, excel_serial_to_date, shown
from .schema import FILES, KIND_FORMATS, Column

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_ID_LENGTH = 32
_BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")
#: "1.000" or "2,500": a thousands separator or a decimal mark? We do not guess.
_AMBIGUOUS = re.compile(r"[-+]?[1-9][0-9]{0,2}[.,][0-9]{3}")
#: Cells that a spreadsheet would run as a formula (CSV/formula injection).
_FORMULA = re.compile(r"[=+\-@].")
_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0"}
#: Excel serial day numbers we accept as dates (1954 … 2064).
_SERIAL_RANGE = (20000, 60000)
#: Years a date may have; anything else is a typing error (and pandas cannot hold it).
_YEARS = (1900, 2100)
#: Kinds whose cells are text that ends up in tables people open: no formulas there.
TEXT_KINDS = frozenset({"id", "brin", "vestiging", "category", "schoolyear", "bool"})
_MESSAGES = {
    "id": "Code bevat tekens die niet zijn toegestaan",
    "brin": "Geen geldige BRIN-code",
    "vestiging": "Geen geldig vestigingsnummer",
    "int": "Geen geheel getal",
    "likert": "Geen score van 1 t/m 5",
    "decimal": "Geen getal",
    "date": "Datum niet herkend",
    "schoolyear": "Schooljaar niet herkend",
    "bool": "Geen ja of nee",
    "category": "Waarde niet herkend",
}


class _Bad(ValueError):
    """A cell that does not fit its column kind; ``message`` and ``code`` say how."""

    def __init__(self, message: str | None = None, code: str = "type", expected: str = "") -> None:
        super().__init__(message or "")
        self.message = message
        self.code = code
        self.expected = expected


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet would run as a formula: ``=…``, ``+…``, ``-…``, ``@…``.

    Examples
    --------
    >>> looks_like_formula('=HYPERLINK("http://x","y")'), looks_like_formula("-"), looks_like_formula(-1)
    (True, False, False)
    """
    return isinstance(value, str) and _FORMULA.match(value.strip()) is not None


def _checked_year(day: dt.date) -> dt.date:
    if not _YEARS[0] <= day.year <= _YEARS[1]:
        raise _Bad("Jaartal in de datum is niet mogelijk")
    return day


def parse_date(value: Any) -> dt.date:
    """Parse a date as schools write it: ISO, Dutch day-first, or Excel serial.

    Examples
    --------
    >>> parse_date("01-08-2013"), parse_date("2013-08-01"), parse_date(41487)
    (datetime.date(2013, 8, 1), datetime.date(2013, 8, 1), datetime.date(2013, 8, 1))
    """
    if isinstance(value, dt.datetime):
        return _checked_year(value.date())
    if isinstance(value, dt.date):
        return _checked_year(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return excel_serial_to_date(value)
        raise _Bad
    text = _text(value)
    if re.fullmatch(r"[0-9]{5}(\.0+)?", text):
        return parse_date(float(text))
    text = text.split(" ")[0].split("T")[0]  # "2013-08-01 00:00:00" from spreadsheets
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return _checked_year(day)
    raise _Bad


def parse_decimal(value: Any) -> float:
    """Parse a number written with a decimal point or a decimal comma.

    A number like ``1.000`` could mean one or a thousand; it is refused rather
    than guessed.

    Examples
    --------
    >>> parse_decimal("96,5"), parse_decimal("1.234,5"), parse_decimal(640)
    (96.5, 1234.5, 640.0)
    """
    if isinstance(value, bool):
        raise _Bad
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Bad
        return float(value)
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if _AMBIGUOUS.fullmatch(text):
        raise _Bad(
            "Getal niet eenduidig: is de punt of komma een scheiding van duizendtallen?",
            code="ambiguous_number",
            expected="getal zonder scheiding van duizendtallen, bijv. 1000 of 1000,5",
        )
    if "," in text and "." in text:
        # The separator that comes last is the decimal one.
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise _Bad
    return float(text)


def parse_int(value: Any) -> int:
    number = parse_decimal(value)
    if not float(number).is_integer():
        raise _Bad
    return int(number)


def _parse_id(value: Any) -> str:
    text = _text(value)
    if len(text) > _ID_LENGTH:
        raise _Bad(f"Code is langer dan {_ID_LENGTH} tekens", code="too_long")
    if not _ID.fullmatch(text):
        raise _Bad
    return text


def _parse_brin(value: Any) -> str:
    text = _text(value).upper()
    if not _BRIN.fullmatch(text):
        raise _Bad
    return text


def _parse_location(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[0-9]{1,2}", text):
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


def _formula() -> _Bad:
    return _Bad(
        "Cel bevat een formule of begint met =, +, - of @",
        code="formula",
        expected="een gewone waarde (geen formule; niet beginnen met =, +, - of @)",
    )


def _parse_cell(value: Any, kind: str) -> Any:
    """One cell typed by its column kind; a formula-looking text is refused first."""
    if kind in TEXT_KINDS and looks_like_formula(value):
        raise _formula()
    try:
        return _PARSERS[kind][0](value)
    except (_Bad, ValueError, OverflowError) as exc:
        if looks_like_formula(value) and getattr(exc, "code", "type") == "type":
            raise _formula() from None
        raise


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
    _, dtype = _PARSERS[column.kind]
    parsed: list[Any] = []
    problems = []
    for value, row in zip(values.tolist(), rows.tolist(), strict=True):
        if _is_blank(value):
            parsed.append(None)
            continue
        try:
            parsed.append(_parse_cell(value, column.kind))
        except (_Bad, ValueError, OverflowError) as exc:
            parsed.append(None)
            bad = exc if isinstance(exc, _Bad) else _Bad()
            problems.append(
                Problem(
                    file=label,
                    row=int(row),
                    column=column.name,
                    code=bad.code,
                    message=bad.message or _MESSAGES[column.kind],
                    expected=bad.expected or KIND_FORMATS[column.kind],
                    found=shown(value),
                )
            )
    series = pd.Series(parsed, index=values.index, dtype="object")
    if dtype.startswith("datetime"):
        return pd.to_datetime(series), problems
    return series.astype(dtype), problems


def coerce_table(raw: RawTable) -> tuple[pd.DataFrame, list[Problem]]:
    """Type every known column of a raw table; report missing and extra columns.

    Returns the typed table (columns in contract order, plus ``_row``) and the
    problems: those found while reading (rows that did not fit the header), then
    missing required columns (errors), extra columns (warnings, not read) and bad
    cells.
    """
    spec = FILES[raw.kind]
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
            _, dtype = _PARSERS[column.kind]
            typed[column.name] = pd.Series([None] * len(raw.frame), dtype="object").astype(
                "datetime64[ns]" if dtype.startswith("datetime") else dtype
            )
    typed[ROW] = raw.frame[ROW].to_numpy()
    return pd.DataFrame(typed), problems
