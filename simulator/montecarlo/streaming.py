"""A run whose memory does not grow with its draws: the run driver's streaming sink.

Each block goes to a writer (the ensemble file) and into streaming summaries as it completes, and
is then dropped. `run_streamed` is the library half of what `ijsim run` does; the results folder's
half (the ensemble file: `full`, `float32` or `none`) is `simulator.output.run_folder.run_into`:
* with a writer: blocks are written into the ensemble file, then the summaries are computed from
  the file variable by variable (exact: the same numbers as `Result.summary` on the whole ensemble
  in memory, for float64);
* without: nothing is written; quantiles come from a log-linear histogram with a relative error of
  at most 2^-11 (simulator.montecarlo.quantile_sketch), means and standard deviations from per-block moments merged in
  block order (Chan, Golub & LeVeque 1979), exact up to rounding.
Events are counted block by block (integer counts: the same probabilities as on the whole
ensemble), and so are the draws at each end of each assumption's range (event_drivers.csv); the sampled inputs (`input.*`) are written beside the outputs but not summarised. Peak memory is the blocks in flight
(about two per thread) plus, for exact quantiles, one column of float64 (8 bytes per draw).
Blocks are placed by index, so the files and summaries are identical for any number of threads
or Dask workers.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np

from simulator.errors import UserError
from simulator.montecarlo.driver import block_offsets, drive, simulate_block
from simulator.montecarlo.event_drivers import assumptions, count_block
from simulator.montecarlo.event_probabilities import occurred, scenario_parameter, table_of_counts
from simulator.montecarlo.inputs import INPUT_PREFIX
from simulator.montecarlo.projection import dimension_labels
from simulator.montecarlo.result import Result
from simulator.montecarlo.summaries import QUANTILES, RunSummary, summary_table
from simulator.variables import variable


def run_streamed(scenario, *, writer_factory: Callable[[dict, dict], Any] | None = None,
                 progress: Callable[[int, int], None] | None = None, client: Any = None, workers: int | None = None,
                 scheduler: str | None = None, threads: int = 1, source: str | None = None) -> RunSummary:
    """Run the scenario through the run driver into a `SummarySink`; return its summaries.

    `writer_factory(example_block, labels)`, if given, makes the object each block is also written
    to: its `write(first_draw, block)`, `close()`, and `summaries(quantiles)`, the exact summaries of
    what was written (the ensemble file, simulator.output.ensemble_file.EnsembleWriter). Without a
    writer the quantiles come from the sink's log-linear histograms.
    """
    example = simulate_block(scenario, 0, 1)
    variables = [k for k in example if not k.startswith(INPUT_PREFIX)]
    labels = dimension_labels(scenario)
    writer = None if writer_factory is None else writer_factory(example, labels)
    sink = SummarySink(scenario, variables, {k: example[k].shape[1:] for k in variables}, labels, writer,
                       sketch=writer is None, source=source or scenario.name)
    try:
        drive(scenario, sink, progress=progress, client=client, workers=workers, scheduler=scheduler, threads=threads)
    finally:
        if writer is not None:
            writer.close()
    quantiles = list(QUANTILES.values())
    stats = sink.sketch_stats(quantiles) if writer is None else writer.summaries(quantiles)
    table = summary_table(variables, labels, scenario.years, stats)
    events = table_of_counts(scenario.events, sink.event_counts, scenario.draws)
    return RunSummary(scenario, table, events, labels, variables, sink.base_balance,
                      ensemble="none" if writer is None else "full",
                      quantile_method="log-histogram" if writer is None else "exact",
                      driver_counts=sink.driver_counts)


class SummarySink:
    """The streaming sink of the run driver: takes each block once, checks it, passes it to the
    writer (if any), counts its events and, without a writer, updates the quantile sketches and
    the moments. Thread-safe: the driver's threads call it at once."""

    # Its work (the ensemble file's writes, the events' datasets) holds the GIL: taken in the driver's
    # calling thread, it leaves the computing threads free to start their next blocks at once.
    in_calling_thread = True

    def __init__(self, scenario, variables: list[str], shapes: dict[str, tuple], labels: dict[str, list[str]], writer,
                 sketch: bool, source: str):
        from simulator.montecarlo.quantile_sketch import LogHistogram

        self.scenario, self.labels = scenario, labels
        self.variables, self.shapes, self.writer, self.source = variables, shapes, writer, source
        self.offsets = {i: first for i, (first, _) in block_offsets(scenario).items()}  # first draw of each block
        self.event_counts = [0] * len(scenario.events)
        self.driver_counts = np.zeros((len(scenario.events), len(assumptions(scenario)), 4), dtype=np.int64)
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
        counts, drivers = self._count_events(index, block)
        flat = None
        if self.histogram is not None:
            n = len(block[self.variables[0]])
            flat = np.concatenate([np.asarray(block[k], dtype=np.float64).reshape(n, -1) for k in self.variables],
                                  axis=1)
            mean = flat.mean(axis=0)
            m2 = np.square(flat - mean).sum(axis=0)
        with self._lock:
            self.event_counts = [a + b for a, b in zip(self.event_counts, counts)]
            self.driver_counts += drivers
            if index == 0:
                self.base_balance = float(np.median(block["trade.balance"] - block["trade.balance_change"]))
            if flat is not None:
                self.histogram.add(flat)
                self._moments[index] = (len(flat), mean, m2)
                self._fold()

    def _count_events(self, index: int, block: dict[str, np.ndarray]) -> tuple[list[int], np.ndarray]:
        """In how many of the block's draws each of the scenario's events happens, and the counts at
        the low and high end of each assumption's range (simulator.montecarlo.event_drivers)."""
        if not self.scenario.events:
            return [], self.driver_counts[:0].copy()
        # Only what the events read (their outputs and the inputs their thresholds may use): labelling
        # every output of every block would cost more than counting.
        needed = {e.variable if e.variable in block else e.variable.rsplit(".", 1)[0] for e in self.scenario.events}
        arrays = {k: v for k, v in block.items() if k in needed or k.startswith(INPUT_PREFIX)}
        dataset = Result.from_arrays(self.scenario, arrays, self.labels, first_draw=self.offsets[index]).dataset
        parameter = scenario_parameter(self.scenario, dataset)
        happened = [occurred(dataset, e, parameter) for e in self.scenario.events]
        inputs = {k: v for k, v in block.items() if k.startswith(INPUT_PREFIX)}
        return [int(np.count_nonzero(h)) for h in happened], count_block(self.scenario, happened, inputs)

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


__all__ = ["run_streamed", "SummarySink"]
