"""`ijsim flows`: the person-level simpy model of the exchange."""
from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from .group import cli
from .options import _parallel, err, out, output_options, parallel_options, safe, warn

@cli.command()
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--replications", "-r", type=click.IntRange(1, 100_000), default=5, show_default=True,
              help="Number of seeded replications.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Root random seed (overrides the file).")
@output_options("results/<scenario name>-flows")
@parallel_options
def flows(scenario_file: Path, replications, seed, out_dir, force, no_plots, quiet, workers, scheduler) -> None:
    """Simulate the people exchange person by person (simpy) and write per-stage waits and backlogs.

    Each replication uses one parameter draw of the scenario and its own random numbers. The
    baseline scenario moves about a million people over ten years: expect a minute or more per
    replication.
    """
    from .. import engine
    from ..flows import run_flows
    from ..output.files import check_target
    from ..output.flows_files import write_flows
    from ..scenario import load_scenario

    scenario = engine.configure(load_scenario(scenario_file), seed=seed)
    warn(scenario, quiet)
    parallel = _parallel(workers, scheduler)
    out_dir = out_dir or Path("results") / f"{scenario.name}-flows"
    check_target(out_dir, force)
    if not quiet and err.is_terminal:
        from rich.progress import Progress
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"{scenario.name}: {replications} replications", total=replications)
            result = run_flows(scenario, replications, progress=lambda done, total: bar.update(task, completed=done),
                               **parallel)
    else:
        result = run_flows(scenario, replications, **parallel)
    write_flows(result, out_dir, force=force, plots=not no_plots)
    if quiet:
        return
    table = Table(title=safe(f"{scenario.title}: simpy model, {replications} replications"), title_justify="left")
    for col in ("stage", "served", "mean wait (months)", "p95 wait (months)", "mean queue", "utilisation"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for row in result.stage_table().itertuples():
        table.add_row(safe(row.stage), f"{row.served:,.0f}",
                      f"{row.mean_wait_months:.3f} ± {row.mean_wait_months_ci95:.3f}",
                      f"{row.p95_wait_months:.3f}", f"{row.mean_queue:,.1f}", f"{row.utilisation:.0%}")
    out.print(table)
    out.print(f"{result.events:,} events in {result.elapsed_s:.1f} s; results written to {safe(str(out_dir))}/")
