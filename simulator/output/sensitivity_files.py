"""Writing a sensitivity analysis: the table, a tornado or index plot (a grid of the main index for
several outputs and years), and a manifest.

sensitivity.csv is one table whatever was asked: one row per factor (a named group or an input)
and output-year pair, the `output` and `year` columns saying which."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

from simulator._version import __version__
from simulator.scenario import Scenario
from simulator.variables import VARIABLES
from simulator.output.files import atomic_folder, sha256_file, versions
from simulator.output.labels import year_label
from simulator.output.figure_text import TITLE_WIDTH, wrap
from simulator.output.plots import axis_unit, file_figure, finish_figure, index_bars, plain_text, tornado


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
    import numpy as np

    from simulator.output.plots import new_axes

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


def write_sensitivity(scenario: Scenario, table: pd.DataFrame, out_dir: Path, *, force: bool = False,
                      plots: bool = True, elapsed_s: float = 0.0, started: float | None = None) -> Path:
    """sensitivity.csv, the plot and manifest.json, atomically. `started` (a time.perf_counter()
    reading) makes the manifest's elapsed_s cover everything up to writing it."""
    a = table.attrs
    several = "output" in table.columns
    frame = table if several else table.assign(output=a["output"], year=a["year"])
    frame = frame[["output", "year", *[c for c in frame.columns if c not in ("output", "year")]]]
    frame = frame.rename_axis(a.get("by", "input"))
    with atomic_folder(Path(out_dir), force) as tmp:
        frame.to_csv(tmp / "sensitivity.csv", lineterminator="\n")
        if plots:
            (tmp / "plots").mkdir()
            rows = table.index.nunique()
            pairs = len(set(zip(table["output"], table["year"]))) if several else 1
            # room for labels on two lines (figure_text.wrap)
            fig, ax = file_figure((2.2 * pairs + 6.5 if several else 9, 0.5 * min(rows, 15) + 2.2))
            plot_sensitivity(table, ax=ax)
            name = {"oat": "tornado", "sobol": "sobol_indices", "morris": "morris_mu_star",
                    "trees": "feature_scores"}[a["method"]]
            finish_figure(fig, tmp / "plots" / name, plain_text(
                f"ijsim {__version__} · scenario '{scenario.name}' · {a['evaluations']:,} model evaluations, seed {a['seed']}"))
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        doc = {"kind": "sensitivity", "scenario": scenario.name, "title": scenario.title,
               "description": scenario.description, "scenario_files": dict(scenario.sha256),
               "method": a["method"], "by": a.get("by", "input"), "output": a["output"], "year": a["year"],
               "evaluations": a["evaluations"],
               "seed": a["seed"], "version": __version__, "versions": versions(),
               "elapsed_s": round(elapsed_s if started is None else time.perf_counter() - started, 3),
               "files": files}
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
