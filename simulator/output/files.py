"""Writing a run's results folder: atomically, and never over anything but earlier results, if asked.

All files are written into a hidden folder next to the target, reserved before the computation
and put in place only when complete (`commit`: crash-safe at every step); an interrupted or
failed run leaves no results folder behind. `--force` replaces only an empty folder or one
ijsim wrote (`ownership.why_not_ours`: a record written with the folder, not the manifest alone), and results with inf or NaN in them are never written.
"""
from __future__ import annotations

import json
import os
import platform
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np
import pandas as pd
import xarray as xr

from simulator._version import __version__
from simulator.errors import OutputExistsError, UserError
from simulator.montecarlo.result import Result
from simulator.scenario.loader import display
from simulator.variables import VARIABLES, is_fiscal
from simulator.output import commit
from simulator.output.folders import sha256_file
from simulator.output.ownership import why_not_ours
from simulator.labels import with_fiscal_years

if TYPE_CHECKING:
    from simulator.montecarlo.summaries import RunSummary

__all__ = ["atomic_folder", "check_target", "check_finite", "sha256_file", "write_results", "write_run_files"]

IAMC_MODEL = "ijsim"
IAMC_REGION = "India"
# Every quantile the fan charts draw (their 50% and 90% bands and the median), and the mean.
IAMC_STATISTICS = {"mean": "Mean", "p05": "5.0th Percentile", "p25": "25.0th Percentile", "p50": "50.0th Percentile",
                   "p75": "75.0th Percentile", "p95": "95.0th Percentile"}
# An extra IAMC column (pyam reads it as an `extra_col`): which year a row's year columns mean.
IAMC_YEAR_BASIS = {True: "Indian fiscal year starting in April of the column's year (2030 = FY2030-31)",
                   False: "calendar year"}
# The csv files of a run, a comparison and a flows run: no row index, and "\n" line ends on every platform (pandas would use os.linesep, so
# Windows files and their manifest hashes would differ).
CSV_DIALECT = {"index": False, "lineterminator": "\n"}


def _may_write(out_dir: Path, force: bool) -> None:
    """Raise unless `out_dir` is free, or `force` is given and it is empty or a folder ijsim wrote."""
    if not os.path.lexists(out_dir):
        return
    if not force:
        raise OutputExistsError(out_dir)
    if out_dir.is_symlink():
        raise UserError(f"{out_dir}: is a symbolic link; --force replaces only a folder ijsim wrote")
    if not out_dir.is_dir():
        raise UserError(f"{out_dir}: exists and is not a folder")
    here = Path.cwd().resolve()
    if out_dir.resolve() == here or out_dir.resolve() in here.parents:
        raise UserError(f"{out_dir}: is the current folder or contains it; --force will not replace it")
    if not any(out_dir.iterdir()):
        return
    why = why_not_ours(out_dir)
    if why:
        raise UserError(f"{out_dir}: not replaced: --force replaces only an empty folder or one ijsim wrote, "
                        f"and {why}; nothing was changed")


def check_target(out_dir: Path, force: bool) -> None:
    """Fail early (before any work) unless `out_dir` may be written, and reserve it for this run:
    another run aiming at it is refused until this one ends (`commit.release`)."""
    out_dir = Path(out_dir)
    commit.reserve(out_dir, lambda: _may_write(out_dir, force))


@contextmanager
def atomic_folder(out_dir: Path, force: bool) -> Iterator[Path]:
    """Yield a temporary folder; on success it becomes `out_dir` (replacing it only if `force`)."""
    out_dir = Path(out_dir)
    reservation = commit.reserve(out_dir, lambda: _may_write(out_dir, force))
    try:
        yield reservation.partial
        commit.publish(out_dir, lambda: _may_write(out_dir, force))  # someone may have created it meanwhile
    except OSError as exc:  # disk full, quota, a file where a folder should be, ...
        raise UserError(f"{out_dir}: cannot write the results: {exc.strerror or exc}; nothing was written") from None
    finally:
        commit.release(out_dir)


def check_finite(dataset: xr.Dataset, source: str) -> None:
    """Refuse results with inf or NaN: they come from values too extreme for floating point."""
    for name, da in dataset.data_vars.items():
        if "sampled_years" in da.attrs:  # a yearly input series is NaN, by design, in years without a shock
            da = da.sel(shock_year=list(np.atleast_1d(da.attrs["sampled_years"])))
        finite = np.isfinite(da.values)
        if finite.all():
            continue
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        where = ", ".join(f"{dim} {da[dim].values[i]}" if dim in da.coords else f"{dim} {i}"
                          for dim, i in zip(da.dims, index))
        raise UserError(f"{source}: the results are not finite ({name} is {da.values[index]} for {where}): "
                        "the scenario's values are too extreme for floating point; nothing was written")


def for_netcdf3(dataset: xr.Dataset) -> xr.Dataset:
    """The dataset with its seed as text: NetCDF3 has no 64-bit integers, and seeds go up to 2**63 - 1."""
    if "seed" not in dataset.attrs:
        return dataset
    out = dataset.copy(deep=False)  # the attributes change, not the arrays: no need to copy them
    out.attrs = {**dataset.attrs, "seed": str(dataset.attrs["seed"])}
    return out


def iamc_table(result: "Result | RunSummary", summary: pd.DataFrame | None = None,
               scenario: str | None = None) -> pd.DataFrame:
    """IAMC wide format: Model, Scenario, Region, Variable, Unit, Year basis, one column per year.

    One row per variable and statistic; the statistic is the last level of the variable name, the
    convention of the IPCC AR6 scenario database ("...|50.0th Percentile"). "Year basis" says whether
    the year columns are Indian fiscal years (every trade row) or calendar years. `summary`: the
    result's `summary()` if it was computed already; `scenario`: what to call the scenario (its
    name by default; a comparison's label).
    """
    summary = result.summary() if summary is None else summary
    rows = []
    for name in result.variables:
        info = VARIABLES[name]
        if info.extra_dim:
            parts = [(f"{name}.{s}", f"{info.iamc_variable}|{s}") for s in result.labels(info.extra_dim)]
        else:
            parts = [(name, info.iamc_variable)]
        for summary_name, iamc_name in parts:
            block = summary[summary["variable"] == summary_name].set_index("year")
            for column, label in IAMC_STATISTICS.items():
                row = {"Model": IAMC_MODEL, "Scenario": scenario or result.scenario.name, "Region": IAMC_REGION,
                       "Variable": f"{iamc_name}|{label}", "Unit": info.iamc_unit,
                       "Year basis": IAMC_YEAR_BASIS[is_fiscal(name)]}
                row.update({str(y): v for y, v in block[column].items()})
                rows.append(row)
    return pd.DataFrame(rows)


def write_events(table: pd.DataFrame, path: Path, extra: tuple[str, ...] = ()) -> None:
    """events.csv: event, title, year, probability, se (and `extra` columns first, e.g. scenario)."""
    from simulator.montecarlo.event_probabilities import EVENT_COLUMNS

    table[[*extra, *EVENT_COLUMNS]].to_csv(path, **CSV_DIALECT, float_format="%.10g")


def versions() -> dict[str, str]:
    out = {"ijsim": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "pandas", "xarray", "h5netcdf", "h5py", "matplotlib", "numba", "simpy", "SALib",
                "dask", "scikit-learn"):
        out[pkg] = package_version(pkg)
    return out


def manifest(result: "Result | RunSummary", files: dict[str, str], elapsed_s: float, overrides: dict) -> dict:
    s = result.scenario
    main = s.files[0] if s.files else None
    return {
        "kind": "run",
        "scenario": s.name,
        "title": s.title,
        "description": s.description,
        "scenario_file": str(main) if main else None,
        "scenario_sha256": next(iter(s.sha256.values()), None),
        "scenario_files": dict(s.sha256),
        "overrides": overrides,
        "seed": s.seed,
        "draws": s.draws,
        "sampler": s.sampler,
        "block_size": s.block_size,
        "horizon": [int(s.years[0]), int(s.years[-1])],
        "version": __version__,
        "versions": versions(),
        "parameters": s.resolved_parameters(),
        "events": {e.name: e.to_dict() for e in s.events},
        "files": files,
        "elapsed_s": round(elapsed_s, 3),
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_results(result: Result, out_dir: Path, *, force: bool = False, plots: bool = True,
                  elapsed_s: float = 0.0, overrides: dict | None = None,
                  plot_writer: Callable[[Result, Path], list[Path]] | None = None, started: float | None = None,
                  ensemble: str = "full") -> Path:
    """Write summary.csv, iamc.csv, ensemble.nc, events.csv, plots/ and manifest.json into `out_dir` atomically.

    `started` (a time.perf_counter() reading from the start of the work) makes the manifest's
    elapsed_s cover everything up to writing it, plots included, instead of `elapsed_s`.
    `ensemble`: full (float64), float32 or none (no ensemble.nc)."""
    from simulator.output.ensemble_file import ENSEMBLE_DTYPES, write_dataset

    out_dir = Path(out_dir)
    scenario = result.scenario
    source = display(scenario.files[0]) if scenario.files else scenario.name
    check_finite(result.dataset, source)
    summary = result.summary()
    check_finite(xr.Dataset.from_dataframe(summary.select_dtypes("number")), source)
    with atomic_folder(out_dir, force) as tmp:
        if ensemble != "none":
            write_dataset(result.dataset, tmp / "ensemble.nc", result.scenario, ENSEMBLE_DTYPES[ensemble])
        write_run_files(result, tmp, summary=summary, plot_writer=plot_writer if plots else None,
                        elapsed_s=elapsed_s, started=started, overrides=overrides, ensemble=ensemble)
    return out_dir


def write_run_files(result: "Result | RunSummary", tmp: Path, *, summary: pd.DataFrame, plot_writer: Callable | None,
                    elapsed_s: float, started: float | None, overrides: dict | None, ensemble: str,
                    show: list[str] | None = None) -> None:
    """Everything but the ensemble into the temporary folder `tmp`, the manifest last (it lists and
    hashes every file, ensemble.nc included if it is there). No plots without a `plot_writer`. The
    manifest's elapsed_s is the time since `started` (a time.perf_counter() reading) if given, else
    `elapsed_s`. `ensemble` is how the draws were kept: full, float32 or none. `summary` is
    `result.summary()`, computed once by the caller (for an in-memory result it sorts every draw).
    `show`: the variables chosen with --show, recorded in the manifest for the report."""
    with_fiscal_years(summary).to_csv(tmp / "summary.csv", **CSV_DIALECT)
    iamc_table(result, summary).to_csv(tmp / "iamc.csv", **CSV_DIALECT)
    write_events(result.events(), tmp / "events.csv")
    if result.scenario.events:
        result.event_drivers().to_csv(tmp / "event_drivers.csv", **CSV_DIALECT, float_format="%.10g")
    if plot_writer is not None:
        plot_writer(result, tmp / "plots")
    files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    elapsed = time.perf_counter() - started if started is not None else elapsed_s
    doc = manifest(result, files, elapsed, overrides or {})
    doc["ensemble"] = {"storage": ensemble, "quantiles": getattr(result, "quantile_method", "exact")}
    if show:
        doc["show"] = list(show)
    (tmp / "manifest.json").write_bytes((json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode())  # UTF-8
