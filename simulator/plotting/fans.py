"""Fan charts: the median with 50% and 90% bands, units on the axis, trade years as fiscal years,
and the observed series leading into a trade projection.

Data preparation (`fan_bands`) is apart from drawing (`fan_chart`). The panels take a run's
`Result` (or anything with its `bands`, `labels` and `scenario`), the overlays several.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulator.variables import PANEL_VARIABLES, VARIABLES, fiscal_year, is_fiscal
from simulator.plotting.axes import axis_unit, new_axes, plain_text, year_axis
from simulator.plotting.figure_text import TITLE_WIDTH, outside_legend, wrap
from simulator.plotting.history_overlay import (draw_observed, has_history, history_legend, mark_base_year,
                                                observed, overlay_history, resolve_history, start_year)

if TYPE_CHECKING:  # the results are made above this layer; only their type is named here
    import xarray as xr

    from simulator.montecarlo.result import Result


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
    for name, color, label in zip(PANEL_VARIABLES["trade"], ("C2", "C1", "C3"),
                                  ("India → Japan", "Japan → India", "balance (India)")):
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
    for name, color, target in zip(PANEL_VARIABLES["exchange"], ("C0", "C4"),
                                   (p["exchange.target_people"], p["exchange.target_skilled"])):
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


def variable_fan(result: "Result", variable: str, *, ax=None, history=None, subtitle: str | None = None):
    """One variable of a run (or one entry, ``<variable>.<entry>``) as a fan chart: its label and
    the scenario's title above, fiscal years for trade, and for a trade variable the observed
    years leading into it with the base year marked (`history` as in `trade_panel`); the balance
    also shows its base-year level and zero. What `Result.plot` draws, and run's plots/ hold."""
    import textwrap

    base = variable if variable in VARIABLES else variable.rsplit(".", 1)[0]
    info = VARIABLES[base]
    label = info.label if base == variable else f"{info.label}: {variable.rsplit('.', 1)[1].replace('_', ' ')}"
    subtitle = textwrap.shorten(result.scenario.title, width=95, placeholder=" …") if subtitle is None else subtitle
    bands = result.bands(variable)
    ax = fan_chart(bands, ax=ax, unit=info.unit, title=f"{label}\n{subtitle}" if subtitle else label,
                   fiscal=is_fiscal(variable))
    base_year = result.scenario.params["trade.base_year"]
    if variable == "trade.balance":
        ax.axhline(result.base_balance(), color="0.3", linestyle="--", linewidth=1,
                   label=f"{fiscal_year(base_year)} level")
        ax.axhline(0.0, color="0.6", linewidth=0.8)
        outside_legend(ax)
    if has_history(variable):
        overlay_history(ax, variable, resolve_history(history), [base_year], int(bands.index.max()),
                        start_years=[start_year(result.scenario)])
    return ax
