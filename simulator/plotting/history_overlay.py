"""The observed series drawn into the trade fan charts, so a reader sees where a projection starts.

A fan alone hides whether the model starts from where the data are and whether its median carries
on their trend; the observed years leading into it show both. Verified values (a stored page states
them) are filled markers joined by a line; unverified ones are hollow markers that nothing joins,
so an unconfirmed figure never looks like part of the confirmed record. The scenario's base year is
a vertical line: the year the projection's levels are anchored to (`trade.base_year`).

The history is read here, in the output layer (the core never reads files): the shipped
``seeds/history`` unless the caller gives another one (`load_history`'s result or a path).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pandas as pd

from simulator.history import load_history
from simulator.plotting.figure_text import outside_legend
from simulator.variables import fiscal_year

# Each trade variable with its own observed series; balance and total are worked out from the two
# flows (in years when both are observed). Variables not listed (cover ratio, diversion) have no
# published series and are drawn without history.
HISTORY_SERIES = {
    "trade.exports_india_to_japan": "exports_india_to_japan",
    "trade.exports_japan_to_india": "exports_japan_to_india",
    "trade.exports_india_to_us": "exports_india_to_us",
}
DERIVED = {  # variable: (series added, series subtracted or added, sign of the second)
    "trade.balance": ("exports_india_to_japan", "exports_japan_to_india", -1.0),
    "trade.total": ("exports_india_to_japan", "exports_japan_to_india", 1.0),
}
# Ten observed years up to the base year: enough to show the trend and the last break (FY2020-21),
# few enough that the fan keeps most of the width.
HISTORY_YEARS = 10
HISTORY_COLOR = "0.15"


def has_history(variable: str) -> bool:
    """Whether the variable's fan charts show an observed series."""
    return variable in HISTORY_SERIES or variable in DERIVED


def resolve_history(history=None) -> Mapping:
    """A loaded history: the shipped one for None, `load_history(path)` for a path, else as given."""
    if history is None or isinstance(history, (str, Path)):
        return load_history(history)
    return history


def observed(variable: str, history: Mapping, base_year: int, last_year: int | None = None) -> pd.DataFrame:
    """The observed values to draw for a variable: columns year, value, verified (bool), and the
    publisher's short name in `attrs["source"]`; empty if the variable or its series has none.

    The window is the `HISTORY_YEARS` years up to the base year and any observed year after it (a
    newer figure the projection overlaps) up to `last_year`."""
    empty = pd.DataFrame({"year": pd.Series(dtype="int64"), "value": pd.Series(dtype="float64"),
                          "verified": pd.Series(dtype="bool")})
    if variable in HISTORY_SERIES and HISTORY_SERIES[variable] in history:
        series = history[HISTORY_SERIES[variable]]
        table = _whole_years(series)
        sources = [series]
    elif variable in DERIVED and all(name in history for name in DERIVED[variable][:2]):
        first, second, sign = DERIVED[variable]
        a, b = _whole_years(history[first]), _whole_years(history[second])
        both = a.merge(b, on="year", suffixes=("_a", "_b"))  # only years where both flows are observed
        # Derived from one unverified flow is unverified: the difference is only as good as its parts.
        table = pd.DataFrame({"year": both["year"], "value": both["value_a"] + sign * both["value_b"],
                              "verified": both["verified_a"] & both["verified_b"]})
        sources = [history[first], history[second]]
    else:
        return empty
    keep = table["year"] >= base_year - HISTORY_YEARS + 1
    if last_year is not None:
        keep &= table["year"] <= last_year
    table = table[keep].sort_values("year").reset_index(drop=True).astype(
        {"year": "int64", "value": "float64", "verified": "bool"})
    # The publisher's first clause ("Department of Commerce") is the name a reader knows.
    table.attrs["source"] = " and ".join(dict.fromkeys(s.source.split(",")[0].strip() for s in sources))
    return table


def _whole_years(series) -> pd.DataFrame:
    """A series' whole-year values (a year's first months only are not the year's level: the
    projection's start marks where their nowcast sits)."""
    rows = series.table
    if "months" in rows:
        rows = rows[rows["months"] == 12]
    return rows[["year", "value", "verified"]].copy()


def draw_observed(ax, table: pd.DataFrame, color: str = HISTORY_COLOR) -> None:
    """Verified values as filled markers joined by a line, unverified as hollow markers.

    The line breaks where a year is missing or unverified (NaN), rather than drawing a confirmed
    trend across a year nobody confirmed. The artists' labels start with '_' (left out of
    automatic legends: `history_legend` adds one entry for all of them) and name what they are
    ('_observed', '_unverified'), which is how tests find them."""
    if table.empty:
        return
    years = range(int(table["year"].min()), int(table["year"].max()) + 1)
    verified = table[table["verified"]].set_index("year")["value"].reindex(years)
    ax.plot(list(years), verified.to_numpy(), color=color, linewidth=1.3, marker="o", markersize=4,
            label="_observed", zorder=4)
    unverified = table[~table["verified"]]
    if len(unverified):
        ax.plot(unverified["year"].to_numpy(), unverified["value"].to_numpy(), linestyle="none", marker="o",
                markersize=5, markerfacecolor="none", markeredgecolor=color, markeredgewidth=1.2,
                label="_unverified", zorder=4)


def mark_base_year(ax, base_year: int, start_year: int | None = None) -> None:
    """A vertical line at the base year, labelled for the legend, and one at the year the projection
    starts from when that is later (the newest observed year, often a nowcast of a partial year)."""
    ax.axvline(base_year, color="0.45", linestyle=":", linewidth=1.2, label=f"base year {fiscal_year(base_year)}")
    if start_year is not None and start_year != base_year:
        mark_start_year(ax, start_year)


def mark_start_year(ax, start_year: int) -> None:
    ax.axvline(start_year, color="0.45", linestyle="--", linewidth=1.0,
               label=f"projection starts {fiscal_year(start_year)}")


def start_year(scenario) -> int | None:
    """The year a scenario's trade projection starts from, if later than its base year."""
    year = scenario.params.get("trade.start_year")
    return None if year is None or year == scenario.params["trade.base_year"] else int(year)


def history_legend(ax, tables: list[pd.DataFrame]) -> None:
    """The legend with one entry for the observed values and one for the unverified ones, drawn in
    the history's colour whatever colours the series have (a panel draws each in its own)."""
    # Here, not at the top: the report asks `has_history` without drawing, and need not load matplotlib.
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    tables = [t for t in tables if not t.empty]
    if tables:
        source = " and ".join(dict.fromkeys(t.attrs.get("source", "") for t in tables if t.attrs.get("source")))
        handles.append(Line2D([], [], color=HISTORY_COLOR, linewidth=1.3, marker="o", markersize=4))
        labels.append(f"observed ({source})" if source else "observed")
        if any((~t["verified"]).any() for t in tables):
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=5, markerfacecolor="none",
                                  markeredgecolor=HISTORY_COLOR, markeredgewidth=1.2))
            labels.append("unverified")
    outside_legend(ax, handles, labels)


def overlay_history(ax, variable: str, history: Mapping, base_years, last_year: int | None = None,
                    color: str = HISTORY_COLOR, start_years=()) -> pd.DataFrame:
    """Draw a variable's observed series and mark each base year (and each later start); return what
    was drawn."""
    base_years = sorted({int(y) for y in base_years})
    table = observed(variable, history, base_years[0], last_year)
    draw_observed(ax, table, color)
    for year in base_years:
        mark_base_year(ax, year)
    for year in sorted({int(y) for y in start_years if y is not None} - set(base_years)):
        mark_start_year(ax, year)
    history_legend(ax, [table])
    return table
