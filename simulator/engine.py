"""A run: scenario -> uniforms per block -> parameter draws -> core -> labelled result.

Blocks are independent (their own seeds, see `sampling`), so any subset can be computed anywhere
and in any order, and `assemble` puts them together into the same arrays as a serial run.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

import numpy as np

from .draws import DrawnParameters, sampling_dimensions
from .projection import Block, exchange_stages, project
from .result import Result
from .sampling import block_sizes, block_uniforms
from .scenario import Scenario
from .seeds import sectors

def simulate_block(scenario: Scenario, block_index: int, n: int) -> Block:
    """Every variable for draws [block_index * block_size, + n) of the scenario's run."""
    u = block_uniforms(sampling_dimensions(scenario), scenario.sampler, scenario.seed, block_index, n)
    return evaluate(scenario, u, n)


def evaluate(scenario: Scenario, uniforms: dict, n: int, blocks: tuple[str, ...] | None = None) -> Block:
    """Variables for n draws given their uniforms in (0, 1), one array per sampling dimension
    (used by sensitivity analysis, which chooses the points itself); `blocks` as in `project`."""
    d = DrawnParameters(scenario, uniforms, n)
    return project(d) if blocks is None else project(d, blocks)


def block_plan(scenario: Scenario) -> list[tuple[int, int]]:
    """(block index, number of draws) for every block of the run."""
    return list(enumerate(block_sizes(scenario.draws, scenario.block_size)))


def assemble(scenario: Scenario, blocks: dict[int, Block]) -> Result:
    """Concatenate blocks in index order into a Result, whatever order they were computed in."""
    plan = block_plan(scenario)
    missing = [i for i, _ in plan if i not in blocks]
    if missing:
        raise ValueError(f"blocks {missing} of {len(plan)} are missing")
    names = blocks[plan[0][0]].keys()
    arrays = {k: np.concatenate([blocks[i][k] for i, _ in plan], axis=0) for k in names}
    labels = {"sector": list(sectors()), "stream": scenario.names("exchange.streams"),
              "stage": exchange_stages(scenario)}
    return Result.from_arrays(scenario, arrays, labels)


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
        block_size: int | None = None, progress: Callable[[int, int], None] | None = None) -> Result:
    """Run the scenario's Monte Carlo and return a labelled Result (draw x year [x sector]).

    `progress(done, total)` is called after each block, for progress bars at the edge.
    """
    scenario = configure(scenario, draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    plan = block_plan(scenario)
    blocks: dict[int, Block] = {}
    for done, (index, n) in enumerate(plan, start=1):
        blocks[index] = simulate_block(scenario, index, n)
        if progress is not None:
            progress(done, len(plan))
    return assemble(scenario, blocks)


def simulate_blocks(scenario: Scenario, indices: Iterable[int]) -> dict[int, Block]:
    """Compute a chosen subset of blocks (what one worker of a parallel run does)."""
    sizes = dict(block_plan(scenario))
    return {i: simulate_block(scenario, i, sizes[i]) for i in indices}
