"""The console summaries: a run's headline numbers with their 90% intervals, and a comparison's
values per scenario beside their paired differences.

What people read: readable units ("US$ bn", "people"), people as whole numbers, trade years as
Indian fiscal years ("FY2030-31"), and differences with enough digits to tell 0.004 from 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from simulator.errors import safe
from simulator.montecarlo.result import Result
from simulator.variables import VARIABLES
from simulator.labels import (format_interval, format_probability, format_probability_difference, format_value,
                                      unit_label, year_label)

if TYPE_CHECKING:
    import pandas as pd

    from simulator.montecarlo.comparison import Comparison


def headline_table(result: Result, show: list[str] | None = None) -> Table:
    """The headline variables (or the `show`n ones, in that order) in 2030 and the final year:
    median and 90% interval."""
    s = result.scenario
    table = Table(title=safe((f"{s.title}  ({s.draws:,} draws, seed {s.seed})")), title_justify="left")
    for col, justify in (("variable", "left"), ("unit", "left"), ("year", "right"),
                         ("median", "right"), ("90% interval", "right")):
        table.add_column(col, justify=justify)
    rows = result.headline() if show is None else shown_rows(result, show)
    for row in rows.itertuples():
        table.add_row(safe(row.label), unit_label(row.unit), year_label(row.variable, row.year),
                      format_value(row.p50, row.unit), format_interval(row.p05, row.p95, row.unit))
    return table


def shown_rows(result: Result, show: list[str]) -> "pd.DataFrame":
    """headline()'s columns for the `show`n variables, in that order, from the run's summary."""
    import pandas as pd

    from simulator.montecarlo.summaries import headline_years

    years = headline_years(result.scenario.years)
    summary = result.summary()
    part = summary[summary.variable.isin(show) & summary.year.isin(years)]
    part = part.assign(_rank=part.variable.map({v: i for i, v in enumerate(show)})).sort_values(["_rank", "year"])
    return pd.DataFrame({"variable": part.variable, "label": [VARIABLES[v].label for v in part.variable],
                         "unit": part.unit, "year": part.year, "p50": part.p50, "p05": part.p05, "p95": part.p95})


def event_year(variable: str, year: int, by: bool) -> str:
    return f"{'by ' if by else ''}{year_label(variable, year)}"


MONTE_CARLO_NOTE = ("± is the Monte Carlo error of the share of draws only, in percentage points (pp): how "
                    "precisely the draws estimate it, not the uncertainty of the answer: that comes from the assumptions' ranges. "
                    "What each probability depends on: event_drivers.csv in the results folder.")


def probability_table(result: Result) -> Table:
    """The scenario's events: probability, its Monte Carlo standard error (percentage points), and the
    assumption that moves it most with the probability at each end of that assumption's range."""
    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("event")
    table.add_column("year", justify="right")
    table.add_column("probability ± MC error", justify="right")
    table.add_column("depends most on (probability at its low / high end)", overflow="fold")
    drivers = result.event_drivers() if hasattr(result, "event_drivers") else None
    first = {} if drivers is None or drivers.empty else \
        {r.event: r for r in drivers[drivers["rank"] == 1].itertuples()}
    for row in result.events().itertuples():
        top = first.get(row.event)
        depends = "—" if top is None else (f"{safe(top.label)}: {top.p_low:.0%} at {safe(top.low_end)} / "
                                           f"{top.p_high:.0%} at {safe(top.high_end)}")
        table.add_row(safe(row.title), event_year(row.variable, row.year, row.by),
                      format_probability(row.probability, row.se), depends)
    return table


def print_headline(result: Result, console: Console | None = None, show: list[str] | None = None) -> None:
    console = console or Console()
    console.print(headline_table(result, show))
    if result.scenario.events:
        console.print(probability_table(result))
        console.print(MONTE_CARLO_NOTE)


def comparison_values_table(comparison: "Comparison", table: pd.DataFrame, order: pd.DataFrame,
                            show_all: bool = False) -> Table:
    """Each scenario's own median and 90% interval for the variables of `order` (shown.effect_order)
    that some draw changes (all of them with `show_all`: the user named them), the largest paired
    effect first. `table`: comparison.table()."""
    from simulator.montecarlo.summaries import headline_years

    labels = comparison.labels
    out = Table(title=safe(f"Values: median (90% interval), {comparison.reference.scenario.draws:,} common draws; "
                           "largest paired effect first"), title_justify="left")
    for col in ("variable", "unit", "year", *labels):
        out.add_column(safe(col), justify="left" if col in ("variable", "unit") else "right")
    years = headline_years(comparison.reference.dataset["year"].values)
    cells = table.set_index(["variable", "year", "scenario"])
    for variable in order.variable[order.changed | show_all]:
        for year in years:
            if (variable, year, comparison.names[0]) not in cells.index:
                continue
            row = cells.loc[(variable, year, comparison.names[0])]
            values = [f"{format_value(r.p50, r.unit)} ({format_interval(r.p05, r.p95, r.unit)})"
                      for r in (cells.loc[(variable, year, name)] for name in comparison.names)]
            out.add_row(safe(VARIABLES[variable].label), unit_label(row.unit), year_label(variable, year), *values)
    return out


def comparison_probability_table(comparison: "Comparison") -> Table:
    """The events' probabilities, one column per scenario (± its Monte Carlo standard error)."""
    labels = comparison.labels
    table = Table(show_edge=False, box=None, pad_edge=False)
    for col in ("event", "year", *labels):
        table.add_column(safe(col), justify="left" if col == "event" else "right")
    per = [r.events().set_index("event") for r in comparison.results]
    names = list(dict.fromkeys(k for p in per for k in p.index))
    for name in names:
        row = next(p.loc[name] for p in per if name in p.index)
        table.add_row(safe(row["title"]), event_year(row["variable"], row["year"], row["by"]),
                      *[format_probability(p.loc[name, "probability"], p.loc[name, "se"]) if name in p.index
                        else "—" for p in per])
    return table


def event_difference_table(comparison: "Comparison", scenario: str) -> Table:
    """Paired differences of the events' probabilities from the reference (common draws)."""
    i = comparison.names.index(scenario)
    table = Table(show_edge=False, box=None, pad_edge=False,
                  title=safe(f"{comparison.labels[i]} minus {comparison.labels[0]}: event probabilities, paired"),
                  title_justify="left")
    for col in ("event", "year", "difference ± se"):
        table.add_column(col, justify="left" if col == "event" else "right")
    rows = comparison.event_differences()
    for row in rows[rows.scenario == scenario].itertuples():
        table.add_row(safe(row.title), event_year(row.variable, row.year, row.by),
                      format_probability_difference(row.difference, row.se))
    return table


def difference_table(comparison: "Comparison", scenario: str, differences: pd.DataFrame,
                     order: pd.DataFrame) -> tuple[Table, list[str]]:
    """Paired differences of one scenario from the reference for the variables `order` shows, the
    largest effect first, and the labels of those that no draw of this scenario changes.
    `differences`: shown.shown_differences (computed once for all scenarios)."""
    i = comparison.names.index(scenario)
    label, reference = comparison.labels[i], comparison.labels[0]
    same = [v for v in order.variable if not bool((comparison.difference(v, scenario) != 0).any())]
    rows = differences[(differences.scenario == scenario) & ~differences.variable.isin(same)]
    table = Table(title=safe(f"{label} minus {reference}: paired differences "
                               f"({comparison.reference.scenario.draws:,} common draws), largest effect first"),
                  title_justify="left")
    for col in ("variable", "unit", "year", "median", "90% interval", "P(higher)"):
        table.add_column(col, justify="left" if col in ("variable", "unit") else "right")
    for row in rows.itertuples():
        table.add_row(safe(VARIABLES[row.variable].label), unit_label(row.unit), year_label(row.variable, row.year),
                      format_value(row.diff_p50, row.unit), format_interval(row.diff_p05, row.diff_p95, row.unit),
                      f"{row.p_greater:.0%}")
    return table, [VARIABLES[v].label for v in same]


def print_comparison(comparison: "Comparison", console: Console | None = None, show: list[str] | None = None,
                     table: pd.DataFrame | None = None) -> None:
    """The values, the events, and each scenario's paired differences: the `show`n variables (the
    headline ones by default), the largest paired effect first and the unchanged on one line.
    `table`: comparison.table() if computed already (it sorts every variable's draws)."""
    from simulator.output.shown import default_shown, effect_order, shown_differences

    console = console or Console()
    table = comparison.table() if table is None else table
    order = effect_order(comparison, table, show or default_shown())
    console.print(comparison_values_table(comparison, table, order, show_all=show is not None))
    unchanged = [VARIABLES[v].label for v in order.variable[~order.changed]]
    if unchanged and show is None:
        console.print(safe("the same in every scenario and every draw (values in summaries.csv): "
                           + "; ".join(unchanged)))
    console.print(comparison_probability_table(comparison))
    console.print("± is the Monte Carlo error of each share only, in percentage points (pp), not the uncertainty of the answer; what each "
                  "scenario's probabilities depend on: event_drivers.csv of `ijsim run` on that scenario.")
    differences = shown_differences(comparison, table, order)
    for name in comparison.names[1:]:
        diff_table, same = difference_table(comparison, name, differences, order)
        if diff_table.row_count:
            console.print(diff_table)
        else:
            i = comparison.names.index(name)
            console.print(safe(f"{comparison.labels[i]} minus {comparison.labels[0]}: no variable shown changes "
                               "in any draw"))
        if same:
            console.print(safe("unchanged in every draw: " + "; ".join(same)))
        if len(comparison.event_differences()):
            console.print(event_difference_table(comparison, name))
