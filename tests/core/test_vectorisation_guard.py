"""The vectorisation guard: the core evaluated for N draws in one call must stay far faster per
draw than the same draws one call each. A ratio measured in one process, not a wall-clock limit."""
import time

import numpy as np
import pytest

import simulator
from simulator.montecarlo import engine
from simulator.montecarlo.draws import sampling_dimensions
from simulator.montecarlo.sampling import block_uniforms

from tests.conftest import SCENARIOS

N = 128
# Measured on the project's 2-core machine: about 80x for the baseline (128 draws, make bench). The floor leaves room
# for noise and slower machines while catching a per-draw Python loop (which would bring it near 1).
FLOOR = 30.0


@pytest.mark.timing  # a wall-clock ratio: serially, after the parallel run
def test_core_is_vectorised():
    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    dims = sampling_dimensions(scenario)
    u = block_uniforms(dims, "mc", 1, 0, N)

    def together():
        return engine.evaluate(scenario, u, N)

    def one_at_a_time():
        return [engine.evaluate(scenario, {d: v[i:i + 1] for d, v in u.items()}, 1) for i in range(N)]

    best_together = min(_time(together) for _ in range(3))
    best_single = min(_time(one_at_a_time) for _ in range(2))
    ratio = best_single / best_together
    assert ratio > FLOOR, f"one call for {N} draws is only {ratio:.1f}x faster than {N} calls of one draw"
    # And the two ways give the same numbers.
    single = one_at_a_time()
    np.testing.assert_allclose(np.concatenate([b["trade.balance"] for b in single]), together()["trade.balance"],
                               rtol=1e-12)


def _time(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started
