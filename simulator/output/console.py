"""The console summary of a run: headline numbers with their 90% intervals."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import printable
from ..result import Result


def headline_table(result: Result) -> Table:
    s = result.scenario
    table = Table(title=escape(printable(f"{s.title}  ({s.draws:,} draws, seed {s.seed})")), title_justify="left")
    for col, justify in (("variable", "left"), ("unit", "left"), ("year", "right"),
                         ("median", "right"), ("90% interval", "right")):
        table.add_column(col, justify=justify)
    for row in result.headline().itertuples():
        table.add_row(escape(row.label), row.unit, str(row.year), f"{row.p50:,.2f}",
                      f"{row.p05:,.2f} – {row.p95:,.2f}")
    return table


def probability_table(result: Result) -> Table:
    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("event")
    table.add_column("year", justify="right")
    table.add_column("probability", justify="right")
    for row in result.probabilities().itertuples():
        table.add_row(escape(row.event), str(row.year), f"{row.probability:.0%}")
    return table


def print_headline(result: Result, console: Console | None = None) -> None:
    console = console or Console()
    console.print(headline_table(result))
    console.print(probability_table(result))
