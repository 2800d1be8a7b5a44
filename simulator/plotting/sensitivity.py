"""Sensitivity analysis' figures: a tornado, bars of indices, or for several outputs and years a
grid of the main index; labels are the factors' plain names, the title the output and its year.

They take the table `simulator.analysis.sensitivity` returns (its `attrs` say the method, the
output and the year).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.labels import year_label
from simulator.variables import VARIABLES
from simulator.plotting.axes import axis_unit, new_axes, plain_text
from simulator.plotting.figure_text import TITLE_WIDTH, wrap
from simulator.plotting.rankings import index_bars, tornado


def _unit(output: str) -> str:
    name = output if output in VARIABLES else output.rsplit(".", 1)[0]
    return VARIABLES[name].unit


METHOD_NAMES = {"sobol": "Sobol' indices", "morris": "Morris screening", "oat": "one at a time",
                "trees": "extra-trees importance beside Sobol' ST"}


def output_label(output: str | list[str], year: int | list[int]) -> str:
    """'trade.balance', 2034 -> "India's trade balance with Japan in FY2034-35"; several outputs or
    years (as a manifest lists them) are joined with "; "."""
    if not isinstance(output, str) or not isinstance(year, (int, float)):
        outputs = [output] if isinstance(output, str) else list(output)
        years = [year] if isinstance(year, (int, float)) else list(year)
        return "; ".join(output_label(o, int(y)) for o in outputs for y in years)
    if output in VARIABLES:
        label = VARIABLES[output].label
    else:
        name, entry = output.rsplit(".", 1)
        label = f"{VARIABLES[name].label} ({entry.replace('_', ' ')})"
    return f"{label} in {year_label(output, year)}"


MAIN = {"sobol": "ST", "morris": "mu_star", "oat": "swing", "trees": "importance"}
MAIN_NAMES = {"ST": "Sobol' total index ST", "mu_star": "Morris mu*", "swing": "one-at-a-time swing",
              "importance": "extra-trees importance"}


def plot_grid(table: pd.DataFrame, ax=None, top: int = 15):
    """Several outputs and years: the main index of each factor (rows, largest first) for each
    output and year (columns), as a shaded grid with the numbers written in."""
    a = table.attrs
    main = MAIN[a["method"]]
    pairs = list(dict.fromkeys(zip(table["output"], table["year"])))
    grid = table.pivot_table(index=table.index, columns=["output", "year"], values=main, sort=False)
    grid = grid.reindex(columns=pd.MultiIndex.from_tuples(pairs))
    grid = grid.loc[grid.max(axis=1).sort_values(ascending=False, kind="stable").index].head(top)
    labels = table.groupby(level=0, sort=False)["label"].first()
    if ax is None:
        ax = new_axes((2.2 * len(pairs) + 4.5, 0.4 * len(grid) + 2.2))
    values = grid.to_numpy(dtype=float)
    ax.imshow(values, aspect="auto", cmap="Blues", vmin=min(0.0, np.nanmin(values)), vmax=np.nanmax(values) or 1)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.2g}", ha="center", va="center", fontsize=7,
                color="white" if v > 0.6 * (np.nanmax(values) or 1) else "black")
    ax.set_yticks(range(len(grid)), [wrap(plain_text(str(labels[k]))) for k in grid.index], fontsize=8)
    ax.set_xticks(range(len(pairs)), [wrap(plain_text(output_label(o, y)), 22) for o, y in pairs], fontsize=7)
    ax.set_title(wrap(plain_text(f"{MAIN_NAMES[main]} by output and year ({METHOD_NAMES[a['method']]})"), TITLE_WIDTH),
                 fontsize=10, loc="left")
    return ax


def plot_sensitivity(table: pd.DataFrame, ax=None):
    a = table.attrs
    if "output" in table.columns:
        return plot_grid(table, ax=ax)
    unit = _unit(a["output"])
    if a["method"] == "oat":
        ax = tornado(table, ax=ax, unit=unit)
        ax.set_xlabel(wrap(plain_text(f"{output_label(a['output'], a['year'])} ({axis_unit(unit)})"), 90))
    elif a["method"] == "sobol":
        ax = index_bars(table, ("S1", "ST"), ax=ax, xlabel="Sobol' index (share of output variance)")
    elif a["method"] == "trees":
        ax = index_bars(table, ("importance", "ST"), ax=ax, xlabel="extra-trees importance; Sobol' total index")
    else:
        # mu* and sigma side by side, both in the output's unit: sigma is the spread of the effects, not
        # an uncertainty of mu* (drawn as one it reached below zero, where mu* cannot be).
        columns = ("mu_star", "sigma") if "sigma" in table else ("mu_star",)
        ax = index_bars(table, columns, ax=ax, xlabel=f"elementary effect ({axis_unit(unit)} per full quantile range)")
    ax.set_title(wrap(plain_text(f"Sensitivity of {output_label(a['output'], a['year'])}: {METHOD_NAMES[a['method']]}"),
                      TITLE_WIDTH), fontsize=10, loc="left")
    return ax
