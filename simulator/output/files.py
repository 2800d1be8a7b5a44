"""Writing a run's results folder: atomically, and never over earlier results unless asked.

All files are written into a hidden temporary folder next to the target, which is renamed into
place only when complete; an interrupted or failed run leaves no results folder behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from .._version import __version__
from ..errors import OutputExistsError, UserError
from ..result import Result
from ..variables import VARIABLES

IAMC_MODEL = "ijsim"
IAMC_REGION = "India"
IAMC_STATISTICS = {"mean": "Mean", "p05": "5.0th Percentile", "p50": "50.0th Percentile", "p95": "95.0th Percentile"}


def check_target(out_dir: Path, force: bool) -> None:
    """Fail early (before any work) if the results folder exists and replacing it was not asked for,
    or if it is not a folder that --force may replace (`replaceable`)."""
    if out_dir.exists() and not force:
        raise OutputExistsError(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir}: exists and is not a folder")
    if out_dir.exists() and not replaceable(out_dir):
        raise UserError(f"{out_dir}: --force replaces only an empty folder or a results folder that ijsim wrote "
                        "(its manifest.json lists every file in it); this folder holds other files, so it was "
                        "left untouched: choose another --out")


# Files ijsim adds to a results folder after its manifest is written.
_ADDED_LATER = {"manifest.json", "report.html"}


def replaceable(folder: Path) -> bool:
    """True for an empty folder, or one whose every file ijsim's manifest lists: --force must never
    delete a user's own files (a scenario folder, the working directory, notes kept in results)."""
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}
    if not files:
        return True
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    listed = manifest.get("files") if isinstance(manifest, dict) else None
    return isinstance(listed, dict) and files <= set(listed) | _ADDED_LATER


@contextmanager
def atomic_folder(out_dir: Path, force: bool) -> Iterator[Path]:
    """Yield a temporary folder; on success it becomes `out_dir` (replacing it only if `force`)."""
    check_target(out_dir, force)
    parent = out_dir.parent
    blocking = next((p for p in (parent, *parent.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise UserError(f"{out_dir}: cannot create the results folder: {blocking} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp's private 0700 is not what a results folder should have
    except OSError as exc:
        raise UserError(f"{out_dir}: cannot create the results folder: {exc.strerror or exc}") from None
    try:
        yield tmp
        check_target(out_dir, force)  # someone may have created it while we ran
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.replace(out_dir, old / "previous")
            try:
                os.replace(tmp, out_dir)
            except OSError:
                os.replace(old / "previous", out_dir)  # put the earlier results back
                shutil.rmtree(old, ignore_errors=True)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except OSError as exc:  # disk full, quota, a file where a folder should be, ...
        shutil.rmtree(tmp, ignore_errors=True)
        raise UserError(f"{out_dir}: cannot write the results: {exc.strerror or exc}; nothing was written") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def iamc_table(result: Result) -> pd.DataFrame:
    """IAMC wide format: Model, Scenario, Region, Variable, Unit, one column per year.

    One row per variable and statistic; the statistic is the last level of the variable name, the
    convention of the IPCC AR6 scenario database ("...|50.0th Percentile").
    """
    summary = result.summary()
    rows = []
    for name in result.variables:
        info = VARIABLES[name]
        if info.extra_dim:
            parts = [(f"{name}.{s}", f"{info.iamc_variable}|{s}") for s in result.dataset[info.extra_dim].values]
        else:
            parts = [(name, info.iamc_variable)]
        for summary_name, iamc_name in parts:
            block = summary[summary["variable"] == summary_name].set_index("year")
            for column, label in IAMC_STATISTICS.items():
                row = {"Model": IAMC_MODEL, "Scenario": result.scenario.name, "Region": IAMC_REGION,
                       "Variable": f"{iamc_name}|{label}", "Unit": info.iamc_unit}
                row.update({str(y): v for y, v in block[column].items()})
                rows.append(row)
    return pd.DataFrame(rows)


def write_events(table: pd.DataFrame, path: Path, extra: tuple[str, ...] = ()) -> None:
    """events.csv: event, title, year, probability, se (and `extra` columns first, e.g. scenario)."""
    from ..events import EVENT_COLUMNS

    table[[*extra, *EVENT_COLUMNS]].to_csv(path, index=False, lineterminator="\n", float_format="%.10g")


def versions() -> dict[str, str]:
    out = {"ijsim": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "pandas", "xarray", "matplotlib", "numba", "simpy", "SALib", "dask", "scikit-learn"):
        out[pkg] = package_version(pkg)
    return out


def manifest(result: Result, files: dict[str, str], elapsed_s: float, overrides: dict) -> dict:
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
                  plot_writer: Callable[[Result, Path], list[Path]] | None = None, started: float | None = None) -> Path:
    """Write summary.csv, iamc.csv, ensemble.nc, events.csv, plots/ and manifest.json into `out_dir` atomically.

    `started` (a time.perf_counter() reading from the start of the work) makes the manifest's
    elapsed_s cover everything up to writing it, plots included, instead of `elapsed_s`."""
    out_dir = Path(out_dir)
    with atomic_folder(out_dir, force) as tmp:
        result.summary().to_csv(tmp / "summary.csv", index=False, lineterminator="\n")
        iamc_table(result).to_csv(tmp / "iamc.csv", index=False, lineterminator="\n")
        # netCDF3 (64-bit offsets: ensembles above 2 GiB) through scipy: no extra dependency, and
        # byte-identical files for identical data.
        result.dataset.to_netcdf(tmp / "ensemble.nc", engine="scipy", format="NETCDF3_64BIT")
        write_events(result.events(), tmp / "events.csv")
        if plots and plot_writer is not None:
            plot_writer(result, tmp / "plots")
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        doc = manifest(result, files, elapsed_s if started is None else time.perf_counter() - started, overrides or {})
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out_dir
