"""Reading a run's folder for discovery, and writing what `ijsim discover` finds: boxes.csv,
dropped.csv, tradeoff.csv, scores.csv, stability.csv (PRIM), the trade-off and restrictions plots, summary.txt and a manifest,
atomically like every other results folder."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from simulator._version import __version__
from simulator.errors import UserError
from simulator.montecarlo.inputs import INPUT_PREFIX
from simulator.output.files import atomic_folder, sha256_file, versions
from simulator.output.folders import read_run_manifest
from simulator.output.plots import finish_figure
from simulator.plotting.axes import file_figure, plain_text
from simulator.plotting.boxes import plot_box, plot_tradeoff


def read_run(folder: Path, variable: str | None = None, manifest: dict | None = None):
    """(manifest, dataset) of an `ijsim run` folder, or a UserError saying what is wrong with it.
    With `variable`, only it (or the 3-D variable it is an entry of) and the inputs are read.
    `manifest`: what `read_run_manifest` returned for the folder (its ensemble.nc is then not hashed again)."""
    import xarray as xr

    manifest = read_run_manifest(folder) if manifest is None else manifest
    try:
        with xr.open_dataset(folder / "ensemble.nc") as lazy:  # NetCDF4 (h5netcdf) or an earlier NetCDF3
            keep = [k for k in lazy.data_vars if str(k).startswith(INPUT_PREFIX) or variable is None
                    or k == variable or variable.startswith(f"{k}.")]
            dataset = lazy[keep].load()
    except (OSError, ValueError) as exc:
        raise UserError(f"{folder / 'ensemble.nc'}: cannot be read ({exc})") from None
    if not any(str(k).startswith(INPUT_PREFIX) for k in dataset.data_vars):
        raise UserError(f"{folder}: its ensemble.nc keeps no inputs per draw (written by an earlier ijsim, or the "
                        "scenario has no uncertain inputs); run the scenario again")
    return manifest, dataset


def write_discovery(found, out_dir: Path, *, run_folder: Path, run_manifest: dict,
                    force: bool = False, plots: bool = True, started: float | None = None, seed=None) -> Path:
    """boxes.csv (the kept limits), dropped.csv (the limits dropped), tradeoff.csv, scores.csv,
    summary.txt, plots/ and manifest.json, atomically."""
    d = found.discovery
    with atomic_folder(Path(out_dir), force) as tmp:
        found.box_table().to_csv(tmp / "boxes.csv", lineterminator="\n", float_format="%.10g")
        found.dropped_table().to_csv(tmp / "dropped.csv", lineterminator="\n", float_format="%.10g")
        d.tradeoff.to_csv(tmp / "tradeoff.csv", index_label="box", lineterminator="\n", float_format="%.10g")
        scores = found.scores.to_frame()
        scores.insert(0, "label", [found.labels[k][0] for k in scores.index])
        scores.to_csv(tmp / "scores.csv", lineterminator="\n", float_format="%.10g")
        if d.stability is not None:  # every input any resampled box restricted, with how often
            stability = d.stability.copy()
            stability.insert(0, "label", [found.labels[k][0] for k in stability.index])
            stability.to_csv(tmp / "stability.csv", lineterminator="\n", float_format="%.10g")
        (tmp / "summary.txt").write_text(found.summary() + "\n", encoding="utf-8")
        if plots:
            (tmp / "plots").mkdir()
            source = plain_text(f"ijsim {__version__} · run '{run_manifest.get('scenario')}' · "
                                f"{found.n_search:,} search draws, {found.n_held_out:,} held out · {d.method}")
            fig, ax = file_figure((8, 4.6))
            plot_tradeoff(found, ax=ax)
            finish_figure(fig, tmp / "plots" / "tradeoff", source)
            fig, ax = file_figure((8, 1.0 * max(len(d.box), 1) + 1.8))
            plot_box(found, ax=ax)
            finish_figure(fig, tmp / "plots" / "box", source)
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        doc = {"kind": "discovery", "run": str(run_folder), "scenario": run_manifest.get("scenario"),
               "event": {"name": found.event.name, **found.event.to_dict()}, "method": d.method, "seed": seed,
               "probability": found.probability,
               "search": {"draws": found.n_search, "coverage": d.coverage, "density": d.density, "mass": d.mass},
               "held_out": {"draws": found.n_held_out, **found.held_out},
               "bootstrap_agreement": d.agreement, "summary": found.summary(),
               "limits_dropped": len(found.dropped_conditions()),  # listed in dropped.csv
               "version": __version__, "versions": versions(), "files": files,
               "elapsed_s": round(0.0 if started is None else time.perf_counter() - started, 3)}
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
