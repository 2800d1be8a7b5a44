"""A run whose memory does not grow with its draws: each block goes to the ensemble file (or into
streaming summaries) as it completes and is then dropped.

`run_into(scenario, folder, ensemble=...)` is what `ijsim run` does:
* `full` / `float32`: blocks are written into `folder/ensemble.nc` (float64 or float32), then the
  summaries are computed from the file variable by variable (exact: the same numbers as
  `Result.summary` on the whole ensemble in memory, for `full`);
* `none`: nothing is written; quantiles come from a log-linear histogram with a relative error of
  at most 2^-11 (simulator.montecarlo.quantile_sketch), means and standard deviations from per-block moments merged in
  block order (Chan, Golub & LeVeque 1979), exact up to rounding.
Events are counted block by block (integer counts: the same probabilities as on the whole
ensemble); the sampled inputs (`input.*`) are written beside the outputs but not summarised. Peak memory is the blocks in flight
(about two per thread) plus, for exact quantiles, one column of float64 (8 bytes per draw).
Blocks are placed by index, so the files and summaries are identical for any number of threads
or Dask workers.
"""
from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any, Callable

import numpy as np

from simulator.montecarlo.engine import block_plan, configure, reuse_freed_memory, simulate_block
from simulator.errors import UserError
from simulator.parallel import dask_client, map_indexed
from simulator.montecarlo.projection import exchange_stages
from simulator.montecarlo.inputs import INPUT_PREFIX
from simulator.montecarlo.result import QUANTILES, Result
from simulator.article_figures import sectors
from simulator.variables import variable
from simulator.montecarlo.summaries import RunSummary, summary_table

ENSEMBLE_CHOICES = ("full", "float32", "none")


def run_into(scenario, folder: Path, *, ensemble: str = "full", progress: Callable[[int, int], None] | None = None,
             client: Any = None, workers: int | None = None, scheduler: str | None = None, threads: int = 1,
             source: str | None = None) -> RunSummary:
    """Run the scenario, writing `folder/ensemble.nc` (unless `ensemble="none"`) as blocks complete;
    return its summaries. `folder` is the results' temporary folder (output.files.atomic_folder)."""
    from simulator.output.ensemble_file import ENSEMBLE_DTYPES, EnsembleWriter, exact_summaries
    from simulator.montecarlo.event_probabilities import table_of_counts

    if ensemble not in ENSEMBLE_CHOICES:
        raise ValueError(f"ensemble must be one of {ENSEMBLE_CHOICES}, not {ensemble!r}")
    reuse_freed_memory()
    example = simulate_block(scenario, 0, 1)
    variables = [k for k in example if not k.startswith(INPUT_PREFIX)]
    labels = {"sector": list(sectors()), "stream": scenario.names("exchange.streams"),
              "stage": exchange_stages(scenario)}
    path = Path(folder) / "ensemble.nc"
    writer = None if ensemble == "none" else EnsembleWriter(path, scenario, example, labels, ENSEMBLE_DTYPES[ensemble])
    sink = _Sink(scenario, variables, {k: example[k].shape[1:] for k in variables}, labels, writer,
                 sketch=ensemble == "none", source=source or scenario.name)
    plan = block_plan(scenario)
    sizes = dict(plan)
    try:
        with dask_client(workers, scheduler, client) as c:
            if c is None and threads > 1:
                map_indexed(partial(_block_into, scenario, sizes, sink), [i for i, _ in plan], None, progress,
                            on_result=lambda i, _: None, threads=threads)
            else:
                map_indexed(partial(_block_task, scenario, sizes), [i for i, _ in plan], c, progress, on_result=sink)
    finally:
        if writer is not None:
            writer.close()
    quantiles = list(QUANTILES.values())
    if writer is None:
        stats = sink.sketch_stats(quantiles)
    else:
        stats = exact_summaries(path, quantiles)
    table = summary_table(variables, labels, scenario.years, stats)
    events = table_of_counts(scenario.events, sink.event_counts, scenario.draws)
    return RunSummary(scenario, table, events, labels, variables, sink.base_balance, ensemble=ensemble,
                      quantile_method="log-histogram" if writer is None else "exact")


def check_disk(scenario, out_dir: Path, ensemble: str, fraction: float = 0.9) -> None:
    """Refuse, before any work, an ensemble that the results folder's disk cannot hold."""
    import shutil

    from simulator.montecarlo.engine import bytes_per_draw

    if ensemble == "none":
        return
    folder = next((p for p in (Path(out_dir), *Path(out_dir).parents) if p.exists()), Path("."))
    free = shutil.disk_usage(folder).free
    needed = bytes_per_draw(scenario) * scenario.draws * (4 if ensemble == "float32" else 8) // 8
    if needed > fraction * free:
        raise UserError(f"{scenario.draws:,} draws need about {needed / 2**30:.1f} GiB for ensemble.nc "
                        f"({ensemble}), more than the disk of {folder} has free ({free / 2**30:.1f} GiB); "
                        "use --ensemble float32 (half the size) or --ensemble none (no ensemble, "
                        "quantiles within 0.05%), or fewer --draws")


def _block_task(scenario, sizes: dict[int, int], index: int):
    return simulate_block(scenario, index, sizes[index])


def _block_into(scenario, sizes: dict[int, int], sink: "_Sink", index: int) -> None:
    sink(index, simulate_block(scenario, index, sizes[index]))


class _Sink:
    """Takes each block once: checks it, writes it, counts its events, updates the sketches."""

    def __init__(self, scenario, variables: list[str], shapes: dict[str, tuple], labels: dict[str, list[str]], writer,
                 sketch: bool, source: str):
        from simulator.montecarlo.quantile_sketch import LogHistogram

        self.scenario, self.labels = scenario, labels
        self.variables, self.shapes, self.writer, self.source = variables, shapes, writer, source
        self.offsets, start = {}, 0
        for i, n in block_plan(scenario):
            self.offsets[i] = start
            start += n
        self.event_counts = [0] * len(scenario.events)
        self.base_balance = float("nan")
        self._lock = threading.Lock()
        width = sum(int(np.prod(s)) for s in shapes.values())
        self.histogram = LogHistogram(width) if sketch else None
        self._moments: dict[int, tuple] = {}   # blocks that arrived before their predecessors
        self._next = 0
        self._merged: tuple | None = None

    def __call__(self, index: int, block: dict[str, np.ndarray]) -> None:
        self._check_finite(index, block)
        if self.writer is not None:
            self.writer.write(self.offsets[index], block)
        counts = self._count_events(index, block)
        flat = None
        if self.histogram is not None:
            n = len(block[self.variables[0]])
            flat = np.concatenate([np.asarray(block[k], dtype=np.float64).reshape(n, -1) for k in self.variables],
                                  axis=1)
            mean = flat.mean(axis=0)
            m2 = np.square(flat - mean).sum(axis=0)
        with self._lock:
            self.event_counts = [a + b for a, b in zip(self.event_counts, counts)]
            if index == 0:
                self.base_balance = float(np.median(block["trade.balance"] - block["trade.balance_change"]))
            if flat is not None:
                self.histogram.add(flat)
                self._moments[index] = (len(flat), mean, m2)
                self._fold()

    def _count_events(self, index: int, block: dict[str, np.ndarray]) -> list[int]:
        """In how many of the block's draws each of the scenario's events happens."""
        from simulator.montecarlo.event_probabilities import occurred, scenario_parameter

        if not self.scenario.events:
            return []
        # Only what the events read (their outputs and the inputs their thresholds may use): labelling
        # every output of every block would cost more than counting.
        needed = {e.variable if e.variable in block else e.variable.rsplit(".", 1)[0] for e in self.scenario.events}
        arrays = {k: v for k, v in block.items() if k in needed or k.startswith(INPUT_PREFIX)}
        dataset = Result.from_arrays(self.scenario, arrays, self.labels, first_draw=self.offsets[index]).dataset
        parameter = scenario_parameter(self.scenario, dataset)
        return [int(np.count_nonzero(occurred(dataset, e, parameter))) for e in self.scenario.events]

    def _fold(self) -> None:
        """Merge moments in block order (Chan et al.): the same result for any arrival order."""
        while self._next in self._moments:
            nb, mb, m2b = self._moments.pop(self._next)
            if self._merged is None:
                self._merged = (nb, mb, m2b)
            else:
                na, ma, m2a = self._merged
                n = na + nb
                delta = mb - ma
                self._merged = (n, ma + delta * (nb / n), m2a + m2b + delta * delta * (na * nb / n))
            self._next += 1

    def _check_finite(self, index: int, block: dict[str, np.ndarray]) -> None:
        for name, values in block.items():
            if not np.isfinite(values).all():
                bad = tuple(int(i) for i in np.argwhere(~np.isfinite(values))[0])
                where = [f"draw {self.offsets[index] + bad[0]}"]
                if len(bad) > 1:
                    where.append(f"year {int(self.scenario.years[bad[1]])}")
                if len(bad) > 2:
                    dim = variable(name).extra_dim
                    where.append(f"{dim} {self.labels[dim][bad[2]]}")
                raise UserError(f"{self.source}: the results are not finite ({name} is {values[bad]} for "
                                f"{', '.join(where)}): the scenario's values are too extreme for floating point; "
                                "nothing was written")

    def sketch_stats(self, quantiles: list[float]) -> dict[str, dict[str, np.ndarray]]:
        n, mean, m2 = self._merged
        sd = np.sqrt(m2 / (n - 1)) if n > 1 else np.zeros_like(mean)
        q = self.histogram.quantiles(quantiles)
        out, start = {}, 0
        for name in self.variables:
            shape = self.shapes[name]
            width = int(np.prod(shape))
            part = slice(start, start + width)
            out[name] = {"mean": mean[part].reshape(shape), "sd": sd[part].reshape(shape),
                         "quantiles": q[:, part].reshape((len(quantiles),) + shape)}
            start += width
        return out


__all__ = ["ENSEMBLE_CHOICES", "run_into", "configure"]
