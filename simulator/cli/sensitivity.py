"""`ijsim sensitivity`: Sobol', Morris or one-at-a-time analysis of one output."""
from __future__ import annotations

import json
import time
from pathlib import Path

import click
from rich.table import Table

from simulator.cli.group import cli
from simulator.cli.options import (SCENARIO, _parallel, _threads, configure, out, output_options, overrides_of, parallel_options,
                      report_warnings, run_options, safe, strict_option, threads_option)
from simulator.cli.progress import progress


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@click.option("--output", "output", default="trade.balance", show_default=True,
              help="Output variable (as in summary.csv; `ijsim variables` lists them), e.g. investment.fdi_stock.")
@click.option("--year", type=int, help="Year of the output [default: the last year of the horizon].")
@click.option("--method", type=click.Choice(["sobol", "morris", "oat", "trees"]), default="sobol", show_default=True)
@click.option("--n", "n", type=click.IntRange(2), help="Sobol: base sample (power of two, default 1024); "
              "Morris: trajectories (default 40).")
@run_options("--seed", "--block-size")
@output_options("results/<scenario>-sensitivity-<method>", "Skip the plot.")
@parallel_options
@threads_option
@strict_option
def sensitivity(scenario_file, output, year, method, n, seed, block_size, out_dir, force, no_plots, quiet, workers,
                scheduler, threads, strict) -> None:
    """Rank the uncertain inputs of SCENARIO (a file or a shipped scenario's name) by their
    influence on one output in one year.

    sobol: first-order (S1: the input alone) and total (ST: with its interactions) indices with 95%
    intervals; morris: screening by mean absolute elementary effect; oat: one-at-a-time swings for
    a tornado chart; trees: extra-trees feature scores (importance, summing to 1) beside the Sobol'
    indices. The method chooses its own sample points, so there is no --sampler; the model
    runs in batches of --block-size draws, which changes neither the points nor the result.
    """
    from simulator.analysis import sensitivity as analyse
    from simulator.output.files import check_target
    from simulator.output.labels import format_value
    from simulator.output.sensitivity_files import output_label, write_sensitivity
    from simulator.scenario import load_scenario

    scenario = configure(load_scenario(scenario_file), **overrides_of(block_size=block_size))
    report_warnings([scenario], strict, quiet)
    if n is not None and method == "sobol" and n & (n - 1):
        raise click.BadParameter(f"{n} is not a power of two (Sobol' sampling needs one)", param_hint="--n")
    out_dir = out_dir or Path("results") / f"{scenario.name}-sensitivity-{method}"
    check_target(out_dir, force)
    started = time.perf_counter()
    parallel = _parallel(workers, scheduler)
    with progress(quiet) as task:
        table = analyse(scenario, output=output, year=year, method=method, n=n, seed=seed,
                        threads=_threads(threads, parallel), progress=task(f"{scenario.name}: model runs"), **parallel)
        write_sensitivity(scenario, table, out_dir, force=force, plots=not no_plots, started=started)
    if quiet:
        return
    main_col = {"sobol": "ST", "morris": "mu_star", "oat": "swing", "trees": "importance"}[method]
    extra = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma"), "oat": ("low", "high"),
             "trees": ("importance", "ST")}[method]
    ranking = Table(title=safe(f"{scenario.name}: sensitivity of {output_label(output, table.attrs['year'])} "
                                 f"({method}, {table.attrs['evaluations']:,} model evaluations)"), title_justify="left")
    for col in ("rank", "input", *extra, main_col if main_col not in extra else None):
        if col:
            ranking.add_column(col, justify="left" if col == "input" else "right")
    for rank, (name, row) in enumerate(table.head(15).iterrows(), start=1):
        cells = ["n/a (group)" if row[c] != row[c] else f"{row[c]:,.3g}" for c in extra]  # NaN: SALib gives no sigma for groups
        if main_col not in extra:
            cells.append(f"{row[main_col]:,.3g}")
        if method == "sobol":
            cells = [f"{format_value(row['S1'])} ± {format_value(row['S1_conf'])}",
                     f"{format_value(row['ST'])} ± {format_value(row['ST_conf'])}"]
        if method == "trees":
            cells = [format_value(row["importance"]), f"{format_value(row['ST'])} ± {format_value(row['ST_conf'])}"]
        ranking.add_row(str(rank), safe(row["label"]), *cells)
    out.print(ranking)
    if method == "trees":
        out.print("importance: extra-trees feature score (mean decrease in impurity, sums to 1), a ranking from "
                  "4,096 Monte Carlo runs; ST: Sobol' total index with its 95% interval, for comparison.")
    if method == "sobol":
        out.print("S1: share of the output's variance due to the input alone; ST: with all its interactions "
                  "(ST - S1 is what it does together with others). Intervals are 95%.")
    elapsed = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"]
    out.print(f"results written to {safe(str(out_dir))}/ in {elapsed:.1f} s")
