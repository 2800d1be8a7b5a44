"""Writing the results of `ijsim flows`: summaries across replications, stage statistics, plots."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from simulator._version import __version__
from simulator.people.runner import FlowsResult
from simulator.scenario.loader import display
from simulator.output.files import CSV_DIALECT, atomic_folder, check_finite, for_netcdf3, sha256_file, versions
from simulator.plotting.axes import file_figure, plain_text, year_axis
from simulator.plotting.fans import fan_bands, fan_chart
from simulator.plotting.figure_text import outside_legend


def _source(result: FlowsResult) -> str:
    s = result.scenario
    return plain_text(f"ijsim {__version__} · simpy model · scenario '{s.name}' · "
                      f"{result.dataset.sizes['replication']} replications, seed {s.seed}")


def _title(result: FlowsResult, dim: str, name: str) -> str:
    """A stage's or stream's title from the scenario, short enough for a legend."""
    title = result.scenario.params.get(f"exchange.{dim}s.{name}.title", name)
    return plain_text(textwrap.shorten(str(title), width=48, placeholder=" …"))


def write_flow_plots(result: FlowsResult, folder: Path, progress=None) -> list[Path]:
    """In the order people move: backlog at each stage (stages in pipeline order), arrivals by stream,
    then the skilled stock, across replications. `progress(done, total)` after each plot."""
    folder.mkdir(parents=True, exist_ok=True)
    ds = result.dataset
    written = []
    panels = [(name, dim, title, file) for name, dim, title, file in (
        ("exchange.backlog_by_stage", "stage", "People waiting at each stage (year end)", "backlog.png"),
        ("exchange.arrivals_by_stream", "stream", "Arrivals per year by stream", "arrivals.png")) if name in ds]
    total = len(panels) + 1
    for done, (name, dim, title, file) in enumerate(panels, start=1):
        fig, ax = file_figure((8, 4.5))
        for i, label in enumerate(ds[dim].values):
            bands = fan_bands(ds[name].sel({dim: label}).rename(replication="draw"))
            ax.fill_between(bands.index, bands["p05"], bands["p95"], color=f"C{i % 10}", alpha=0.15, linewidth=0)
            ax.plot(bands.index, bands["p50"], color=f"C{i % 10}", label=_title(result, dim, str(label)))
        ax.set(ylabel="people" if "backlog" in name else "people a year", title=title)
        year_axis(ax)
        outside_legend(ax, fontsize=7)
        ax.grid(alpha=0.3)
        fig.text(0.01, 0.005, _source(result), fontsize=6.5, color="0.35")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        fig.savefig(folder / file, dpi=110, metadata={"Software": None})
        written.append(folder / file)
        if progress is not None:
            progress(done, total)
    fig, ax = file_figure()
    fan_chart(fan_bands(ds["exchange.skilled_stock"].rename(replication="draw")), ax=ax, unit="people",
              title="Skilled Indian workers in Japan (year end), simpy replications")
    fig.text(0.01, 0.005, _source(result), fontsize=6.5, color="0.35")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    fig.savefig(folder / "skilled_stock.png", dpi=110, metadata={"Software": None})
    if progress is not None:
        progress(total, total)
    return written + [folder / "skilled_stock.png"]


def write_flows(result: FlowsResult, out_dir: Path, *, force: bool = False, plots: bool = True,
                progress=None) -> Path:
    """flows_summary.csv, stage_stats.csv, stage_stats_by_replication.csv, flows.nc, plots/ and
    manifest.json, atomically; stages and variables in the order people pass through them."""
    s = result.scenario
    check_finite(result.dataset, display(s.files[0]) if s.files else s.name)
    with atomic_folder(Path(out_dir), force) as tmp:
        result.summary().to_csv(tmp / "flows_summary.csv", **CSV_DIALECT)
        result.stage_table().to_csv(tmp / "stage_stats.csv", **CSV_DIALECT)
        result.stage_stats.to_csv(tmp / "stage_stats_by_replication.csv", **CSV_DIALECT)
        for_netcdf3(result.dataset).to_netcdf(tmp / "flows.nc", engine="scipy")
        if plots:
            write_flow_plots(result, tmp / "plots", progress=progress)
        files = {str(p.relative_to(tmp)): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        doc = {"kind": "flows", "scenario": s.name, "title": s.title, "description": s.description, "model": "simpy individual-level", "scenario_sha256": next(iter(s.sha256.values()), None),
               "scenario_files": dict(s.sha256), "seed": s.seed, "replications": int(result.dataset.sizes["replication"]),
               "sampler": s.sampler, "block_size": s.block_size, "version": __version__, "versions": versions(),
               "events": result.events, "elapsed_s": round(result.elapsed_s, 3), "files": files}
        (tmp / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(out_dir)
