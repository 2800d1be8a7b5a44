"""Writing a scenario comparison: tables, every scenario's IAMC rows and draws, overlaid and
difference fan charts, manifest."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import xarray as xr

from simulator._version import __version__
from simulator.montecarlo.comparison import Comparison
from simulator.variables import VARIABLES
from simulator.scenario.loader import display
from simulator.output.files import CSV_DIALECT, atomic_folder, check_finite, for_netcdf3, iamc_table, sha256_file, versions, write_events
from simulator.plotting.history_overlay import resolve_history
from simulator.labels import with_fiscal_years
from simulator.output.shown import default_shown, effect_order, shown_differences
from simulator.output.plots import draw_all, finish_figure
from simulator.plotting.axes import file_figure, plain_text
from simulator.plotting.fans import comparison_fan, difference_fan


def _source(comparison: Comparison) -> str:
    s = comparison.reference.scenario
    return plain_text(f"ijsim {__version__} · {' vs '.join(comparison.names)} · {s.draws:,} common-random-number "
                      f"draws ({s.sampler}), seed {s.seed}")


def comparison_plots(comparison: Comparison, order=None, show_all: bool = False) -> list[tuple[str, str, str | None]]:
    """(file name, variable, other scenario or None for the overlay) of every plot a comparison
    writes, in reading order: for each variable of `order` (shown.effect_order; the headline
    variables by default), the largest paired effect first, its overlay and then its differences
    that are not zero in every draw. Variables no draw changes get no plot unless `show_all` (the
    user named them with --show)."""
    if order is None:
        order = effect_order(comparison, comparison.table(), default_shown())
    plots = []
    for variable, changed in zip(order.variable, order.changed):
        if not (changed or show_all) or variable not in comparison.reference.variables:
            continue
        plots.append((f"compare_{variable}", variable, None))
        for other in comparison.names[1:]:
            if float(abs(comparison.difference(variable, other)).max()) > 0.0:
                plots.append((f"difference_{other}_{variable}", variable, other))
    return plots


def write_comparison_plots(comparison: Comparison, folder: Path, progress=None,
                           processes: int | None = None, history=None, order=None, show_all: bool = False) -> list[Path]:
    """The overlays and differences, PNG and SVG; `progress(done, total)` after each one; on
    `processes` processes (plots.draw_all). Trade overlays show the observed series of `history`
    (the shipped seeds/history by default); a paired difference has no observed counterpart."""
    folder.mkdir(parents=True, exist_ok=True)
    history = resolve_history(history)  # read once, before the drawing processes fork
    label = dict(zip(comparison.names, comparison.labels))

    def render(plan) -> list[Path]:
        name, variable, other = plan
        fig, ax = file_figure()
        if other is None:
            comparison_fan(comparison.results, variable, ax=ax, labels=list(comparison.labels), history=history)
        else:
            difference_fan(comparison.difference(variable, other), variable,
                           f"{label[other]} minus {comparison.labels[0]} (paired)", ax=ax)
        return finish_figure(fig, folder / name, _source(comparison))

    return draw_all(comparison_plots(comparison, order, show_all), render, progress, processes)


def ensemble(comparison: Comparison) -> xr.Dataset:
    """Every scenario's draws in one dataset, with a `scenario` dimension first. Streams or stages
    that only some scenarios have are NaN in the others."""
    joined = xr.concat([r.dataset for r in comparison.results], dim=pd.Index(comparison.names, name="scenario"),
                       join="outer", combine_attrs="drop_conflicts", coords="minimal", compat="override")
    return joined.assign_coords(label=("scenario", list(comparison.labels)))


def labelled(table: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """`table` with each scenario's label (`--label`, its name by default) after its `scenario`
    column, and the reference's after `reference` where the table has one."""
    label = dict(zip(comparison.names, comparison.labels))
    table = table.copy()
    for column, name in (("scenario", "label"), ("reference", "reference_label")):
        if column in table:
            table.insert(table.columns.get_loc(column) + 1, name, table[column].map(label))
    return table


def write_comparison(comparison: Comparison, out_dir: Path, *, force: bool = False, plots: bool = True,
                     elapsed_s: float = 0.0, progress=None, started: float | None = None, history=None,
                     show: list[str] | None = None, table: pd.DataFrame | None = None) -> Path:
    """comparison.csv, summaries.csv, headline_differences.csv, events.csv, event_differences.csv, iamc.csv,
    ensemble.nc, plots/ and manifest.json, atomically. `started` (a time.perf_counter() reading)
    makes the manifest's elapsed_s cover everything up to writing it. `history`: the observed series
    the trade overlays show (write_comparison_plots). `show`: the variables headline_differences.csv,
    the plots and the report show (the headline variables by default), ordered by the size of their
    paired effect (shown.effect_order); the manifest records that order and the unchanged ones.
    `table`: comparison.table() if computed already."""
    for r in comparison.results:
        check_finite(r.dataset, display(r.scenario.files[0]) if r.scenario.files else r.scenario.name)
    with atomic_folder(Path(out_dir), force) as tmp:
        # Each table once: the comparison's and every summary sort all the draws of every variable.
        table = comparison.table() if table is None else table
        order = effect_order(comparison, table, show or default_shown())
        labelled(with_fiscal_years(table), comparison).to_csv(tmp / "comparison.csv", **CSV_DIALECT)
        summaries = [r.summary() for r in comparison.results]
        summary = pd.concat([s.assign(scenario=r.scenario.name) for r, s in zip(comparison.results, summaries)],
                            ignore_index=True)
        labelled(with_fiscal_years(summary), comparison).to_csv(tmp / "summaries.csv", **CSV_DIALECT)
        labelled(with_fiscal_years(shown_differences(comparison, table, order)), comparison).to_csv(
            tmp / "headline_differences.csv", **CSV_DIALECT)
        events = [r.events().assign(scenario=r.scenario.name, label=label)
                  for r, label in zip(comparison.results, comparison.labels)]
        write_events(pd.concat(events, ignore_index=True), tmp / "events.csv", extra=("scenario", "label"))
        labelled(comparison.event_differences().drop(columns=["variable", "by"]), comparison).to_csv(
            tmp / "event_differences.csv", **CSV_DIALECT, float_format="%.10g")
        # One IAMC Scenario per scenario file, called by its label: pyam reads them as one IamDataFrame.
        pd.concat([iamc_table(r, s, scenario=label) for r, s, label in zip(comparison.results, summaries,
                                                                           comparison.labels)],
                  ignore_index=True).to_csv(tmp / "iamc.csv", **CSV_DIALECT)
        for_netcdf3(ensemble(comparison)).to_netcdf(tmp / "ensemble.nc", engine="scipy", format="NETCDF3_64BIT")
        if plots:
            write_comparison_plots(comparison, tmp / "plots", progress=progress, history=history, order=order,
                                   show_all=show is not None)
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        ref = comparison.reference.scenario
        doc = {"kind": "comparison", "scenarios": [
                   {"scenario": r.scenario.name, "label": label, "title": r.scenario.title,
                    "description": r.scenario.description, "scenario_files": dict(r.scenario.sha256),
                    "events": {e.name: e.to_dict() for e in r.scenario.events}}
                   for r, label in zip(comparison.results, comparison.labels)],
               "reference": ref.name, "seed": ref.seed, "draws": ref.draws, "sampler": ref.sampler,
               "block_size": ref.block_size, "common_random_numbers": True,
               "shown": [v for v, changed in zip(order.variable, order.changed) if changed or show is not None],
               "unchanged": [v for v, changed in zip(order.variable, order.changed) if not changed], "version": __version__,
               "versions": versions(), "files": files,
               "elapsed_s": round(elapsed_s if started is None else time.perf_counter() - started, 3)}
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
