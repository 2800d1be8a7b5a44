"""`ijsim sensitivity`: Sobol', Morris, one-at-a-time or extra-trees analysis of one or more outputs,
by named group of uncertainty or by input."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from simulator import _clock
from simulator.cli.group import cli
from simulator.cli.options import (SCENARIO, _parallel, _threads, configure, out, output_options, overrides_of, parallel_options,
                      report_warnings, run_options, safe, strict_option, threads_option)
from simulator.cli.progress import progress, step


MAIN = {"sobol": "ST", "morris": "mu_star", "oat": "swing", "trees": "importance"}
SHOWN = 15  # rows printed; sensitivity.csv has them all


def _names(text: str, option: str) -> list[str]:
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise click.BadParameter(f"{text!r}: give names separated by commas, none empty", param_hint=option)
    return names


def _years(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(part) for part in _names(text, "--year")]
    except ValueError:
        raise click.BadParameter(f"{text!r}: give years separated by commas, e.g. 2030,2034",
                                 param_hint="--year") from None


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@click.option("--output", "output", default="trade.balance", show_default=True,
              help="Output variable (as in summary.csv; `ijsim variables` lists them), e.g. investment.fdi_stock; "
                   "several separated by commas, analysed on one sample and written to one table.")
@click.option("--year", help="Year of the output, or several separated by commas (2030,2034) "
                             "[default: the last year of the horizon].")
@click.option("--method", type=click.Choice(["sobol", "morris", "oat", "trees"]), default="sobol", show_default=True)
@click.option("--by", type=click.Choice(["group", "input"]), default=None,
              help="Rank named groups of uncertainty (the yen, year-to-year luck in trade, ...) or single inputs "
                   "[default: group; input for oat, whose swings move one input at a time].")
@click.option("--n", "n", type=click.IntRange(2), help="Sobol: base sample (power of two, default 1024); "
              "Morris: trajectories (default 40).")
@run_options("--seed", "--block-size")
@output_options("results/<scenario>-sensitivity-<method>", "Skip the plot.")
@parallel_options
@threads_option
@strict_option
def sensitivity(scenario_file, output, year, method, by, n, seed, block_size, out_dir, force, no_plots, quiet,
                workers, scheduler, threads, strict) -> None:
    """Rank the named groups of uncertainty of SCENARIO (a file or a shipped scenario's name), or
    with --by input its uncertain inputs, by their influence on one or more outputs in one or more
    years.

    sobol: first-order (S1: the factor alone) and total (ST: with its interactions) indices with 95%
    intervals; morris: screening by mean absolute elementary effect; oat: one-at-a-time swings for
    a tornado chart (inputs only); trees: extra-trees feature scores (importance, summing to 1)
    beside the Sobol' indices. The method chooses its own sample points, so there is no --sampler;
    the model runs in batches of --block-size draws, which changes neither the points nor the result.
    """
    from simulator.analysis import sensitivity as analyse
    from simulator.output.files import check_target
    from simulator.output.sensitivity_files import write_sensitivity
    from simulator.scenario import load_scenario

    outputs, years = _names(output, "--output"), _years(year)
    scenario = configure(load_scenario(scenario_file), **overrides_of(block_size=block_size))
    report_warnings([scenario], strict, quiet)
    if n is not None and method == "sobol" and n & (n - 1):
        raise click.BadParameter(f"{n} is not a power of two (Sobol' sampling needs one)", param_hint="--n")
    if method == "oat" and by == "group":
        raise click.BadParameter("one-at-a-time swings move one input at a time; use --by input (the default "
                                 "for oat), or sobol, morris or trees for groups", param_hint="--by")
    out_dir = out_dir or Path("results") / f"{scenario.name}-sensitivity-{method}"
    check_target(out_dir, force)
    started = _clock.started()  # the manifest's elapsed_s is the command's, start-up included
    parallel = _parallel(workers, scheduler)
    step(f"sensitivity: choosing the {method} sample points")
    with progress(quiet) as task:
        table = analyse(scenario, output=outputs if len(outputs) > 1 else outputs[0],
                        year=years if years is None or len(years) > 1 else years[0], method=method, n=n, seed=seed,
                        by=by, threads=_threads(threads, parallel), progress=task(f"{scenario.name}: model runs"),
                        **parallel)
        write_sensitivity(scenario, table, out_dir, force=force, plots=not no_plots, started=started)
    if quiet:
        return
    if "output" in table.columns:
        _print_several(scenario, table, method)
    else:
        _print_one(scenario, table, method)
    elapsed = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"]
    out.print(f"results written to {safe(str(out_dir))}/ in {elapsed:.1f} s")


def _cell(row, col: str) -> str:
    from simulator.labels import format_value

    if row[col] != row[col]:
        return "n/a (group)"  # NaN: SALib gives no sigma for groups
    if f"{col}_conf" in row.index:
        return f"{format_value(row[col])} ± {format_value(row[col + '_conf'])}"
    return f"{row[col]:,.3g}"


def _print_one(scenario, table, method) -> None:
    from simulator.plotting.sensitivity import output_label

    a = table.attrs
    extra = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma"), "oat": ("low", "high", "swing"),
             "trees": ("importance", "ST")}[method]
    what = "group of uncertainty" if a["by"] == "group" else "input"
    ranking = Table(title=safe(f"{scenario.name}: sensitivity of {output_label(a['output'], a['year'])} "
                               f"({method}, by {a['by']}, {a['evaluations']:,} model evaluations)"), title_justify="left")
    ranking.add_column("rank", justify="right")
    ranking.add_column(what, justify="left")
    if a["by"] == "group":
        ranking.add_column("inputs", justify="right")
    for col in extra:
        ranking.add_column(col, justify="right")
    for rank, (_, row) in enumerate(table.head(SHOWN).iterrows(), start=1):
        cells = [str(row["inputs"])] if a["by"] == "group" else []
        cells += [_cell(row, c) for c in extra]
        ranking.add_row(str(rank), safe(row["label"]), *cells)
    out.print(ranking)
    _footer(table, method, MAIN[method])


def _print_several(scenario, table, method) -> None:
    """One row per factor, one column per output and year: the main measure, ranked by its largest value."""
    from simulator.plotting.sensitivity import output_label

    a = table.attrs
    main_col = MAIN[method]
    pairs = list(dict.fromkeys(zip(table["output"], table["year"])))
    order = table.groupby(level=0, sort=False)[main_col].max().sort_values(ascending=False, kind="stable").index
    labels = table.groupby(level=0, sort=False)["label"].first()
    what = "group of uncertainty" if a["by"] == "group" else "input"
    grid = Table(title=safe(f"{scenario.name}: sensitivity ({method} {main_col}, by {a['by']}, "
                            f"{a['evaluations']:,} model evaluations for all {len(pairs)} outputs)"),
                 title_justify="left")
    grid.add_column("rank", justify="right")
    grid.add_column(what, justify="left")
    for o, y in pairs:
        grid.add_column(safe(output_label(o, y)), justify="right")
    cells = {(o, y, k): row for k, row, o, y in ((k, r, r["output"], r["year"]) for k, r in table.iterrows())}
    for rank, factor in enumerate(order[:SHOWN], start=1):
        grid.add_row(str(rank), safe(labels[factor]), *[_cell(cells[(o, y, factor)], main_col) for o, y in pairs])
    out.print(grid)
    _footer(table, method, main_col, len(order))


def _footer(table, method, main_col, rows: int | None = None) -> None:
    rows = len(table) if rows is None else rows
    if rows > SHOWN:
        out.print(f"... {rows - SHOWN} more in sensitivity.csv (the {SHOWN} with the largest {main_col} shown)")
    if method == "trees":
        out.print("importance: extra-trees feature score (mean decrease in impurity, sums to 1), a ranking from "
                  "4,096 Monte Carlo runs; ST: Sobol' total index with its 95% interval, for comparison.")
    if method == "sobol":
        out.print("S1: share of the output's variance due to the factor alone; ST: with all its interactions "
                  "(ST - S1 is what it does together with others). Intervals are 95%.")
    if table.attrs["by"] == "group":
        out.print("Groups: docs/sensitivity.md lists their inputs; --by input ranks the inputs one by one.")
