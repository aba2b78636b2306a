"""The validation rules as great_expectations suites, built from the rules on each file's spec.

The rules are declared in the contract (:mod:`evallib.contract.rules`, on each
:class:`~evallib.contract.schema.FileSpec`); this module only turns each kind of rule into
an expectation (:func:`expectation`). One suite per kind of file. Suites run over the files
of all schools at once; school-specific rules (the school's own BRIN, its locations, its
staff ids) read helper columns that start with ``_`` (added by
:func:`evallib.validation.checks.add_helper_columns`). Every expectation carries in its
``meta`` the reason ``code``, the column to name and the Dutch ``message`` and ``expected``
text that a school's administrator sees.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from evallib.contract.programme import Programme
from evallib.contract.rules import Between, Empty, Filled, NotBelow, OneOf, Rule, Unique
from evallib.contract.schema import files_for


def _meta(rule: Rule) -> dict:
    """What :func:`evallib.validation.checks.run_suite` needs to name a failing row."""
    return {
        "code": rule.code,
        "message": rule.message(),
        "expected": rule.expected(),
        "column": rule.column,
    }


def _condition(rule: Rule) -> dict:
    """The row condition of a rule that holds only for some rows, as great_expectations takes it."""
    if not rule.when:
        return {}
    column, value = rule.when
    return {"row_condition": f"{column} == {value!r}", "condition_parser": "pandas"}


def _bound(value: object) -> object:
    """Dates are compared as the timestamps of the typed tables."""
    return pd.Timestamp(value) if isinstance(value, dt.date) else value


@functools.singledispatch
def expectation(rule: Rule) -> gxe.Expectation:
    """The great_expectations expectation that checks ``rule``.

    Examples
    --------
    >>> from evallib.contract.schema import STAFF
    >>> type(expectation(STAFF.rules[0])).__name__
    'ExpectColumnPairValuesAToBeGreaterThanB'
    """
    raise TypeError(f"no expectation for a rule of kind {type(rule).__name__}")


@expectation.register
def _(rule: Filled) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(
        column=rule.target, meta=_meta(rule), **_condition(rule)
    )


@expectation.register
def _(rule: Empty) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeNull(column=rule.target, meta=_meta(rule), **_condition(rule))


@expectation.register
def _(rule: OneOf) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(
        column=rule.target, value_set=list(rule.values), meta=_meta(rule), **_condition(rule)
    )


@expectation.register
def _(rule: Between) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(
        column=rule.target,
        min_value=_bound(rule.low),
        max_value=_bound(rule.high),
        meta=_meta(rule),
        **_condition(rule),
    )


@expectation.register
def _(rule: NotBelow) -> gxe.Expectation:
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=rule.target,
        column_B=rule.other,
        or_equal=True,
        ignore_row_if="either_value_is_missing",  # a missing value is reported on its own
        meta=_meta(rule),
    )


@expectation.register
def _(rule: Unique) -> gxe.Expectation:
    return gxe.ExpectCompoundColumnsToBeUnique(
        column_list=list(rule.columns),
        ignore_row_if="any_value_is_missing",  # a missing key is reported on its own
        meta=_meta(rule),
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
    return suite_of(kind, files_for(programme)[kind].all_rules(programme.reference_date))


@functools.lru_cache(maxsize=32)
def suite_of(kind: str, rules: tuple[Rule, ...]) -> gx.ExpectationSuite:
    """The suite of ``rules``, built once per process and shared: do not change it.

    Adding an expectation compares it with those already in the suite (about 40 ms a suite
    of ~20), and a run validates every school's files of a kind against the same rules.

    Examples
    --------
    >>> from evallib.contract.schema import HOURS
    >>> rules = HOURS.all_rules(dt.date(2016, 7, 31))
    >>> suite_of("lesuren", rules) is suite_of("lesuren", rules)
    True
    """
    gx_context()
    suite = gx.ExpectationSuite(name=kind)
    for rule in rules:
        suite.add_expectation(expectation(rule))
    return suite


def suite_of_failing(suite: gx.ExpectationSuite, results: list) -> gx.ExpectationSuite | None:
    """The expectations of ``suite`` that failed in ``results``, in the suite's order, as a
    suite of their own; ``None`` when all passed.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from evallib.contract.schema import HOURS
    >>> suite = suite_of("lesuren", HOURS.all_rules(dt.date(2016, 7, 31)))
    >>> results = [SimpleNamespace(success=i != 1, expectation_config=e.configuration)
    ...            for i, e in enumerate(suite.expectations)]
    >>> failing = suite_of_failing(suite, results)
    >>> [e.meta["code"] for e in failing.expectations] == [suite.expectations[1].meta["code"]]
    True
    >>> suite_of_failing(suite, results[:1]) is None
    True
    """
    failed = [r.expectation_config for r in results if not r.success]
    if not failed:
        return None
    return gx.ExpectationSuite(name=suite.name, expectations=[c.to_domain_obj() for c in failed])
