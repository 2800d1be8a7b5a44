"""`ijsim run`: one scenario, its files, plots and headline."""
from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path

import click

from simulator import _testhooks
from simulator.signals import checkpoint
from simulator import _clock
from simulator.cli.group import cli
from simulator.cli.options import (SCENARIO, _parallel, _threads, configure, out, output_options, overrides_of, parallel_options,
                      report_warnings, run_options, safe, show_option, strict_option, threads_option)
from simulator.cli.progress import progress


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@run_options("--draws", "--seed", "--sampler", "--block-size")
@output_options("results/<scenario name>")
@parallel_options
@threads_option
@strict_option
@click.option("--ensemble", type=click.Choice(["full", "float32", "none"]), default="full", show_default=True,
              help="Keep every draw in ensemble.nc as float64 (full) or float32 (half the disk), or keep none: "
                   "then quantiles come from a streaming histogram (relative error at most 0.05%, docs/scaling.md).")
@click.option("--no-report", is_flag=True, help="Skip report.html (`ijsim report` writes it later).")
@show_option
def run(scenario_file: Path, draws, seed, sampler, block_size, out_dir, force, no_plots, quiet, workers,
        scheduler, threads, strict, ensemble, show, no_report) -> None:
    """Run SCENARIO (a file, or the name of a shipped scenario such as `baseline`) and write
    summary.csv, iamc.csv, ensemble.nc, events.csv, manifest.json, plots/ and report.html.

    Draws stream to ensemble.nc as they are computed: memory does not grow with --draws."""
    from simulator.output import run_folder
    from simulator.output.console import print_headline
    import xarray as xr

    from simulator.output.files import atomic_folder, check_finite, check_target, write_run_files
    from simulator.scenario import load_scenario
    from simulator.scenario.loader import display
    from simulator.output.shown import check_present, parse_show
    from simulator.output.drawing_pool import DrawingPool

    shown = parse_show(show)
    overrides = overrides_of(draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    scenario = configure(load_scenario(scenario_file), **overrides)
    report_warnings([scenario], strict, quiet)
    parallel = _parallel(workers, scheduler)
    parallel["threads"] = _threads(threads, parallel)
    out_dir = out_dir or Path("results") / scenario.name
    check_target(out_dir, force)
    # The drawing processes start now and get ready while the run computes (output/drawing_pool.py).
    pool = None if no_plots else DrawingPool()
    try:
        run_folder.check_disk(scenario, out_dir, ensemble)
        checkpoint()  # a signal whose exception an import swallowed ends the run here, before the work
        _testhooks.reached("compute")
        started = _clock.started()  # the manifest's elapsed_s is the command's, start-up included
        # The pool is closed before the temporary folder it draws into is moved or removed.
        with progress(quiet) as task, atomic_folder(out_dir, force) as tmp, pool or contextlib.nullcontext():
            source = display(scenario.files[0]) if scenario.files else scenario.name
            result = run_folder.run_into(scenario, tmp, ensemble=ensemble, source=source,
                                        progress=task(f"{scenario.name}: {scenario.draws:,} draws"), **parallel)
            if shown:
                check_present(shown, result.variables, source)
            summary = result.summary()
            check_finite(xr.Dataset.from_dataframe(summary.select_dtypes("number")), source)
            plot_writer = None
            if pool is not None:
                from simulator.output.plots import write_fan_charts
                plot_writer = functools.partial(write_fan_charts, progress=task("writing plots"), variables=shown,
                                                pool=pool)
            write_run_files(result, tmp, summary=summary, plot_writer=plot_writer, elapsed_s=0.0, started=started,
                            overrides=overrides, ensemble=result.ensemble, show=shown)
    finally:
        if pool is not None:
            pool.close()
    if not no_report:
        # After the folder is in place, as `ijsim report` and save_results write it: the report reads the
        # finished folder (manifest included) and is recorded in its ownership record.
        from simulator.output.report import write_report

        write_report(out_dir)
    if not quiet:
        print_headline(result, out, show=shown)
        elapsed = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"]
        out.print(f"results written to {safe(str(out_dir))}/ in {elapsed:.1f} s")
