"""`ijsim run`'s run: the run driver streamed into a results folder, with or without the ensemble.

The library computes (simulator.montecarlo.streaming.run_streamed: the driver into its streaming
sink); this module decides what reaches the folder: `ensemble.nc` in float64 (`full`), float32, or
nothing (`none`, quantiles within 2^-11 from the sink's histograms). Kept in the output layer so
that the run wing never imports the file formats (docs/architecture.md).
"""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from simulator.errors import UserError
from simulator.montecarlo.streaming import run_streamed
from simulator.montecarlo.summaries import RunSummary
from simulator.output.ensemble_file import ENSEMBLE_DTYPES, EnsembleWriter

ENSEMBLE_CHOICES = ("full", "float32", "none")


def run_into(scenario, folder: Path, *, ensemble: str = "full", progress: Callable[[int, int], None] | None = None,
             client: Any = None, workers: int | None = None, scheduler: str | None = None, threads: int = 1,
             source: str | None = None) -> RunSummary:
    """Run the scenario, writing `folder/ensemble.nc` (unless `ensemble="none"`) as blocks complete;
    return its summaries. `folder` is the results' temporary folder (output.files.atomic_folder)."""
    if ensemble not in ENSEMBLE_CHOICES:
        raise ValueError(f"ensemble must be one of {ENSEMBLE_CHOICES}, not {ensemble!r}")
    path = Path(folder) / "ensemble.nc"
    kept = ensemble != "none"

    def writer(example: dict, labels: dict) -> EnsembleWriter:
        return EnsembleWriter(path, scenario, example, labels, ENSEMBLE_DTYPES[ensemble])

    summary = run_streamed(scenario, writer_factory=writer if kept else None, progress=progress, client=client, workers=workers, scheduler=scheduler, threads=threads,
                           source=source)
    return replace(summary, ensemble=ensemble)


def check_disk(scenario, out_dir: Path, ensemble: str, fraction: float = 0.9) -> None:
    """Refuse, before any work, an ensemble that the results folder's disk cannot hold."""
    from simulator.montecarlo.engine import bytes_per_draw

    if ensemble == "none":
        return
    folder = next((p for p in (Path(out_dir), *Path(out_dir).parents) if p.exists()), Path("."))
    free = shutil.disk_usage(folder).free
    needed = bytes_per_draw(scenario) * scenario.draws * (4 if ensemble == "float32" else 8) // 8
    if needed > fraction * free:
        # only the settings not already in use: "use --ensemble float32" to someone using it helps nobody
        ways = (["--ensemble float32 (half the size)"] if ensemble == "full" else []) + \
               ["--ensemble none (no ensemble, quantiles within 0.05%)"]
        raise UserError(f"{scenario.draws:,} draws need about {size_text(needed)} for ensemble.nc "
                        f"({ensemble}), more than the disk of {folder} has free ({size_text(free)}); "
                        f"use {' or '.join(ways)}, or fewer --draws")


def size_text(n: int) -> str:
    """Bytes in the unit that shows the number: 1.5 GiB, 600.0 KiB, 512 bytes (never "0.0 GiB")."""
    for shift, unit in ((30, "GiB"), (20, "MiB"), (10, "KiB")):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.1f} {unit}"
    return f"{n:,} bytes"
