"""`ijsim variables`: what a run computes, with units, dimensions and meaning."""
from __future__ import annotations

import click

from simulator.cli.group import cli
from simulator.cli.options import CSV_OPTION
from simulator.cli.tables import print_rows


@cli.command()
@click.option("--search", metavar="WORD", help="Only variables whose name, label or description contains WORD.")
@CSV_OPTION
def variables(search, as_csv) -> None:
    """List every output variable: name (as in summary.csv), unit, dimensions and meaning.

    Trade variables are by Indian fiscal year (April-March), labelled by the year it starts in:
    2030 is FY2030-31. A variable with a third dimension appears in summary.csv once per entry,
    as <variable>.<entry> (e.g. investment.disbursed_by_sector.clean_energy).
    """
    from simulator.labels import is_fiscal, unit_label
    from simulator.variables import VARIABLES

    rows = []
    for name, v in VARIABLES.items():
        meaning = v.label + (f": {v.description}" if v.description else "")
        if search and not any(search.lower() in t.lower() for t in (name, meaning)):
            continue
        dims = ", ".join(("draw", "fiscal year" if is_fiscal(name) else "year", *((v.extra_dim,) if v.extra_dim else ())))
        unit = v.unit if unit_label(v.unit) == v.unit else f"{v.unit} ({unit_label(v.unit)})"
        rows.append([name, unit, dims, meaning])
    print_rows(["variable", "unit", "dimensions", "meaning"], rows, as_csv)
