"""Reading a run's folder for discovery, and writing what `ijsim discover` finds: boxes.csv,
dropped.csv, tradeoff.csv, scores.csv, stability.csv (PRIM), the trade-off and restrictions plots, summary.txt and a manifest,
atomically like every other results folder."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from matplotlib.patches import Patch

from simulator._version import __version__
from simulator.errors import UserError
from simulator.montecarlo.inputs import INPUT_PREFIX
from simulator.output.files import atomic_folder, sha256_file, versions
from simulator.output.folders import read_manifest, verified
from simulator.output.figure_text import TITLE_WIDTH, outside_legend, wrap
from simulator.output.plots import file_figure, finish_figure, new_axes, plain_text


def read_run_manifest(folder: Path) -> dict:
    """The manifest of an `ijsim run` folder whose ensemble.nc is the one the run wrote (its sha256
    checked against the manifest, as `ijsim report` checks what it reads), or a UserError."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not found, or not a folder; give the folder 'ijsim run' wrote")
    manifest = read_manifest(folder)
    kind = manifest.get("kind")
    if kind != "run":
        raise UserError(f"{folder}: a '{kind}' folder; discover works on the folder of one 'ijsim run'")
    if (manifest.get("ensemble") or {}).get("storage") == "none":
        raise UserError(f"{folder}: this run kept no draws (ijsim run --ensemble none); run it again with "
                        "--ensemble float32 or full to discover from its draws")
    verified(folder, manifest, "ensemble.nc")
    return manifest


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


def plot_tradeoff(found, ax=None):
    """Coverage against density for every box the search passed, the chosen one marked."""
    ax = ax or new_axes((8, 4.6))
    t = found.discovery.tradeoff
    points = ax.scatter(t["coverage"], t["density"], c=t["restricted"], cmap="viridis", s=18, zorder=2)
    d = found.discovery  # the reported box (after pasting, for PRIM, and after dropping limits)
    ax.scatter([d.coverage], [d.density], s=140, facecolors="none", edgecolors="C3", linewidths=2,
               zorder=3, label=f"reported box: coverage {d.coverage:.0%}, density {d.density:.0%}")
    ax.axhline(found.probability, color="0.5", lw=0.8, ls="--", label=f"all draws ({found.probability:.0%})")
    ax.figure.colorbar(points, ax=ax, label="inputs restricted")
    ax.set_xlabel("coverage: share of the draws where the event happens that fall in the box")
    ax.set_ylabel("density: share of the box's draws\nwhere the event happens")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    outside_legend(ax)
    method = "PRIM peeling trajectory" if found.discovery.method == "prim" else "CART leaves and their unions"
    ax.set_title(wrap(plain_text(f"{found.event.title} ({_when(found.event)}): {method}"), TITLE_WIDTH),
                 fontsize=10, loc="left")
    return ax


def _when(event) -> str:
    from simulator.output.labels import year_label

    return f"by {event.year}" if event.by else f"in {year_label(event.variable, event.year)}"


def plot_box(found, ax=None):
    """The box, one row per restricted input in that input's own unit: the range its draws cover
    (grey) and the part the box keeps (blue), with each limit written at its end. The title names
    the event. Draws on `ax`'s place in its figure (split into one axes per input); returns the axes."""
    from simulator.output.labels import format_value, unit_label

    box = found.discovery.box
    ax = ax or new_axes((8, 1.0 * max(len(box), 1) + 1.6))
    title = wrap(plain_text(f"{found.event.title} ({_when(found.event)}): in {found.discovery.density:.0%} of the "
                            f"box's draws, {found.probability:.0%} of all draws"), TITLE_WIDTH)
    if box.empty:
        ax.text(0.5, 0.5, "no restriction found", ha="center", va="center")
        ax.set_axis_off()
        ax.set_title(title, fontsize=10, loc="left")
        return [ax]
    spec, figure = ax.get_subplotspec(), ax.figure
    ax.remove()
    order = list(found.scores.reindex(box.index).sort_values(ascending=False).index)  # as conditions() lists them
    axes = list(np.atleast_1d(spec.subgridspec(len(order), 1).subplots()))
    for row, name in zip(axes, order):
        label, unit = found.labels[name]
        lo_data, hi_data = found.ranges.loc[name, "min"], found.ranges.loc[name, "max"]
        low, high = box.loc[name, "low"], box.loc[name, "high"]
        a = lo_data if not np.isfinite(low) else low
        b = hi_data if not np.isfinite(high) else high
        row.barh(0, hi_data - lo_data, left=lo_data, color="0.88", height=0.6)
        row.barh(0, b - a, left=a, color="C0", height=0.6)
        for limit, side in ((low, "right"), (high, "left")):
            if np.isfinite(limit):
                row.annotate(format_value(limit, unit), (limit, 0.32), ha=side, va="bottom", fontsize=8,
                             xytext=(-3 if side == "right" else 3, 0), textcoords="offset points")
        row.set_xlim(lo_data, hi_data)
        row.set_ylim(-0.5, 0.9)
        row.set_yticks([])
        row.set_xlabel(wrap(plain_text(f"{label} ({unit_label(unit)})" if unit else label), 90), fontsize=8)
        row.tick_params(axis="x", labelsize=7)
    axes[0].set_title(title, fontsize=10, loc="left")
    figure.legend(handles=[Patch(color="0.88", label="range of the draws"), Patch(color="C0", label="the box")],
                  loc="outside lower right", fontsize=7, frameon=False, ncols=2)
    return axes


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
