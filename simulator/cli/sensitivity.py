"""`ijsim sensitivity`: Sobol', Morris or one-at-a-time analysis of one output."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from .group import cli
from .options import _parallel, out, output_options, parallel_options, safe, warn

@cli.command()
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--output", "output", default="trade.balance", show_default=True,
              help="Output variable (as in summary.csv), e.g. investment.fdi_stock.")
@click.option("--year", type=int, help="Year of the output [default: the last year of the horizon].")
@click.option("--method", type=click.Choice(["sobol", "morris", "oat"]), default="sobol", show_default=True)
@click.option("--n", "n", type=click.IntRange(2), help="Sobol: base sample (power of two, default 1024); "
              "Morris: trajectories (default 40).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Seed [default: the scenario's].")
@output_options("results/<scenario>-sensitivity-<method>", "Skip the plot.")
@parallel_options
def sensitivity(scenario_file, output, year, method, n, seed, out_dir, force, no_plots, quiet, workers,
                scheduler) -> None:
    """Rank the scenario's uncertain inputs by their influence on one output in one year.

    sobol: first-order and total indices with 95% intervals; morris: screening by mean absolute
    elementary effect; oat: one-at-a-time swings for a tornado chart.
    """
    from ..analysis import sensitivity as analyse
    from ..output.files import check_target
    from ..output.sensitivity_files import write_sensitivity
    from ..scenario import load_scenario

    scenario = load_scenario(scenario_file)
    warn(scenario, quiet)
    if n is not None and method == "sobol" and n & (n - 1):
        raise click.BadParameter(f"{n} is not a power of two (Sobol' sampling needs one)", param_hint="--n")
    out_dir = out_dir or Path("results") / f"{scenario.name}-sensitivity-{method}"
    check_target(out_dir, force)
    started = time.perf_counter()
    table = analyse(scenario, output=output, year=year, method=method, n=n, seed=seed,
                    **_parallel(workers, scheduler))
    write_sensitivity(scenario, table, out_dir, force=force, plots=not no_plots,
                      elapsed_s=time.perf_counter() - started)
    if quiet:
        return
    main_col = {"sobol": "ST", "morris": "mu_star", "oat": "swing"}[method]
    extra = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma"), "oat": ("low", "high")}[method]
    ranking = Table(title=safe(f"{scenario.name}: sensitivity of {output} in {table.attrs['year']} "
                                 f"({method}, {table.attrs['evaluations']:,} model evaluations)"), title_justify="left")
    for col in ("rank", "input", *extra, main_col if main_col not in extra else None):
        if col:
            ranking.add_column(col, justify="left" if col == "input" else "right")
    for rank, (name, row) in enumerate(table.head(15).iterrows(), start=1):
        cells = ["n/a (group)" if row[c] != row[c] else f"{row[c]:,.3g}" for c in extra]  # NaN: SALib gives no sigma for groups
        if main_col not in extra:
            cells.append(f"{row[main_col]:,.3g}")
        if method == "sobol":
            cells = [f"{row['S1']:.3f} ± {row['S1_conf']:.3f}", f"{row['ST']:.3f} ± {row['ST_conf']:.3f}"]
        ranking.add_row(str(rank), safe(row["label"]), *cells)
    out.print(ranking)
    out.print(f"results written to {safe(str(out_dir))}/ in {time.perf_counter() - started:.1f} s")
