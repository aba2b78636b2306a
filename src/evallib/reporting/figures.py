"""Charts in one house style: seaborn theme, Okabe–Ito colours, targets drawn in.

Built-in labels (axes, legends, target marks) and number formats follow ``lang``
("nl", the default, or "en"); the words come from the catalogue (``figure.*``).
Every function returns a matplotlib Figure; :func:`evallib.reporting.html.figure` embeds
it with its alt text. Figures are built with the Agg backend and fixed sizes so
that the same data gives the same PNG bytes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from evallib.core.periods import parse_period
from evallib.core.text import pct, t
from evallib.reporting.chart_style import (
    PALETTE,
    SIZE,
    TARGET_COLOUR,
    chart_title,
    legend_below,
    percent_axis,
    tick,
    use_house_style,
)


def retention(
    curves: dict[str, pd.DataFrame],
    years: int,
    target: float | None,
    title: str,
    lang: str = "nl",
) -> Figure:
    """Retention per group after each whole year, with 95% intervals and the target point.

    Parameters
    ----------
    curves
        Group label -> points with columns ``years``, ``estimate``, ``ci_lower`` and
        ``ci_upper`` (share still at the school); an empty frame keeps the label in the
        legend with nothing drawn (a group the report may not show).
    years
        Horizon of the target (drawn as a vertical line).
    target
        Retention the target asks for at ``years`` (e.g. half the baseline dropout).
    title
        Chart title (already in ``lang``).
    lang
        Language of the built-in labels and numbers ("nl" or "en").

    Examples
    --------
    >>> curve = pd.DataFrame({"years": [0, 1, 2, 3], "estimate": [1, 0.9, 0.8, 0.75],
    ...                       "ci_lower": [1, 0.8, 0.7, 0.6], "ci_upper": [1, 1, 0.9, 0.85]})
    >>> fig = retention({"2013/14": curve}, 3, 0.8, "Retention", lang="en")
    >>> fig.axes[0].get_xlabel()
    'Years since starting at the school'
    """
    use_house_style()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    # Side by side at each year, so that the intervals do not hide each other.
    shifts = np.linspace(-0.06, 0.06, len(curves)) if len(curves) > 1 else [0.0]
    for (label, curve), colour, shift in zip(curves.items(), PALETTE, shifts, strict=False):
        if curve.empty:
            ax.plot([], [], label=label, color=colour, linestyle="none")
            continue
        x = curve["years"].to_numpy(float) + np.where(curve["years"] > 0, shift, 0.0)
        estimate = curve["estimate"].to_numpy(float)
        error = [
            estimate - curve["ci_lower"].to_numpy(float),
            curve["ci_upper"].to_numpy(float) - estimate,
        ]
        ax.errorbar(
            x,
            estimate,
            yerr=error,
            fmt="-o",
            color=colour,
            linewidth=1.5,
            markersize=5,
            capsize=3,
            label=label,
        )
    ax.axvline(years, color="#888888", linestyle=":", linewidth=1)
    if target is not None:
        ax.plot(
            [years],
            [target],
            marker="D",
            color=TARGET_COLOUR,
            markersize=8,
            linestyle="none",
            label=t("figure.retention.target", lang, years=years, share=pct(target, 0, lang)),
        )
    ax.set_xlim(-0.2, max(years + 0.5, 3.5))
    ax.set_xticks(range(0, max(years, 3) + 1))
    ax.set_ylim(0, 1.02)
    percent_axis(ax, lang)
    ax.set_xlabel(t("figure.retention.xlabel", lang))
    ax.set_ylabel(t("figure.retention.ylabel", lang))
    chart_title(ax, title)
    ax.legend(loc="lower left", frameon=True, fontsize=8)
    return fig


def chronological(labels) -> list[str]:
    """Period labels (``2013/14``, ``2024``) once each, in time order.

    Examples
    --------
    >>> chronological(["2015/16", "2012/13", "2013/14", "2012/13"])
    ['2012/13', '2013/14', '2015/16']
    """
    return sorted(dict.fromkeys(str(label) for label in labels), key=parse_period)


def _suppressed(ax: plt.Axes, x: float, colour: str, lang: str) -> None:
    """Mark a year the report may not show: the word, upright at the foot, not a value."""
    ax.text(
        x,
        0.02,
        t("privacy.suppressed", lang),
        transform=ax.get_xaxis_transform(),
        rotation=90,
        ha="center",
        va="bottom",
        fontsize=7,
        color=colour,
    )


def shares_by_year(
    frame: pd.DataFrame,
    title: str,
    ylabel: str,
    targets: dict[str, float] | None = None,
    lang: str = "nl",
) -> Figure:
    """Shares per school year and group, with 95% intervals and target marks.

    ``frame`` has columns ``year`` (label), ``group``, ``estimate``, ``ci_lower``, ``ci_upper``,
    and optionally ``hidden``: a year the report may not show, marked "onderdrukt" at the foot
    of the chart instead of drawn, so that the years shown are not mistaken for all of them.
    ``targets`` maps a year label to the share required in that year. Built-in labels
    and numbers follow ``lang`` ("nl" or "en").

    Examples
    --------
    >>> frame = pd.DataFrame({"year": ["2014/15", "2015/16"], "group": ["team", "team"],
    ...                       "estimate": [0.12, 0.2], "ci_lower": [0.08, 0.15], "ci_upper": [0.16, 0.25]})
    >>> shares_by_year(frame, "Digital", "Share", {"2014/15": 0.1}, lang="en").axes[0].get_xlabel()
    'School year'
    """
    use_house_style()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    # every year of the data and of the targets, in time order (never in order of appearance)
    years = chronological([*frame["year"], *(targets or {})])
    position = {y: i for i, y in enumerate(years)}
    groups = list(dict.fromkeys(frame["group"]))
    width = 0.8 / max(len(groups), 1)
    hidden = frame["hidden"].astype(bool) if "hidden" in frame else pd.Series(False, frame.index)
    for g, (group, colour) in enumerate(zip(groups, PALETTE, strict=False)):
        mine = frame["group"] == group
        for year in frame.loc[mine & hidden, "year"]:
            _suppressed(ax, position[year] - 0.4 + width * (g + 0.5), colour, lang)
        # a suppressed year stays in as a gap, so the line does not run through it
        rows = frame[mine].sort_values("year", key=lambda y: y.map(position))
        rows = rows.assign(
            **{c: rows[c].where(~hidden[mine]) for c in ("estimate", "ci_lower", "ci_upper")}
        )
        x = [position[y] - 0.4 + width * (g + 0.5) for y in rows["year"]]
        # arrays, not Series: matplotlib calls float() on a one-row Series, which pandas deprecates
        estimate, low, high = (
            rows[c].to_numpy(float) for c in ("estimate", "ci_lower", "ci_upper")
        )
        ax.errorbar(
            x,
            estimate,
            yerr=[estimate - low, high - estimate],
            fmt="o-",
            color=colour,
            label=group,
            capsize=3,
            linewidth=1.5,
            markersize=6,
        )
    for year, value in (targets or {}).items():
        if year in position:
            i = position[year]
            ax.hlines(value, i - 0.45, i + 0.45, colors=TARGET_COLOUR, linestyles="--", linewidth=2)
            ax.annotate(
                t("figure.target_value", lang, value=pct(value, 0, lang)),
                (i + 0.45, value),
                xytext=(2, 2),
                textcoords="offset points",
                color=TARGET_COLOUR,
                fontsize=8,
            )
    ax.set_xticks(range(len(years)), years)
    ax.set_xlim(-0.5, len(years) - 0.5)  # room for the marks of suppressed years at the ends
    ax.set_ylim(bottom=0)
    percent_axis(ax, lang)
    ax.set_xlabel(t("figure.school_year", lang))
    ax.set_ylabel(ylabel)
    chart_title(ax, title)
    legend_below(ax)  # inside, it hid the points and intervals of the first years
    return fig


def counts_by_year(
    frame: pd.DataFrame,
    title: str,
    ylabel: str,
    plan: pd.DataFrame | None = None,
    min_group: int = 10,
    lang: str = "nl",
) -> Figure:
    """Counts per school year (bars) with the planned range drawn as a band per year.

    ``frame`` has columns ``year`` and ``count``; ``plan`` has ``year``, ``min``, ``max``.
    A missing count (suppressed for privacy) gets no bar, only "< min_group". Built-in
    labels follow ``lang`` ("nl" or "en").

    Examples
    --------
    >>> frame = pd.DataFrame({"year": ["2013/14", "2014/15"], "count": [25, None]})
    >>> plan = pd.DataFrame({"year": ["2013/14"], "min": [20], "max": [30]})
    >>> ax = counts_by_year(frame, "E-coaches", "Number", plan, lang="en").axes[0]
    >>> ax.get_xlabel(), ax.get_legend().get_texts()[0].get_text()
    ('School year', 'planned')
    """
    use_house_style()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    years = chronological(frame["year"])
    frame = frame.set_index("year").loc[years].reset_index()
    sns.barplot(
        data=frame.fillna({"count": 0}),
        x="year",
        y="count",
        order=years,
        color=PALETTE[0],
        ax=ax,
        width=0.55,
    )
    if plan is not None:
        for _, row in plan.iterrows():
            if row["year"] not in years:
                continue
            i = years.index(row["year"])
            # A plan of at most N (no min) is the band from 0 to N, its line at N.
            low = row["min"] if pd.notna(row["min"]) else 0.0
            high = row["max"] if pd.notna(row["max"]) else low
            ax.fill_between(
                [i - 0.4, i + 0.4],
                low,
                high if high > low else low + 0.3,
                color=TARGET_COLOUR,
                alpha=0.25,
                linewidth=0,
            )
            line = row["min"] if pd.notna(row["min"]) else high
            ax.hlines([line], i - 0.4, i + 0.4, colors=TARGET_COLOUR, linewidth=2)
        ax.plot(
            [], [], color=TARGET_COLOUR, linewidth=6, alpha=0.4, label=t("figure.planned", lang)
        )
        ax.legend(loc="upper left", fontsize=8)
    for i, count in enumerate(frame["count"]):
        shown = f"< {min_group}" if pd.isna(count) else f"{int(count):d}"
        ax.annotate(
            shown,
            (i, 0 if pd.isna(count) else count),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    ax.set_xlabel(t("figure.school_year", lang))
    ax.set_ylabel(ylabel)
    chart_title(ax, title)
    return fig


def ratios(
    frame: pd.DataFrame,
    title: str,
    xlabel: str,
    target: float | None = None,
    lang: str = "nl",
) -> Figure:
    """Forest plot: one row per school (or group) with estimate and 95% interval.

    ``frame`` has ``label``, ``estimate``, ``ci_lower``, ``ci_upper``, ``group``. Tick
    numbers and the target mark follow ``lang`` ("nl" or "en").

    Examples
    --------
    >>> frame = pd.DataFrame({"label": ["A"], "estimate": [0.6], "ci_lower": [0.4],
    ...                       "ci_upper": [0.9], "group": ["school"]})
    >>> ax = ratios(frame, "Dropout", "Ratio", 0.5, lang="en").axes[0]
    >>> [x.get_text() for x in ax.get_xticklabels()], ax.texts[0].get_text()
    (['0.5', '1', '2'], 'target')
    """
    use_house_style()
    height = max(3.0, 0.42 * len(frame) + 1.8)  # room for the legend under the plot
    fig, ax = plt.subplots(figsize=(SIZE[0], height), layout="constrained")
    colours = {g: c for g, c in zip(dict.fromkeys(frame["group"]), PALETTE, strict=False)}
    for i, (_, row) in enumerate(frame.iloc[::-1].iterrows()):
        colour = colours[row["group"]]
        ax.plot([row["ci_lower"], row["ci_upper"]], [i, i], color=colour, linewidth=2)
        ax.plot([row["estimate"]], [i], "o", color=colour, markersize=7)
    ax.set_yticks(range(len(frame)), list(frame["label"].iloc[::-1]))
    # Ratios are symmetric on a log scale: 0.5 is as far from 1 as 2 is.
    ax.set_xscale("log")
    ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8]
    # Hidden or non-estimable rows have no interval: the axis is set by the others, or by 1.
    lows = frame["ci_lower"][np.isfinite(frame["ci_lower"]) & (frame["ci_lower"] > 0)]
    highs = frame["ci_upper"][np.isfinite(frame["ci_upper"])]
    low = max(min(lows.min() if len(lows) else 1.0, target or 1, 0.5) * 0.8, 0.05)
    high = min(max(highs.max() if len(highs) else 1.0, 2) * 1.25, 20)
    ax.set_xlim(low, high)
    ax.set_xticks(
        [x for x in ticks if low <= x <= high],
        [tick(x, lang) for x in ticks if low <= x <= high],
    )
    ax.minorticks_off()
    ax.axvline(1.0, color="#555555", linewidth=1)
    if target is not None:
        ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=2)
        ax.annotate(
            t("figure.target", lang),
            (target, len(frame) - 0.5),
            color=TARGET_COLOUR,
            fontsize=8,
            ha="center",
        )
    for group, colour in colours.items():
        ax.plot([], [], "o-", color=colour, label=group)
    legend_below(ax)  # the title wrapped too: nothing clipped, nothing overlapping
    ax.set_xlabel(xlabel, fontsize=9)
    chart_title(ax, title, width=70, fontsize=10)
    return fig
