"""`ijsim validate`, `list` and `schema`: working with scenario files without running them."""
from __future__ import annotations

import json
from pathlib import Path

import click

from simulator.errors import ScenarioError
from simulator.cli.group import cli
from simulator.cli.options import SCENARIO, err, out, safe, strict_option


@cli.command()
@click.argument("scenario_files", metavar="SCENARIO...", nargs=-1, required=True, type=SCENARIO)
@strict_option
def validate(scenario_files: tuple[Path, ...], strict: bool) -> None:
    """Check scenario files (or shipped scenarios by name); report every problem, then how many.
    Warnings (settings that cannot change any output, model blocks left at their defaults) are
    reported too, and fail the check only with --strict. Exit 0 if all are valid, 2 otherwise."""
    from simulator.scenario import load_scenario

    problems = failed = warned = 0
    for path in scenario_files:
        try:
            s = load_scenario(path)
            warnings = s.warnings()
            if strict and warnings:
                raise ScenarioError(warnings)
        except ScenarioError as exc:
            failed += 1
            problems += len(exc.problems)
            for problem in exc.problems:
                err.print(safe(str(problem)))
        else:
            out.print(f"ok  {safe(str(path))}  ({safe(s.name)}: {safe(s.title)})")
            warned += len(warnings)
            for warning in warnings:
                err.print(safe(f"warning: {warning}"))
    if warned:
        err.print(f"{warned} warning{'s' if warned != 1 else ''} (--strict makes them errors)")
    if failed:
        files = f" in {failed} of {len(scenario_files)} files" if len(scenario_files) > 1 else ""
        err.print(f"{problems} problem{'s' if problems != 1 else ''} found{files}")
        raise SystemExit(2)


@cli.command(name="list")
def list_scenarios() -> None:
    """List the shipped scenarios: name, title and file. Run one by name: `ijsim run baseline`."""
    from simulator.scenario import load_scenario
    from simulator.scenario.loader import display
    from simulator.shipped import shipped_scenarios

    from simulator.cli.tables import print_rows

    rows = []
    for path in shipped_scenarios():
        try:
            scenario = load_scenario(path)
            rows.append([scenario.name, scenario.title, display(path)])
        except ScenarioError:
            rows.append([path.stem, "(invalid: run ijsim validate)", display(path)])
    print_rows(["name", "title", "file"], rows, as_csv=False, whole=("file",))  # a file name whole: it is copied


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    from simulator.scenario.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))
