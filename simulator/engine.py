"""A run: scenario -> uniforms per block -> parameter draws -> core -> labelled result.

Blocks are independent (their own seeds, see `sampling`), so any subset can be computed anywhere
and in any order, and `assemble` puts them together into the same arrays as a serial run.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

import numpy as np
from scipy import stats

from .core import investment as inv
from .result import Result
from .sampling import block_sizes, block_uniforms
from .scenario import Distribution, Fixed, Path, Scenario
from .seeds import sectors

Block = dict[str, np.ndarray]


def sampling_dimensions(scenario: Scenario) -> list[str]:
    """The named uniform inputs a block needs: one per distribution, plus Dirichlet and shock inputs."""
    dims = scenario.uncertain()
    if scenario.params["investment.sector_concentration"].value > 0:
        dims += [f"investment.sector_shares.{k}" for k, s in scenario.params["investment.sector_shares"].items() if s > 0]
    vol = scenario.params["investment.fx_log_volatility"]
    if not (isinstance(vol, Fixed) and vol.value == 0):
        dims += [f"investment.fx_shock.{y}" for y in scenario.years[1:]]
    return dims


class _Draws:
    """Parameter values for one block: fixed values stay scalars, distributions become (n,) arrays."""

    def __init__(self, scenario: Scenario, uniforms: dict[str, np.ndarray], n: int):
        self.scenario, self.u, self.n = scenario, uniforms, n

    def scalar(self, path: str) -> float | np.ndarray:
        value = self.scenario.params[path]
        if isinstance(value, Distribution):
            return value.ppf(self.u[path])
        return value.value

    def over_years(self, path: str) -> np.ndarray:
        """Shape (T,) for fixed values and paths, (n, T) for distributions (constant over years)."""
        value = self.scenario.params[path]
        years = self.scenario.years
        if isinstance(value, Path):
            return value.at(years)
        return np.multiply.outer(np.asarray(self.scalar(path)), np.ones(len(years)))


def _sector_shares(scenario: Scenario, u: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Fixed shares (S,), or Dirichlet(c * s) draws (n, S) from gamma inverse CDFs (works with any sampler)."""
    shares = np.array(list(scenario.params["investment.sector_shares"].values()))
    c = scenario.params["investment.sector_concentration"].value
    if c == 0:
        return shares
    gammas = np.zeros((n, len(shares)))
    for j, key in enumerate(scenario.params["investment.sector_shares"]):
        if shares[j] > 0:
            gammas[:, j] = stats.gamma.ppf(u[f"investment.sector_shares.{key}"], c * shares[j])
    return gammas / gammas.sum(axis=1, keepdims=True)


def simulate_block(scenario: Scenario, block_index: int, n: int) -> Block:
    """Every variable for draws [block_index * block_size, + n) of the scenario's run."""
    u = block_uniforms(sampling_dimensions(scenario), scenario.sampler, scenario.seed, block_index, n)
    d = _Draws(scenario, u, n)
    p = scenario.params
    years = scenario.years
    T = len(years)

    shocks = None
    if T > 1 and f"investment.fx_shock.{years[1]}" in u:
        shocks = stats.norm.ppf(np.stack([u[f"investment.fx_shock.{y}"] for y in years[1:]], axis=-1))
    fx = inv.fx_path(np.broadcast_to(d.over_years("investment.fx_jpy_per_usd"), (n, T)),
                     d.scalar("investment.fx_log_volatility"), shocks)
    profile = p["investment.disbursement.profile"]
    weights = inv.disbursement_profile(
        profile, p["investment.pledge_years"],
        midpoint=d.scalar("investment.disbursement.midpoint_years") if profile == "s_curve" else None,
        steepness=d.scalar("investment.disbursement.steepness") if profile == "s_curve" else None,
        shares=p.get("investment.disbursement.shares"))
    weights = inv.place_in_horizon(weights, p["investment.pledge_start_year"], years)
    disbursed = np.broadcast_to(inv.pledge_disbursement(
        d.scalar("investment.pledge_jpy_tn"), d.scalar("investment.realisation_rate"), weights, fx), (n, T))
    stock = inv.fdi_stock(disbursed, d.scalar("investment.fdi_stock_start_usd_bn"),
                          d.scalar("investment.depreciation_rate"), d.over_years("investment.other_inflows_usd_bn"))
    return {
        "investment.disbursed": np.ascontiguousarray(disbursed),
        "investment.cumulative_disbursed": np.cumsum(disbursed, axis=1),
        "investment.fdi_stock": np.broadcast_to(stock, (n, T)).copy(),
        "investment.disbursed_by_sector": inv.sector_split(disbursed, _sector_shares(scenario, u, n)),
        "investment.fx_jpy_per_usd": np.ascontiguousarray(fx),
    }


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
    return Result.from_arrays(scenario, arrays, sectors=list(sectors()))


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
