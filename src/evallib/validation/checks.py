"""Run the validation suites over the typed tables and turn failures into problems.

The suites (:mod:`evallib.validation.suites`) check all schools' rows of one kind at once.
School-specific rules need helper columns (``_known_school``, ``_own_school``,
...) that :func:`add_helper_columns` adds; :func:`run_suite` runs a suite and
names every failing row as the school sees it (file, row, column).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from evallib.contract.programme import Programme
from evallib.contract.schema import files_for
from evallib.core.dates import format_school_year
from evallib.core.errors import EvallibError, Problem
from evallib.core.recent import Recent
from evallib.ingest.read import ROW, shown


def add_helper_columns(
    kind: str,
    frame: pd.DataFrame,
    programme: Programme,
    staff_keys: set[str],
    staff_schools: set[str],
) -> pd.DataFrame:
    """Columns that let one suite check school-specific rules for all schools at once.

    ``staff_keys`` holds ``"BRIN/docent_id"`` of every teacher in a typed
    ``personeel`` file; teachers of schools not in ``staff_schools`` (whose
    ``personeel`` could not be read) are not checked against it, so one bad file
    does not make every row of the others wrong too. Likewise project and role
    combinations are only checked for known projects and roles.
    """
    frame = frame.copy()
    known_locations = {f"{s.brin}/{loc}" for s in programme.schools for loc in s.locations}
    known_schools = {s.brin for s in programme.schools}
    frame["_known_school"] = frame["brin"].isna() | frame["brin"].isin(known_schools)
    frame["_own_school"] = (
        frame["brin"].isna() | ~frame["_known_school"] | (frame["brin"] == frame["_folder"])
    )
    key = frame["_folder"].astype(str) + "/" + frame["vestiging"].astype(str)
    frame["_known_location"] = frame["vestiging"].isna() | key.isin(known_locations)
    if kind in ("deelname", "lesuren"):
        teacher = frame["_folder"].astype(str) + "/" + frame["docent_id"].astype(str)
        frame["_known_teacher"] = (
            frame["docent_id"].isna()
            | ~frame["_folder"].isin(staff_schools)
            | teacher.isin(staff_keys)
        )
    if kind == "personeel":
        frame["_has_left"] = frame["datum_uit_dienst"].notna()
        frame["_is_starter"] = frame["starter"].fillna(False).astype(bool)
        frame["_years_since_qualifying"] = (
            frame["datum_in_dienst"].dt.year.astype("Int64") - frame["jaar_bevoegdheid"]
        ).astype("float64")
    if kind == "deelname":
        pairs = {f"{p.id}/{r}" for p in programme.projects for r in p.roles}
        combo = frame["project"].astype(str) + "/" + frame["rol"].astype(str)
        projects = [p.id for p in programme.projects]
        known_project = frame["project"].isin(projects).fillna(False).astype(bool)
        # roles whose selection date decides a go/no-go: the date is needed
        selected = {
            "/".join(programme.role_of(t))
            for t in programme.targets
            if t.measure.name == "selected"
        }
        frame["_selected_role"] = combo.isin(selected)
        frame["_role_fits_project"] = ~known_project | frame["rol"].isna() | combo.isin(pairs)
        allowed = {
            f"{brin}/{loc}/{p.id}"
            for p in programme.projects
            for brin, locs in p.participants.items()
            for loc in locs
        }
        where = (
            frame["_folder"].astype(str)
            + "/"
            + frame["vestiging"].astype(str)
            + "/"
            + frame["project"].astype(str)
        )
        frame["_location_in_project"] = (
            ~known_project | frame["vestiging"].isna() | where.isin(allowed)
        )
    if kind == "enquete":
        items = [i for i in programme.survey.items if i in frame.columns]
        frame["_scores"] = frame[items].notna().sum(axis=1)
    return frame


def _shown(value: object, column: str = "") -> str:
    """A found value for a message: dates as JJJJ-MM-DD, school years as 2014/15, short."""
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, tuple):
        return shown(" / ".join(_shown(v) for v in value), 80)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "(leeg)"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if column == "schooljaar" and pd.api.types.is_number(value):
        return format_school_year(int(value))
    return shown(value)


#: Problems of recently checked tables, by :func:`_table_key`. great_expectations costs about
#: half a second per suite however few the rows, and a process that validates again (a
#: notebook, ``verify``, the test suite) mostly sees tables it has checked already.
_CHECKED: Recent[tuple[Problem, ...]] = Recent(64)


def run_suite(kind: str, frame: pd.DataFrame, programme: Programme) -> list[Problem]:
    """Run the suite of ``kind`` over ``frame`` (with helper columns); one problem per failing row.

    A table already checked by this process against the same suite gives its problems again
    without running the suite: the result depends on nothing else.
    """
    # great_expectations takes seconds to import: only when there is a table to check.
    from evallib.validation.suites import suite_of

    frame = frame.reset_index(drop=True)
    rules = files_for(programme)[kind].all_rules(programme.reference_date)
    suite = suite_of(kind, rules)
    key = _table_key(kind, frame, repr(rules))
    return list(_CHECKED.get(key, lambda: tuple(_check(kind, frame, suite))))


def _check(kind: str, frame: pd.DataFrame, suite: Any) -> list[Problem]:
    from evallib.validation.suites import suite_of_failing

    batch = _batch_definition(kind).get_batch(batch_parameters={"dataframe": frame})
    # Which rules fail first, cheaply; then the failing rows of those rules only. The complete
    # result format costs about twice as much (0.98 s against 0.49 s for the example's four
    # tables), and most tables break no rule.
    quick = batch.validate(suite, result_format={"result_format": "BOOLEAN_ONLY"})
    failing = suite_of_failing(suite, quick.results)
    if failing is None:
        return []
    outcome = batch.validate(failing, result_format={"result_format": "COMPLETE"})
    return [
        problem
        for result in outcome.results
        if not result.success
        for problem in _problems_of(result, frame)
    ]


def _table_key(kind: str, frame: pd.DataFrame, rules: str) -> str:
    """A digest of everything a suite's outcome depends on: the rules, the columns with their
    types, and every cell (row numbers, files and helper columns included).

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1, 2]})
    >>> _table_key("k", a, "") == _table_key("k", a.copy(), "")
    True
    >>> _table_key("k", a, "") == _table_key("k", a.assign(x=[1, 3]), "")
    False
    >>> _table_key("k", a, "") == _table_key("k", a.astype(float), "")
    False
    """
    digest = hashlib.sha256(kind.encode())
    digest.update(rules.encode())
    digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _batch_definition(kind: str) -> Any:
    """The great_expectations batch definition for a whole DataFrame of ``kind``, made once."""
    from evallib.validation.suites import gx_context

    context = gx_context()
    name = f"evallib_{kind}"
    try:
        source = context.data_sources.get(name)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(name)
    try:
        asset = source.get_asset(kind)
    except LookupError:
        asset = source.add_dataframe_asset(kind)
    try:
        return asset.get_batch_definition("all")
    except (KeyError, LookupError, ValueError):
        return asset.add_batch_definition_whole_dataframe("all")


def _problems_of(result: Any, frame: pd.DataFrame) -> list[Problem]:
    """One problem per row that failed one expectation, named as the school sees it."""
    config = result.expectation_config
    meta = config.meta or {}
    if result.exception_info and result.exception_info.get("raised_exception"):
        raise EvallibError(
            f"Validatieregel {config.type} kon niet draaien: {result.exception_info.get('exception_message')}"
        )
    # Every failing row, from the index list: great_expectations caps the list of
    # failing *values* at 200, so rows are never paired with that list.
    indexes = [
        index.get("index", index) if isinstance(index, dict) else index
        for index in result.result.get("unexpected_index_list") or []
    ]
    column = (
        meta.get("column")
        or config.kwargs.get("column")
        or config.kwargs.get("column_A")
        or ", ".join(config.kwargs.get("column_list", []))
    )
    shown_columns = [c for c in column.split(", ") if c in frame.columns]
    rows = frame.loc[indexes, [ROW, "_label", "_folder", *shown_columns]]
    problems = []
    for row in rows.itertuples(index=False):
        values = row[3:]
        found = values[0] if len(values) == 1 else tuple(values) if values else None
        problems.append(
            Problem(
                file=str(row[1]),
                row=int(row[0]),
                column=column,
                code=meta.get("code", config.type),
                message=meta.get("message", config.type),
                expected=meta.get("expected", ""),
                found=_shown(found, column),
                school=str(row[2]),
            )
        )
    return problems
