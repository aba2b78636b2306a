"""The rules over the rows of a school's files, declared as data on each file's spec.

Like pandera's checks, a rule says *what* must hold, not how it is run: a
:class:`~evallib.contract.schema.FileSpec` lists its rules, the validation layer turns each
kind of rule into a great_expectations expectation (:mod:`evallib.validation.suites`), and
``docs/data-format.md`` and the intake templates list the same rules. A rule's words (the
message a school sees, what was expected, the rule as a sentence) are catalogue entries
``check.<code>``, ``check.<code>.expected`` and ``check.<code>.rule`` in
``core/catalogue/checks.yaml``, with the rule's ``words`` filled in.

A rule may read a helper column (``on="_known_school"``) that validation adds because the
rule needs more than one row or file (the school's own BRIN, its staff ids), and may apply
only to the rows where a column has a value (``when=("_is_starter", True)``); the problem still
names the contract ``column`` the school can correct.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from evallib.core.text import t

#: Dates before this day are typing errors (no one in the data started work before it).
EARLIEST_DATE = dt.date(1950, 1, 1)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One rule over the rows of a file, with its reason code and words.

    Parameters
    ----------
    code
        Stable reason code; its words are ``check.<code>`` (and ``.expected``, ``.rule``) in
        the catalogue.
    column
        The contract column a failing row is reported under (several, comma-separated, for
        a combination).
    on
        The column the rule reads, when it is not ``column`` (a helper column ``_...``).
    when
        ``(column, value)``: only the rows where the column has that value are checked
        (``("_is_starter", True)``, ``("groep", "leerlingen")``).
    words
        The values filled into the rule's texts.

    Examples
    --------
    >>> rule = Filled(
    ...     code="starter_without_year", column="jaar_bevoegdheid", when=("_is_starter", True)
    ... )
    >>> rule.message(), rule.target
    ('Starter zonder jaar_bevoegdheid', 'jaar_bevoegdheid')
    >>> rule.statement("en")
    'starters have a jaar_bevoegdheid'
    """

    code: str
    column: str
    on: str = ""
    when: tuple[str, object] = ()
    words: dict[str, object] = field(default_factory=dict, hash=False)

    @property
    def target(self) -> str:
        """The column the rule reads."""
        return self.on or self.column

    def message(self, lang: str = "nl") -> str:
        """What is wrong with a row that breaks the rule."""
        return t(f"check.{self.code}", lang, **self.words)

    def expected(self, lang: str = "nl") -> str:
        """What the rule expected, as a school's administrator reads it."""
        return t(f"check.{self.code}.expected", lang, **self.words)

    def statement(self, lang: str = "nl") -> str:
        """The rule as one sentence (for the documentation and the templates)."""
        return t(f"check.{self.code}.rule", lang, **self.words)


@dataclass(frozen=True, kw_only=True)
class Filled(Rule):
    """The value is filled in."""


@dataclass(frozen=True, kw_only=True)
class Empty(Rule):
    """The value is empty."""


@dataclass(frozen=True, kw_only=True)
class OneOf(Rule):
    """The value is one of ``values``."""

    values: tuple[object, ...]


@dataclass(frozen=True, kw_only=True)
class Between(Rule):
    """The value lies between ``low`` and ``high`` (inclusive; ``None`` is open)."""

    low: object = None
    high: object = None


@dataclass(frozen=True, kw_only=True)
class NotBelow(Rule):
    """The value is not below the value of column ``other`` in the same row (both filled)."""

    other: str


@dataclass(frozen=True, kw_only=True)
class Unique(Rule):
    """Each combination of ``columns`` (all filled) occurs once."""

    columns: tuple[str, ...]


#: The rules of every school file: the school, its own folder and its locations.
SCHOOL_RULES: tuple[Rule, ...] = (
    OneOf(code="unknown_school", column="brin", on="_known_school", values=(True,)),
    OneOf(code="other_school", column="brin", on="_own_school", values=(True,)),
    OneOf(code="unknown_location", column="vestiging", on="_known_location", values=(True,)),
)


def unique_rule(keys: tuple[str, ...]) -> Unique:
    """Each combination of ``keys`` occurs once per school (a row missing a key is not counted).

    Examples
    --------
    >>> unique_rule(("docent_id",)).expected()
    'unieke combinatie van docent_id'
    """
    return Unique(
        code="duplicate",
        column=", ".join(("brin", *keys)),
        columns=("brin", *keys),
        words={"columns": ", ".join(keys)},
    )
