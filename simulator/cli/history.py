"""`ijsim history`: the historical series, their coverage and the page behind every value."""
from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from simulator.cli.group import cli
from simulator.cli.options import out, safe


@cli.command()
@click.option("--history", "history_path", type=click.Path(path_type=Path), metavar="PATH",
              help="A folder with series.toml and one CSV per series, or one series CSV that replaces "
                   "the shipped one [default: the shipped seeds/history].")
@click.option("--all", "show_all", is_flag=True,
              help="Also list the values no page confirms (verified = false), with their notes; "
                   "calibration leaves them out by default.")
def history(history_path: Path | None, show_all: bool) -> None:
    """Show the historical series: coverage, how many values are verified, and each value's source.

    Every file is checked first; a bad file is reported one line per problem (file and row) with
    exit code 2. Layout and sources: docs/data.md.
    """
    from simulator.history.nowcast import months_label
    from simulator.history.series import UNITS, load_history

    series = load_history(history_path)  # raises ScenarioError before anything is printed

    summary = Table(show_edge=False, box=None, title="historical series", title_justify="left")
    for col in ("series", "unit", "period", "years", "verified"):
        summary.add_column(col)
    for s in series.values():
        summary.add_row(safe(s.name), safe(s.unit), safe(s.period), _coverage(s), _counts(s))
    out.print(summary)

    for s in series.values():
        out.print()
        out.print(f"[bold]{safe(s.name)}[/bold]  {safe(s.title)}")
        out.print(f"  {safe(UNITS[s.unit][0])}, {safe(s.period)}; {_coverage(s)}; {_counts(s)} verified")
        out.print(f"  {safe(s.source)}; vintage: {safe(s.vintage)}")
        if s.caveat:
            out.print(f"  caveat: {safe(s.caveat)}")
        rows = s.table if show_all else s.table[s.table["verified"]]
        table = Table(show_edge=False, box=None, pad_edge=False)
        table.add_column("year", justify="right")
        table.add_column("value", justify="right")
        table.add_column("verified")
        table.add_column("source", overflow="fold")
        if show_all:
            table.add_column("note", overflow="fold")
        for row in rows.itertuples(index=False):
            year = str(row.year) if row.months == 12 else f"{row.year} ({months_label(s.period, int(row.months))})"
            cells = [year, _number(row.value), "yes" if row.verified else "no", safe(row.source)]
            table.add_row(*cells, *([safe(row.note)] if show_all else []))
        out.print(table)
        if s.name in START_SERIES:
            out.print(f"  {_start(s)}")
        hidden = len(s.table) - len(rows)
        if hidden:
            out.print(f"  ({hidden} unverified value{'s' if hidden != 1 else ''} not shown; --all shows them)")


START_SERIES = ("exports_india_to_japan", "exports_japan_to_india")  # where trade.start = "history" starts


def _start(s) -> str:
    """Which year and value a projection that starts from the history (trade.start = "history") uses."""
    from simulator.history.nowcast import Nowcast, latest_start, months_label
    from simulator.labels import fiscal_year

    try:
        year, value = latest_start(s)
    except ValueError as exc:
        return f"a projection cannot start from this series: {safe(str(exc))}"
    label = fiscal_year(year) if s.period == "fiscal_year_april" else str(year)
    if isinstance(value, Nowcast):
        low, high = value.quantile([0.05, 0.95])
        return (f"projections that start from the history start from {label}: nowcast {value.median:.2f} "
                f"(90%: {low:.2f}-{high:.2f}) from {months_label(s.period, value.months)}'s {_number(value.partial)}"
                + (f", with the share those months had in {', '.join(map(str, value.share_years))}"
                   if value.share_years else ", assuming the months carry their share of the year"))
    return f"projections that start from the history start from {label}: {_number(value)}"


def _counts(s) -> str:
    return f"{int(s.table['verified'].sum())} of {len(s.table)}"


def _coverage(s) -> str:
    years = s.years()
    if not years:
        return "no values"
    text = f"{years[0]}-{years[-1]}"
    gaps = s.gaps()
    return text + (f" (missing {_ranges(gaps)})" if gaps else "")


def _ranges(years: list[int]) -> str:
    """2001, 2002, 2008, 2010..2014 -> '2001-2002, 2008, 2010-2014'."""
    parts, start = [], None
    for i, y in enumerate(years):
        start = y if start is None else start
        if i + 1 == len(years) or years[i + 1] != y + 1:
            parts.append(str(y) if start == y else f"{start}-{y}")
            start = None
    return ", ".join(parts)


def _number(value: float) -> str:
    """As written in the file: up to six decimals, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
