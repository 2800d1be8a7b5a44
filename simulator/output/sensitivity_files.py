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
from simulator.output.files import atomic_folder, sha256_file, versions
from simulator.output.plots import finish_figure
from simulator.plotting.axes import file_figure, plain_text
from simulator.plotting.sensitivity import plot_sensitivity


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
