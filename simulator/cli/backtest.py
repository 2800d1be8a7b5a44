"""`ijsim backtest`: rolling-origin hindcasts of a scenario's trade process, scored against naive benchmarks."""
from __future__ import annotations

import time
from pathlib import Path

import click

from simulator.errors import UserError
from simulator import _clock
from simulator.cli.group import cli
from simulator.cli.options import SCENARIO, history_levels, history_options, out, output_options, safe, year_range
from simulator.cli.progress import progress, step


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@history_options
@click.option("--origins", metavar="FIRST:LAST", help="Origin years (fiscal years) [default: every year with "
              "enough history before it and data after it].")
@click.option("--horizons", metavar="FIRST:LAST", default="1:5", show_default=True, help="Years ahead to score.")
@click.option("--draws", type=click.IntRange(100, 1_000_000), default=10_000, show_default=True,
              help="Draws per model and origin.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True)
@output_options("results/<scenario>-backtest")
def backtest(scenario_file, history_path, include_unverified, origins, horizons, draws, seed, out_dir, force,
             no_plots, quiet) -> None:
    """Rolling-origin hindcasts of the trade flows: SCENARIO's process beside the candidates.

    At each origin every model is re-estimated on the history up to that year only and projects
    1-5 years ahead; the forecasts are scored against what happened (coverage, interval score,
    CRPS). With the scenario's GDP or yen channels on, 'scenario_drivers' is the scenario's process
    conditional on the GDP and yen that came. Tariffs: none of the model's tariff channels changed
    within the history's years, so the hindcasts use no tariff path (docs/model.md).
    """
    import numpy as np

    from simulator.estimation import backtest as bt

    from simulator.estimation import hindcast_models as hm
    from simulator.output.backtest_files import write_backtest
    from simulator.output.files import check_target
    from simulator.scenario import load_scenario

    scenario = load_scenario(scenario_file)
    origin_years, horizon_years = year_range(origins, "--origins"), year_range(horizons, "--horizons")
    if horizon_years is not None and horizon_years.start < 1:
        raise click.BadParameter("horizons start at 1 (one year ahead)", param_hint="--horizons")
    out_dir = out_dir or Path("results") / f"{scenario.name}-backtest"
    check_target(out_dir, force)
    step("backtest: reading the history")
    levels, source, history = history_levels(history_path, include_unverified)
    models = hm.standard_models(scenario)
    drivers = hm.log_drivers(scenario, history, verified_only=not include_unverified)
    if drivers.abs().to_numpy()[np.isfinite(drivers.to_numpy())].any():  # some macro channel is on
        models["scenario_drivers"] = hm.conditional_on(models["scenario"], drivers)
    started = time.perf_counter()
    try:
        with progress(quiet) as task:
            result = bt.run_backtest(levels, models, origin_years, horizon_years, draws=draws, seed=seed,
                                     progress=task("hindcasting"))
        result = result.with_selection([hm.discounted_name(d) for d in hm.DISCOUNTS])
    except ValueError as exc:
        raise UserError(str(exc)) from None
    from simulator.estimation.exchange_calibration import hindcast_table
    step("backtest: the exchange's hindcast and the files")
    exchange = hindcast_table(history)
    write_backtest(result, levels, out_dir, scenario=scenario, force=force, plots=not no_plots,
                   elapsed_s=time.perf_counter() - started, history_source=source, exchange_hindcast=exchange)
    if quiet:
        return
    out.print(pooled_table(result, scenario.name))
    out.print(EXPLAINED)
    for note in result.notes:
        out.print(f"note: {safe(note)}")
    for r in exchange.itertuples():
        out.print(f"Indian residents in Japan, {r.target} from {r.origin}: projected {r.projected:,.0f} "
                  f"(90%: {r.p05:,.0f}-{r.p95:,.0f}), observed {r.observed:,.0f}, {r.error:+.1%}"
                  f"{'' if r.in_90 else ' (outside the interval)'}")
    out.print(f"results written to {safe(str(out_dir))}/ in {_clock.seconds():.1f} s")


EXPLAINED = """\
above median: share of outcomes above the forecast median (50% if unbiased);
  p: its binomial p-value. vs random walk: Diebold-Mariano statistic of the
  CRPS against a random walk with drift, all horizons (negative: better than
  it); p: its p-value; "-": the benchmark itself, or fewer origins than years
  ahead. Forecasts from neighbouring origins overlap, and the history is
  today's revised data, not what was known at each origin: the report says how
  much evidence this is."""


def pooled_table(result, name: str):
    """Per model over both flows, every origin and horizon: coverage, scores, the share above the
    median and the Diebold-Mariano test against the random walk with drift. Fits 80 columns: when
    every model has the same number of scored values it is said once, in the title."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    pooled = result.pooled().set_index("model")
    dm = result.diebold_mariano()
    dm = dm[(dm.horizon == "all") & (dm.benchmark == "random_walk")].set_index("model")
    same_n = pooled.n.nunique() == 1
    title = Text(safe(f"{name}: hindcasts of both flows (US$ bn)") + "\n"
                 f"from {len(result.origins)} origins ({result.origins[0]}-{result.origins[-1]}), "
                 f"{result.horizons[0]}-{result.horizons[-1]} years ahead"
                 + (f", {pooled.n.iloc[0]} values scored per model" if same_n else ""))
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False)
    table.add_column("model", overflow="fold")  # long names fold onto a second line, numbers never do
    for col in ((() if same_n else ("scored",)) + ("50%\ncover", "90%\ncover", "interval\nscore", "CRPS",
                                                   "above\nmedian", "p", "vs\nrandom\nwalk", "p")):
        table.add_column(col, justify="right", no_wrap=True, min_width=max(map(len, col.split())))

    def p(x: float) -> str:
        return "-" if x != x else "<.001" if x < 0.001 else f"{x:.3f}"
    for model, r in pooled.iterrows():
        test = dm.loc[model] if model in dm.index else None
        table.add_row(safe(str(model)), *(() if same_n else (f"{int(r.n)}",)), f"{r.coverage_50:.0%}",
                      f"{r.coverage_90:.0%}", f"{r.interval_score:.2f}", f"{r.crps:.3f}", f"{r.above_median:.0%}",
                      p(r.above_median_p),
                      "-" if test is None or test.statistic != test.statistic else f"{test.statistic:+.2f}",
                      "-" if test is None else p(test.p_value))
    return Group(title, table)
