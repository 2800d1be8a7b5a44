"""Rankings of inputs: one-at-a-time swings (a tornado) and sensitivity indices as bars.

Each takes a table with a `label` column (the factor as people read it) and draws the first
`top` rows, largest at the top; labels are wrapped, never clipped, and the legend sits outside
the bars.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.plotting.axes import axis_unit, new_axes, plain_text
from simulator.plotting.figure_text import outside_legend, wrap


def tornado(table: pd.DataFrame, *, ax=None, unit: str = "", top: int = 15):
    """One-at-a-time swings: each input from its 5% to its 95% quantile, the others at medians."""
    table = table.head(top).iloc[::-1]
    if ax is None:
        ax = new_axes((8, 0.4 * len(table) + 1.5))
    base = float(table["base"].iloc[0])
    y = np.arange(len(table))
    ax.barh(y, table["low"] - base, left=base, color="C0", label="input at its 5% quantile")
    ax.barh(y, table["high"] - base, left=base, color="C3", label="input at its 95% quantile")
    ax.axvline(base, color="0.2", linewidth=1, label="all inputs at their medians")
    ax.set_yticks(y, [wrap(plain_text(str(v))) for v in table["label"]], fontsize=8)
    ax.set_xlabel(f"output ({axis_unit(unit)})")
    outside_legend(ax)
    ax.grid(axis="x", alpha=0.3)
    return ax


NON_NEGATIVE = {"mu_star", "sigma", "importance"}
INDEX_LEGEND = {"S1": "S1, first order: share of the variance due to this input alone",
                "ST": "ST, total: this input with all its interactions",
                "mu_star": "mu*: mean absolute elementary effect, with its 95% interval",
                "sigma": "sigma: spread of the elementary effects (nonlinearity, interactions)",
                "importance": "extra-trees importance (sums to 1 over the inputs)"}


def index_bars(table: pd.DataFrame, columns: tuple[str, ...], *, ax=None, top: int = 15, xlabel: str = ""):
    """Horizontal bars of sensitivity indices with their 95% confidence half-widths; the legend says
    what each index means. An index that cannot be negative (mu*, sigma, importance) keeps its
    interval at zero: an error bar reaching below it would show a value the index cannot take."""
    table = table.head(top).iloc[::-1]
    if ax is None:
        ax = new_axes((9, 0.45 * len(table) + 1.8))
    y = np.arange(len(table))
    height = 0.8 / len(columns)
    for i, col in enumerate(columns):
        conf = table.get(f"{col}_conf")
        values = table[col].to_numpy(dtype=float)
        xerr = None
        if conf is not None:
            half = conf.fillna(0).to_numpy(dtype=float)
            below = np.minimum(half, np.maximum(values, 0)) if col in NON_NEGATIVE else half
            xerr = np.vstack([below, half])
        ax.barh(y + (i - (len(columns) - 1) / 2) * height, values, height=height, color=f"C{i}",
                xerr=xerr, capsize=2, label=INDEX_LEGEND.get(col, col))
    ax.set_yticks(y, [wrap(plain_text(str(v))) for v in table["label"]], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.axvline(0, color="0.3", linewidth=0.8)
    outside_legend(ax)
    ax.grid(axis="x", alpha=0.3)
    return ax
