"""Parse one cell by its column kind: the parsers behind :mod:`evallib.ingest.coerce`.

Each kind of the contract (:data:`evallib.contract.schema.KIND_FORMATS`) has one parser
that returns the typed value or raises a ``CellError`` saying what is wrong in
Dutch, with a reason code (``type``, ``formula``, ``ambiguous_number``,
``too_long``). Text that a spreadsheet would run as a formula is refused in
text columns, and wherever it does not parse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from evallib.core.dates import excel_serial_to_date, parse_school_year
from evallib.core.errors import EvallibError
from evallib.core.periods import parse_period

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
TEXT_KINDS = frozenset(
    {"id", "brin", "vestiging", "category", "schoolyear", "bool", "text", "period"}
)
_TEXT_LENGTH = 200
MESSAGES = {
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
    "text": "Tekst niet leesbaar",
    "period": "Periode niet herkend",
}


class CellError(ValueError):
    """A cell that does not fit its column kind; ``message``, ``code`` and ``expected`` say how."""

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
        raise CellError("Jaartal in de datum is niet mogelijk")
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
        raise CellError
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
    raise CellError


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
        raise CellError
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError
        return float(value)
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if _AMBIGUOUS.fullmatch(text):
        raise CellError(
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
        raise CellError
    return float(text)


def parse_int(value: Any) -> int:
    number = parse_decimal(value)
    if not float(number).is_integer():
        raise CellError
    return int(number)


def _parse_id(value: Any) -> str:
    text = _text(value)
    if len(text) > _ID_LENGTH:
        raise CellError(f"Code is langer dan {_ID_LENGTH} tekens", code="too_long")
    if not _ID.fullmatch(text):
        raise CellError
    return text


def _parse_brin(value: Any) -> str:
    text = _text(value).upper()
    if not _BRIN.fullmatch(text):
        raise CellError
    return text


def _parse_location(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[0-9]{1,2}", text):
        raise CellError
    return text.zfill(2)  # spreadsheets drop the leading zero of "00"


def _parse_bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError


def _parse_category(value: Any) -> str:
    return " ".join(_text(value).lower().split())


def _parse_school_year(value: Any) -> int:
    try:
        return parse_school_year(_text(value))
    except EvallibError:
        raise CellError from None


def _parse_text(value: Any) -> str:
    text = " ".join(_text(value).split())
    if len(text) > _TEXT_LENGTH:
        raise CellError(f"Tekst is langer dan {_TEXT_LENGTH} tekens", code="too_long")
    return text


def _parse_period(value: Any) -> str:
    try:
        return parse_period(_text(value)).label
    except EvallibError:
        raise CellError from None


PARSERS: dict[str, tuple[Callable[[Any], Any], str]] = {
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
    "text": (_parse_text, "string"),
    "period": (_parse_period, "string"),
}


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, NaN, or only spaces."""
    return value is None or (isinstance(value, float) and value != value) or _text(value) == ""


def _formula() -> CellError:
    return CellError(
        "Cel bevat een formule of begint met =, +, - of @",
        code="formula",
        expected="een gewone waarde (geen formule; niet beginnen met =, +, - of @)",
    )


def parse_cell(value: Any, kind: str) -> Any:
    """One cell typed by its column kind; a formula-looking text is refused first."""
    if kind in TEXT_KINDS and looks_like_formula(value):
        raise _formula()
    try:
        return PARSERS[kind][0](value)
    except (CellError, ValueError, OverflowError) as exc:
        if looks_like_formula(value) and getattr(exc, "code", "type") == "type":
            raise _formula() from None
        raise
