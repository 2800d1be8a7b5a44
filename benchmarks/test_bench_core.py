"""Benchmarks of the hot paths (pytest-benchmark). Run with `make bench`; not part of `make test`.

Figures in the README come from `make bench` on the machine named there.
"""
import numpy as np
import pytest

import simulator
from simulator import engine
from simulator.core import investment as inv
from simulator.sampling import block_uniforms

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
DRAWS = 100_000
YEARS = 10


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")


def test_fdi_stock_kernel(benchmark):
    rng = np.random.default_rng(0)
    flows = rng.uniform(0, 10, (DRAWS, YEARS))
    delta = rng.uniform(0, 0.04, DRAWS)
    benchmark.extra_info["draw_years"] = DRAWS * YEARS
    benchmark(inv.fdi_stock, flows, 43.0, delta)


def test_lhs_uniforms(benchmark):
    dims = [f"d{i}" for i in range(12)]
    benchmark.extra_info["draws"] = DRAWS
    benchmark(block_uniforms, dims, "lhs", 1, 0, DRAWS)


def test_baseline_run(benchmark, baseline):
    scenario = engine.configure(baseline, draws=DRAWS)
    benchmark.extra_info["draw_years"] = DRAWS * len(scenario.years)
    result = benchmark.pedantic(engine.run, args=(scenario,), rounds=3, iterations=1)
    benchmark.extra_info["draw_years_per_s"] = DRAWS * len(scenario.years) / benchmark.stats.stats.mean
    assert result.dataset.sizes["draw"] == DRAWS
