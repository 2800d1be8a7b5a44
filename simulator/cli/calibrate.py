"""`ijsim calibrate`: estimate the trade process from the history and write it as scenario parameters."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from simulator.errors import UserError
from simulator.cli.group import cli
from simulator.cli.options import history_levels, history_options, out, safe
from simulator.cli.progress import progress, step


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
    step("calibrate: reading the history")
    levels, source, history = history_levels(history_path, include_unverified)
    if base_year not in levels.index:
        raise UserError(f"--base-year {base_year}: not a year of the history with both flows "
                        f"({', '.join(map(str, levels.index))})")
    started = time.perf_counter()
    try:
        with progress(quiet) as task:
            result = calibrate_trade(levels, base_year=base_year, draws=draws, seed=seed, source=source,
                                     progress=task("calibrating"))
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
