"""How the core's cost grows with draws, each module alone, and writing outputs (make bench)."""
from pathlib import Path

import pytest

import simulator
from simulator import engine
from simulator.draws import sampling_dimensions
from simulator.output.files import write_results
from simulator.sampling import block_uniforms

ROOT = Path(__file__).resolve().parents[1]
YEARS = 10


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")


@pytest.mark.parametrize("draws", [10**3, 10**4, 10**5, 10**6])
def test_core_by_draws(benchmark, baseline, draws):
    scenario = engine.configure(baseline, draws=draws)
    benchmark.pedantic(engine.run, args=(scenario,), rounds=1 if draws >= 10**5 else 3, iterations=1)
    benchmark.extra_info.update(draws=draws, draw_years_per_s=draws * YEARS / benchmark.stats.stats.mean)


@pytest.mark.parametrize("block", ["investment", "trade", "exchange"])
def test_module_alone(benchmark, baseline, block):
    n = baseline.block_size
    u = block_uniforms(sampling_dimensions(baseline), "lhs", 1, 0, n)
    benchmark(engine.evaluate, baseline, u, n, (block,))
    benchmark.extra_info.update(draws=n, draw_years_per_s=n * YEARS / benchmark.stats.stats.mean,
                                note="trade includes the investment block it needs")


def test_write_outputs(benchmark, baseline, tmp_path):
    result = engine.run(baseline, draws=10_000)
    counter = iter(range(1000))
    benchmark.pedantic(lambda: write_results(result, tmp_path / f"out{next(counter)}", plots=False),
                       rounds=3, iterations=1)
    benchmark.extra_info.update(draws=10_000)
