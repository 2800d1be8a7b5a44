"""The `ijsim` command: parse arguments, call the library, report. No model logic here.

Exit codes: 0 success; 2 bad input or usage (one message per problem, no traceback, nothing
written); 1 an unexpected internal error; 130 interrupted.
"""
from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._version import __version__
from .errors import ScenarioError, UserError

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def parallel_options(f):
    """--workers / --scheduler: the same results on Dask (docs/scaling.md); neither means one process."""
    f = click.option("--scheduler", metavar="ADDRESS",
                     help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (identical results).")(f)
    return click.option("--workers", type=click.IntRange(1, 1024),
                        help="Run on an embedded Dask cluster with N worker processes (identical results).")(f)


def threads_option(f):
    """--threads: blocks of draws computed at once in this process (identical results)."""
    return click.option("--threads", type=click.IntRange(1, 256),
                        help="Blocks of draws computed at once in this process [default: the CPUs available]; "
                             "the results are identical for any number.")(f)


def _threads(threads, parallel: dict) -> int:
    if parallel["workers"] is not None or parallel["scheduler"] is not None:
        return 1  # Dask's workers share out the blocks
    if threads is not None:
        return threads
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def output_options(default: str, plots_help: str = "Skip the plots."):
    """--out, --force, --no-plots, --quiet: the same four on every command that writes a results folder."""
    def wrap(f):
        f = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(f)
        f = click.option("--no-plots", is_flag=True, help=plots_help)(f)
        f = click.option("--force", is_flag=True, help="Replace the results folder if it exists.")(f)
        return click.option("--out", "out_dir", type=click.Path(path_type=Path),
                            help=f"Results folder [default: {default}].")(f)
    return wrap


def _parallel(workers, scheduler) -> dict:
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    return {"workers": workers, "scheduler": scheduler}


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ijsim")
def cli() -> None:
    """Scenario simulator for the India–Japan economic partnership.

    Projects Japan's JPY 10 trillion investment pledge, India-Japan trade under tariff scenarios,
    and the 500,000-person exchange, under uncertainty, from scenario files in TOML. Start with
    `ijsim list` and `ijsim run scenarios/baseline.toml`; then `compare`, `sensitivity`, `flows`
    and `report`. Model and sources: docs/model.md.
    """


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
    from . import engine
    from .output.console import print_headline
    from .output.files import check_target, write_results
    from .scenario import load_scenario

    scenario = load_scenario(scenario_file)
    overrides = {k: v for k, v in (("draws", draws), ("seed", seed), ("sampler", sampler),
                                   ("block_size", block_size)) if v is not None}
    scenario = engine.configure(scenario, **overrides)
    parallel = _parallel(workers, scheduler)
    parallel["threads"] = _threads(threads, parallel)
    out_dir = out_dir or Path("results") / scenario.name
    check_target(out_dir, force)
    engine.check_memory(scenario)

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
        from .output.plots import write_fan_charts
        plot_writer = write_fan_charts
    write_results(result, out_dir, force=force, plots=not no_plots, overrides=overrides,
                  elapsed_s=time.perf_counter() - started, plot_writer=plot_writer)
    if not quiet:
        print_headline(result, out)
        out.print(f"results written to {escape(str(out_dir))}/ in {time.perf_counter() - started:.1f} s")


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
    from .compare import common_settings
    from .compare import compare as run_comparison
    from .variables import VARIABLES
    from .output.compare_files import write_comparison
    from .output.files import check_target
    from .scenario import load_scenario

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
        table = Table(title=escape(f"{name} minus {comparison.names[0]}: paired differences "
                                   f"({comparison.reference.scenario.draws:,} common draws)"), title_justify="left")
        for col in ("variable", "year", "median", "90% interval", "P(higher)"):
            table.add_column(col, justify="left" if col == "variable" else "right")
        for row in changed.itertuples():
            table.add_row(escape(f"{VARIABLES[row.variable].label} ({row.unit})"), str(row.year),
                          f"{row.diff_p50:,.2f}", f"{row.diff_p05:,.2f} – {row.diff_p95:,.2f}", f"{row.p_greater:.0%}")
        out.print(table)
        same = sorted(set(rows.variable) - set(changed.variable))
        if same:
            out.print("unchanged in every draw: " + ", ".join(same))
    out.print(f"results written to {escape(str(out_dir))}/")


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
    from . import engine
    from .flows import run_flows
    from .output.files import check_target
    from .output.flows_files import write_flows
    from .scenario import load_scenario

    scenario = engine.configure(load_scenario(scenario_file), seed=seed)
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
    table = Table(title=escape(f"{scenario.title}: simpy model, {replications} replications"), title_justify="left")
    for col in ("stage", "served", "mean wait (months)", "p95 wait (months)", "mean queue", "utilisation"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for row in result.stage_table().itertuples():
        table.add_row(escape(row.stage), f"{row.served:,.0f}",
                      f"{row.mean_wait_months:.3f} ± {row.mean_wait_months_ci95:.3f}",
                      f"{row.p95_wait_months:.3f}", f"{row.mean_queue:,.1f}", f"{row.utilisation:.0%}")
    out.print(table)
    out.print(f"{result.events:,} events in {result.elapsed_s:.1f} s; results written to {escape(str(out_dir))}/")


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
    from .analysis import sensitivity as analyse
    from .output.files import check_target
    from .output.sensitivity_files import write_sensitivity
    from .scenario import load_scenario

    scenario = load_scenario(scenario_file)
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
    ranking = Table(title=escape(f"{scenario.name}: sensitivity of {output} in {table.attrs['year']} "
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
        ranking.add_row(str(rank), escape(row["label"]), *cells)
    out.print(ranking)
    out.print(f"results written to {escape(str(out_dir))}/ in {time.perf_counter() - started:.1f} s")


@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Where to write [default: RESULTS_DIR/report.html].")
def report(results_dir: Path, out_file) -> None:
    """Write a self-contained HTML report (report.html) of a run or comparison folder."""
    from .output.report import write_report

    path = write_report(results_dir, out_file)
    out.print(f"report written to {escape(str(path))}")


@cli.command()
@click.argument("scenario_files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(scenario_files: tuple[Path, ...]) -> None:
    """Check scenario files; report every problem. Exit 0 if all are valid, 2 otherwise."""
    from .scenario import load_scenario

    failed = False
    for path in scenario_files:
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                err.print(escape(str(problem)))
        else:
            out.print(f"ok  {escape(str(path))}  ({escape(s.name)}: {escape(s.title)})")
    if failed:
        raise SystemExit(2)


@cli.command(name="list")
def list_scenarios() -> None:
    """List the shipped scenarios with their titles."""
    from .scenario import load_scenario
    from .shipped import shipped_scenarios

    table = Table(show_edge=False, box=None)
    table.add_column("file")
    table.add_column("name")
    table.add_column("title")
    for path in shipped_scenarios():
        try:
            s = load_scenario(path)
            table.add_row(escape(path.name), escape(s.name), escape(s.title))
        except ScenarioError:
            table.add_row(escape(path.name), "", "[red](invalid: run ijsim validate)[/red]")
    out.print(table)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    from .scenario.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that partial results are cleaned up as for Ctrl-C."""


def _on_sigterm(signum, frame):  # noqa: ARG001
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising."""
    import signal
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="ijsim", standalone_mode=False)
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show(file=sys.stderr)
        return 2
    except click.Abort:  # click's form of KeyboardInterrupt
        err.print("ijsim: interrupted; no results were written")
        return 130
    except ScenarioError as exc:
        for problem in exc.problems:
            err.print(escape(str(problem)))
        n = len(exc.problems)
        err.print(f"{n} problem{'s' if n != 1 else ''} found; nothing was run or written")
        return 2
    except UserError as exc:
        err.print(f"ijsim: {escape(str(exc))}")
        return 2
    except KeyboardInterrupt:
        err.print("ijsim: interrupted; no results were written")
        return 130
    except Terminated:
        err.print("ijsim: terminated; no results were written")
        return 143
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # a bug, not the user's fault: say so and how to report it
        err.print(f"ijsim: internal error: {escape(type(exc).__name__)}: {escape(str(exc))}")
        if os.environ.get("IJSIM_DEBUG"):
            err.print(escape(traceback.format_exc()))
        else:
            err.print("Please report this with the command you ran; set IJSIM_DEBUG=1 to see the traceback.")
        return 1


def entry() -> None:
    sys.exit(main())
