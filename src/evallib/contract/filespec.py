"""The types of the raw data contract: a column, a kind of file, and how each kind of value is written.

:mod:`evallib.contract.schema` declares the files a school delivers with these types; the
rules over their rows are :mod:`evallib.contract.rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from evallib.contract.rules import (
    EARLIEST_DATE,
    SCHOOL_RULES,
    Between,
    Filled,
    OneOf,
    Rule,
    unique_rule,
)

#: Column kinds and how a value of that kind is written.
KIND_FORMATS = {
    "id": "letters, cijfers, '-' of '_', te beginnen met een letter of cijfer (max. 32 tekens)",
    "brin": "BRIN-code: 2 cijfers en 2 letters, bijv. 01GX",
    "vestiging": "vestigingsnummer: 2 cijfers, bijv. 00",
    "int": "geheel getal",
    "decimal": "getal, decimaalteken punt of komma",
    "date": "datum JJJJ-MM-DD of DD-MM-JJJJ (of een Excel-datum)",
    "schoolyear": "schooljaar als 2013/14",
    "bool": "ja of nee",
    "category": "een van de toegestane waarden",
    "likert": "geheel getal 1 t/m 5, of leeg",
    "text": "tekst (max. 200 tekens)",
    "period": "schooljaar als 2023/24, of kalenderjaar als 2024",
}


@dataclass(frozen=True)
class Column:
    """One column of a raw file.

    ``allowed`` lists the allowed values of a category column; ``minimum`` and
    ``maximum`` bound numbers and years.
    """

    name: str
    kind: str
    required: bool
    description: str
    example: str
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def rules(self, reference_date: dt.date) -> tuple[Rule, ...]:
        """The rules the column's declaration implies: filled, allowed values, range, dates.

        Examples
        --------
        >>> from evallib.contract.schema import STAFF
        >>> [r.code for r in STAFF.column("datum_in_dienst").rules(dt.date(2016, 7, 31))]
        ['required', 'date_out_of_range']
        """
        name, rules = self.name, []
        if self.required:
            rules.append(
                Filled(code="required", column=name, words={"description": self.description})
            )
        if self.allowed:
            words = {"values": ", ".join(self.allowed)}
            rules.append(OneOf(code="not_allowed", column=name, values=self.allowed, words=words))
        if self.kind in ("int", "decimal", "likert") and (
            self.minimum is not None or self.maximum is not None
        ):
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            rules.append(
                Between(
                    code="out_of_range",
                    column=name,
                    low=self.minimum,
                    high=self.maximum,
                    words={"low": low, "high": high},
                )
            )
        if self.kind == "date":
            rules.append(
                Between(
                    code="date_out_of_range",
                    column=name,
                    low=EARLIEST_DATE,
                    high=reference_date,
                    words={
                        "low": f"{EARLIEST_DATE:%Y-%m-%d}",
                        "high": f"{reference_date:%Y-%m-%d}",
                    },
                )
            )
        return tuple(rules)


@dataclass(frozen=True)
class FileSpec:
    """One kind of file a school delivers (CSV or XLSX, one per school).

    ``unique`` names the columns whose combination occurs once per school; ``rules`` are the
    file's own rules over its rows (:mod:`evallib.contract.rules`), beside those its columns
    imply; ``notes`` state rules that are checked by code of their own (the region's
    indicator file, :mod:`evallib.validation.indicators`).
    """

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def all_rules(self, reference_date: dt.date) -> tuple[Rule, ...]:
        """Every rule a school's file of this kind is checked against, in the order they run.

        The columns' rules, the school's (:data:`~evallib.contract.rules.SCHOOL_RULES`),
        the unique combination, then the file's own.

        Examples
        --------
        >>> from evallib.contract.schema import HOURS
        >>> [r.code for r in HOURS.all_rules(dt.date(2016, 7, 31))][-3:]
        ['duplicate', 'unknown_teacher', 'digital_above_total']
        """
        return (
            *(rule for column in self.columns for rule in column.rules(reference_date)),
            *SCHOOL_RULES,
            *((unique_rule(self.unique),) if self.unique else ()),
            *self.rules,
        )
