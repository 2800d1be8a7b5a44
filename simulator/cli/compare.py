"""`ijsim compare`: scenarios side by side with common random numbers."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from ..errors import ScenarioError, UserError
from .group import cli
from .options import (_parallel, _threads, out, output_options, parallel_options, safe, threads_option,
                      warn)

@cli.command()
@click.argument("scenario_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--draws", type=click.IntRange(1), help="Draws for every scenario (overrides the reference's).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Root seed for every scenario.")
@output_options("results/compare-<A>-<B>...")
@parallel_options
@threads_option
def compare(scenario_files, draws, seed, out_dir, force, no_plots, quiet, workers, scheduler, threads) -> None:
    """Compare scenarios with common random numbers; the first is the reference.

    All run with the reference's seed, draws and sampler, so inputs they share take the same values
    draw by draw and the paired difference shows only what the scenarios change.
    """
    from ..compare import common_settings
    from ..compare import compare as run_comparison
    from ..variables import VARIABLES
    from ..output.compare_files import write_comparison
    from ..output.files import check_target
    from ..scenario import load_scenario

    if len(scenario_files) < 2:
        raise click.UsageError("compare needs at least two scenario files")
    problems = []
    scenarios = []
    for path in scenario_files:  # report the problems of every file, not only the first bad one
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    for scenario in scenarios:
        warn(scenario, quiet)
    try:
        common_settings(scenarios, draws=draws, seed=seed)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    out_dir = out_dir or Path("results") / ("compare-" + "-".join(s.name for s in scenarios))
    check_target(out_dir, force)
    started = time.perf_counter()
    parallel = _parallel(workers, scheduler)
    comparison = run_comparison(scenarios, draws=draws, seed=seed, threads=_threads(threads, parallel), **parallel)
    write_comparison(comparison, out_dir, force=force, plots=not no_plots, elapsed_s=time.perf_counter() - started)
    if quiet:
        return
    headline = comparison.headline()
    for name in comparison.names[1:]:
        rows = headline[headline.scenario == name]
        changed = rows[(rows.diff_p05 != 0) | (rows.diff_p95 != 0)]
        table = Table(title=safe(f"{name} minus {comparison.names[0]}: paired differences "
                                   f"({comparison.reference.scenario.draws:,} common draws)"), title_justify="left")
        for col in ("variable", "year", "median", "90% interval", "P(higher)"):
            table.add_column(col, justify="left" if col == "variable" else "right")
        for row in changed.itertuples():
            table.add_row(safe(f"{VARIABLES[row.variable].label} ({row.unit})"), str(row.year),
                          f"{row.diff_p50:,.2f}", f"{row.diff_p05:,.2f} – {row.diff_p95:,.2f}", f"{row.p_greater:.0%}")
        out.print(table)
        same = sorted(set(rows.variable) - set(changed.variable))
        if same:
            out.print("unchanged in every draw: " + ", ".join(same))
    out.print(f"results written to {safe(str(out_dir))}/")
