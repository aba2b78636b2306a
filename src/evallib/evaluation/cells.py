"""Cells of published counts and the relations between them, from dimension hierarchies.

A cell is a population and one node per dimension (``where``: a location, a school, the
region; ``period``: the nulmeting, the programme, both). A node with parts gives a relation
(region = sum of schools, school = sum of locations, both periods = nulmeting + programme)
for every combination of the other dimensions' nodes. A cell is identified by the *atoms*
(one leaf per dimension) it adds up, so two names for the same group are one cell.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from evallib.core.errors import DisclosureError

Atom = tuple[str, ...]  # one leaf per dimension
#: A cell, identified by its population and the atoms (leaf combinations) it adds up.
CellKey = tuple[str, frozenset]


@dataclass(frozen=True)
class Dimension:
    """A hierarchy of nodes: each breakdown says a node is the sum of its parts.

    A node may have more than one breakdown (a school is the sum of its locations, and also
    of its project part and the rest); every breakdown of a node must cover the same leaves.

    Examples
    --------
    >>> d = Dimension.tree("where", {"regio": ("01GX", "02DZ"), "02DZ": ("02DZ/00", "02DZ/04")})
    >>> sorted(d.leaves("regio")), d.nodes
    (['01GX', '02DZ/00', '02DZ/04'], ('01GX', '02DZ', '02DZ/00', '02DZ/04', 'regio'))
    """

    name: str
    breakdowns: tuple[tuple[str, tuple[str, ...]], ...]
    extra: tuple[str, ...] = ()  # leaves that belong to no breakdown

    @classmethod
    def tree(
        cls, name: str, parts: Mapping[str, Iterable[str]], extra: Iterable[str] = ()
    ) -> Dimension:
        """A dimension from ``{node: its parts}`` (one breakdown per node)."""
        return cls(name, tuple((p, tuple(c)) for p, c in parts.items()), tuple(extra))

    @cached_property
    def nodes(self) -> tuple[str, ...]:
        found = set(self.extra)
        for parent, parts in self.breakdowns:
            found.add(parent)
            found.update(parts)
        return tuple(sorted(found))

    @cached_property
    def _leaves(self) -> dict[str, frozenset[str]]:
        parents: dict[str, list[tuple[str, ...]]] = {}
        for parent, parts in self.breakdowns:
            parents.setdefault(parent, []).append(parts)
        memo: dict[str, frozenset[str]] = {}

        def leaves(node: str, path: tuple[str, ...] = ()) -> frozenset[str]:
            if node in path:
                raise DisclosureError("Hiërarchie met een kringloop", found=" > ".join(path))
            if node not in memo:
                sets = [
                    frozenset().union(*(leaves(p, (*path, node)) for p in parts))
                    for parts in parents.get(node, [])
                ] or [frozenset({node})]
                if any(s != sets[0] for s in sets):
                    raise DisclosureError(
                        "Uitsplitsingen van één knoop tellen niet dezelfde delen op",
                        found=f"{self.name}: {node}",
                    )
                memo[node] = sets[0]
            return memo[node]

        return {node: leaves(node) for node in self.nodes}

    def leaves(self, node: str) -> frozenset[str]:
        """The leaves a node adds up (a leaf: itself)."""
        return self._leaves[node]


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts`` (cells as keys)."""

    total: CellKey
    parts: tuple[CellKey, ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class LinkedTable:
    """All cells of one population: every combination of the dimensions' nodes.

    ``counts`` holds the count per atom (one leaf per dimension); missing atoms count zero.

    Examples
    --------
    >>> where = Dimension.tree("where", {"regio": ("A", "B")})
    >>> period = Dimension.tree("period", {"alle": ("voor", "na")})
    >>> t = LinkedTable("starters", (where, period), {("A", "voor"): 3, ("B", "na"): 12})
    >>> t.value(t.key({"where": "regio", "period": "alle"})), len(t.cells), len(t.relations)
    (15, 9, 6)
    """

    population: str
    dimensions: tuple[Dimension, ...]
    counts: Mapping[Atom, int]

    def key(self, nodes: Mapping[str, str]) -> CellKey:
        """The cell of one node per dimension (by dimension name)."""
        sets = [d.leaves(nodes[d.name]) for d in self.dimensions]
        return (self.population, frozenset(itertools.product(*sets)))

    @cached_property
    def cells(self) -> dict[CellKey, str]:
        """Every distinct cell with a readable name (the first combination of nodes giving it)."""
        named: dict[CellKey, str] = {}
        for combo in itertools.product(*(d.nodes for d in self.dimensions)):
            nodes = dict(zip((d.name for d in self.dimensions), combo, strict=True))
            key = self.key(nodes)
            if key not in named:
                inner = ", ".join(f"{k}={v}" for k, v in nodes.items())
                named[key] = f"{self.population}[{inner}]"
        return named

    def name(self, key: CellKey) -> str:
        return self.cells.get(key, f"{self.population}[{len(key[1])} atoms]")

    def value(self, key: CellKey) -> int:
        return int(sum(self.counts.get(atom, 0) for atom in key[1]))

    @cached_property
    def relations(self) -> tuple[Relation, ...]:
        """One relation per breakdown of a node, for every node of the other dimensions."""
        found: dict[tuple, Relation] = {}
        names = [d.name for d in self.dimensions]
        for i, dim in enumerate(self.dimensions):
            others = [d.nodes for j, d in enumerate(self.dimensions) if j != i]
            for parent, parts in dim.breakdowns:
                for combo in itertools.product(*others):
                    fixed = dict(
                        zip([n for j, n in enumerate(names) if j != i], combo, strict=True)
                    )
                    total = self.key({**fixed, dim.name: parent})
                    pieces = tuple(self.key({**fixed, dim.name: p}) for p in parts)
                    found.setdefault((total, frozenset(pieces)), Relation(total, pieces))
        return tuple(found.values())

    @cached_property
    def atoms(self) -> tuple[Atom, ...]:
        """Every leaf combination: the unknowns of the attacker's linear program."""
        leaves = [sorted(frozenset().union(*map(d.leaves, d.nodes))) for d in self.dimensions]
        return tuple(itertools.product(*leaves))
