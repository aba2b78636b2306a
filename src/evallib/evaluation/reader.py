"""What a reader of published counts can infer: the linear programs behind the disclosure audit.

The unknowns are the *atoms* of a table (one leaf per dimension, each a count ≥ 0). Every
published cell is a constraint on the sum of its atoms: a shown count fixes it, a count shown
as "minder dan k" bounds it to 1 … k − 1, a count hidden to protect another (secondary
suppression) is at least k. The smallest and largest value of a cell under these constraints
(:meth:`Reader.range`) is what a reader can work out, solved with ``scipy.optimize.linprog``
(HiGHS). Atoms that no constraint links are independent: the program is split into those
blocks, and a cell's range is the sum of its ranges in each block.

Examples
--------
>>> r = Reader(3, [([0, 1, 2], "=", 40), ([1, 2], "=", 37)])
>>> r.range([0])
(3.0, 3.0)
>>> Reader(3, [([0, 1], "<=", 9), ([0, 1], ">=", 1)]).range([0, 2])
(0.0, inf)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from evallib.core.errors import DisclosureError

#: One constraint: atom columns, "=", "<=" or ">=", and the bound on their sum.
Constraint = tuple[Sequence[int], str, float]


class Reader:
    """The linear program of what a reader knows about ``width`` atoms.

    Parameters
    ----------
    width
        Number of atoms (columns).
    constraints
        What the published cells say about sums of atoms.
    """

    def __init__(self, width: int, constraints: Sequence[Constraint]) -> None:
        self.constraints = constraints
        parent = list(range(width))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for cols, _, _ in constraints:
            first = root(cols[0]) if cols else 0
            for c in cols[1:]:
                parent[root(c)] = first
        self.block = [root(i) for i in range(width)]
        members: dict[int, list[int]] = {}
        for i, b in enumerate(self.block):
            members.setdefault(b, []).append(i)
        rows: dict[int, list[Constraint]] = {}
        for cons in constraints:
            if cons[0]:
                rows.setdefault(self.block[cons[0][0]], []).append(cons)
        self.blocks = {b: _Block(members[b], rows.get(b, [])) for b in members}
        self.programs = 0

    def range(self, cols: Sequence[int]) -> tuple[float, float]:
        """Smallest and largest value of the sum of ``cols`` consistent with the constraints."""
        parts: dict[int, list[int]] = {}
        for c in cols:
            parts.setdefault(self.block[c], []).append(c)
        low = high = 0.0
        for b, mine in parts.items():
            block_low, block_high, solved = self.blocks[b].range(mine)
            low, high, self.programs = low + block_low, high + block_high, self.programs + solved
        return low, high


class _Block:
    """Atoms linked by constraints, with their own small linear program."""

    def __init__(self, members: list[int], constraints: list[Constraint]) -> None:
        self.members, self.constraints = members, constraints
        self.constrained = bool(constraints)

    @functools.cached_property
    def _program(self) -> tuple:
        """The block's matrices, built when a cell of it is first asked about: a national
        table has thousands of blocks and most are never asked about."""
        self.local = {atom: i for i, atom in enumerate(self.members)}
        constraints = self.constraints
        eq = [(c, b) for c, op, b in constraints if op == "="]
        ub = [(c, 1.0 if op == "<=" else -1.0, b) for c, op, b in constraints if op != "="]
        bounded = {a for c, _ in eq for a in c} | {a for c, s, _ in ub if s > 0 for a in c}
        a_eq, b_eq = self._matrix([c for c, _ in eq], [1.0] * len(eq), [b for _, b in eq])
        a_ub, b_ub = self._matrix(
            [c for c, _, _ in ub], [s for _, s, _ in ub], [s * b for _, s, b in ub]
        )
        return bounded, a_eq, b_eq, a_ub, b_ub

    def _matrix(self, rows: list, signs: list[float], bounds: list[float]):
        if not rows:
            return None, None
        data = [s for cols, s in zip(rows, signs, strict=True) for _ in cols]
        indices = [self.local[a] for cols in rows for a in cols]
        from scipy import sparse  # imported on use: an unchanged rerun solves nothing

        indptr = np.cumsum([0, *map(len, rows)])
        shape = (len(rows), len(self.local))
        return sparse.csr_matrix((data, indices, indptr), shape=shape), np.array(bounds)

    def range(self, cols: list[int]) -> tuple[float, float, int]:
        if not self.constrained:
            return 0.0, math.inf, 0
        low = self._solve(cols, 1.0)
        if not set(cols) <= self._program[0]:  # an atom nothing bounds from above
            return low, math.inf, 1
        return low, -self._solve(cols, -1.0), 2

    def _solve(self, cols: list[int], sign: float) -> float:
        from scipy.optimize import linprog

        _, a_eq, b_eq, a_ub, b_ub = self._program
        c = np.zeros(len(self.local))
        c[[self.local[a] for a in cols]] = sign
        res = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
        )
        if res.status == 3:  # unbounded: the reader cannot bound the cell
            return -math.inf
        if res.status != 0:
            raise DisclosureError("Controle op terugrekenen niet op te lossen", found=res.message)
        return float(res.fun)
