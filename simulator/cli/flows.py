"""`ijsim flows`: the person-level simpy model of the exchange."""
from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from simulator.cli.group import cli
from simulator.cli.options import (SCENARIO, _parallel, configure, out, output_options, overrides_of, parallel_options,
                      report_warnings, run_options, safe, strict_option)
from simulator.cli.progress import progress


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@click.option("--replications", "-r", type=click.IntRange(1, 100_000), default=5, show_default=True,
              help="Number of seeded replications.")
@run_options("--seed", "--sampler", "--block-size")
@output_options("results/<scenario name>-flows")
@parallel_options
@strict_option
def flows(scenario_file: Path, replications, seed, sampler, block_size, out_dir, force, no_plots, quiet, workers,
          scheduler, strict) -> None:
    """Simulate the people exchange person by person (simpy) and write per-stage waits and backlogs.

    Replication r uses draw r of the scenario's parameters (so --sampler and --block-size choose
    them as for `run`) and its own random numbers. The baseline scenario moves about a million
    people over ten years: expect a minute or more per replication.
    """
    from simulator.people import run_flows
    from simulator.output.files import check_target
    from simulator.output.flows_files import write_flows
    from simulator.scenario import load_scenario

    scenario = configure(load_scenario(scenario_file), **overrides_of(seed=seed, sampler=sampler,
                                                                       block_size=block_size))
    report_warnings([scenario], strict, quiet, only=("exchange",))  # it simulates nothing else
    parallel = _parallel(workers, scheduler)
    out_dir = out_dir or Path("results") / f"{scenario.name}-flows"
    check_target(out_dir, force)
    months = len(scenario.years) * 12
    with progress(quiet) as task:
        step = task(f"{scenario.name}: {replications} replications")

        def by_month(done: float, total: float) -> None:
            if float(done).is_integer():  # a replication finished (the only news from Dask workers)
                step(done, total, f"{int(done)} of {total} done")
            else:
                # replications run side by side on processes: their simulated months, summed
                step(done, total, f"replications side by side, month {round((done % 1) * months)} of {months} on average")
        result = run_flows(scenario, replications, progress=by_month, **parallel)
        write_flows(result, out_dir, force=force, plots=not no_plots, progress=task("writing plots"))
    if quiet:
        return
    table = Table(title=safe(f"{scenario.title}: simpy model, {replications} replications"), title_justify="left")
    for col in ("stage", "served (people)", "mean wait (months)", "p95 wait (months)", "mean queue (people)",
                "utilisation"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for row in result.stage_table().itertuples():
        table.add_row(safe(row.stage), f"{row.served:,.0f}",
                      f"{row.mean_wait_months:.3f} ± {row.mean_wait_months_ci95:.3f}",
                      f"{row.p95_wait_months:.3f}", f"{row.mean_queue:,.0f}", f"{row.utilisation:.0%}")
    out.print(table)
    out.print(f"{result.events:,} events in {result.elapsed_s:.1f} s; results written to {safe(str(out_dir))}/")
