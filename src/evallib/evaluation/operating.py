"""Operating characteristics: how often each status comes out, as a function of the true effect.

For each kind of target that rests on an estimate, data are simulated at school size and at
region size for a grid of true values, and evallib's own estimator and decision rule
(:func:`evallib.evaluation.decision.decide`) give the status. The share of each status per
true value is the target's operating-characteristic curve. With the truth exactly at the
target, *gehaald* and *niet gehaald* should each come out at most about 2.5% of the time
(the rule's design); ``benchmarks/operating_characteristics.py`` prints and plots the curves
and fails if either exceeds 5%.

Counts (participants, go/no-go) are complete counts without sampling error and have no such
curve: they are *gehaald* exactly when the count reaches the plan.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evallib.evaluation.chance import chance_of_met, status
from evallib.evaluation.designs import (
    Design,
    DestinationDesign,
    RateDesign,
    Rule,
    ShareDesign,
    StarterDesign,
    TeamDesign,
)
from evallib.evaluation.status import Status
from evallib.stats.estimates import (
    Estimate,
    proportion,
    proportion_difference,
    rate_ratio,
    ratio_of_sums,
)
from evallib.stats.simulation import simulate_starters, simulate_team
from evallib.stats.survival import cumulative_incidence, dropout_ratio, km_dropout


@dataclass(frozen=True)
class Case:
    """One kind of target: its estimator on simulated data, the target, and the grid of truths."""

    name: str
    target: float
    direction: str
    truths: tuple[float, ...]
    sizes: dict[str, tuple]
    #: Draws ``reps`` replications: (truth, size, reps, rng) -> one estimate each.
    draw: Callable[[float, tuple, int, np.random.Generator], list[Estimate]]
    #: The design a report of this size records (:mod:`evallib.evaluation.designs`), with the
    #: true nuisance values: its simulated chance of *gehaald* is the one reports state.
    design: Callable[[tuple], Design]


def _follow_up(n0: int, n1: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """How long the simulated nulmeting and programme starters could be followed."""
    data = simulate_starters(n0, n1, 1e-12, 1e-12, 1, np.random.default_rng(0))
    years = data["years"].to_numpy()  # nobody leaves: each starter's whole possible follow-up
    return tuple(years[:n0].round(6).tolist()), tuple(years[n0:].round(6).tolist())


def _hours(n: int) -> tuple[float, ...]:
    return tuple(simulate_team(n, 0.1, 1, np.random.default_rng(0))[1][0].round(6).tolist())


def _halving(truth: float, size: tuple, reps: int, rng: np.random.Generator) -> list[Estimate]:
    n0, n1 = size
    data = simulate_starters(n0, n1, 0.30, 0.30 * truth, reps, rng)
    years = data["years"].to_numpy().reshape(reps, -1)
    left = data["left"].to_numpy().reshape(reps, -1)
    out = []
    for y, x in zip(years, left, strict=True):
        d0, d1 = km_dropout(y[:n0], x[:n0], 3), km_dropout(y[n0:], x[n0:], 3)
        out.append(dropout_ratio(d1, d0))
    return out


def _digital(truth: float, size: tuple, reps: int, rng: np.random.Generator) -> list[Estimate]:
    digital, total = simulate_team(size[0], truth, reps, rng)
    return [ratio_of_sums(y, x) for y, x in zip(digital, total, strict=True)]


def _survey_change(
    truth: float, size: tuple, reps: int, rng: np.random.Generator
) -> list[Estimate]:
    n0, n1 = size
    k0, k1 = rng.binomial(n0, 0.5, reps), rng.binomial(n1, 0.5 + truth, reps)
    return [proportion_difference(int(b), n1, int(a), n0) for a, b in zip(k0, k1, strict=True)]


def _survey_level(truth: float, size: tuple, reps: int, rng: np.random.Generator) -> list[Estimate]:
    return [proportion(int(k), size[0]) for k in rng.binomial(size[0], truth, reps)]


def _leaving_rate(truth: float, size: tuple, reps: int, rng: np.random.Generator) -> list[Estimate]:
    years0, years1 = size
    e0, e1 = rng.binomial(years0, 0.06, reps), rng.binomial(years1, 0.06 * truth, reps)
    persons = years0 // 4 + years1 // 3  # teachers are followed 3–4 years
    return [
        rate_ratio(int(b), years1, int(a), years0, persons) for a, b in zip(e0, e1, strict=True)
    ]


def _destination(truth: float, size: tuple, reps: int, rng: np.random.Generator) -> list[Estimate]:
    other = 0.15  # leaving for another school within 3 years, a competing reason
    n = size[0]
    data = simulate_starters(0, n, 0.3, truth + other, reps, rng)
    years = data["years"].to_numpy().reshape(reps, -1)
    left = data["left"].to_numpy().reshape(reps, -1)
    reason = np.where(rng.random((reps, n)) < truth / (truth + other), "buiten", "school")
    out = []
    for y, x, r in zip(years, left, reason, strict=True):
        causes = np.where(x, r, None).astype(object)
        out.append(cumulative_incidence(y, causes, {"buiten"}, 3))
    return out


CASES = (
    Case(
        "relative change: starter dropout halved (ratio)",
        0.5,
        "at_most",
        (0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2),
        {"school": (25, 50), "region": (100, 270)},
        _halving,
        lambda size: StarterDesign("ratio", Rule(), *_follow_up(*size), 0.30, 3),
    ),
    Case(
        "relative change: early leaving 15% lower (rate ratio)",
        0.85,
        "at_most",
        (0.5, 0.6, 0.7225, 0.85, 1.0, 1.2),
        {"school": (150, 100), "region": (1500, 700)},
        _leaving_rate,
        lambda size: RateDesign(
            "ratio", Rule(), size[0], size[1], 0.06, size[0] // 4 + size[1] // 3
        ),
    ),
    Case(
        "threshold: digital share at least 10%",
        0.10,
        "at_least",
        (0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.18),
        {"school": (15,), "region": (60,)},
        _digital,
        lambda size: TeamDesign("share", Rule(), outcome=_hours(size[0]), concentration=20.0),
    ),
    Case(
        "threshold: survey share at least 60%",
        0.60,
        "at_least",
        (0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9),
        {"school": (60,), "region": (400,)},
        _survey_level,
        lambda size: ShareDesign("share", Rule(), n_outcome=size[0]),
    ),
    Case(
        "pp change: survey share up at least 5 points",
        0.05,
        "at_least",
        (-0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2),
        {"school": (60, 60), "region": (400, 400)},
        _survey_change,
        lambda size: ShareDesign("difference", Rule(), size[0], size[1], 0.5),
    ),
    Case(
        "distribution: at most 10% of starters leave education (Aalen–Johansen)",
        0.10,
        "at_most",
        (0.02, 0.05, 0.08, 0.10, 0.12, 0.15, 0.2),
        {"school": (50,), "region": (270,)},
        _destination,
        lambda size: DestinationDesign("share", Rule(), _follow_up(0, size[0])[1], 0.15, 3),
    ),
)


def status_for(effect: Estimate | None, target: float, direction: str) -> Status:
    """The status evallib would give: too few persons or no estimate first, then the rule.

    Examples
    --------
    >>> status_for(Estimate(0.4, 0.3, 0.48, 90), 0.5, "at_most").value
    'gehaald'
    >>> status_for(Estimate(0.4, 0.3, 0.48, 5), 0.5, "at_most").value
    'onvoldoende_gegevens'
    """
    return status(effect, target, direction, Rule())


def status_of(effect: Estimate | None, case: Case) -> Status:
    """:func:`status_for` at the case's target."""
    return status_for(effect, case.target, case.direction)


def _run(task: tuple) -> list[tuple]:
    index, size_name, truth, reps, seed = task
    case = CASES[index]
    rng = np.random.default_rng(
        [
            seed,
            zlib.crc32(case.name.encode()),
            zlib.crc32(size_name.encode()),
            zlib.crc32(repr(truth).encode()),
        ]
    )
    size = case.sizes[size_name]
    statuses = [status_of(effect, case).value for effect in case.draw(truth, size, reps, rng)]
    # what a report of this size states: the chance simulated from its design
    stated = chance_of_met(case.design(size), case.target, case.direction, truth, max(reps, 200))
    return [(case.name, size_name, truth, status, stated) for status in statuses]


def operating_characteristics(
    reps: int = 1000, seed: int = 1, workers: int = 1, cases: tuple[Case, ...] = CASES
) -> pd.DataFrame:
    """Per case, size and true value: the share of each status over ``reps`` replications.

    ``cases`` defaults to every shape (:data:`CASES`); the stated chance beside each row is
    simulated as a report simulates it, whatever ``reps``.

    Examples
    --------
    >>> table = operating_characteristics(reps=2, seed=1, cases=CASES[-2:-1])
    >>> sorted(table.columns)[:3], len(table) == len(CASES[-2].truths) * len(CASES[-2].sizes)
    (['case', 'direction', 'gehaald'], True)
    """
    tasks = [
        (CASES.index(case), size, truth, reps, seed)
        for case in cases
        for size in case.sizes
        for truth in case.truths
    ]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_run, tasks))
    else:
        parts = [_run(task) for task in tasks]
    rows = pd.DataFrame(
        [row for part in parts for row in part],
        columns=["case", "size", "truth", "status", "predicted"],
    )
    table = (
        pd.crosstab([rows["case"], rows["size"], rows["truth"]], rows["status"], normalize="index")
        .reindex(columns=[s.value for s in Status], fill_value=0.0)
        .reset_index()
    )
    predicted = rows.groupby(["case", "size", "truth"])["predicted"].mean()
    table = table.merge(predicted.reset_index(), on=["case", "size", "truth"])
    targets = {c.name: (c.target, c.direction) for c in cases}
    table["target"] = table["case"].map(lambda name: targets[name][0])
    table["direction"] = table["case"].map(lambda name: targets[name][1])
    table["reps"] = reps
    order = {c.name: i for i, c in enumerate(cases)}
    table = table.sort_values(
        ["case", "size", "truth"], key=lambda s: s.map(order) if s.name == "case" else s
    )
    return table.reset_index(drop=True)
