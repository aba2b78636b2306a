"""The house style of the report charts: theme, colours, size, titles, legends, axes.

Every chart in :mod:`evallib.reporting.figures` starts with :func:`use_house_style` and
uses these helpers, so that the charts look alike and the same data give the same PNG bytes.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")  # no display needed; deterministic rendering

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from evallib.core.text import pct, short_num

#: Okabe–Ito palette (safe for the common forms of colour-blindness).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TARGET_COLOUR = "#D55E00"
SIZE = (7.5, 3.8)


def use_house_style() -> None:
    """Apply the report theme (idempotent).

    >>> use_house_style(); plt.rcParams["axes.titleweight"]
    'bold'
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=0.95)
    plt.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "svg.hashsalt": "evallib",
            "font.family": "DejaVu Sans",
            # Text from programme files and data is drawn as written: "$x$" is no formula.
            "text.parse_math": False,
        }
    )


def chart_title(ax: plt.Axes, text: str, width: int = 64, **kwargs) -> None:
    """The chart's title, wrapped: titles carry names from programme files ("Behoud met het
    Haags Inductie Programma"), and a title wider than the chart is cut off at its edge.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> chart_title(ax, "Starters (Behoud met het Haags Inductie Programma): wie blijft, nulmeting")
    >>> ax.get_title(loc="left").splitlines()
    ['Starters (Behoud met het Haags Inductie Programma): wie blijft,', 'nulmeting']
    """
    ax.set_title("\n".join(textwrap.wrap(text, width)), loc="left", **kwargs)


def legend_below(ax: plt.Axes) -> None:
    """The legend under the plot, where it covers no data: as many entries a row as fit
    (at most three), the figure taller by the rows beyond the first.

    Examples
    --------
    >>> fig, ax = plt.subplots(figsize=SIZE)
    >>> for name in ("deze school", "regio", "vergelijkingsscholen"):
    ...     _ = ax.plot([0, 1], [0, 1], label=name)
    >>> legend_below(ax)
    >>> float(fig.get_figheight())  # one row
    3.8
    >>> fig, ax = plt.subplots(figsize=SIZE)
    >>> for n in range(3):
    ...     _ = ax.plot([0, 1], [0, 1], label=f"Interconfessionele Scholengroep Westland {n} (team)")
    >>> legend_below(ax)
    >>> round(float(fig.get_figheight()), 2)  # one row each: two more than one
    4.16
    """
    labels = sorted(map(len, ax.get_legend_handles_labels()[1]), reverse=True)
    columns = max(
        [n for n in range(1, min(3, len(labels)) + 1) if sum(labels[:n]) + 8 * n <= _LEGEND_ROW]
        or [1]
    )
    rows = -(-len(labels) // columns)
    ax.figure.set_figheight(ax.figure.get_figheight() + _LEGEND_LINE * (rows - 1))
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=columns, fontsize=8, frameon=False
    )


#: Characters of legend text a row under a chart holds (8 points, the chart's width), and
#: the height in inches a further row takes.
_LEGEND_ROW, _LEGEND_LINE = 110, 0.18


def percent_axis(ax: plt.Axes, lang: str = "nl") -> None:
    """Whole percentages where the tick is whole (20%), one decimal where it is not (2,5%).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> percent_axis(ax)
    >>> formatter = ax.yaxis.get_major_formatter()
    >>> formatter(0.2, 0), formatter(0.025, 0)
    ('20%', '2,5%')
    """
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: pct(v, 0 if float(round(v * 100, 6)).is_integer() else 1, lang))
    )


def tick(value: float, lang: str = "nl") -> str:
    """A ratio tick as written in ``lang``: ``0,5`` in Dutch, ``0.5`` in English.

    >>> tick(0.5), tick(0.5, "en")
    ('0,5', '0.5')
    """
    return short_num(value, lang)
