"""`ijsim calibrate` and `ijsim backtest`: the trade process estimated from history and tested on it."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from simulator.errors import UserError
from simulator.cli.group import cli
from simulator.cli.options import SCENARIO, out, output_options, safe


def history_options(f):
    """--history / --include-unverified: which historical values the estimates rest on."""
    f = click.option("--include-unverified", is_flag=True,
                     help="Also use values no stored page confirms (verified = false); off by default.")(f)
    return click.option("--history", "history_path", type=click.Path(path_type=Path), metavar="PATH",
                        help="A history folder or one series CSV [default: the shipped seeds/history].")(f)


def year_range(text: str | None, option: str) -> range | None:
    """'2008:2019' -> range(2008, 2020); '3' -> range(3, 4)."""
    if text is None:
        return None
    try:
        lo, _, hi = text.partition(":")
        first, last = int(lo), int(hi or lo)
    except ValueError:
        raise click.BadParameter(f"{text!r}: expected FIRST:LAST, e.g. 2008:2019", param_hint=option) from None
    if last < first:
        raise click.BadParameter(f"{text!r}: the last value comes before the first", param_hint=option)
    return range(first, last + 1)


def _levels(history_path, include_unverified):
    """The two flows (years with both), where they came from, and the whole history."""
    from simulator.estimation.calibration import trade_levels
    from simulator.estimation.history import load_history

    history = load_history(history_path)
    levels = trade_levels(history, verified_only=not include_unverified)
    source = str(history_path) if history_path else "seeds/history (shipped)"
    return levels, source + (", unverified values included" if include_unverified else ""), history


def _score_table(title: str, rows, first: str) -> Table:
    table = Table(title=safe(title), title_justify="left")
    for col in (first, "scored", "50% cover", "90% cover", "interval score", "CRPS"):
        table.add_column(col, justify="left" if col == first else "right")
    for r in rows:
        table.add_row(safe(str(r[0])), f"{int(r[1])}", f"{r[2]:.0%}", f"{r[3]:.0%}", f"{r[4]:.3f}", f"{r[5]:.3f}")
    return table


@cli.command()
@history_options
@click.option("--base-year", type=click.IntRange(1990, 2100), default=2023, show_default=True,
              help="Fiscal year whose gap from trend the scenario fragment states (2023 = FY2023-24).")
@click.option("--draws", type=click.IntRange(100, 1_000_000), default=4000, show_default=True,
              help="Parameter draws summarised per parameter.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Results folder [default: results/calibration].")
@click.option("--force", is_flag=True, help="Replace the results folder if ijsim wrote it.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def calibrate(history_path, include_unverified, base_year, draws, seed, out_dir, force, quiet) -> None:
    """Estimate the trade flows' process from history: random_walk, ar1 and var1.

    Writes estimates.csv, criteria.csv (information criteria and out-of-sample scores) and one
    scenario fragment per candidate (<process>.toml) to paste into a scenario's [trade] table.
    """
    from simulator.estimation.calibration import calibrate_trade
    from simulator.output.backtest_files import write_calibration
    from simulator.output.files import check_target

    out_dir = out_dir or Path("results") / "calibration"
    check_target(out_dir, force)
    levels, source, history = _levels(history_path, include_unverified)
    if base_year not in levels.index:
        raise UserError(f"--base-year {base_year}: not a year of the history with both flows "
                        f"({', '.join(map(str, levels.index))})")
    started = time.perf_counter()
    try:
        result = calibrate_trade(levels, base_year=base_year, draws=draws, seed=seed, source=source)
    except ValueError as exc:
        raise UserError(f"cannot calibrate on this history: {exc}") from None
    from simulator.estimation.channel_regressions import driver_regressions
    drivers = driver_regressions(levels, history, verified_only=not include_unverified)
    write_calibration(result.estimates, result.criteria, {p: result.fragment(p) for p in result.parameters},
                      out_dir, force=force, drivers=drivers, settings={
                          "history": source, "years": list(result.years), "base_year": base_year, "draws": draws,
                          "seed": seed, "elapsed_s": round(time.perf_counter() - started, 3)})
    if quiet:
        return
    c = result.criteria
    table = Table(title=f"trade process candidates, fiscal years {result.years[0]}-{result.years[1]} "
                        f"({result.n_years} years with both flows)", title_justify="left")
    for col in ("process", "pairs", "AIC", "BIC", "scored", "90% cover", "interval score", "CRPS"):
        table.add_column(col, justify="left" if col == "process" else "right")
    for r in c.itertuples():
        table.add_row(r.process, str(int(r.n_obs)), f"{r.aic:.1f}", f"{r.bic:.1f}", f"{int(r.scored)}",
                      f"{r.coverage_90:.0%}", f"{r.interval_score:.3f}", f"{r.crps:.3f}")
    out.print(table)
    est = result.estimates[result.estimates.terms == "scenario"]
    params = Table(title="estimates in the scenario's terms (centre ± spread of the draws)", title_justify="left")
    for col in ("process", "parameter", "estimate"):
        params.add_column(col, justify="right" if col == "estimate" else "left")
    for r in est.itertuples():
        params.add_row(r.process, safe(r.parameter), f"{r.estimate:.4g} ± {r.se:.2g}")
    out.print(params)
    if len(drivers):
        table = Table(title="can the history identify the trade channels? (AR(1) with trend and drivers; "
                            "long-run elasticity ± se)", title_justify="left")
        for col in ("flow", "driver", "years", "long-run elasticity", "p-value", "corr. with trend"):
            table.add_column(col, justify="left" if col in ("flow", "driver") else "right")
        for r in drivers.itertuples():
            table.add_row(r.flow, r.driver, str(r.n_obs), f"{r.long_run_elasticity:.2f} ± {r.long_run_se:.2f}",
                          f"{r.p_value:.2f}", f"{r.corr_with_trend:.2f}")
        out.print(table)
    out.print(f"results written to {safe(str(out_dir))}/ (scenario fragments: <process>.toml)")


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=SCENARIO)
@history_options
@click.option("--origins", metavar="FIRST:LAST", help="Origin years (fiscal years) [default: every year with "
              "enough history before it and data after it].")
@click.option("--horizons", metavar="FIRST:LAST", default="1:5", show_default=True, help="Years ahead to score.")
@click.option("--draws", type=click.IntRange(100, 1_000_000), default=2000, show_default=True,
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
    from simulator.estimation import trade_process_fit as pf
    from simulator.output.backtest_files import write_backtest
    from simulator.output.files import check_target
    from simulator.scenario import load_scenario

    scenario = load_scenario(scenario_file)
    origin_years, horizon_years = year_range(origins, "--origins"), year_range(horizons, "--horizons")
    if horizon_years is not None and horizon_years.start < 1:
        raise click.BadParameter("horizons start at 1 (one year ahead)", param_hint="--horizons")
    out_dir = out_dir or Path("results") / f"{scenario.name}-backtest"
    check_target(out_dir, force)
    levels, source, history = _levels(history_path, include_unverified)
    models = {p: bt.candidate(p) for p in pf.PROCESSES} | {"scenario": bt.scenario_model(scenario)}
    drivers = bt.log_drivers(scenario, history, verified_only=not include_unverified)
    if drivers.abs().to_numpy()[np.isfinite(drivers.to_numpy())].any():  # some macro channel is on
        models["scenario_drivers"] = bt.conditional_on(models["scenario"], drivers)
    started = time.perf_counter()
    try:
        result = bt.run_backtest(levels, models, origin_years, horizon_years, draws=draws, seed=seed)
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
    out.print(_score_table(
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
