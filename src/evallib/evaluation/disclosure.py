"""Linked tables of published counts, and an audit that no suppressed count can be worked out.

A report shows counts of one *population* (e.g. starting teachers) in many places: per
location, per school, for the region, for the comparison schools, before and during the
programme. Every such count is a **cell**: the population and one node per *dimension*
(``where``: a location, a school, the region; ``period``: the nulmeting, the programme, both).
Each dimension is a hierarchy of nodes; a node with parts gives a **relation**
(region = sum of schools, school = sum of locations, both periods = nulmeting + programme),
for every combination of the other dimensions' nodes. Nothing is listed by hand: the cells
and relations follow from the hierarchies (:class:`Dimension`, :class:`LinkedTable`).

The audit (:func:`audit`) does what τ-ARGUS does: for every cell with 1 to ``min_group - 1``
persons it computes, by linear programming, the smallest and largest value an attacker can
infer from every published cell, knowing that counts are at least zero, that a cell shown
as "minder dan 10" holds 1 to ``min_group - 1`` and that a cell hidden to protect another
(secondary suppression) holds at least ``min_group``. A cell is *protected* when that range
still covers 1 … ``min_group - 1``: the attacker learns nothing beyond the label.
:func:`protect` suppresses more published cells until every cell is protected.

Examples
--------
The Adelbert leak: a regional total beside all but one of its schools.

>>> where = Dimension.tree("where", {"regio": ("A", "B", "C")})
>>> table = LinkedTable("starters", (where,), {("A",): 1, ("B",): 33, ("C",): 63})
>>> shown = {table.key({"where": n}) for n in ("regio", "A", "B", "C")}
>>> [f.cell for f in audit([table], shown, set(), 10).failures]
['starters[where=A]']
>>> extra = protect([table], shown, 10)
>>> [table.name(key) for key in extra], audit([table], shown, extra, 10).passed
(['starters[where=B]'], True)
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from evallib.core.errors import DisclosureError
from evallib.evaluation.cells import Atom, CellKey, Dimension, LinkedTable, Relation
from evallib.evaluation.reader import Constraint, Reader

__all__ = [
    "Atom",
    "Audit",
    "CellKey",
    "Dimension",
    "Finding",
    "LinkedTable",
    "Relation",
    "audit",
    "protect",
]

_EPS = 1e-6


@dataclass(frozen=True)
class Finding:
    """What an attacker can infer about one small cell."""

    cell: str
    value: int
    low: float  # the reader's range, in whole persons
    high: float
    protected: bool


@dataclass
class Audit:
    """The audit of a set of published cells: one finding per small cell."""

    findings: list[Finding] = field(default_factory=list)
    programs: int = 0  # linear programs solved
    seconds: float = 0.0

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.protected]

    @property
    def passed(self) -> bool:
        return not self.failures


def is_small(n: int, min_group: int) -> bool:
    return 0 < n < min_group


def _reader_of(
    table: LinkedTable,
    published: set[CellKey],
    secondary: set[CellKey],
    k: int,
    labels_only: bool = False,
) -> tuple[Reader, dict[Atom, int]]:
    """The reader's linear program: what each published cell says about its atoms."""
    index = {atom: i for i, atom in enumerate(table.atoms)}
    constraints: list[Constraint] = []
    for key in sorted(published, key=table.name):
        if key[0] != table.population:
            continue
        value, cols = table.value(key), [index[a] for a in key[1]]
        if is_small(value, k):  # labelled "minder dan k": 1 <= sum <= k - 1
            constraints += [(cols, "<=", k - 1.0), (cols, ">=", 1.0)]
        elif key in secondary:  # hidden to protect another: the reader knows sum >= k
            if value < k:
                raise DisclosureError(
                    "Alleen een groep van minstens de drempel kan extra verborgen worden",
                    found=f"{table.name(key)} = {value}",
                )
            constraints.append((cols, ">=", float(k)))
        elif value == 0 or not labels_only:  # a shown zero is as good as a label
            constraints.append((cols, "=", float(value)))
    return Reader(len(index), constraints), index


def _reader(low: float, high: float) -> tuple[int, float]:
    """Counts are whole numbers: the reader's range is [ceil(low), floor(high)]."""
    return math.ceil(low - _EPS), high if math.isinf(high) else math.floor(high + _EPS)


class _Check:
    """Whether a reader of the published numbers learns more about a small cell than its label.

    The label range is 1 … k - 1, narrowed only by what the labels of all hidden cells and the
    shown zeros imply together (two cells "minder dan 10" that add up to a third: each is at
    most 8). A cell is protected when the reader's range, from everything published, still
    covers that range.

    Most small cells are settled without a linear program: atoms that every published cell
    counts together or not at all (two locations of one school that no table shows apart)
    can trade persons without changing any shown number. When such trades alone take the
    cell down to 1 or less and up to k - 1 or more, the reader's range covers the label
    and the finding gives that inner range (:meth:`_trades`).
    """

    def __init__(
        self, table: LinkedTable, published: set[CellKey], secondary: set[CellKey], k: int
    ) -> None:
        self.table, self.k = table, k
        self.reader, self.index = _reader_of(table, published, secondary, k)
        self.labels, _ = _reader_of(table, published, secondary, k, labels_only=True)
        signature: dict[int, list[int]] = {}
        for number, (cols, _, _) in enumerate(self.reader.constraints):
            for c in cols:
                signature.setdefault(c, []).append(number)
        #: atom -> its class: the atoms in exactly the same constraints (None: in none)
        self.twins = {
            i: tuple(signature[i]) if i in signature else None for i in self.index.values()
        }
        self.size: dict[tuple | None, int] = {}
        for atom, i in self.index.items():
            self.size[self.twins[i]] = self.size.get(self.twins[i], 0) + table.counts.get(atom, 0)

    @property
    def programs(self) -> int:
        return self.reader.programs + self.labels.programs

    def blocks(self, key: CellKey) -> set[int]:
        """The independent blocks of the reader's program that the cell's atoms are in."""
        return {self.reader.block[self.index[a]] for a in key[1]}

    def _trades(self, key: CellKey) -> tuple[float, float]:
        """A range the reader cannot narrow: the cell's value after moving persons between
        twin atoms (no shown number changes), as far as the true counts allow."""
        inside: dict[tuple | None, int] = {}
        for atom in key[1]:
            twin = self.twins[self.index[atom]]
            inside[twin] = inside.get(twin, 0) + self.table.counts.get(atom, 0)
        low = high = 0.0
        for twin, count in inside.items():
            if twin is None:  # in no published cell: anything from 0 up
                high = math.inf
            elif self.size[twin] > count:  # twins outside the cell: all in, or all out
                high += self.size[twin]
            else:  # only twins inside the cell: their sum is fixed as far as trades go
                low, high = low + count, high + count
        return low, high

    def finding(self, key: CellKey) -> Finding:
        low, high = self._trades(key)
        if low <= 1 and high >= self.k - 1:
            return Finding(self.table.name(key), self.table.value(key), low, high, True)
        cols = [self.index[a] for a in key[1]]
        low, high = _reader(*self.reader.range(cols))
        need = (1, self.k - 1)
        if not (low <= need[0] and high >= need[1]):
            label_low, label_high = _reader(*self.labels.range(cols))
            need = (max(label_low, 1), min(label_high, self.k - 1))
        protected = low <= need[0] and high >= need[1]
        return Finding(self.table.name(key), self.table.value(key), low, high, protected)


def _small_cells(table: LinkedTable, k: int) -> list[CellKey]:
    return [key for key in table.cells if is_small(table.value(key), k)]


def audit(
    tables: Iterable[LinkedTable],
    published: set[CellKey],
    secondary: set[CellKey],
    min_group: int,
) -> Audit:
    """What a reader can infer about every small cell of the tables, published or not.

    Parameters
    ----------
    tables
        One linked table per population.
    published
        The cells a run shows anywhere (shown, or hidden with a label).
    secondary
        Published cells hidden to protect others (their value is at least ``min_group``).
    min_group
        Smallest group that may be shown.

    Returns
    -------
    Audit
        A finding per cell of 1 to ``min_group - 1`` persons; it is protected when the reader's
        range still covers 1 … ``min_group - 1``.

    Examples
    --------
    >>> where = Dimension.tree("where", {"regio": ("A", "B")})
    >>> t = LinkedTable("starters", (where,), {("A",): 4, ("B",): 30})
    >>> audit([t], {t.key({"where": "regio"}), t.key({"where": "A"})}, set(), 10).passed
    True
    >>> audit([t], {t.key({"where": "regio"}), t.key({"where": "B"})}, set(), 10).failures
    [Finding(cell='starters[where=A]', value=4, low=4, high=4, protected=False)]
    """
    started, result = time.perf_counter(), Audit()
    for table in tables:
        check = _Check(table, published, secondary, min_group)
        result.findings += [check.finding(key) for key in _small_cells(table, min_group)]
        result.programs += check.programs
    result.seconds = time.perf_counter() - started
    return result


def protect(tables: Iterable[LinkedTable], published: set[CellKey], min_group: int) -> set[CellKey]:
    """Published cells to hide as well, so that every small cell passes :func:`audit`.

    Greedy, as τ-ARGUS's heuristics: for each small cell in turn, while it can be worked out,
    hide the smallest shown cell in a relation with it (then with a cell that overlaps it,
    then any shown cell that overlaps it). Hiding only widens what a reader can infer, so a
    cell that passed keeps passing. Last, hidden cells that later choices made needless are
    shown again, largest first.

    Raises
    ------
    DisclosureError
        When nothing more can be hidden and a small cell can still be worked out.

    Examples
    --------
    >>> where = Dimension.tree("where", {"regio": ("A", "B", "C")})
    >>> t = LinkedTable("starters", (where,), {("A",): 2, ("B",): 40, ("C",): 25})
    >>> shown = {t.key({"where": w}) for w in ("regio", "A", "B", "C")}
    >>> sorted(t.name(key) for key in protect([t], shown, 10))
    ['starters[where=C]']
    """
    secondary: set[CellKey] = set()
    for table in tables:
        chooser = _Chooser(table, published, min_group)
        check = _Check(table, published, secondary, min_group)
        for cell in _small_cells(table, min_group):
            while not check.finding(cell).protected:
                secondary.add(chooser.choose(cell, secondary))
                check = _Check(table, published, secondary, min_group)
        _release(table, published, secondary, min_group)
    return secondary


def _release(table: LinkedTable, published: set[CellKey], secondary: set[CellKey], k: int) -> None:
    """Show again, largest first, each hidden cell whose hiding a later choice made needless.

    Only the small cells linked to the released cell (its blocks) can be affected.
    """
    small = _small_cells(table, k)
    mine = [key for key in secondary if key[0] == table.population]
    for key in sorted(mine, key=lambda c: (-table.value(c), table.name(c))):
        secondary.discard(key)
        check = _Check(table, published, secondary, k)
        near = check.blocks(key)
        # Most hidden cells are still needed: ask first about the small cells in a relation
        # with this one, which are the likeliest to fail, so that the check stops early.
        related = {a for r in table.relations if key in r.cells for c in r.cells for a in c[1]}
        linked = sorted(
            (c for c in small if check.blocks(c) & near), key=lambda c: not (c[1] & related)
        )
        if not all(check.finding(c).protected for c in linked):
            secondary.add(key)


class _Chooser:
    """Which shown cell to hide next for a cell that can be worked out."""

    def __init__(self, table: LinkedTable, published: set[CellKey], k: int) -> None:
        self.table, self.k = table, k
        self.shown = {
            key for key in published if key[0] == table.population and table.value(key) >= k
        }
        self.relations: dict[CellKey, list[Relation]] = {}
        for relation in table.relations:
            for key in relation.cells:
                self.relations.setdefault(key, []).append(relation)

    def choose(self, cell: CellKey, hidden: set[CellKey]) -> CellKey:
        overlapping = [key for key in self.table.cells if key[1] & cell[1]]
        tiers = [
            {c for r in self.relations.get(cell, []) for c in r.cells},
            {c for key in overlapping for r in self.relations.get(key, []) for c in r.cells},
            set(overlapping),
            # Nothing related is left to hide: any published cell of the table, so that
            # suppression goes on until the audit passes rather than stopping short.
            set(self.table.cells),
        ]
        for tier in tiers:
            candidates = (tier & self.shown) - hidden - {cell}
            if candidates:
                return min(candidates, key=lambda c: (self.table.value(c), self.table.name(c)))
        raise DisclosureError(
            "Een kleine groep is uit gepubliceerde aantallen terug te rekenen",
            found=self.table.name(cell),
            hint="Publiceer minder aantallen van deze groep",
        )
