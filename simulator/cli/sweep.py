"""`ijsim sweep`: every combination of some policy levers' values, on common random numbers."""
from __future__ import annotations

import time
from pathlib import Path

import click

from simulator import _clock
from simulator.cli.group import cli
from simulator.cli.options import (SCENARIO, _parallel, _threads, configure, out, output_options, overrides_of,
                                   parallel_options, report_warnings, run_options, safe, show_option, strict_option,
                                   threads_option)
from simulator.cli.progress import progress


def _best(texts: tuple[str, ...], shown: list[str]) -> dict[str, str]:
    """--best VAR=higher|lower for the regret table; every shown variable, higher by default."""
    from simulator.errors import UserError
    from simulator.output.shown import parse_show
    from simulator.sweeping import DIRECTIONS

    best = {v: "higher" for v in shown}
    for text in texts:
        name, sep, direction = text.partition("=")
        if not sep or direction.strip() not in DIRECTIONS:
            raise UserError(f"--best {text!r}: expected VARIABLE=higher or VARIABLE=lower")
        if "," in name:
            raise UserError(f"--best {text!r}: one variable per --best (repeat it for several)")
        try:
            (variable,) = parse_show(name.strip())
        except UserError as exc:  # the same checks as --show, named by the option the user gave
            raise UserError(str(exc).replace("--show:", "--best:", 1).replace("--show takes", "--best takes")) from None
        best[variable] = direction.strip()
    return best


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@click.option("--lever", "levers", multiple=True, required=True, metavar="KEY[@YEAR]=V1,V2,...",
              help="A policy lever and the values to try (repeat for several levers: every combination runs), "
                   "e.g. tariffs.us_on_india=0.1,0.25,0.5. A lever whose value is a path over years keeps the "
                   "years the scenario states and takes the values from the next year (or from @YEAR). "
                   "`ijsim params --levers` lists the levers.")
@click.option("--best", "best_texts", multiple=True, metavar="VAR=higher|lower",
              help="Which direction is better for a variable's regret [default: higher for every shown "
                   "variable]; adds VAR to regret.csv if it is not shown.")
@show_option
@run_options("--draws", "--seed", "--sampler", "--block-size")
@output_options("results/sweep-<scenario name>")
@parallel_options
@threads_option
@strict_option
def sweep(scenario_file: Path, levers, best_texts, show, draws, seed, sampler, block_size, out_dir, force, no_plots,
          quiet, workers, scheduler, threads, strict) -> None:
    """Run SCENARIO once per combination of the --lever values, all on the same draws (common
    random numbers), and write sweep.csv (each combination, variable and year: mean, sd,
    quantiles), sweep_events.csv, regret.csv (how far each combination falls short of the best
    one, draw by draw), each combination's scenario file, a plot per shown variable, manifest.json
    and report.html.

    Each combination's results equal `ijsim run` on its file in scenarios/, bit for bit.
    """
    from simulator.montecarlo import engine
    from simulator.output.files import check_target
    from simulator.output.report import write_report
    from simulator.output.shown import check_present, default_shown, parse_show
    from simulator.output.sweep_files import write_sweep
    from simulator.output.sweep_report import print_sweep
    from simulator.scenario import load_scenario
    from simulator.sweeping import sweep as run_sweep
    from simulator.sweeping.combinations import combinations, parse_lever
    from simulator.sweeping.sweep import lever_settings

    shown = parse_show(show) or default_shown()
    best = _best(best_texts, shown)
    settings = [parse_lever(text) for text in levers]  # every key checked before the scenario is read
    overrides = overrides_of(draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    scenario = configure(load_scenario(scenario_file), **overrides)
    report_warnings([scenario], strict, quiet)
    run = {"scenario.draws": scenario.draws, "scenario.seed": scenario.seed, "sampling.method": scenario.sampler,
           "sampling.block_size": scenario.block_size}
    engine.check_memory(combinations(scenario, lever_settings(settings), run))  # every value checked, too
    out_dir = out_dir or Path("results") / f"sweep-{scenario.name}"
    check_target(out_dir, force)
    started = time.perf_counter()
    parallel = _parallel(workers, scheduler)
    with progress(quiet) as task:
        result = run_sweep(scenario, settings, threads=_threads(threads, parallel),
                           progress=task("combinations"), **parallel)
        check_present(list(dict.fromkeys([*shown, *best])), result.comparison.reference.variables,
                      scenario.name)
        table = result.comparison.table()
        write_sweep(result, out_dir, show=shown, best=best, force=force, plots=not no_plots,
                    progress=task("writing plots"), started=started, table=table)
    write_report(out_dir)
    if quiet:
        return
    print_sweep(result, result.table(table), result.regret(best), shown, out)
    out.print(f"results written to {safe(str(out_dir))}/ (report.html) in {_clock.seconds():.1f} s")
