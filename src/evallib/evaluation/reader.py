"""What a reader of published counts can infer: the linear programs behind the disclosure audit.

The unknowns are the *atoms* of a table (one leaf per dimension, each a count ≥ 0). Every
published cell is a constraint on the sum of its atoms: a shown count fixes it, a count shown
as "minder dan k" bounds it to 1 … k − 1, a count hidden to protect another (secondary
suppression) is at least k. The smallest and largest value of a cell under these constraints
(:meth:`Reader.range`) is what a reader can work out, solved with HiGHS (highspy). Atoms
that no constraint links are independent: the program is split into those blocks, and a
cell's range is the sum of its ranges in each block.

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
    """Atoms linked by constraints, with their own small linear program.

    The program is handed to HiGHS once; each question changes only its objective, so HiGHS
    starts from the last answer's basis. (``scipy.optimize.linprog`` takes the whole program
    again for every question and spent 85% of its time checking and converting it.)
    """

    def __init__(self, members: list[int], constraints: list[Constraint]) -> None:
        self.members, self.constraints = members, constraints
        self.constrained = bool(constraints)
        self._asked: list[int] = []  # the columns the last objective counted

    @functools.cached_property
    def _program(self) -> tuple:
        """The block's model and the atoms bounded from above, built when a cell of it is
        first asked about: a national table has thousands of blocks and most are never asked
        about."""
        import highspy  # imported on use: an unchanged rerun solves nothing

        local = {atom: i for i, atom in enumerate(self.members)}
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(local), len(self.constraints)
        lp.col_cost_ = np.zeros(len(local))
        inf = highspy.kHighsInf
        lp.col_lower_, lp.col_upper_ = np.zeros(len(local)), np.full(len(local), inf)
        lp.row_lower_ = np.array([b if op != "<=" else -inf for _, op, b in self.constraints])
        lp.row_upper_ = np.array([b if op != ">=" else inf for _, op, b in self.constraints])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.cumsum([0, *(len(c) for c, _, _ in self.constraints)])
        lp.a_matrix_.index_ = np.array([local[a] for c, _, _ in self.constraints for a in c])
        lp.a_matrix_.value_ = np.ones(len(lp.a_matrix_.index_))
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        solver.passModel(lp)
        bounded = {a for c, op, _ in self.constraints if op in ("=", "<=") for a in c}
        return solver, local, bounded

    def range(self, cols: list[int]) -> tuple[float, float, int]:
        if not self.constrained:
            return 0.0, math.inf, 0
        low = self._solve(cols, maximise=False)
        if not set(cols) <= self._program[2]:  # an atom nothing bounds from above
            return low, math.inf, 1
        return low, self._solve(cols, maximise=True), 2

    def _solve(self, cols: list[int], maximise: bool) -> float:
        import highspy

        solver, local, _ = self._program
        asked = sorted(local[a] for a in cols)
        if asked != self._asked:  # the same cell's minimum and maximum share an objective
            solver.changeColsCost(len(self._asked), self._asked, np.zeros(len(self._asked)))
            solver.changeColsCost(len(asked), asked, np.ones(len(asked)))
            self._asked = asked
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        solver.changeObjectiveSense(sense)
        solver.run()
        status = solver.getModelStatus()
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,  # feasible: the true counts fit
        ):
            return math.inf if maximise else -math.inf
        if status != highspy.HighsModelStatus.kOptimal:
            raise DisclosureError(
                "Controle op terugrekenen niet op te lossen",
                found=solver.modelStatusToString(status),
            )
        return float(solver.getInfo().objective_function_value)
