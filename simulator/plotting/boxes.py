"""Scenario discovery's figures: the coverage-density trade-off of the boxes a search passed, and
the reported box drawn in each restricted input's own unit, the event named in the title.

They take what `simulator.analysis.discover_event` returns (its `discovery`, `event`,
`probability`, `labels`, `ranges` and `scores`).
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch

from simulator.labels import format_value, unit_label, year_label
from simulator.plotting.axes import new_axes, plain_text
from simulator.plotting.figure_text import TITLE_WIDTH, outside_legend, wrap


def plot_tradeoff(found, ax=None):
    """Coverage against density for every box the search passed, the chosen one marked."""
    ax = ax or new_axes((8, 4.6))
    t = found.discovery.tradeoff
    points = ax.scatter(t["coverage"], t["density"], c=t["restricted"], cmap="viridis", s=18, zorder=2)
    d = found.discovery  # the reported box (after pasting, for PRIM, and after dropping limits)
    ax.scatter([d.coverage], [d.density], s=140, facecolors="none", edgecolors="C3", linewidths=2,
               zorder=3, label=f"reported box: coverage {d.coverage:.0%}, density {d.density:.0%}")
    ax.axhline(found.probability, color="0.5", lw=0.8, ls="--", label=f"all draws ({found.probability:.0%})")
    ax.figure.colorbar(points, ax=ax, label="inputs restricted")
    ax.set_xlabel("coverage: share of the draws where the event happens that fall in the box")
    ax.set_ylabel("density: share of the box's draws\nwhere the event happens")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    outside_legend(ax)
    method = "PRIM peeling trajectory" if found.discovery.method == "prim" else "CART leaves and their unions"
    ax.set_title(wrap(plain_text(f"{found.event.title} ({_when(found.event)}): {method}"), TITLE_WIDTH),
                 fontsize=10, loc="left")
    return ax


def _when(event) -> str:
    return f"by {event.year}" if event.by else f"in {year_label(event.variable, event.year)}"


def plot_box(found, ax=None):
    """The box, one row per restricted input in that input's own unit: the range its draws cover
    (grey) and the part the box keeps (blue), with each limit written at its end. The title names
    the event. Draws on `ax`'s place in its figure (split into one axes per input); returns the axes."""
    box = found.discovery.box
    ax = ax or new_axes((8, 1.0 * max(len(box), 1) + 1.6))
    title = wrap(plain_text(f"{found.event.title} ({_when(found.event)}): in {found.discovery.density:.0%} of the "
                            f"box's draws, {found.probability:.0%} of all draws"), TITLE_WIDTH)
    if box.empty:
        ax.text(0.5, 0.5, "no restriction found", ha="center", va="center")
        ax.set_axis_off()
        ax.set_title(title, fontsize=10, loc="left")
        return [ax]
    spec, figure = ax.get_subplotspec(), ax.figure
    ax.remove()
    order = list(found.scores.reindex(box.index).sort_values(ascending=False).index)  # as conditions() lists them
    axes = list(np.atleast_1d(spec.subgridspec(len(order), 1).subplots()))
    for row, name in zip(axes, order):
        label, unit = found.labels[name]
        lo_data, hi_data = found.ranges.loc[name, "min"], found.ranges.loc[name, "max"]
        low, high = box.loc[name, "low"], box.loc[name, "high"]
        a = lo_data if not np.isfinite(low) else low
        b = hi_data if not np.isfinite(high) else high
        row.barh(0, hi_data - lo_data, left=lo_data, color="0.88", height=0.6)
        row.barh(0, b - a, left=a, color="C0", height=0.6)
        for limit, side in ((low, "right"), (high, "left")):
            if np.isfinite(limit):
                row.annotate(format_value(limit, unit), (limit, 0.32), ha=side, va="bottom", fontsize=8,
                             xytext=(-3 if side == "right" else 3, 0), textcoords="offset points")
        row.set_xlim(lo_data, hi_data)
        row.set_ylim(-0.5, 0.9)
        row.set_yticks([])
        row.set_xlabel(wrap(plain_text(f"{label} ({unit_label(unit)})" if unit else label), 90), fontsize=8)
        row.tick_params(axis="x", labelsize=7)
    axes[0].set_title(title, fontsize=10, loc="left")
    figure.legend(handles=[Patch(color="0.88", label="range of the draws"), Patch(color="C0", label="the box")],
                  loc="outside lower right", fontsize=7, frameon=False, ncols=2)
    return axes
