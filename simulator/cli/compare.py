"""`ijsim compare`: scenarios side by side with common random numbers."""
from __future__ import annotations

import json
from pathlib import Path

import click
from simulator.errors import ScenarioError, UserError
from simulator import _clock
from simulator.cli.group import cli
from simulator.cli.options import (SCENARIO, _parallel, _threads, out, output_options, overrides_of, parallel_options,
                      report_warnings, run_options, safe, show_option, strict_option, threads_option)
from simulator.cli.progress import progress


@cli.command()
@click.argument("scenario_files", metavar="SCENARIO...", nargs=-1, required=True, type=SCENARIO)
@click.option("--label", "labels", multiple=True, metavar="TEXT",
              help="What to call each scenario in tables and plots, once per scenario in order "
                   "[default: their names].")
@run_options("--draws", "--seed", "--sampler", "--block-size")
@output_options("results/compare-<A>-<B>...")
@parallel_options
@threads_option
@strict_option
@show_option
def compare(scenario_files, labels, draws, seed, sampler, block_size, out_dir, force, no_plots, quiet, workers,
            scheduler, threads, strict, show) -> None:
    """Compare scenarios with common random numbers; the first is the reference.

    Each SCENARIO is a file or the name of a shipped scenario. All run with the reference's seed,
    draws, sampler and block size (after the options here), so inputs they share take the same
    values draw by draw and the paired difference shows only what the scenarios change. The console
    and plots show the headline variables (or --show's), the largest paired effect first.
    """
    from simulator.montecarlo.comparison import check_labels, common_settings
    from simulator.montecarlo.comparison import compare as run_comparison
    from simulator.output.compare_files import write_comparison
    from simulator.output.console import print_comparison
    from simulator.output.files import check_target
    from simulator.output.shown import check_present, parse_show
    from simulator.scenario import load_scenario

    shown = parse_show(show)
    if len(scenario_files) < 2:
        raise click.UsageError("compare needs at least two scenario files")
    if labels:
        try:
            check_labels(labels, len(scenario_files))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--label") from None
    problems = []
    scenarios = []
    for path in scenario_files:  # report the problems of every file, not only the first bad one
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    report_warnings(scenarios, strict, quiet)
    settings = overrides_of(draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    try:
        configured = common_settings(scenarios, **settings)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    from simulator.montecarlo import engine
    engine.check_memory(configured)  # every scenario's draws are kept in memory to be paired
    out_dir = out_dir or Path("results") / ("compare-" + "-".join(s.name for s in scenarios))
    check_target(out_dir, force)
    started = _clock.started()  # the manifest's elapsed_s is the command's, start-up included
    parallel = _parallel(workers, scheduler)
    with progress(quiet) as task:
        comparison = run_comparison(scenarios, threads=_threads(threads, parallel), labels=labels or None,
                                    progress=task(f"{len(scenarios)} scenarios"), **settings, **parallel)
        if shown:
            check_present(shown, comparison.reference.variables, comparison.names[0])
        table = comparison.table()  # once: it sorts every variable's draws
        write_comparison(comparison, out_dir, force=force, plots=not no_plots, started=started,
                         progress=task("writing plots"), show=shown, table=table)
    if quiet:
        return
    print_comparison(comparison, out, show=shown, table=table)
    elapsed = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"]
    out.print(f"results written to {safe(str(out_dir))}/ in {elapsed:.1f} s")
