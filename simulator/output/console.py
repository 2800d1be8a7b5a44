"""The console summaries: a run's headline numbers with their 90% intervals, and a comparison's
values per scenario beside their paired differences.

What people read: readable units ("US$ bn", "people"), people as whole numbers, trade years as
Indian fiscal years ("FY2030-31"), and differences with enough digits to tell 0.004 from 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import printable
from ..result import Result
from ..variables import VARIABLES
from .labels import format_interval, format_value, unit_label, year_label

if TYPE_CHECKING:
    from ..compare import Comparison


def safe(text: str) -> str:
    """Titles and labels come from scenario files: no markup, control characters escaped."""
    return escape(printable(text))


def headline_table(result: Result) -> Table:
    s = result.scenario
    table = Table(title=safe((f"{s.title}  ({s.draws:,} draws, seed {s.seed})")), title_justify="left")
    for col, justify in (("variable", "left"), ("unit", "left"), ("year", "right"),
                         ("median", "right"), ("90% interval", "right")):
        table.add_column(col, justify=justify)
    for row in result.headline().itertuples():
        table.add_row(safe(row.label), unit_label(row.unit), year_label(row.variable, row.year),
                      format_value(row.p50, row.unit), format_interval(row.p05, row.p95, row.unit))
    return table


def probability_table(result: Result) -> Table:
    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("event")
    table.add_column("year", justify="right")
    table.add_column("probability", justify="right")
    for row in result.probabilities().itertuples():
        table.add_row(safe(row.event), year_label(row.variable, row.year), f"{row.probability:.0%}")
    return table


def print_headline(result: Result, console: Console | None = None) -> None:
    console = console or Console()
    console.print(headline_table(result))
    console.print(probability_table(result))


def comparison_values_table(comparison: "Comparison") -> Table:
    """Each scenario's own median and 90% interval for the headline variables."""
    labels = comparison.labels
    table = Table(title=safe(f"Headline values: median (90% interval), "
                               f"{comparison.reference.scenario.draws:,} common draws"), title_justify="left")
    for col in ("variable", "unit", "year", *labels):
        table.add_column(safe(col), justify="left" if col in ("variable", "unit") else "right")
    headlines = [r.headline().set_index(["variable", "year"]) for r in comparison.results]
    for (variable, year), row in headlines[0].iterrows():
        cells = []
        for h in headlines:
            if (variable, year) not in h.index:
                cells.append("—")
                continue
            r = h.loc[(variable, year)]
            cells.append(f"{format_value(r.p50, r.unit)} ({format_interval(r.p05, r.p95, r.unit)})")
        table.add_row(safe(row.label), unit_label(row.unit), year_label(variable, year), *cells)
    return table


def comparison_probability_table(comparison: "Comparison") -> Table:
    """The headline events' probabilities, one column per scenario."""
    labels = comparison.labels
    table = Table(show_edge=False, box=None, pad_edge=False)
    for col in ("event", "year", *labels):
        table.add_column(safe(col), justify="left" if col == "event" else "right")
    per = [r.probabilities().set_index(["event", "year"]) for r in comparison.results]
    keys = list(dict.fromkeys(k for p in per for k in p.index))
    for event, year in keys:
        variable = next(p.loc[(event, year), "variable"] for p in per if (event, year) in p.index)
        table.add_row(safe(event), year_label(variable, year),
                      *[f"{p.loc[(event, year), 'probability']:.0%}" if (event, year) in p.index else "—"
                        for p in per])
    return table


def difference_table(comparison: "Comparison", scenario: str) -> tuple[Table, list[str]]:
    """Paired differences of one scenario from the reference, and the headline variables that do not
    change in any draw."""
    i = comparison.names.index(scenario)
    label, reference = comparison.labels[i], comparison.labels[0]
    rows = comparison.headline()
    rows = rows[rows.scenario == scenario]
    changed = rows[(rows.diff_p05 != 0) | (rows.diff_p95 != 0)]
    table = Table(title=safe(f"{label} minus {reference}: paired differences "
                               f"({comparison.reference.scenario.draws:,} common draws)"), title_justify="left")
    for col in ("variable", "unit", "year", "median", "90% interval", "P(higher)"):
        table.add_column(col, justify="left" if col in ("variable", "unit") else "right")
    for row in changed.itertuples():
        table.add_row(safe(VARIABLES[row.variable].label), unit_label(row.unit), year_label(row.variable, row.year),
                      format_value(row.diff_p50, row.unit), format_interval(row.diff_p05, row.diff_p95, row.unit),
                      f"{row.p_greater:.0%}")
    same = [VARIABLES[v].label for v in dict.fromkeys(rows.variable) if v not in set(changed.variable)]
    return table, same


def print_comparison(comparison: "Comparison", console: Console | None = None) -> None:
    console = console or Console()
    console.print(comparison_values_table(comparison))
    console.print(comparison_probability_table(comparison))
    for name in comparison.names[1:]:
        table, same = difference_table(comparison, name)
        console.print(table)
        if same:
            console.print(safe("unchanged in every draw: " + "; ".join(same)))
