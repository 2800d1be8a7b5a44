"""`ijsim params`: every parameter that drives a run, with its unit, range, default and source."""
from __future__ import annotations

import click

from simulator.cli.group import cli
from simulator.cli.options import CSV_OPTION, SCENARIO, err, safe
from simulator.cli.tables import print_rows


@cli.command()
@click.argument("scenario_file", metavar="[SCENARIO]", required=False, type=SCENARIO)
@click.option("--search", metavar="WORD", help="Only parameters whose key, meaning or source contains WORD.")
@click.option("--levers", "levers_only", is_flag=True,
              help="Only the policy levers (what `ijsim sweep --lever` sets); the rest are uncertainties or settings.")
@CSV_OPTION
def params(scenario_file, search, levers_only, as_csv) -> None:
    """List every parameter: unit, allowed range, default and its source.

    With SCENARIO (a file or a shipped scenario's name), the value it runs with and the file that
    set it ('default' where no file does), for every stage and stream it defines.
    """
    from simulator.scenario import load_scenario
    from simulator.scenario.inventory import list_parameters

    scenario = load_scenario(scenario_file) if scenario_file is not None else None
    rows = list_parameters(scenario, search)
    if levers_only:
        from simulator.scenario.levers import is_lever

        rows = [r for r in rows if is_lever(r.path.replace("<name>", "*"))]
    if not rows:
        err.print(f"no parameter matches {safe(search)!r}")
        return
    columns = ["parameter", "meaning", "unit", "range", "default"]
    columns += ["value", "set by"] if scenario else ["source of the default"]
    shown = (lambda v: v) if as_csv else compact
    cells = [[r.path, r.title, r.unit, r.range, r.default] + ([shown(r.value), r.set_by] if scenario else [r.source])
             for r in rows]
    print_rows(columns, cells, as_csv, whole=("set by",))


def compact(value: str) -> str:
    """A yearly path as the table shows it: '{2023: 0, 2025: 0.2938}' -> '2023: 0, 2025: 0.2938', which
    wraps between years (the CSV keeps the braces)."""
    value = str(value)
    return value[1:-1] if value.startswith("{") and value.endswith("}") and ": " in value else value
