"""The one run driver: blocks of draws, computed anywhere, handed to a sink.

    scenario ─> block_plan ─> simulate_block (sampling ─> draws ─> projection) ─> sink(index, block)

A *sink* is any callable ``sink(block_index, block)`` that takes each block once; blocks arrive in
any order (threads, Dask workers) and a sink places them by index, so what it builds does not depend
on how many threads or workers computed them. The two sinks of the package:

* `simulator.montecarlo.engine.MemorySink`: every draw kept in memory, a `Result`
  (`simulator.run`);
* `simulator.montecarlo.streaming.SummarySink`: summaries and event counts kept, each block
  optionally passed on to a writer (the ensemble file; `ijsim run`), a `RunSummary`.

Blocks are independent (their own seeds, see `sampling`): the draws of block i are the same whoever
computes them.
"""
from __future__ import annotations

import functools
from dataclasses import replace
from functools import partial
from typing import Any, Callable

from simulator.montecarlo.draws import DrawnParameters, sampling_dimensions
from simulator.montecarlo.inputs import INPUT_PREFIX
from simulator.montecarlo.projection import Block, project
from simulator.montecarlo.sampling import block_sizes, block_uniforms
from simulator.parallel import dask_client, map_indexed
from simulator.scenario import Scenario
from simulator import _testhooks
from simulator.signals import checkpoint

Sink = Callable[[int, Block], None]


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


def block_offsets(scenario: Scenario) -> dict[int, tuple[int, int]]:
    """Block index -> (first draw, one past the last draw): where each block's rows go."""
    offsets, start = {}, 0
    for i, n in block_plan(scenario):
        offsets[i] = (start, start + n)
        start += n
    return offsets


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


def drive(scenario: Scenario, sink: Sink, *, progress: Callable[[int, int], None] | None = None,
          client: Any = None, workers: int | None = None, scheduler: str | None = None, threads: int = 1) -> None:
    """Compute every block of the scenario's run and hand each to ``sink(index, block)``.

    In this process on `threads` threads (the compiled core releases the GIL; each thread hands its
    own blocks to the sink, so a sink's copying runs in parallel too and must be thread-safe, unless
    the sink's `in_calling_thread` is true: then the threads only compute, and this thread takes each
    block as it arrives), or on
    Dask: `client` (a dask.distributed Client), `workers` (an embedded LocalCluster) or `scheduler`
    (an existing cluster's address), where the sink is called in this process as blocks arrive.
    `progress(done, total)` is called as blocks complete.
    """
    reuse_freed_memory()
    plan = block_plan(scenario)
    sizes = dict(plan)
    indices = [i for i, _ in plan]
    def checked(i: int, block: Block | None) -> None:
        # Between blocks, in this (the main) thread: a signal whose exception something swallowed
        # stops the run here, one block after it arrived (simulator/signals.py).
        checkpoint()
        if block is not None:
            sink(i, block)

    with dask_client(workers, scheduler, client) as c:
        if c is None and threads > 1 and not getattr(sink, "in_calling_thread", False):
            map_indexed(partial(_block_into, scenario, sizes, sink), indices, None, progress,
                        on_result=checked, threads=threads)
        else:
            map_indexed(partial(_block_task, scenario, sizes), indices, c, progress, on_result=checked,
                        threads=threads if c is None else 1)


def _block_task(scenario: Scenario, sizes: dict[int, int], index: int) -> Block:
    _testhooks.reached("block:start")
    block = simulate_block(scenario, index, sizes[index])
    _testhooks.reached("block:computed")
    return block


def _block_into(scenario: Scenario, sizes: dict[int, int], sink: Sink, index: int) -> None:
    sink(index, _block_task(scenario, sizes, index))


__all__ = ["Sink", "drive", "simulate_block", "evaluate", "block_plan", "block_offsets", "configure",
           "reuse_freed_memory"]
