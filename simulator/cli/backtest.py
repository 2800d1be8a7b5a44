"""`ijsim backtest`: rolling-origin hindcasts of a scenario's trade process, scored against naive benchmarks."""
from __future__ import annotations

import time
from pathlib import Path

import click

from simulator.errors import UserError
from simulator.cli.group import cli
from simulator.cli.options import SCENARIO, history_levels, history_options, out, output_options, safe, score_table, year_range


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
    from simulator.output.backtest_files import write_backtest
    from simulator.output.files import check_target
    from simulator.scenario import load_scenario

    scenario = load_scenario(scenario_file)
    origin_years, horizon_years = year_range(origins, "--origins"), year_range(horizons, "--horizons")
    if horizon_years is not None and horizon_years.start < 1:
        raise click.BadParameter("horizons start at 1 (one year ahead)", param_hint="--horizons")
    out_dir = out_dir or Path("results") / f"{scenario.name}-backtest"
    check_target(out_dir, force)
    levels, source, history = history_levels(history_path, include_unverified)
    models = bt.standard_models(scenario)
    drivers = bt.log_drivers(scenario, history, verified_only=not include_unverified)
    if drivers.abs().to_numpy()[np.isfinite(drivers.to_numpy())].any():  # some macro channel is on
        models["scenario_drivers"] = bt.conditional_on(models["scenario"], drivers)
    started = time.perf_counter()
    try:
        result = bt.run_backtest(levels, models, origin_years, horizon_years, draws=draws, seed=seed)
        result = result.with_selection([bt.discounted_name(d) for d in bt.DISCOUNTS])
    except ValueError as exc:
        raise UserError(str(exc)) from None
    from simulator.estimation.exchange_calibration import hindcast_table
    exchange = hindcast_table(history)
    write_backtest(result, levels, out_dir, scenario=scenario, force=force, plots=not no_plots,
                   elapsed_s=time.perf_counter() - started, history_source=source, exchange_hindcast=exchange)
    if quiet:
        return
    overall = result.overall()
    flows = overall[overall.variable != "trade.balance"]
    pooled = flows.groupby("model", sort=False).agg(
        n=("n", "sum"), c50=("coverage_50", "mean"), c90=("coverage_90", "mean"),
        score=("interval_score", "mean"), crps=("crps", "mean"))
    out.print(score_table(
        f"{scenario.name}: hindcasts from {len(result.origins)} origins ({result.origins[0]}-{result.origins[-1]}), "
        f"horizons {result.horizons[0]}-{result.horizons[-1]}, both flows (US$ bn)",
        pooled.itertuples(), "model"))
    for note in result.notes:
        out.print(f"note: {safe(note)}")
    for r in exchange.itertuples():
        out.print(f"Indian residents in Japan, {r.target} from {r.origin}: projected {r.projected:,.0f} "
                  f"(90%: {r.p05:,.0f}-{r.p95:,.0f}), observed {r.observed:,.0f}, {r.error:+.1%}"
                  f"{'' if r.in_90 else ' (outside the interval)'}")
    out.print(f"results written to {safe(str(out_dir))}/ in {time.perf_counter() - started:.1f} s")
