"""`ijsim run`: one scenario, its files, plots and headline."""
from __future__ import annotations

import time
from pathlib import Path

import click

from .. import _testhooks
from .._start import checkpoint
from .group import cli
from .options import (_parallel, _threads, err, out, output_options, parallel_options, safe, threads_option,
                      warn)

@cli.command()
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--draws", type=click.IntRange(1), help="Number of Monte Carlo draws (overrides the file).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Root random seed (overrides the file).")
@click.option("--sampler", type=click.Choice(["mc", "lhs", "sobol"]), help="Sampling method (overrides the file).")
@click.option("--block-size", type=click.IntRange(1), help="Draws per seeded block (overrides the file).")
@output_options("results/<scenario name>")
@parallel_options
@threads_option
def run(scenario_file: Path, draws, seed, sampler, block_size, out_dir, force, no_plots, quiet, workers,
        scheduler, threads) -> None:
    """Run SCENARIO_FILE and write summary.csv, iamc.csv, ensemble.nc, manifest.json and plots/."""
    from .. import engine
    from ..output.console import print_headline
    from ..output.files import check_target, write_results
    from ..scenario import load_scenario

    scenario = load_scenario(scenario_file)
    overrides = {k: v for k, v in (("draws", draws), ("seed", seed), ("sampler", sampler),
                                   ("block_size", block_size)) if v is not None}
    scenario = engine.configure(scenario, **overrides)
    warn(scenario, quiet)
    parallel = _parallel(workers, scheduler)
    parallel["threads"] = _threads(threads, parallel)
    out_dir = out_dir or Path("results") / scenario.name
    check_target(out_dir, force)
    engine.check_memory(scenario)

    checkpoint()  # a signal whose exception an import swallowed ends the run here, before the work
    _testhooks.reached("compute")
    started = time.perf_counter()
    n_blocks = len(engine.block_plan(scenario))
    show_bar = not quiet and n_blocks > 1 and err.is_terminal
    if show_bar:
        from rich.progress import Progress
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"{scenario.name}: {scenario.draws:,} draws", total=n_blocks)
            result = engine.run(scenario, progress=lambda done, total: bar.update(task, completed=done), **parallel)
    else:
        result = engine.run(scenario, **parallel)
    plot_writer = None
    if not no_plots:
        from ..output.plots import write_fan_charts
        plot_writer = write_fan_charts
    write_results(result, out_dir, force=force, plots=not no_plots, overrides=overrides,
                  elapsed_s=time.perf_counter() - started, plot_writer=plot_writer)
    if not quiet:
        print_headline(result, out)
        out.print(f"results written to {safe(str(out_dir))}/ in {time.perf_counter() - started:.1f} s")
