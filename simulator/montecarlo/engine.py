"""A run: scenario -> uniforms per block -> parameter draws -> core -> labelled result.

Blocks are independent (their own seeds, see `sampling`), so any subset can be computed anywhere
and in any order, and `assemble` puts them together into the same arrays as a serial run.
"""
from __future__ import annotations

import functools
import mmap
import threading
from dataclasses import replace
from functools import partial
from typing import Any, Callable, Iterable

import numpy as np


from simulator.montecarlo.draws import DrawnParameters, sampling_dimensions
from simulator.errors import UserError
from simulator.parallel import dask_client, map_indexed
from simulator.montecarlo.projection import Block, exchange_stages, project
from simulator.montecarlo.result import INPUT_PREFIX, Result
from simulator.montecarlo.sampling import block_sizes, block_uniforms
from simulator.scenario import Scenario
from simulator.article_figures import sectors

def simulate_block(scenario: Scenario, block_index: int, n: int) -> Block:
    """Every variable for draws [block_index * block_size, + n) of the scenario's run."""
    u = block_uniforms(sampling_dimensions(scenario), scenario.sampler, scenario.seed, block_index, n)
    d = DrawnParameters(scenario, u, n)
    block = project(d)
    # The inputs behind each draw travel with its outputs (after the core: they are its own draws).
    block.update({f"{INPUT_PREFIX}{name}": values for name, values in d.inputs().items()})
    return block


def evaluate(scenario: Scenario, uniforms: dict, n: int, blocks: tuple[str, ...] | None = None) -> Block:
    """Variables for n draws given their uniforms in (0, 1), one array per sampling dimension
    (used by sensitivity analysis, which chooses the points itself); `blocks` as in `project`."""
    d = DrawnParameters(scenario, uniforms, n)
    return project(d) if blocks is None else project(d, blocks)


def block_plan(scenario: Scenario) -> list[tuple[int, int]]:
    """(block index, number of draws) for every block of the run."""
    return list(enumerate(block_sizes(scenario.draws, scenario.block_size)))


def assemble(scenario: Scenario, blocks: dict[int, Block]) -> Result:
    """Put blocks together in index order into a Result, whatever order they were computed in."""
    plan = block_plan(scenario)
    missing = [i for i, _ in plan if i not in blocks]
    if missing:
        raise ValueError(f"blocks {missing} of {len(plan)} are missing")
    collector = _Collector(scenario)
    for i, _ in plan:
        collector(i, blocks[i])
    return collector.result()


class _Collector:
    """Writes each block into preallocated arrays as it arrives: no list of blocks, no concatenation."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.offsets = {}
        start = 0
        for i, n in block_plan(scenario):
            self.offsets[i] = (start, start + n)
            start += n
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
        labels = {"sector": list(sectors()), "stream": self.scenario.names("exchange.streams"),
                  "stage": exchange_stages(self.scenario)}
        return Result.from_arrays(self.scenario, self.arrays, labels)


@functools.cache
def reuse_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed blocks of up to 32 MiB for reuse instead of returning them to
    the OS (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD; see mallopt(3)). Every block of draws allocates and
    frees the same few megabytes of arrays; returned to the OS, they cost a page fault per 4 KiB on
    the next block, about a third of the core's time on the benchmark machine (docs/performance.md).
    Process-wide and idempotent; a no-op (False) where glibc is not the allocator."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    return bool(mallopt(M_MMAP_THRESHOLD, 32 << 20)) and bool(mallopt(M_TRIM_THRESHOLD, 256 << 20))


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


def configure(scenario: Scenario, *, draws: int | None = None, seed: int | None = None,
              sampler: str | None = None, block_size: int | None = None) -> Scenario:
    """The scenario with run settings overridden (validated like the file's own values)."""
    overrides: dict[str, Any] = {}
    for key, value in (("scenario.draws", draws), ("scenario.seed", seed),
                       ("sampling.method", sampler), ("sampling.block_size", block_size)):
        if value is not None:
            overrides[key] = value
    if not overrides:
        return scenario
    configured = scenario.with_params(overrides)
    # Keep the file's identity: the overrides are recorded in the manifest, not as a new file.
    return replace(configured, path=scenario.path, files=scenario.files, sha256=scenario.sha256)


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
    reuse_freed_memory()
    if threads is None:
        from simulator.parallel import available_cpus
        threads = available_cpus()
    plan = block_plan(scenario)
    sizes = dict(plan)
    collector = _Collector(scenario)
    indices = [i for i, _ in plan]
    with dask_client(workers, scheduler, client) as c:
        if c is None and threads > 1:  # each thread stores its own blocks: the copying runs in parallel too
            map_indexed(partial(_block_into, scenario, sizes, collector), indices, None, progress,
                        on_result=lambda i, _: None, threads=threads)
        else:
            map_indexed(partial(_block_task, scenario, sizes), indices, c, progress, on_result=collector)
    return collector.result()


def _block_task(scenario: Scenario, sizes: dict[int, int], index: int) -> Block:
    return simulate_block(scenario, index, sizes[index])


def _block_into(scenario: Scenario, sizes: dict[int, int], collector: _Collector, index: int) -> None:
    collector(index, simulate_block(scenario, index, sizes[index]))


def simulate_blocks(scenario: Scenario, indices: Iterable[int]) -> dict[int, Block]:
    """Compute a chosen subset of blocks (what one worker of a parallel run does)."""
    sizes = dict(block_plan(scenario))
    return {i: simulate_block(scenario, i, sizes[i]) for i in indices}
