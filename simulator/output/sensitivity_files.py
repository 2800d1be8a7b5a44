"""Writing a sensitivity analysis: the table, a tornado or index plot, and a manifest."""
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


def output_label(output: str, year: int) -> str:
    """'trade.balance', 2034 -> "India's trade balance with Japan in FY2034-35"."""
    if output in VARIABLES:
        label = VARIABLES[output].label
    else:
        name, entry = output.rsplit(".", 1)
        label = f"{VARIABLES[name].label} ({entry.replace('_', ' ')})"
    return f"{label} in {year_label(output, year)}"


def plot_sensitivity(table: pd.DataFrame, ax=None):
    a = table.attrs
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
    with atomic_folder(Path(out_dir), force) as tmp:
        table.to_csv(tmp / "sensitivity.csv", lineterminator="\n")
        if plots:
            (tmp / "plots").mkdir()
            fig, ax = file_figure((9, 0.5 * min(len(table), 15) + 2.2))  # room for labels on two lines
            plot_sensitivity(table, ax=ax)
            name = {"oat": "tornado", "sobol": "sobol_indices", "morris": "morris_mu_star",
                    "trees": "feature_scores"}[a["method"]]
            finish_figure(fig, tmp / "plots" / name, plain_text(
                f"ijsim {__version__} · scenario '{scenario.name}' · {a['evaluations']:,} model evaluations, seed {a['seed']}"))
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        doc = {"kind": "sensitivity", "scenario": scenario.name, "title": scenario.title,
               "description": scenario.description, "scenario_files": dict(scenario.sha256),
               "method": a["method"], "output": a["output"], "year": a["year"], "evaluations": a["evaluations"],
               "seed": a["seed"], "version": __version__, "versions": versions(),
               "elapsed_s": round(elapsed_s if started is None else time.perf_counter() - started, 3),
               "files": files}
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
