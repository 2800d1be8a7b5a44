"""Writing a sweep's results folder: sweep.csv, sweep_events.csv, regret.csv, each combination's
scenario file, a plot per shown variable and the manifest, atomically; then report.html.

Each combination's scenario file (scenarios/<base>-c<i>.toml) stands alone, with the run
settings written in: `ijsim run` on it gives that combination's draws bit for bit.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from simulator._version import __version__
from simulator.scenario.loader import display
from simulator.sweeping import Sweep
from simulator.output.files import CSV_DIALECT, atomic_folder, check_finite, sha256_file, versions
from simulator.plotting.history_overlay import resolve_history
from simulator.labels import with_fiscal_years
from simulator.output.plots import draw_all, finish_figure
from simulator.plotting.axes import file_figure, plain_text
from simulator.plotting.fans import comparison_fan


def _source(sweep: Sweep) -> str:
    s = sweep.comparison.reference.scenario
    return plain_text(f"ijsim {__version__} · sweep of '{sweep.base.name}', {len(sweep.values)} combinations · "
                      f"{s.draws:,} common-random-number draws ({s.sampler}), seed {s.seed}")


def write_sweep_plots(sweep: Sweep, folder: Path, variables: list[str], progress=None, processes: int | None = None,
                      history=None) -> list[Path]:
    """sweep_<variable>.png/.svg: every combination's median and 90% band of each shown variable."""
    folder.mkdir(parents=True, exist_ok=True)
    history = resolve_history(history)  # read once, before the drawing processes fork

    def render(variable: str) -> list[Path]:
        fig, ax = file_figure((8, 4.6))
        comparison_fan(sweep.comparison.results, variable, ax=ax, labels=sweep.labels, history=history)
        return finish_figure(fig, folder / f"sweep_{variable}", _source(sweep))

    return draw_all(list(variables), render, progress, processes)


def manifest(sweep: Sweep, show: list[str], best: dict[str, str]) -> dict:
    base, ref = sweep.base, sweep.comparison.reference.scenario
    return {
        "kind": "sweep", "scenario": base.name, "title": base.title, "description": base.description,
        "scenario_file": str(base.files[0]) if base.files else None, "scenario_files": dict(base.sha256),
        "levers": [{"key": s.key, "name": s.name, "from_year": s.from_year, "values": list(s.values)}
                   for s in sweep.settings],
        "combinations": [{"combination": name, "label": label, "scenario_file": f"scenarios/{name}.toml",
                          "values": dict(zip((s.key for s in sweep.settings), values))}
                         for name, label, values in zip(sweep.names, sweep.labels, sweep.values)],
        "show": list(show), "best": dict(best),
        "seed": ref.seed, "draws": ref.draws, "sampler": ref.sampler, "block_size": ref.block_size,
        "horizon": [int(ref.years[0]), int(ref.years[-1])], "common_random_numbers": True,
        "version": __version__, "versions": versions(),
        "events": {e.name: e.to_dict() for e in ref.events},
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_sweep(sweep: Sweep, out_dir: Path, *, show: list[str], best: dict[str, str], force: bool = False,
                plots: bool = True, progress=None, started: float | None = None, history=None,
                table: pd.DataFrame | None = None) -> Path:
    """The sweep's folder, atomically (nothing is left behind if anything fails). `show`: the
    variables plotted and reported; `best`: {variable: "higher" | "lower"}, what regret.csv
    measures; `table`: the comparison's table() if computed already."""
    started = time.perf_counter() if started is None else started
    for r in sweep.comparison.results:
        check_finite(r.dataset, display(r.scenario.files[0]) if r.scenario.files else r.scenario.name)
    with atomic_folder(Path(out_dir), force) as tmp:
        with_fiscal_years(sweep.table(table)).to_csv(tmp / "sweep.csv", **CSV_DIALECT)
        sweep.events().to_csv(tmp / "sweep_events.csv", **CSV_DIALECT, float_format="%.10g")
        with_fiscal_years(sweep.regret(best)).to_csv(tmp / "regret.csv", **CSV_DIALECT)
        (tmp / "scenarios").mkdir()
        for r in sweep.comparison.results:
            r.scenario.to_toml(tmp / "scenarios" / f"{r.scenario.name}.toml")
        if plots:
            write_sweep_plots(sweep, tmp / "plots", show, progress=progress, history=history)
        doc = manifest(sweep, show, best)
        doc["files"] = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        doc["elapsed_s"] = round(time.perf_counter() - started, 3)
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
