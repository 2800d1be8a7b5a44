"""Fan charts: the median with 50% and 90% bands, units on the axis and a source line.

Data preparation (`fan_bands`) is apart from drawing (`fan_chart`), which takes `ax=None` and
returns the axes, so notebooks can compose figures.

The user's matplotlib backend is never changed. Drawing functions called without `ax` open a
pyplot figure, which Jupyter shows; figures written to files are plain `Figure` objects
(`file_figure`), which need no display and never appear in a notebook.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from simulator._version import __version__
from simulator.montecarlo.result import Result
from simulator.variables import VARIABLES
from simulator.output.history_overlay import (draw_observed, has_history, history_legend, mark_base_year, observed,
                                              overlay_history, resolve_history, start_year)
from simulator.output.figure_text import TITLE_WIDTH, outside_legend, wrap
from simulator.output.labels import fiscal_year, is_fiscal, unit_label


def axis_unit(unit: str) -> str:
    """A unit for an axis label: 'US$ bn (nominal)', 'people', ..."""
    return "US$ bn (nominal)" if unit == "usd_bn" else unit_label(unit)


def year_axis(ax, fiscal: bool = False) -> None:
    """Whole years on the x axis; trade years as the Indian fiscal years they are (FY2030-31)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6 if fiscal else "auto"))
    if fiscal:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda y, _: fiscal_year(round(y))))
    ax.set_xlabel("fiscal year (April-March)" if fiscal else "year")


def new_axes(figsize: tuple[float, float] = (7, 4.2)):
    """Axes on a new pyplot figure: shown by Jupyter, or by `plt.show()`, with the user's backend."""
    import matplotlib.pyplot as plt  # only when drawing for display

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def file_figure(figsize: tuple[float, float] = (7, 4.2)):
    """(figure, axes) for a file: not registered with pyplot, so no backend or display is involved."""
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def plain_text(text: str) -> str:
    """Scenario text shown verbatim: '$' would otherwise start matplotlib's math mode."""
    return text.replace("$", r"\$")


def fan_bands(da: xr.DataArray) -> pd.DataFrame:
    """Quantiles over draws by year: columns p05, p25, p50, p75, p95 indexed by year."""
    values = da.transpose("draw", "year").values
    q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return pd.DataFrame(q.T, index=da["year"].values, columns=["p05", "p25", "p50", "p75", "p95"])


def fan_chart(bands: pd.DataFrame, *, ax=None, label: str = "", unit: str = "", color: str = "C0",
              title: str | None = None, fiscal: bool = False):
    """Median with 50% and 90% bands; `fiscal` labels the years as Indian fiscal years."""
    if ax is None:
        ax = new_axes()
    years = bands.index.values
    label = plain_text(label)
    ax.fill_between(years, bands["p05"], bands["p95"], color=color, alpha=0.18, linewidth=0, label="90% band")
    ax.fill_between(years, bands["p25"], bands["p75"], color=color, alpha=0.38, linewidth=0, label="50% band")
    ax.plot(years, bands["p50"], color=color, linewidth=2, label=f"median{' ' + label if label else ''}")
    year_axis(ax, fiscal)
    ax.set_ylabel(axis_unit(unit))
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(wrap(plain_text(title), TITLE_WIDTH), fontsize=10, loc="left")
    outside_legend(ax)
    return ax


def sector_stack(result: Result, *, ax=None):
    """Median disbursement by sector, stacked (the medians of the parts, which need not add up to
    the median of the total)."""
    if ax is None:
        ax = new_axes()
    from simulator.article_figures import sectors as article_sectors

    sectors = result.labels("sector")
    names = article_sectors()  # the article's names ("MSMEs and startups"), not the keys
    medians = [result.bands(f"investment.disbursed_by_sector.{k}")["p50"] for k in sectors]
    years = medians[0].index.values
    ax.stackplot(years, [m.values for m in medians],
                 labels=[plain_text(names.get(str(k), str(k).replace("_", " "))) for k in sectors], alpha=0.85)
    ax.set(ylabel=axis_unit("usd_bn"), title="Pledge disbursed by sector (medians)")
    year_axis(ax)
    handles, labels = ax.get_legend_handles_labels()
    outside_legend(ax, handles[::-1], labels[::-1])  # top to bottom, as stacked
    ax.grid(alpha=0.3)
    return ax


def trade_panel(result: Result, *, ax=None, history=None):
    """India's exports to and imports from Japan, and the balance, with 90% bands, the observed
    years leading into them and the base year. `history`: a `load_history` result or a folder (the
    shipped seeds/history by default; {} for none)."""
    if ax is None:
        ax = new_axes()
    history = resolve_history(history)
    base_year = result.scenario.params["trade.base_year"]
    drawn = []
    for name, color, label in (("trade.exports_india_to_japan", "C2", "India → Japan"),
                               ("trade.exports_japan_to_india", "C1", "Japan → India"),
                               ("trade.balance", "C3", "balance (India)")):
        bands = result.bands(name)
        ax.fill_between(bands.index, bands["p05"], bands["p95"], color=color, alpha=0.15, linewidth=0)
        ax.plot(bands.index, bands["p50"], color=color, linewidth=2, label=label)
        drawn.append(observed(name, history, base_year, int(bands.index.max())))
        draw_observed(ax, drawn[-1], color)  # each series in its colour, so the reader can follow it
    ax.axhline(0, color="0.5", linewidth=0.8)
    mark_base_year(ax, base_year, start_year(result.scenario))
    ax.set(ylabel=axis_unit("usd_bn"), title="India-Japan goods trade")
    year_axis(ax, fiscal=True)
    history_legend(ax, drawn)
    ax.grid(alpha=0.3)
    return ax


def exchange_panel(result: Result, *, ax=None):
    """Cumulative people exchanged and skilled workers, with the targets, on a linear axis (a log
    axis made the distance to a target look smaller than it is)."""
    if ax is None:
        ax = new_axes()
    p = result.scenario.params
    target_year = int(result.scenario.years[0]) + p["exchange.target_years"] - 1
    for name, color, target in (("exchange.counted_cumulative", "C0", p["exchange.target_people"]),
                                ("exchange.skilled_cumulative", "C4", p["exchange.target_skilled"])):
        bands = result.bands(name)
        ax.fill_between(bands.index, bands["p05"], bands["p95"], color=color, alpha=0.15, linewidth=0)
        ax.plot(bands.index, bands["p50"], color=color, linewidth=2, label=VARIABLES[name].label)
        ax.plot([target_year], [target], marker="*", markersize=12, color=color, linestyle="none",
                label=f"target {target:,} by {target_year}")
    from matplotlib.ticker import StrMethodFormatter

    ax.set(ylabel="people (cumulative)", title="People exchange against the Action Plan's targets")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    year_axis(ax)
    outside_legend(ax, fontsize=7)
    ax.grid(alpha=0.3)
    return ax


def comparison_fan(results, variable: str, *, ax=None, labels=None, history=None):
    """Overlaid fan charts (median and 90% band) of one variable for several scenarios; `labels`
    name them in the legend (their scenario names by default). A trade variable with an observed
    series gets it and each scenario's base year, from `history` as in `trade_panel`."""
    if ax is None:
        ax = new_axes()
    labels = labels or [r.scenario.name for r in results]
    last_year = None
    for i, (r, label) in enumerate(zip(results, labels)):
        bands = r.bands(variable)
        ax.fill_between(bands.index, bands["p05"], bands["p95"], color=f"C{i}", alpha=0.15, linewidth=0)
        ax.plot(bands.index, bands["p50"], color=f"C{i}", linewidth=2, label=plain_text(label))
        last_year = max(int(bands.index.max()), last_year or 0)
    info = VARIABLES[variable]
    ax.set(ylabel=axis_unit(info.unit))
    ax.set_title(wrap(plain_text(f"{info.label}: medians and 90% bands"), TITLE_WIDTH), loc="left", fontsize=10)
    year_axis(ax, is_fiscal(variable))
    if has_history(variable):  # also makes the legend
        overlay_history(ax, variable, resolve_history(history), [r.scenario.params["trade.base_year"] for r in results],
                        last_year, start_years=[start_year(r.scenario) for r in results])
    else:
        outside_legend(ax)
    ax.grid(alpha=0.3)
    return ax


def difference_fan(difference, variable: str, label: str, *, ax=None):
    """Fan chart of a paired difference (scenario - reference), with the zero line."""
    ax = fan_chart(fan_bands(difference), ax=ax, unit=VARIABLES[variable].unit, color="C3",
                   title=f"{VARIABLES[variable].label}: {label}", fiscal=is_fiscal(variable))
    ax.axhline(0, color="0.3", linewidth=1)
    return ax


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


def save(fig, path_without_suffix: Path, formats=("png", "svg"), dpi: int = 110) -> list[Path]:
    """Save a figure as PNG and SVG, byte-reproducible: no timestamps or software tags, and SVG ids
    hashed from the file's name instead of a random salt (distinct between figures, so that SVGs
    inlined in one page do not share ids)."""
    written = []
    for fmt in formats:
        # Not with_suffix: variable names contain dots ("investment.fdi_stock").
        path = path_without_suffix.parent / f"{path_without_suffix.name}.{fmt}"
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        with matplotlib.rc_context({"svg.hashsalt": path.name}):
            fig.savefig(path, dpi=dpi, metadata=metadata)
        written.append(path)
        # The layout is in figure coordinates: computed once, for the first format, and kept.
        fig.set_layout_engine("none")
    return written


def source_line(result: Result) -> str:
    s = result.scenario
    return plain_text(f"ijsim {__version__} · scenario '{s.name}' · {s.draws:,} draws ({s.sampler}), seed {s.seed} · "
                      "base figures: seeds/article_figures.toml and docs/model.md")


def write_fan_charts(result: Result, folder: Path, progress=None, processes: int | None = None,
                     history=None, variables: list[str] | None = None) -> list[Path]:
    """A fan chart per headline variable, and the sector, trade and exchange panels (PNG and SVG);
    with `variables` (--show), a fan chart of each of those instead, and no panels.
    `progress(done, total)` is called as each plot is written; `processes` as in `draw_all`; the
    trade charts show the observed series of `history` (as in `trade_panel`)."""
    folder.mkdir(parents=True, exist_ok=True)
    history = resolve_history(history)  # read once, before the drawing processes fork
    headline = variables or [name for name in result.variables if VARIABLES[name].headline]
    panels = [] if variables else [name for name in ("investment_by_sector", "trade", "exchange")
                                   if name != "exchange" or result.scenario.names("exchange.streams")]
    jobs = [("fan", name) for name in headline] + [("panel", name) for name in panels]
    return draw_all(jobs, lambda job: _render(result, folder, job, history), progress, processes)


def draw_all(jobs: list, render, progress=None, processes: int | None = None) -> list[Path]:
    """render(job) -> files for every job, in the jobs' order, on `processes` processes (by default
    one per CPU available). Drawing is pure Python, so threads would not help; the processes are
    forked, so they start at once and share `render` and its data without copying or pickling."""
    import multiprocessing

    from simulator.parallel import available_cpus

    processes = min(available_cpus(), len(jobs)) if processes is None else processes
    written: dict[int, list[Path]] = {}
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor, as_completed

        global _RENDER
        _RENDER = render
        try:
            with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_render_forked, job): i for i, job in enumerate(jobs)}
                for future in as_completed(futures):
                    written[futures[future]] = future.result()
                    if progress is not None:
                        progress(len(written), len(jobs))
        finally:
            _RENDER = None
    else:
        for i, job in enumerate(jobs):
            written[i] = render(job)
            if progress is not None:
                progress(len(written), len(jobs))
    return [path for i in range(len(jobs)) for path in written[i]]


_RENDER = None  # the render function forked plotting processes inherit
_PANELS = {"investment_by_sector": sector_stack, "trade": trade_panel, "exchange": exchange_panel}


def _render_forked(job) -> list[Path]:
    return _RENDER(job)


def _render(result, folder: Path, job, history) -> list[Path]:
    kind, name = job
    fig, ax = file_figure()
    if kind == "panel":
        if name == "trade":
            trade_panel(result, ax=ax, history=history)
        else:
            _PANELS[name](result, ax=ax)
        return finish_figure(fig, folder / name, source_line(result))
    info = VARIABLES[name]
    subtitle = textwrap.shorten(result.scenario.title, width=95, placeholder=" …")
    fan_chart(result.bands(name), ax=ax, unit=info.unit, title=f"{info.label}\n{subtitle}", fiscal=is_fiscal(name))
    if name == "trade.balance":
        ax.axhline(result.base_balance(), color="0.3", linestyle="--", linewidth=1,
                   label=f"{fiscal_year(result.scenario.params['trade.base_year'])} level")
        ax.axhline(0.0, color="0.6", linewidth=0.8)
        outside_legend(ax)
    if has_history(name):
        overlay_history(ax, name, history, [result.scenario.params["trade.base_year"]], int(result.bands(name).index.max()),
                        start_years=[start_year(result.scenario)])
    return finish_figure(fig, folder / name, source_line(result))


def finish_figure(fig, path_without_suffix: Path, source: str) -> list[Path]:
    """Add the source line, leave room for it, and save as PNG and SVG."""
    fig.text(0.01, 0.005, source, fontsize=6.5, color="0.35", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    return save(fig, path_without_suffix)
