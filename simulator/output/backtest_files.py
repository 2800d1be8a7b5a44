"""Writing a backtest or a calibration folder: tables, plots and a manifest, atomically."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulator._version import __version__
from simulator.estimation import forecast_evaluation as fe
from simulator.estimation.backtest import Backtest
from simulator.output.files import atomic_folder, sha256_file, versions
from simulator.plotting.figure_text import outside_legend
from simulator.output.plots import draw_all, save

FLOW_LABELS = {"trade.exports_india_to_japan": "India's exports to Japan",
               "trade.exports_japan_to_india": "Japan's exports to India",
               "trade.balance": "India's balance with Japan"}
MODEL_COLOURS = {"scenario": "#1f4e79", "scenario_drivers": "#d68910", "random_walk": "#b03a2e", "ar1": "#1e8449",
                 "var1": "#7d3c98", "no_change": "#717d7e"}


# The hindcast fans drawn (one row of panels each): the benchmarks, the model choice and the scenario;
# the discounted random walks the selection chooses among are in the tables and the coverage plot.
HINDCAST_PANELS = ("no_change", "random_walk", "ar1", "selected", "scenario", "scenario_drivers")



def hindcast_figure(bt: Backtest, history: pd.DataFrame, models: list[str]) -> Figure:
    """One panel per model and flow: the actual series, the median path from every origin (thin
    lines) and the 90% band from the latest origin only: seven overlapping bands hid each other.
    Every axis labels its years as the fiscal years they are."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from simulator.labels import fiscal_year

    flows = ["trade.exports_india_to_japan", "trade.exports_japan_to_india"]
    fig = Figure(figsize=(11, 2.9 * len(models) + 0.8), layout="constrained")
    axes = fig.subplots(len(models), 2, squeeze=False, sharex=True)
    t = bt.table
    for r, model in enumerate(models):
        colour = MODEL_COLOURS.get(model, "0.3")
        for c, var in enumerate(flows):
            ax = axes[r][c]
            column = history.columns[c]
            ax.plot(history.index, history[column], "k.-", lw=1.2, ms=4, label="actual", zorder=5)
            fans = list(t[(t.model == model) & (t.variable == var)].groupby("origin"))
            for k, (origin, rows) in enumerate(fans):
                start = history.loc[origin, column]
                years = np.r_[origin, rows.origin + rows.horizon]
                latest = k == len(fans) - 1
                if latest:
                    ax.fill_between(years, np.r_[start, rows.p05], np.r_[start, rows.p95], color=colour, alpha=0.18,
                                    lw=0, label=f"90% band from {fiscal_year(origin)}")
                ax.plot(years, np.r_[start, rows.p50], color=colour, lw=0.9, alpha=0.8,
                        label="median from each origin" if k == 0 else "_median")
            ax.set_title(f"{FLOW_LABELS[var]}: {model}", fontsize=9, loc="left")
            ax.set_ylabel("US$ bn a year")
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda y, _: fiscal_year(round(y))))
            ax.tick_params(axis="x", labelbottom=True, labelsize=7)
        outside_legend(axes[r][1], fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("fiscal year (April-March); each median path starts at an origin")
    return fig


def coverage_figure(bt: Backtest) -> Figure:
    """Coverage of the 50% and 90% intervals by horizon, pooled over the two flows, with the nominal line."""
    cov = bt.coverage()
    flows = cov[cov.variable.isin(["trade.exports_india_to_japan", "trade.exports_japan_to_india"])]
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, level in zip(axes, (50, 90)):
        for model, rows in flows.groupby("model", sort=False):
            pooled = rows.groupby("horizon").apply(
                lambda g: np.average(g[f"coverage_{level}"], weights=g.n), include_groups=False)
            ax.plot(pooled.index, pooled.values, "o-", color=MODEL_COLOURS.get(model, "0.3"), label=model)
        ax.axhline(level / 100, color="k", ls="--", lw=1, label=f"nominal {level}%")
        ax.set_title(f"{level}% interval: share of actual values inside", fontsize=9)
        ax.set_xlabel("years ahead")
        ax.set_xticks(sorted(flows.horizon.unique()))
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("coverage (share of held-out values)")
    outside_legend(axes[1], fontsize=7)
    return fig


def pit_figure(bt: Backtest, models: list[str]) -> Figure:
    """One panel per model: the histogram of the PIT over both flows (10 bins), the count a uniform
    PIT gives, and the central 90% range of a bin's count for that many independent values."""
    t = bt.table[bt.table.variable.isin(fe.FLOWS)]
    columns = min(len(models), 3)
    rows = -(-len(models) // columns)
    fig = Figure(figsize=(3.6 * columns, 2.8 * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False, sharex=True, sharey=True).ravel()
    for ax, model in zip(axes, models):
        values = t.pit[t.model == model].to_numpy()
        counts, edges, (lo, hi) = fe.pit_histogram(values)
        share, _, p = fe.above_median(t.actual[t.model == model], t.p50[t.model == model])
        ax.axhspan(lo, hi, color="0.85", lw=0, label="90% range if uniform")
        ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=MODEL_COLOURS.get(model, "0.3"),
               alpha=0.8, edgecolor="white", label="held-out values")
        ax.axhline(values.size / len(counts), color="k", ls="--", lw=1, label="uniform")
        ax.set_title(f"{model}: {values.size} values\n{share:.0%} above the median (binomial p = {p:.2g})",
                     fontsize=8)
        ax.set_xlim(0, 1)
        ax.grid(alpha=0.3, axis="y")
    for ax in axes[len(models):]:
        ax.set_visible(False)
    for ax in axes[len(models) - columns:len(models)]:  # the lowest panel of each column
        ax.set_xlabel("share of forecast draws below the outcome (PIT)", fontsize=8)
        ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes[::columns]:
        ax.set_ylabel("held-out values")
    outside_legend(axes[min(len(models), columns) - 1], fontsize=6.5)
    return fig


def _save(fig: Figure, stem: Path, source: str) -> list[Path]:
    fig.text(0.01, 0.005, source, fontsize=6.5, color="0.35", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    stem.parent.mkdir(parents=True, exist_ok=True)
    return save(fig, stem, dpi=130)


def _manifest(tmp: Path, doc: dict) -> None:
    files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    doc = {**doc, "version": __version__, "versions": versions(), "files": files}
    (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_backtest(bt: Backtest, history: pd.DataFrame, out_dir: Path, *, scenario=None, force: bool = False,
                   plots: bool = True, elapsed_s: float = 0.0, history_source: str = "",
                   exchange_hindcast: pd.DataFrame | None = None) -> Path:
    """backtest.csv (one row per model, variable, origin, horizon), coverage.csv (per horizon), scores.csv
    (per model and variable), diebold_mariano.csv (`Backtest.diebold_mariano`), plots/ (hindcast fans,
    coverage by horizon, PIT histograms), manifest.json; exchange_hindcast.csv (Indian residents in
    Japan, `exchange_calibration.hindcast_table`) when given."""
    with atomic_folder(Path(out_dir), force) as tmp:
        if exchange_hindcast is not None and len(exchange_hindcast):
            exchange_hindcast.to_csv(tmp / "exchange_hindcast.csv", index=False, lineterminator="\n",
                                     float_format="%.6g")
        bt.table.to_csv(tmp / "backtest.csv", index=False, lineterminator="\n", float_format="%.6g")
        bt.coverage().to_csv(tmp / "coverage.csv", index=False, lineterminator="\n", float_format="%.6g")
        bt.overall().to_csv(tmp / "scores.csv", index=False, lineterminator="\n", float_format="%.6g")
        bt.diebold_mariano().to_csv(tmp / "diebold_mariano.csv", index=False, lineterminator="\n",
                                    float_format="%.6g")
        if plots and len(bt.table):
            source = (f"ijsim {__version__} · rolling-origin hindcasts, origins {bt.origins[0]}-{bt.origins[-1]}, "
                      f"{bt.draws:,} draws, seed {bt.seed} · history: {history_source or 'seeds/history'}")
            models = [m for m in HINDCAST_PANELS if m in set(bt.table.model)] or list(dict.fromkeys(bt.table.model))
            figures = {"hindcast_fans": lambda: hindcast_figure(bt, history, models),  # the longest first
                       "pit": lambda: pit_figure(bt, models), "coverage_by_horizon": lambda: coverage_figure(bt)}
            (tmp / "plots").mkdir()

            def render(name: str) -> list[Path]:
                return _save(figures[name](), tmp / "plots" / name, source)
            # On forked processes, one per CPU: drawing the figures was half of `ijsim backtest` (docs/performance.md)
            draw_all(list(figures), render)
        _manifest(tmp, {
            "kind": "backtest",
            "scenario": getattr(scenario, "name", None),
            "scenario_files": dict(getattr(scenario, "sha256", {}) or {}),
            "trade_process": scenario.params["trade.process"] if scenario is not None else None,
            "origins": list(bt.origins), "horizons": list(bt.horizons), "draws": bt.draws, "seed": bt.seed,
            "history_years": list(bt.history_years), "history": history_source, "notes": list(bt.notes),
            "selections": [[int(o), m] for o, m in bt.selections], "selected_now": bt.selected_now,
            "vintage": "the history as stored today (revised figures), not the data available at each origin",
            "elapsed_s": round(elapsed_s, 3)})
    return Path(out_dir)


def write_calibration(estimates: pd.DataFrame, criteria: pd.DataFrame, fragments: dict[str, str], out_dir: Path,
                      *, force: bool = False, settings: dict | None = None,
                      drivers: pd.DataFrame | None = None) -> Path:
    """estimates.csv, criteria.csv, drivers.csv, one scenario fragment per candidate (<process>.toml),
    manifest.json."""
    with atomic_folder(Path(out_dir), force) as tmp:
        if drivers is not None:
            drivers.to_csv(tmp / "drivers.csv", index=False, lineterminator="\n", float_format="%.6g")
        estimates.to_csv(tmp / "estimates.csv", index=False, lineterminator="\n", float_format="%.6g")
        criteria.to_csv(tmp / "criteria.csv", index=False, lineterminator="\n", float_format="%.6g")
        for process, text in fragments.items():
            (tmp / f"{process}.toml").write_text(text, encoding="utf-8")
        _manifest(tmp, {"kind": "calibration", **(settings or {})})
    return Path(out_dir)
