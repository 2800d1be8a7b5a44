"""How a run's cost grows with draws, and writing outputs (make bench)."""
from pathlib import Path

import pytest

import simulator
from simulator.montecarlo import engine
from simulator.output.files import write_results

ROOT = Path(__file__).resolve().parents[1]
YEARS = 10


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")


@pytest.mark.parametrize("draws", [10**3, 10**4, 10**5, 10**6])
def test_run_by_draws(benchmark, baseline, draws):
    """The whole run in memory (sampling, inverse CDFs, core, result) on one thread, by draws."""
    scenario = engine.configure(baseline, draws=draws)
    engine.run(scenario, draws=1000)  # kernels and imports loaded outside the timing
    benchmark.pedantic(engine.run, args=(scenario,), kwargs={"threads": 1}, rounds=1 if draws >= 10**6 else 3,
                       iterations=1)
    benchmark.extra_info.update(draws=draws, draw_years_per_s=draws * YEARS / benchmark.stats.stats.min)


def test_write_outputs(benchmark, baseline, tmp_path):
    result = engine.run(baseline, draws=10_000)
    counter = iter(range(1000))
    benchmark.pedantic(lambda: write_results(result, tmp_path / f"out{next(counter)}", plots=False),
                       rounds=3, iterations=1)
    benchmark.extra_info.update(draws=10_000)
