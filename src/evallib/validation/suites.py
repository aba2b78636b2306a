"""The validation rules, kept as great_expectations suites built from the contract.

One suite per kind of file. Suites run over the files of all schools at once;
school-specific rules (the school's own BRIN, its locations, its staff ids) are
expressed through helper columns that start with ``_`` and hold keys such as
``"01GX/00"``. Every expectation carries in its ``meta`` the reason ``code`` and
the Dutch ``message`` and ``expected`` text that a school's administrator sees.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from evallib.contract.programme import Programme
from evallib.contract.schema import LEAVE_REASONS, Column, FileSpec, files_for


def _meta(code: str, message: str, expected: str, column: str | None = None) -> dict:
    meta = {"code": code, "message": message, "expected": expected}
    if column:
        meta["column"] = column  # the contract column to name when the rule uses a helper column
    return meta


def _column_rules(column: Column, reference_date: dt.date) -> Iterable[gxe.Expectation]:
    name = column.name
    if column.required:
        yield gxe.ExpectColumnValuesToNotBeNull(
            column=name, meta=_meta("required", "Verplicht veld is leeg", column.description)
        )
    if column.allowed:
        yield gxe.ExpectColumnValuesToBeInSet(
            column=name,
            value_set=list(column.allowed),
            meta=_meta(
                "not_allowed", "Waarde is niet toegestaan", "een van: " + ", ".join(column.allowed)
            ),
        )
    if column.kind in ("int", "decimal", "likert") and (
        column.minimum is not None or column.maximum is not None
    ):
        low = "" if column.minimum is None else f"{column.minimum:g}"
        high = "" if column.maximum is None else f"{column.maximum:g}"
        yield gxe.ExpectColumnValuesToBeBetween(
            column=name,
            min_value=column.minimum,
            max_value=column.maximum,
            meta=_meta(
                "out_of_range", "Waarde ligt buiten het mogelijke bereik", f"tussen {low} en {high}"
            ),
        )
    if column.kind == "date":
        yield gxe.ExpectColumnValuesToBeBetween(
            column=name,
            min_value=pd.Timestamp("1950-01-01"),
            max_value=pd.Timestamp(reference_date),
            meta=_meta(
                "date_out_of_range",
                "Datum ligt na de peildatum of vóór 1950",
                f"een datum tussen 1950-01-01 en de peildatum {reference_date:%Y-%m-%d}",
            ),
        )


def _school_rules(spec: FileSpec) -> Iterable[gxe.Expectation]:
    yield gxe.ExpectColumnValuesToBeInSet(
        column="_known_school",
        value_set=[True],
        meta=_meta(
            "unknown_school", "Onbekende school", "een BRIN-code uit het programmabestand", "brin"
        ),
    )
    yield gxe.ExpectColumnValuesToBeInSet(
        column="_own_school",
        value_set=[True],
        meta=_meta(
            "other_school",
            "Regel van een andere school in het bestand van deze school",
            "de BRIN-code van de map waarin het bestand staat",
            "brin",
        ),
    )
    yield gxe.ExpectColumnValuesToBeInSet(
        column="_known_location",
        value_set=[True],
        meta=_meta(
            "unknown_location",
            "Onbekende vestiging van deze school",
            "een vestigingsnummer van de school uit het programmabestand",
            "vestiging",
        ),
    )
    if spec.unique:
        yield gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["brin", *spec.unique],
            ignore_row_if="any_value_is_missing",  # a missing key is reported on its own
            meta=_meta(
                "duplicate", "Dubbele regel", "unieke combinatie van " + ", ".join(spec.unique)
            ),
        )


def _file_rules(spec: FileSpec, programme: Programme) -> Iterable[gxe.Expectation]:
    first = programme.baseline_years[0]
    last = programme.programme_years[1]
    if spec.name == "personeel":
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="datum_uit_dienst",
            column_B="datum_in_dienst",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(
                "end_before_start",
                "Datum uit dienst ligt vóór datum in dienst",
                "datum_uit_dienst op of na datum_in_dienst",
                "datum_uit_dienst",
            ),
        )
        yield gxe.ExpectColumnValuesToNotBeNull(
            column="reden_uit_dienst",
            row_condition="_has_left == True",
            condition_parser="pandas",
            meta=_meta(
                "reason_missing",
                "Reden uit dienst ontbreekt bij een vertrokken docent",
                "een reden: " + ", ".join(LEAVE_REASONS),
            ),
        )
        yield gxe.ExpectColumnValuesToBeNull(
            column="reden_uit_dienst",
            row_condition="_has_left == False",
            condition_parser="pandas",
            meta=_meta(
                "reason_without_end",
                "Reden uit dienst ingevuld zonder datum uit dienst",
                "leeg zolang datum_uit_dienst leeg is",
            ),
        )
        yield gxe.ExpectColumnValuesToNotBeNull(
            column="jaar_bevoegdheid",
            row_condition="_is_starter == True",
            condition_parser="pandas",
            meta=_meta(
                "starter_without_year",
                "Starter zonder jaar_bevoegdheid",
                "het jaar waarin de lerarenopleiding werd afgerond",
            ),
        )
        yield gxe.ExpectColumnValuesToBeBetween(
            column="_years_since_qualifying",
            min_value=0,
            max_value=5,
            row_condition="_is_starter == True",
            condition_parser="pandas",
            meta=_meta(
                "starter_too_experienced",
                "Starter rondde de opleiding niet 0–5 jaar vóór indiensttreding af",
                "jaar_bevoegdheid 0 tot 5 jaar vóór het jaar van datum_in_dienst",
                "jaar_bevoegdheid",
            ),
        )
        yield gxe.ExpectColumnValuesToBeBetween(
            column="geboortejaar",
            max_value=programme.reference_date.year - 18,
            meta=_meta(
                "too_young",
                "Geboortejaar maakt de docent jonger dan 18",
                f"uiterlijk {programme.reference_date.year - 18}",
            ),
        )
    if spec.name in ("deelname", "lesuren"):
        yield gxe.ExpectColumnValuesToBeInSet(
            column="_known_teacher",
            value_set=[True],
            meta=_meta(
                "unknown_teacher",
                "Docent-id komt niet voor in personeel van deze school",
                "een docent_id uit personeel",
                "docent_id",
            ),
        )
        low, high = (
            (programme.programme_years[0], last) if spec.name == "deelname" else (first, last)
        )
        yield gxe.ExpectColumnValuesToBeBetween(
            column="schooljaar",
            min_value=low,
            max_value=high,
            meta=_meta(
                "year_out_of_range",
                "Schooljaar valt buiten de periode van het programma",
                f"schooljaar van {low}/{(low + 1) % 100:02d} tot en met {high}/{(high + 1) % 100:02d}",
            ),
        )
    if spec.name == "deelname":
        yield gxe.ExpectColumnValuesToBeInSet(
            column="_role_fits_project",
            value_set=[True],
            meta=_meta(
                "role_not_in_project",
                "Rol hoort niet bij dit project",
                "; ".join(f"{p.id}: {', '.join(p.roles)}" for p in programme.projects),
                "rol",
            ),
        )
        yield gxe.ExpectColumnValuesToBeInSet(
            column="_location_in_project",
            value_set=[True],
            meta=_meta(
                "location_not_in_project",
                "Deze vestiging doet volgens het programma niet mee aan dit project",
                "een project waaraan de vestiging meedoet",
                "project",
            ),
        )
        yield gxe.ExpectColumnValuesToNotBeNull(
            column="datum_selectie",
            row_condition="_selected_role == True",
            condition_parser="pandas",
            meta=_meta(
                "selection_date_missing",
                "Datum van selectie ontbreekt bij een rol met een go/no-go op selectie",
                "de datum waarop de docent is geselecteerd",
            ),
        )
    if spec.name == "lesuren":
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="lesuren_totaal",
            column_B="lesuren_digitaal",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(
                "digital_above_total",
                "Meer digitale lesuren dan lesuren in totaal",
                "lesuren_digitaal niet groter dan lesuren_totaal",
                "lesuren_digitaal",
            ),
        )
    if spec.name == "enquete":
        items = programme.survey.items
        yield gxe.ExpectColumnValuesToBeBetween(
            column="_scores",
            min_value=1,
            meta=_meta(
                "no_scores",
                "Regel zonder enige score",
                "ten minste één score 1–5",
                ", ".join(items),
            ),
        )
        for item, item_spec in items.items():
            for group in sorted(set(programme.survey.groups) - set(item_spec.groups)):
                yield gxe.ExpectColumnValuesToBeNull(
                    column=item,
                    row_condition=f'groep == "{group}"',
                    condition_parser="pandas",
                    meta=_meta(
                        "item_not_asked",
                        f"Vraag '{item}' wordt niet aan {group} gesteld",
                        f"leeg voor groep {group}",
                    ),
                )


@functools.cache
def gx_context() -> gx.data_context.AbstractDataContext:
    """One in-memory great_expectations context per process, quiet and offline."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    return context


def build_suite(kind: str, programme: Programme) -> gx.ExpectationSuite:
    """The expectation suite for one kind of file under a programme.

    Examples
    --------
    >>> from evallib.contract.programme import load_programme
    >>> suite = build_suite("personeel", load_programme("programmes/haaglanden-2013.yaml"))
    >>> suite.name, len(suite.expectations) > 10
    ('personeel', True)
    """
    gx_context()
    spec = files_for(programme)[kind]
    suite = gx.ExpectationSuite(name=kind)
    for expectation in (
        *(
            rule
            for column in spec.columns
            for rule in _column_rules(column, programme.reference_date)
        ),
        *_school_rules(spec),
        *_file_rules(spec, programme),
    ):
        suite.add_expectation(expectation)
    return suite
