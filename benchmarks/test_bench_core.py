"""Benchmarks of the hot paths (pytest-benchmark). Run with `make bench`; not part of `make test`.

"Core" is the model alone: investment, trade and the exchange pipeline evaluated on parameter
values already drawn (`DrawnParameters.draw_all`), block by block, as a run does. "Sampler" is
what comes before it: uniforms and inverse CDFs. "Run" is the whole of `engine.run` in memory.
Figures in the README and docs/performance.md come from `make bench` on the machine named there.
"""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from scipy import stats

import simulator
from simulator.montecarlo import engine
from simulator.core import investment as inv
from simulator.core import pipeline
from simulator.montecarlo.draws import DrawnParameters, sampling_dimensions
from simulator.montecarlo.projection import project
from simulator.montecarlo.sampling import block_uniforms
from simulator.scenario.inverse_cdf import TabulatedInverse

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
DRAWS = 100_000
YEARS = 10
SINGLE = 128  # draws for the one-call-versus-one-draw-per-call comparison


@pytest.fixture(scope="module")
def baseline():
    engine.reuse_freed_memory()  # as a run does
    return simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")


@pytest.fixture(scope="module")
def drawn(baseline):
    """The baseline's 10^5 draws in its blocks of 4,096, parameters drawn, ready for the core."""
    scenario = engine.configure(baseline, draws=DRAWS)
    dims = sampling_dimensions(scenario)
    blocks = [DrawnParameters(scenario, block_uniforms(dims, scenario.sampler, scenario.seed, i, n), n).draw_all()
              for i, n in engine.block_plan(scenario)]
    project(blocks[0])  # compile or load the kernels outside the timing
    return blocks


def _rate(benchmark, draws):
    benchmark.extra_info.update(draws=draws, draw_years=draws * YEARS,
                                draw_years_per_s=draws * YEARS / benchmark.stats.stats.min)


def test_core_alone(benchmark, drawn):
    benchmark.pedantic(lambda: [project(d) for d in drawn], rounds=5, iterations=1)
    _rate(benchmark, DRAWS)


def test_core_alone_two_threads(benchmark, drawn):
    with ThreadPoolExecutor(2) as pool:
        benchmark.pedantic(lambda: list(pool.map(project, drawn)), rounds=5, iterations=1)
    _rate(benchmark, DRAWS)


def test_pipeline_kernel_one_block(benchmark, drawn, monkeypatch):
    """The compiled monthly recursion alone, for one block of 4,096 draws."""
    captured = {}
    compiled = pipeline._pipeline_kernel
    monkeypatch.setattr(pipeline, "_pipeline_kernel", lambda *a: captured.setdefault("args", a) and compiled(*a))
    project(drawn[0], ("exchange",))
    benchmark.pedantic(compiled, args=captured["args"], rounds=20, iterations=1)
    _rate(benchmark, drawn[0].n)


@pytest.mark.parametrize("block", ["investment", "trade", "exchange"])
def test_module_alone(benchmark, drawn, block):
    d = drawn[0]
    benchmark.pedantic(project, args=(d, (block,)), rounds=20, iterations=1)
    _rate(benchmark, d.n)
    benchmark.extra_info["note"] = "trade includes the investment block it needs"


@pytest.mark.parametrize("stream", ["skilled_workers", "engineers"])
def test_calibrated_stream_one_block(benchmark, drawn, stream):
    """One calibrated stream's entrants for a block of 4,096 draws (D and R(Δ) over the stay's 1,107
    quantiles in every draw, `stay_sums.discounted_tails`); engineers' stays also differ by draw."""
    from simulator.montecarlo.exchange_levels import stream_level

    benchmark.pedantic(stream_level, args=(drawn[0], stream), rounds=20, iterations=1)
    _rate(benchmark, drawn[0].n)


def test_sampler_one_block(benchmark, baseline):
    """Uniforms (LHS, 61 dimensions) and every inverse CDF for one block of 4,096 draws."""
    dims = sampling_dimensions(baseline)
    n = baseline.block_size
    benchmark.pedantic(lambda: DrawnParameters(baseline, block_uniforms(dims, "lhs", 1, 0, n), n).draw_all(),
                       rounds=20, iterations=1)
    _rate(benchmark, n)
    benchmark.extra_info["dimensions"] = len(dims)


@pytest.mark.parametrize("method", ["table", "scipy"])
def test_pert_inverse_cdf(benchmark, method):
    frozen = stats.beta(3.0, 2.0, loc=0.6, scale=0.5)  # the baseline's uptake of skilled workers
    u = np.random.default_rng(0).random(DRAWS)
    table = TabulatedInverse(frozen)
    table(u[:10])  # build the table outside the timing
    benchmark(table if method == "table" else frozen.ppf, u)
    benchmark.extra_info.update(draws=DRAWS, draws_per_s=DRAWS / benchmark.stats.stats.min)


def test_fdi_stock_kernel(benchmark):
    rng = np.random.default_rng(0)
    flows = rng.uniform(0, 10, (DRAWS, YEARS))
    delta = rng.uniform(0, 0.04, DRAWS)
    benchmark(inv.fdi_stock, flows, 43.0, delta)
    _rate(benchmark, DRAWS)


def test_lhs_uniforms(benchmark):
    dims = [f"d{i}" for i in range(12)]
    benchmark(block_uniforms, dims, "lhs", 1, 0, DRAWS)
    benchmark.extra_info["draws"] = DRAWS


@pytest.mark.parametrize("threads", [1, 2])
def test_baseline_run(benchmark, baseline, threads):
    """The whole run in memory: sampling, inverse CDFs, core, and the labelled result."""
    scenario = engine.configure(baseline, draws=DRAWS)
    engine.run(scenario, draws=1000, threads=threads)
    result = benchmark.pedantic(engine.run, args=(scenario,), kwargs={"threads": threads}, rounds=3, iterations=1)
    _rate(benchmark, DRAWS)
    assert result.dataset.sizes["draw"] == DRAWS


@pytest.mark.parametrize("calls", ["together", "one_draw_each"])
def test_vectorisation(benchmark, baseline, calls):
    """128 draws in one call of the core, or in 128 calls of one draw (what a framework calling the
    model once per experiment pays); tests/core/test_vectorisation_guard.py keeps the ratio in make test."""
    u = block_uniforms(sampling_dimensions(baseline), "mc", 1, 0, SINGLE)
    if calls == "together":
        benchmark.pedantic(engine.evaluate, args=(baseline, u, SINGLE), rounds=20, iterations=1)
    else:
        singles = [{d: v[i:i + 1] for d, v in u.items()} for i in range(SINGLE)]
        benchmark.pedantic(lambda: [engine.evaluate(baseline, one, 1) for one in singles], rounds=5, iterations=1)
    benchmark.extra_info.update(draws=SINGLE, microseconds_per_draw=benchmark.stats.stats.min / SINGLE * 1e6)
