"""The linear-programming audit of linked tables, and secondary suppression (issue 13, point 1)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evallib.core.errors import DisclosureError
from evallib.evaluation.disclosure import Dimension, LinkedTable, audit, protect

K = 10


def _where(schools: list[list[str]]) -> Dimension:
    parts = {"regio": tuple(f"S{i}" for i in range(len(schools)))}
    parts.update({f"S{i}": tuple(locs) for i, locs in enumerate(schools) if len(locs) > 1})
    return Dimension.tree("where", parts)


PERIOD = Dimension.tree("period", {"alle": ("voor", "na")})


@st.composite
def linked_tables(draw):
    """A region of 2–5 schools with 1–3 locations, two periods, many small counts."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=5))
    schools = [[f"S{i}/{j}" for j in range(n)] if n > 1 else [f"S{i}"] for i, n in enumerate(sizes)]
    where = _where(schools)
    leaves = [leaf for locs in schools for leaf in locs]
    count = st.one_of(st.integers(0, 12), st.integers(10, 60))
    counts = {(leaf, p): draw(count) for leaf in leaves for p in ("voor", "na")}
    table = LinkedTable("starters", (where, PERIOD), counts)
    everything = list(table.cells)
    published = set(draw(st.lists(st.sampled_from(everything), unique=True, min_size=1)))
    if draw(st.booleans()):
        published = set(everything)  # the whole table, every total
    return table, published


def _nothing_related_left() -> tuple[LinkedTable, set]:
    """Found by hypothesis: once the related cells were hidden, the chooser had none left."""
    counts = {("S0", "voor"): 0, ("S0", "na"): 0, ("S1", "voor"): 9, ("S1", "na"): 0}
    counts |= {("S2/0", "voor"): 0, ("S2/0", "na"): 0, ("S2/1", "voor"): 1, ("S2/1", "na"): 10}
    table = LinkedTable("starters", (_where([["S0"], ["S1"], ["S2/0", "S2/1"]]), PERIOD), counts)
    return table, set(table.cells)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables())
@example(_nothing_related_left())
def test_secondary_suppression_makes_any_linked_table_pass(case):
    table, published = case
    secondary = protect([table], published, K)
    assert secondary <= published
    assert all(table.value(key) >= K for key in secondary)
    result = audit([table], published, secondary, K)
    assert result.passed, result.failures


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables(), st.data())
def test_a_cell_settled_by_trading_twins_is_protected_by_the_linear_program_too(case, data):
    # The shortcut (persons moved between atoms that every published cell counts together)
    # may only call a cell protected when the reader's linear program agrees.
    from evallib.evaluation.disclosure import _Check

    table, published = case
    hidden = {key for key in published if table.value(key) >= K and data.draw(st.booleans())}
    check = _Check(table, published, hidden, K)
    for key in table.cells:
        if 0 < table.value(key) < K:
            low, high = check._trades(key)
            lp_low, lp_high = check.reader.range([check.index[a] for a in key[1]])
            assert lp_low <= low + 1e-6 and lp_high >= high - 1e-6, table.name(key)


def test_leaky_table_set_fails_the_audit():
    """regio.html as it was: the region's 97 starters beside 33 + 34 + 29 leave 1 for Adelbert."""
    where = Dimension.tree("where", {"regio": ("14WE", "01MB", "01GX", "21HC")})
    counts = {("14WE",): 1, ("01MB",): 33, ("01GX",): 34, ("21HC",): 29}
    table = LinkedTable("starters", (where,), counts)
    published = {table.key({"where": w}) for w in ("regio", "14WE", "01MB", "01GX", "21HC")}
    result = audit([table], published, set(), K)
    assert [(f.cell, f.low, f.high) for f in result.failures] == [("starters[where=14WE]", 1, 1)]
    fixed = protect([table], published, K)
    assert [table.name(key) for key in fixed] == ["starters[where=21HC]"]
    assert audit([table], published, fixed, K).passed


def test_comparison_total_minus_one_school_fails():
    """The DiD table's 38 comparison starters 'na' minus Erasmus's 31 gives Grotius's 7."""
    where = Dimension.tree("where", {"vergelijking": ("00PJ", "20AB")})
    table = LinkedTable("starters", (where, PERIOD), {
        ("00PJ", "voor"): 22, ("20AB", "voor"): 13, ("00PJ", "na"): 31, ("20AB", "na"): 7,
    })  # fmt: skip
    published = {
        table.key({"where": w, "period": p})
        for w in ("vergelijking", "00PJ", "20AB")
        for p in ("voor", "na")
    }
    assert not audit([table], published, set(), K).passed
    secondary = protect([table], published, K)
    assert audit([table], published, secondary, K).passed


def test_hidden_cell_counts_as_at_least_the_threshold():
    """A secondary-suppressed cell tells the reader it holds at least 10: 13 − (≥ 10) ≤ 3."""
    where = Dimension.tree("where", {"regio": ("A", "B", "C")})
    table = LinkedTable("starters", (where,), {("A",): 3, ("B",): 10, ("C",): 0})
    published = {table.key({"where": w}) for w in ("regio", "A", "B", "C")}
    only_b = {table.key({"where": "B"})}
    assert not audit([table], published, only_b, K).passed  # A in 1..3 only
    assert audit([table], published, protect([table], published, K), K).passed


def test_inconsistent_breakdowns_are_refused():
    where = Dimension("where", (("S", ("a", "b")), ("S", ("a", "c"))))
    with pytest.raises(DisclosureError):
        where.leaves("S")


def test_relations_follow_from_the_hierarchies():
    where = _where([["S0/0", "S0/1"], ["S1"]])
    table = LinkedTable("starters", (where, PERIOD), {})
    named = {
        (table.name(r.total), tuple(sorted(table.name(p) for p in r.parts)))
        for r in table.relations
    }
    assert (
        "starters[where=regio, period=alle]",
        ("starters[where=S0, period=alle]", "starters[where=S1, period=alle]"),
    ) in named
    # region = schools and school = locations for each of 3 periods; all = before + after for
    # each of the 5 places
    assert len(table.relations) == 2 * 3 + 5
