"""Every word a report reader sees, defined once, in Dutch and English.

The words live in ``evallib/catalogue/*.yaml`` (one file per part of the reports), so a
translator edits text, not code. Use :func:`t` with a key and keyword values; numbers
are formatted by :func:`pct` and :func:`num`, the Dutch way by default (``24,3%``,
``1.234``) and the English way for ``lang="en"``.
"""

from __future__ import annotations

import datetime as dt
import math
from importlib import resources

import yaml

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


def num(value: float, decimals: int = 0, lang: str = "nl") -> str:
    """Format a number the Dutch way (thousands '.', decimals ',').

    Examples
    --------
    >>> num(1234), num(0.5, 2), num(1234.5, 1, "en")
    ('1.234', '0,50', '1,234.5')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def pct(share: float, decimals: int = 1, lang: str = "nl") -> str:
    """Format a share (0–1) as a percentage.

    Examples
    --------
    >>> pct(0.243), pct(0.2), pct(float("nan")), pct(0.243, lang="en")
    ('24,3%', '20,0%', '–', '24.3%')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return num(100 * share, decimals, lang) + "%"


def pp(diff: float, decimals: int = 1, lang: str = "nl") -> str:
    """Format a difference of shares in percentage points, with its sign.

    Examples
    --------
    >>> pp(0.053), pp(-0.02), pp(0.053, lang="en")
    ('+5,3 procentpunt', '−2,0 procentpunt', '+5.3 percentage points')
    """
    if diff is None or (isinstance(diff, float) and math.isnan(diff)):
        return "–"
    sign = "+" if diff >= 0 else "−"
    return t("unit.percentage_points", lang, value=sign + num(abs(100 * diff), decimals, lang))


#: Month names per language, January first (from the catalogue, ``unit.months``).
MONTHS = {lang: t("unit.months", lang) for lang in LANGUAGES}


def long_date(day: dt.date, lang: str = "nl") -> str:
    """A date as readers write it.

    Examples
    --------
    >>> long_date(dt.date(2016, 7, 31)), long_date(dt.date(2016, 7, 31), "en")
    ('31 juli 2016', '31 July 2016')
    """
    return f"{day.day} {MONTHS[lang].split()[day.month - 1]} {day.year}"
