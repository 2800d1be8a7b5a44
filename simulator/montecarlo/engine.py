"""A run kept in memory: the run driver's blocks into one labelled `Result` (`simulator.run`).

The driver (`simulator.montecarlo.driver`) computes the blocks; `MemorySink` places them. Blocks are
independent (their own seeds, see `sampling`), so any subset can be computed anywhere and in any
order, and `assemble` puts them together into the same arrays as a serial run.
"""
from __future__ import annotations

import mmap
import threading
from typing import Any, Callable, Iterable

import numpy as np

from simulator.errors import UserError
from simulator.montecarlo.driver import (block_offsets, block_plan, configure, drive, evaluate, reuse_freed_memory,
                                         simulate_block)
from simulator.montecarlo.projection import Block, dimension_labels
from simulator.montecarlo.result import Result
from simulator.scenario import Scenario


def assemble(scenario: Scenario, blocks: dict[int, Block]) -> Result:
    """Put blocks together in index order into a Result, whatever order they were computed in."""
    plan = block_plan(scenario)
    missing = [i for i, _ in plan if i not in blocks]
    if missing:
        raise ValueError(f"blocks {missing} of {len(plan)} are missing")
    sink = MemorySink(scenario)
    for i, _ in plan:
        sink(i, blocks[i])
    return sink.result()


class MemorySink:
    """The in-memory sink of the run driver: writes each block into preallocated arrays as it
    arrives (no list of blocks, no concatenation) and labels them as a `Result` at the end."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.offsets = block_offsets(scenario)
        self.arrays: dict[str, np.ndarray] | None = None
        self._allocating = threading.Lock()

    def __call__(self, index: int, block: Block) -> None:
        """Store a block; safe from several threads at once (blocks fill disjoint rows)."""
        with self._allocating:
            if self.arrays is None:
                self.arrays = {k: prefaulted_zeros((self.scenario.draws,) + v.shape[1:], v.dtype)
                               for k, v in block.items()}
        lo, hi = self.offsets[index]
        for k, v in block.items():
            self.arrays[k][lo:hi] = v

    def result(self) -> Result:
        return Result.from_arrays(self.scenario, self.arrays, dimension_labels(self.scenario))


def prefaulted_zeros(shape: tuple[int, ...], dtype) -> np.ndarray:
    """A zeroed array whose memory the OS maps in one call (MAP_POPULATE, Linux) instead of one page
    fault per 4 KiB page on first write: for a run's outputs (hundreds of MB) the faults cost about
    five times the copying itself on the benchmark machine (docs/performance.md)."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    populate = getattr(mmap, "MAP_POPULATE", None)
    if populate is None or size < 1 << 20:
        return np.zeros(shape, dtype)
    buffer = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return np.frombuffer(buffer, dtype=dtype).reshape(shape)


def bytes_per_draw(scenario: Scenario) -> int:
    """Memory the kept outputs take per draw (float64), measured on a one-draw block."""
    block = simulate_block(scenario, 0, 1)
    return sum(v.nbytes for v in block.values())


PEAK_OVER_OUTPUTS = 2.2  # measured: 13.8 GiB peak for 6.3 GiB of outputs (2,000,000 baseline draws)


def available_memory() -> int | None:
    """Bytes a new process can use: Linux's MemAvailable (free memory plus the page cache the kernel
    can drop), not the free pages alone, which a busy file cache makes look scarce; elsewhere the
    free pages; None if neither is known."""
    import os

    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(scenarios: "Scenario | list[Scenario]", fraction: float = 0.75) -> None:
    """Refuse, before any work, runs whose outputs, kept in memory together (a comparison keeps
    every scenario's), would not fit. `ijsim run` streams and does not need this."""
    scenarios = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    available = available_memory()
    if available is None:
        return  # unknown: let the run try
    per_draw = sum(bytes_per_draw(s) for s in scenarios)
    draws = max(s.draws for s in scenarios)
    # The outputs, plus their summaries' sorted copies and the ensemble file's encoding.
    needed = PEAK_OVER_OUTPUTS * per_draw * draws
    if needed > fraction * available:
        most = int(fraction * available / (PEAK_OVER_OUTPUTS * per_draw))
        what = "their outputs" if len(scenarios) == 1 else f"the outputs of {len(scenarios)} scenarios"
        raise UserError(f"{draws:,} draws need about {needed / 2**30:.1f} GiB for {what}, more than "
                        f"this machine can spare ({available / 2**30:.1f} GiB available); use --draws {most:,} or fewer, "
                        "or a machine with more memory")


def run(scenario: Scenario, draws: int | None = None, seed: int | None = None, *, sampler: str | None = None,
        block_size: int | None = None, progress: Callable[[int, int], None] | None = None,
        client: Any = None, workers: int | None = None, scheduler: str | None = None,
        threads: int | None = None) -> Result:
    """Run the scenario's Monte Carlo and return a labelled Result (draw x year [x sector]).

    In this process by default, on `threads` threads (the compiled core releases the GIL; by
    default as many as the CPUs available, like `ijsim run`; identical results for any number);
    `client` (a dask.distributed Client), `workers` (an embedded LocalCluster) or `scheduler`
    (an existing cluster's address) run the blocks on Dask. The results are identical either way.

    Parameters
    ----------
    scenario : Scenario
        From :func:`load_scenario` or :func:`scenario_from_dict`.
    draws, seed : int, optional
        Override the scenario's ``scenario.draws`` and ``scenario.seed`` (validated like the file's
        own values); by default the scenario's.
    sampler : {"mc", "lhs", "sobol"}, optional
        Overrides ``sampling.method``: plain Monte Carlo, Latin hypercube or scrambled Sobol'.
    block_size : int, optional
        Overrides ``sampling.block_size``: draws are generated in independent blocks of this size.
    progress : callable, optional
        ``progress(done, total)`` is called as blocks complete.
    client : dask.distributed.Client, optional
        Run the blocks on this client's cluster.
    workers : int, optional
        Run the blocks on an embedded Dask LocalCluster of this many workers.
    scheduler : str, optional
        Address of an existing Dask scheduler to run the blocks on.
    threads : int, optional
        Threads in this process when Dask is not used; by default the CPUs available.

    Returns
    -------
    Result
        Every variable by draw and year (and sector, stream or stage), with the sampled inputs.

    Raises
    ------
    ScenarioError
        If an override is not a valid value (a negative number of draws, an unknown sampler).

    References
    ----------
    McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of three methods for
    selecting values of input variables in the analysis of output from a computer code.
    *Technometrics*, 21(2), 239-245 (the Latin hypercube sampler).

    Examples
    --------
    >>> import simulator
    >>> scenario = simulator.load_scenario("baseline")
    >>> result = simulator.run(scenario, draws=200, seed=1)
    >>> result["trade.balance"].sizes["draw"], result["trade.balance"].sizes["year"]
    (200, 10)
    >>> again = simulator.run(scenario, draws=200, seed=1, threads=1)
    >>> bool((again["trade.balance"] == result["trade.balance"]).all())  # same seed, same numbers
    True
    """
    scenario = configure(scenario, draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    if threads is None:
        from simulator.parallel import available_cpus
        threads = available_cpus()
    sink = MemorySink(scenario)
    drive(scenario, sink, progress=progress, client=client, workers=workers, scheduler=scheduler, threads=threads)
    return sink.result()


def simulate_blocks(scenario: Scenario, indices: Iterable[int]) -> dict[int, Block]:
    """Compute a chosen subset of blocks (what one worker of a parallel run does)."""
    sizes = dict(block_plan(scenario))
    return {i: simulate_block(scenario, i, sizes[i]) for i in indices}


# The driver's functions are part of this module's API too (`engine.configure`, `engine.evaluate`).
__all__ = ["run", "assemble", "simulate_blocks", "MemorySink", "check_memory", "bytes_per_draw", "prefaulted_zeros",
           "available_memory", "configure", "evaluate", "block_plan", "simulate_block", "reuse_freed_memory"]
