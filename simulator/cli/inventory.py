"""`ijsim variables` and `ijsim params`: what a run computes, and every parameter that drives it."""
from __future__ import annotations

import click
from rich.table import Table

from simulator.cli.group import cli
from simulator.cli.options import SCENARIO, err, out, safe


def _print(columns: list[str], rows: list[list[str]], as_csv: bool, fold: tuple[str, ...] = ()) -> None:
    """A table for people, or CSV for spreadsheets and scripts."""
    if as_csv:
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.replace(" ", "_") for c in columns])
        writer.writerows(rows)
        return
    table = Table(show_edge=False, box=None)
    for col in columns:
        table.add_column(col, overflow="fold" if col in fold else "ellipsis", no_wrap=col == columns[0])
    for row in rows:
        table.add_row(*[safe(str(c)) for c in row])
    out.print(table)


CSV_OPTION = click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")


@cli.command()
@click.option("--search", metavar="WORD", help="Only variables whose name, label or description contains WORD.")
@CSV_OPTION
def variables(search, as_csv) -> None:
    """List every output variable: name (as in summary.csv), unit, dimensions and meaning.

    Trade variables are by Indian fiscal year (April-March), labelled by the year it starts in:
    2030 is FY2030-31. A variable with a third dimension appears in summary.csv once per entry,
    as <variable>.<entry> (e.g. investment.disbursed_by_sector.clean_energy).
    """
    from simulator.output.labels import is_fiscal, unit_label
    from simulator.variables import VARIABLES

    rows = []
    for name, v in VARIABLES.items():
        meaning = v.label + (f": {v.description}" if v.description else "")
        if search and not any(search.lower() in t.lower() for t in (name, meaning)):
            continue
        dims = ", ".join(("draw", "fiscal year" if is_fiscal(name) else "year", *((v.extra_dim,) if v.extra_dim else ())))
        unit = v.unit if unit_label(v.unit) == v.unit else f"{v.unit} ({unit_label(v.unit)})"
        rows.append([name, unit, dims, meaning])
    _print(["variable", "unit", "dimensions", "meaning"], rows, as_csv)


@cli.command()
@click.argument("scenario_file", metavar="[SCENARIO]", required=False, type=SCENARIO)
@click.option("--search", metavar="WORD", help="Only parameters whose key, meaning or source contains WORD.")
@CSV_OPTION
def params(scenario_file, search, as_csv) -> None:
    """List every parameter: unit, allowed range, default and its source.

    With SCENARIO (a file or a shipped scenario's name), the value it runs with and the file that
    set it ('default' where no file does), for every stage and stream it defines.
    """
    from simulator.scenario import load_scenario
    from simulator.scenario.inventory import list_parameters

    scenario = load_scenario(scenario_file) if scenario_file is not None else None
    rows = list_parameters(scenario, search)
    if not rows:
        err.print(f"no parameter matches {safe(search)!r}")
        return
    columns = ["parameter", "meaning", "unit", "range", "default"]
    columns += ["value", "set by"] if scenario else ["source of the default"]
    cells = [[r.path, r.title, r.unit, r.range, r.default] + ([r.value, r.set_by] if scenario else [r.source])
             for r in rows]
    _print(columns, cells, as_csv, fold=("set by",))
