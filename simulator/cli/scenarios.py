"""`ijsim validate`, `list` and `schema`: working with scenario files without running them."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from ..errors import ScenarioError
from .group import cli
from .options import err, out, safe, warn

@cli.command()
@click.argument("scenario_files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(scenario_files: tuple[Path, ...]) -> None:
    """Check scenario files; report every problem. Exit 0 if all are valid, 2 otherwise."""
    from ..scenario import load_scenario

    failed = False
    for path in scenario_files:
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                err.print(safe(str(problem)))
        else:
            out.print(f"ok  {safe(str(path))}  ({safe(s.name)}: {safe(s.title)})")
            warn(s)
    if failed:
        raise SystemExit(2)


@cli.command(name="list")
def list_scenarios() -> None:
    """List the shipped scenarios with their titles."""
    from ..scenario import load_scenario
    from ..shipped import shipped_scenarios

    table = Table(show_edge=False, box=None)
    table.add_column("file")
    table.add_column("name")
    table.add_column("title")
    for path in shipped_scenarios():
        try:
            s = load_scenario(path)
            table.add_row(safe(path.name), safe(s.name), safe(s.title))
        except ScenarioError:
            table.add_row(safe(path.name), "", "[red](invalid: run ijsim validate)[/red]")
    out.print(table)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    from ..scenario.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))
