"""Every word a report reader sees, defined once, in Dutch and English.

The words live in ``evallib/catalogue/*.yaml`` (one file per part of the reports), so a
translator edits text, not code. Use :func:`t` with a key and keyword values. Numbers and
dates are formatted by Babel with the conventions of each language's CLDR locale
(:data:`LOCALES`): :func:`num`, :func:`pct`, :func:`pp` and :func:`long_date`, the Dutch
way by default (``24,3%``, ``1.234``, ``31 juli 2016``) and the English way for
``lang="en"``.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from importlib import resources

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("nl", "en")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_catalogue() -> dict[str, dict[str, str]]:
    """All ``catalogue/*.yaml`` files as one mapping; a key defined twice is an error."""
    catalogue: dict[str, dict[str, str]] = {}
    for source in sorted(resources.files(__package__).joinpath("catalogue").iterdir(), key=str):
        if not source.name.endswith(".yaml"):
            continue
        for key, entry in yaml.load(source.read_text(encoding="utf-8"), Loader=_Loader).items():
            if key in catalogue:
                raise KeyError(f"catalogue/{source.name}: text {key!r} is defined twice")
            catalogue[key] = entry
    return catalogue


#: key -> {"nl": ..., "en": ...}, from the YAML files in ``evallib/catalogue/``.
CATALOGUE: dict[str, dict[str, str]] = _load_catalogue()


def t(key: str, lang: str = "nl", **values: object) -> str:
    """Look up a text and fill in its values.

    Examples
    --------
    >>> t("status.onvoldoende_gegevens"), t("status.onvoldoende_gegevens", "en")
    ('onvoldoende gegevens', 'insufficient data')
    >>> t("reason.too_few", group="de nulmeting", n=6, min_n=10)
    'Te weinig gegevens: de nulmeting heeft minder dan 10 personen.'
    """
    entry = CATALOGUE[key]
    return entry.get(lang, entry["nl"]).format(**values)


def t_count(key: str, n: int, lang: str = "nl", **values: object) -> str:
    """:func:`t` for a text about ``n`` things: the ``<key>_one`` text when ``n`` is 1.

    Examples
    --------
    >>> t_count("provenance.files_of_school", 1, school="a")
    'a/ (1 bestand)'
    >>> t_count("provenance.files_of_school", 3, "en", school="a")
    'a/ (3 files)'
    """
    one = f"{key}_one"
    return t(one if n == 1 and one in CATALOGUE else key, lang, n=n, **values)


#: The Babel (CLDR) locale of each report language: its number symbols, grouping and long
#: date pattern. Dutch writes ``1.234,5``, ``24,3%`` and ``31 juli 2016``; British English
#: ``1,234.5``, ``24.3%`` and ``31 July 2016`` (American English would write July 31, 2016).
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _exact(value: float) -> Decimal:
    """``value`` as the exact decimal of its binary value.

    Babel rounds a :class:`~decimal.Decimal` half to even; given the float's exact value
    (not its shortest repr, which Babel would take from ``str``) it rounds as Python's
    ``format`` does: 2.675 is 2.67499999… and gives ``2.67``, as before.
    """
    return Decimal(value) if isinstance(value, int) else Decimal(float(value))


def _pattern(decimals: int) -> str:
    """A CLDR number pattern: grouped thousands and exactly ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def num(value: float, decimals: int = 0, lang: str = "nl") -> str:
    """Format a number as ``lang`` writes it (Dutch: thousands '.', decimals ',').

    Examples
    --------
    >>> num(1234), num(0.5, 2), num(1234.5, 1, "en"), num(-2.5, 1)
    ('1.234', '0,50', '1,234.5', '-2,5')
    """
    if _missing(value):
        return "–"
    return format_decimal(_exact(value), _pattern(decimals), locale=LOCALES[lang])


def short_num(value: float, lang: str = "nl") -> str:
    """A number with only the decimals it has (at most three) and no grouping: chart ticks.

    Examples
    --------
    >>> short_num(0.125), short_num(0.5, "en"), short_num(8.0)
    ('0,125', '0.5', '8')
    """
    return format_decimal(_exact(value), "0.###", locale=LOCALES[lang])


def pct(share: float, decimals: int = 1, lang: str = "nl") -> str:
    """Format a share (0–1) as a percentage.

    The share is multiplied by 100 in floating point, as the reports always did, and then
    rounded; a 0.5 at the rounding place can fall either way, as in 100 × 0.0245 = 2.45.

    Examples
    --------
    >>> pct(0.243), pct(0.2), pct(float("nan")), pct(0.243, lang="en"), pct(1234.5, 0)
    ('24,3%', '20,0%', '–', '24.3%', '123.450%')
    """
    if _missing(share):
        return "–"
    # Babel's percent pattern multiplies by 100 itself, exactly; scaleb(-2) hands it the
    # float product instead, so every percentage rounds as before.
    return format_percent(
        _exact(100 * share).scaleb(-2), _pattern(decimals) + "%", locale=LOCALES[lang]
    )


def pp(diff: float, decimals: int = 1, lang: str = "nl") -> str:
    """Format a difference of shares in percentage points, with its sign.

    The sign is always shown, and a minus is the typographic minus sign (U+2212), as
    in the other signed changes of the reports; CLDR's ``nl`` and ``en`` use a hyphen.

    Examples
    --------
    >>> pp(0.053), pp(-0.02), pp(0.053, lang="en"), pp(0.0)
    ('+5,3 procentpunt', '−2,0 procentpunt', '+5.3 percentage points', '+0,0 procentpunt')
    """
    if _missing(diff):
        return "–"
    value = format_decimal(
        _exact(100 * diff + 0.0),  # + 0.0: a negative zero counts as zero, with a plus
        f"+{_pattern(decimals)};−{_pattern(decimals)}",
        locale=LOCALES[lang],
    )
    return t("unit.percentage_points", lang, value=value)


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case, to go on after a colon or inside a
    sentence; a word that starts with two capitals (an abbreviation) stays as it is.

    Examples
    --------
    >>> lower_first("Ten minste één begeleider"), lower_first("HIP-deelname"), lower_first("")
    ('ten minste één begeleider', 'HIP-deelname', '')
    """
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


#: Characters that reorder text (bidirectional controls): shown by name, never obeyed.
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def visible(text: str) -> str:
    r"""``text`` with control and text-direction characters made visible, for terminals and HTML.

    Text from data (cells, file names) may hold escape sequences that clear or retitle a
    terminal, or right-to-left overrides that make ``exe.csv`` look like ``vsc.exe``.
    Control characters become ``\xNN`` escapes and direction controls ``<U+202E>``.

    Examples
    --------
    >>> visible("a\x1b[2Jb"), visible("fdp.\u202ecsv"), visible("gewoon één")
    ('a\\x1b[2Jb', 'fdp.<U+202E>csv', 'gewoon één')
    """
    if text.isprintable():
        return text
    return "".join(
        f"\\x{ord(c):02x}"
        if unicodedata.category(c) == "Cc" and ord(c) < 0x100
        else f"<U+{ord(c):04X}>"
        if ord(c) in _BIDI or unicodedata.category(c) == "Cc"
        else c
        for c in text
    )


def long_date(day: dt.date, lang: str = "nl") -> str:
    """A date as readers write it: CLDR's long date of ``lang``.

    Examples
    --------
    >>> long_date(dt.date(2016, 7, 31)), long_date(dt.date(2016, 7, 31), "en")
    ('31 juli 2016', '31 July 2016')
    """
    return format_date(day, "long", locale=LOCALES[lang])


def day_month(day: dt.date, lang: str = "nl") -> str:
    """A day and month without the year, e.g. ``1 augustus``.

    Examples
    --------
    >>> day_month(dt.date(2025, 8, 1)), day_month(dt.date(2025, 5, 31), "en")
    ('1 augustus', '31 May')
    """
    return format_date(day, "d MMMM", locale=LOCALES[lang])
