"""Seeded replications of the simpy model and their summaries.

Replication r takes the scenario's parameter draw r (the same numbers as draw r of the vectorised
run with the same seed and sampler) and its own stream of person-level random numbers from
``SeedSequence(seed, spawn_key=(FLOWS_KEY, r))``. Simpy environments cannot be pickled, so a
replication is described by (scenario, r) and returns plain arrays.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import xarray as xr

from simulator.core.exchange import MONTHS_PER_YEAR
from simulator.montecarlo.draws import DrawnParameters, sampling_dimensions
from simulator.montecarlo.exchange_levels import stream_level
from simulator.montecarlo.projection import counting_weights
from simulator.montecarlo.summaries import summarise
from simulator.montecarlo.sampling import block_sizes, block_uniforms
from simulator.scenario import Scenario
from simulator.people.model import Replication, run_replication

FLOWS_KEY = 2**32 + 1  # outside crc32's range, apart from the parameter streams
DEFAULT_REPLICATIONS = 20
VARIABLE_UNITS = {"exchange.arrivals_total": "people", "exchange.cumulative_total": "people",
                  "exchange.counted_cumulative": "people",
                  "exchange.skilled_arrivals": "people", "exchange.skilled_cumulative": "people",
                  "exchange.skilled_stock": "people", "exchange.arrivals_by_stream": "people",
                  "exchange.stock_by_stream": "people", "exchange.backlog_by_stage": "people"}


def replication_values(scenario: Scenario, replications: int) -> list[dict]:
    """Parameter values of each replication: {path: number or (T,) array}."""
    out = []
    for index, n in enumerate(block_sizes(replications, scenario.block_size)):
        u = block_uniforms(sampling_dimensions(scenario), scenario.sampler, scenario.seed, index, n)
        d = DrawnParameters(scenario, u, n)
        per_path = {}
        for path in scenario.params:
            if not path.startswith("exchange.") or path.count(".") < 3:
                continue
            key = path.split(".")[3]
            if key == "servers":
                per_path[path] = np.broadcast_to(d.over_years(path), (n, len(scenario.years)))
            elif key == "renewal_share" or ".pass_rates." in path:
                per_path[path] = np.broadcast_to(np.asarray(d.scalar(path), dtype=float), (n,))
        # Entrants and stays as the vectorised run has them (calibrated streams: from the observed stock).
        for stream in scenario.names("exchange.streams"):
            level = stream_level(d, stream)
            path = f"exchange.streams.{stream}"
            per_path[f"{path}.entrants_per_year"] = level.entrants
            per_path[f"{path}.uptake"] = level.uptake
            if level.stay_scale is not None:
                per_path[f"{path}.stay_scale"] = level.stay_scale
        out += [{k: v[i] for k, v in per_path.items()} for i in range(n)]
    return out


def replication_rng(seed: int, replication: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(FLOWS_KEY, replication))))


def simulate_replication(scenario: Scenario, replication: int, values: dict | None = None,
                         on_month=None) -> Replication:
    """One replication, computable anywhere from (scenario, replication) alone; `on_month(m, months)`
    as in `run_replication`."""
    if values is None:
        values = replication_values(scenario, replication + 1)[replication]
    return run_replication(scenario, values, replication_rng(scenario.seed, replication), on_month=on_month)


@dataclass(frozen=True)
class FlowsResult:
    """Seeded replications of the individual-level people model, made by :func:`run_flows`.

    Holds the scenario (`scenario`), the yearly people counts of every replication as an xarray
    Dataset (`dataset`, dimensions ``replication``, ``year`` and ``stream`` or ``stage``: arrivals,
    cumulative arrivals, stock present and backlog at each stage), one row per replication and
    stage of queueing statistics (`stage_stats`: people served, mean and 95th-percentile wait,
    mean queue, utilisation), the number of simulated events and the time taken.
    `summary` gives the columns of a run's summary.csv across replications; `stage_table` each
    stage's means with 95% confidence half-widths.

    Examples
    --------
    >>> import simulator
    >>> scenario = simulator.scenario_from_dict({
    ...     "scenario": {"name": "one-desk", "horizon_years": 3, "seed": 11},
    ...     "exchange": {
    ...         "stages": {"desk": {"servers": 2, "service_months": {"dist": "exponential", "mean": 0.5}}},
    ...         "streams": {"x": {"entrants_per_year": 120, "stages": ["desk"], "stay_years": 1.0}}}})
    >>> flows = simulator.run_flows(scenario, replications=2, processes=1)
    >>> flows
    <FlowsResult 'one-desk': 2 replications × 2025-2027, 1 stream, 1 stage>
    >>> list(flows.stage_table()["stage"])
    ['desk']
    """

    def __repr__(self) -> str:
        """Short: the scenario, the replications and years, and how many streams and stages."""
        years = self.dataset["year"].values
        span = f"{int(years[0])}-{int(years[-1])}" if len(years) else "no years"
        streams = self.dataset.sizes.get("stream", 0)
        stages = self.dataset.sizes.get("stage", 0)
        return (f"<FlowsResult {self.scenario.name!r}: {self.dataset.sizes.get('replication', 0):,} replications "
                f"× {span}, {streams} stream{'s' * (streams != 1)}, {stages} stage{'s' * (stages != 1)}>")

    scenario: Scenario  # the scenario whose people exchange was simulated
    dataset: xr.Dataset  # (replication, year[, stream|stage])
    stage_stats: pd.DataFrame  # one row per replication and stage
    events: int  # simpy events processed over all replications (a measure of the work done)
    elapsed_s: float = 0.0  # wall-clock seconds the replications took

    def summary(self) -> pd.DataFrame:
        """Same columns as a run's summary.csv, across replications."""
        frames = []
        for name in self.dataset.data_vars:
            da = self.dataset[name].rename(replication="draw")
            extra = [d for d in da.dims if d not in ("draw", "year")]
            labels = da[extra[0]].values if extra else [None]
            for label in labels:
                part = da.sel({extra[0]: label}) if extra else da
                frames.append(summarise(f"{name}.{label}" if extra else name, da.attrs["unit"], part))
        return pd.concat(frames, ignore_index=True)

    def stage_table(self) -> pd.DataFrame:
        """Per stage: mean over replications with a 95% confidence half-width."""
        g = self.stage_stats.groupby("stage", sort=False)
        n = g.size()
        out = pd.DataFrame({"replications": n})
        for col in ("mean_wait_months", "p95_wait_months", "mean_queue", "utilisation", "served"):
            out[col] = g[col].mean()
            out[f"{col}_ci95"] = 1.96 * g[col].std(ddof=1).fillna(0.0) / np.sqrt(n)
        return out.reset_index()


def _yearly(rep: Replication, scenario: Scenario) -> dict[str, np.ndarray]:
    years = scenario.years
    T = len(years)
    edges = np.arange(T + 1) * MONTHS_PER_YEAR
    names = scenario.names("exchange.streams")
    arrivals = np.stack([np.histogram(rep.arrival_times[j], bins=edges)[0] for j in names], axis=-1).astype(float)
    ends = edges[1:]
    # Present just before each year's end: arrived earlier (an arrival at the instant counts for the
    # next year, as in the yearly arrivals) and not yet gone.
    stock = np.stack([((rep.arrival_times[j][:, None] < ends) & (rep.departure_times[j][:, None] >= ends)).sum(axis=0)
                      if len(rep.arrival_times[j]) else np.zeros(T) for j in names], axis=-1).astype(float)
    skilled = np.array([bool(scenario.params[f"exchange.streams.{j}.skilled"]) for j in names])
    out = {}
    if rep.stage_names:  # the pipeline's order: waiting at the stages, arriving, then staying
        out["exchange.backlog_by_stage"] = rep.backlog[MONTHS_PER_YEAR - 1::MONTHS_PER_YEAR]
    out |= {
        "exchange.arrivals_by_stream": arrivals,
        "exchange.arrivals_total": arrivals.sum(axis=-1),
        "exchange.cumulative_total": np.cumsum(arrivals.sum(axis=-1)),
        "exchange.counted_cumulative": np.cumsum(arrivals @ counting_weights(scenario)),
        "exchange.skilled_arrivals": arrivals[:, skilled].sum(axis=-1),
        "exchange.skilled_cumulative": np.cumsum(arrivals[:, skilled].sum(axis=-1)),
        "exchange.stock_by_stream": stock,
        "exchange.skilled_stock": stock[:, skilled].sum(axis=-1),
    }
    return out


def _stage_rows(rep: Replication, r: int) -> list[dict]:
    rows = []
    for k in rep.stage_names:
        waits = rep.waits[k]
        rows.append({"replication": r, "stage": k, "served": len(waits), "requests": rep.requests[k],
                     "mean_wait_months": float(waits.mean()) if len(waits) else 0.0,
                     "p95_wait_months": float(np.quantile(waits, 0.95)) if len(waits) else 0.0,
                     "mean_queue": rep.queue_area[k] / rep.horizon_months,
                     "utilisation": rep.busy_area[k] / rep.capacity_area[k] if rep.capacity_area[k] else 0.0})
    return rows


def assemble_flows(scenario: Scenario, reps: list[Replication], elapsed_s: float = 0.0) -> FlowsResult:
    per = [_yearly(rep, scenario) for rep in reps]
    extra_dim = {"exchange.arrivals_by_stream": "stream", "exchange.stock_by_stream": "stream",
                 "exchange.backlog_by_stage": "stage"}
    coords = {"replication": np.arange(len(reps)), "year": scenario.years,
              "stream": scenario.names("exchange.streams"), "stage": reps[0].stage_names}
    data = {}
    for name in per[0]:
        dims = ("replication", "year") + ((extra_dim[name],) if name in extra_dim else ())
        data[name] = xr.Variable(dims, np.stack([p[name] for p in per]), attrs={"unit": VARIABLE_UNITS[name]})
    if not reps[0].stage_names:
        coords.pop("stage")
    ds = xr.Dataset(data, coords=coords, attrs={"scenario": scenario.name, "seed": scenario.seed,
                                                "replications": len(reps)})
    stats = pd.DataFrame([row for r, rep in enumerate(reps) for row in _stage_rows(rep, r)])
    return FlowsResult(scenario, ds, stats, events=sum(rep.events for rep in reps), elapsed_s=elapsed_s)


def _replication_task(scenario: Scenario, job: tuple[int, dict]) -> Replication:
    r, values = job
    return simulate_replication(scenario, r, values)


def run_flows(scenario: Scenario, replications: int = DEFAULT_REPLICATIONS,
              progress: Callable[[int, int], None] | None = None, *, client=None, workers: int | None = None,
              scheduler: str | None = None, processes: int | None = None) -> FlowsResult:
    """Run `replications` seeded replications of the simpy model, on processes or Dask (identical results).

    Every person is a simpy process passing through the scenario's stages. Replication r takes the
    scenario's parameter draw r (the same numbers as draw r of :func:`run` with the same seed and
    sampler) and its own stream of person-level random numbers. Without Dask, replications run on
    `processes` forked processes at once (by default one per CPU available; 1 runs them in this
    process): simpy is pure Python, one core per replication. Each task builds its own simpy
    environment from (scenario, replication) and returns arrays.

    Parameters
    ----------
    scenario : Scenario
        Must define at least one ``[exchange.streams.<name>]`` table.
    replications : int, default 20
        How many replications.
    progress : callable, optional
        ``progress(done, total)`` counts replications; without Dask `done` also moves within a
        replication, month by simulated month (2.5 = half way through the third), since one
        replication of the baseline takes a minute or more. On Dask it moves as replications finish.
    client, workers, scheduler
        Run the replications on Dask, as in :func:`run`.
    processes : int, optional
        Forked processes without Dask; by default one per CPU available.

    Returns
    -------
    FlowsResult
        Yearly people counts per replication and each stage's queueing statistics.

    Raises
    ------
    UserError
        If the scenario defines no exchange streams.

    References
    ----------
    The queueing results the model is checked against (M/M/c waits, Little's law):

    * Erlang, A. K. (1917). Solution of some problems in the theory of probabilities of
      significance in automatic telephone exchanges. *Elektroteknikeren*, 13.
    * Gross, D., Shortle, J. F., Thompson, J. M. & Harris, C. M. (2008). *Fundamentals of
      Queueing Theory*, 4th ed. Wiley.
    * Little, J. D. C. (1961). A proof for the queuing formula L = λW. *Operations Research*,
      9(3), 383-387.

    Examples
    --------
    >>> import simulator
    >>> scenario = simulator.scenario_from_dict({
    ...     "scenario": {"name": "one-desk", "horizon_years": 3, "seed": 11},
    ...     "exchange": {
    ...         "stages": {"desk": {"servers": 2, "service_months": {"dist": "exponential", "mean": 0.5}}},
    ...         "streams": {"x": {"entrants_per_year": 120, "stages": ["desk"], "stay_years": 1.0}}}})
    >>> flows = simulator.run_flows(scenario, replications=3, processes=1)
    >>> flows.dataset["exchange.arrivals_total"].shape  # replication x year
    (3, 3)
    >>> again = simulator.run_flows(scenario, replications=3, processes=1)
    >>> bool((again.dataset["exchange.arrivals_total"] == flows.dataset["exchange.arrivals_total"]).all())
    True
    """
    import time
    from functools import partial

    from simulator.parallel import dask_client, map_indexed

    if not scenario.names("exchange.streams"):
        from simulator.errors import UserError
        raise UserError(f"{scenario.path}: the scenario defines no [exchange.streams.<name>] tables to simulate")
    started = time.perf_counter()
    values = replication_values(scenario, replications)
    if processes is None:
        from simulator.parallel import available_cpus
        processes = available_cpus()
    with dask_client(workers, scheduler, client) as c:
        if c is None and processes > 1 and replications > 1 and _can_fork():
            reps = _on_processes(scenario, values, min(processes, replications), progress)
        elif c is None and progress is not None:
            reps = {}
            for r in range(replications):
                def on_month(m: int, months: int, r: int = r) -> None:
                    progress(r + m / months, replications)
                reps[r] = simulate_replication(scenario, r, values[r], on_month=on_month)
                progress(r + 1, replications)
        else:
            reps = map_indexed(partial(_replication_task, scenario), range(replications), c, progress,
                               args={r: (r, values[r]) for r in range(replications)})
    return assemble_flows(scenario, [reps[r] for r in range(replications)], elapsed_s=time.perf_counter() - started)


def _can_fork() -> bool:
    import multiprocessing
    return "fork" in multiprocessing.get_all_start_methods()


def _on_processes(scenario: Scenario, values: list[dict], processes: int, progress) -> dict[int, Replication]:
    """Replications on forked processes; each reports its simulated months into shared memory,
    which this process reads twice a second for `progress`."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    months_done = context.Array("d", len(values), lock=False)
    global _FORKED
    _FORKED = (scenario, values, months_done)
    reps: dict[int, Replication] = {}
    try:
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            pending = {pool.submit(_forked_replication, r): r for r in range(len(values))}
            while pending:
                finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    r = pending.pop(future)
                    reps[r] = future.result()
                    months_done[r] = 1.0
                if progress is not None:
                    progress(min(float(sum(months_done)), float(len(values))), len(values))
    finally:
        _FORKED = None
    return reps


_FORKED = None  # (scenario, values, shared progress) inherited by forked replication processes


def _forked_replication(r: int) -> Replication:
    scenario, values, months_done = _FORKED

    def on_month(m: int, months: int) -> None:
        months_done[r] = m / months

    return simulate_replication(scenario, r, values[r], on_month=on_month)
