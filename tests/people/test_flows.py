"""The simpy model: M/M/c against Erlang C, Little's law, hand-computed paths, agreement with the
vectorised pipeline, seeding, and the deque queue's linear cost."""
import time
from pathlib import Path

import numpy as np
import pytest
import simpy
from scipy import stats

import simulator
from simulator.people import erlang_c, mmc_mean_wait, run_flows
from simulator.people.model import arrival_times
from simulator.people.resources import Stage

SMALL = Path(__file__).parents[1] / "scenarios" / "small_exchange.toml"


def mmc_scenario(lam_per_month: float, mean_service: float, servers: int, years: int = 10) -> dict:
    return {
        "scenario": {"name": "mmc", "horizon_years": years, "seed": 11},
        "exchange": {
            "stages": {"desk": {"servers": servers, "service_months": {"dist": "exponential", "mean": mean_service}}},
            "streams": {"x": {"entrants_per_year": lam_per_month * 12, "stages": ["desk"], "stay_years": 1.0}},
        },
    }


def test_erlang_c_known_values():
    # Textbook checks: c = 1 gives C = rho (M/M/1); c = 2, a = 1 gives 1/3.
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert mmc_mean_wait(0.5, 1.0, 1) == pytest.approx(0.5 / (1.0 - 0.5))  # rho / (mu - lam)
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(3, 3.0)


@pytest.mark.parametrize("servers,load", [(1, 0.7), (5, 0.8)])
def test_mmc_stage_mean_wait_covers_erlang_c(servers, load):
    lam, mu = 40.0, 40.0 / (servers * load)  # per month
    scenario = simulator.scenario_from_dict(mmc_scenario(lam, 1 / mu, servers))
    result = run_flows(scenario, replications=16)
    waits = result.stage_stats["mean_wait_months"].to_numpy()
    mean, half = waits.mean(), stats.t.ppf(0.995, len(waits) - 1) * waits.std(ddof=1) / np.sqrt(len(waits))
    exact = mmc_mean_wait(lam, mu, servers)
    assert mean - half <= exact <= mean + half, (mean, half, exact)
    utilisation = result.stage_stats["utilisation"].mean()
    assert utilisation == pytest.approx(load, abs=0.02)


def test_littles_law_on_the_recorded_queue():
    scenario = simulator.scenario_from_dict(mmc_scenario(40.0, 0.1, 5))
    result = run_flows(scenario, replications=4)
    s = result.stage_stats
    horizon = 120.0
    lam = s["requests"] / horizon
    # L_q = lambda W_q over the run (the few still waiting at the end make it approximate).
    np.testing.assert_allclose(s["mean_queue"], lam * s["mean_wait_months"], rtol=0.02)


DETERMINISTIC = {
    "scenario": {"name": "det", "horizon_years": 4, "seed": 1},
    "exchange": {
        "stages": {"a": {"servers": 1000, "service_months": 1.0}, "b": {"servers": 1000, "service_months": 2.0}},
        "streams": {"w": {"entrants_per_year": 1200, "arrival_process": "regular", "stages": ["a", "b"],
                          "stay_years": 2.0, "skilled": True}},
    },
}


def test_deterministic_stream_hand_computed_in_both_models():
    # 100 entrants a month, evenly spaced from t = 0; 3 months in the pipeline; nobody fails;
    # ample servers; everyone stays exactly 24 months.
    scenario = simulator.scenario_from_dict(DETERMINISTIC)
    arrivals = [900, 1200, 1200, 1200]  # year 1 loses its last 3 months of entrants to the pipeline
    stock = [900, 2100, 2400, 2400]  # present at year end: arrived in the last 24 months
    flows = run_flows(scenario, replications=2).dataset
    vector = simulator.run(scenario, draws=1)
    for ds, draw_dim in ((flows, "replication"), (vector.dataset, "draw")):
        got_arrivals = ds["exchange.arrivals_total"].isel({draw_dim: 0}).values
        got_stock = ds["exchange.skilled_stock"].isel({draw_dim: 0}).values
        np.testing.assert_allclose(got_arrivals, arrivals, atol=1e-6)
        np.testing.assert_allclose(got_stock, stock, atol=1e-6)


@pytest.fixture(scope="module")
def cross_check():
    scenario = simulator.load_scenario(SMALL)
    return scenario, run_flows(scenario, replications=24), simulator.run(scenario, draws=24)


@pytest.mark.slow  # the simpy cross-check: 25 s with its fixture
def test_vectorised_pipeline_agrees_with_simpy(cross_check):
    # Same parameter draws (replication r = draw r). The fluid model is a mean-field approximation:
    # yearly arrivals and stocks agree within 3% in the mean over replications (after the first
    # year, whose small numbers depend on the pipeline's start-up), and the stage that queues in
    # simpy is the one that queues in the fluid model.
    scenario, flows, vector = cross_check
    for name in ("exchange.arrivals_total", "exchange.skilled_stock", "exchange.cumulative_total"):
        simpy_mean = flows.dataset[name].mean("replication").values[1:]
        fluid_mean = vector[name].mean("draw").values[1:]
        np.testing.assert_allclose(fluid_mean, simpy_mean, rtol=0.03, err_msg=name)
    simpy_backlog = flows.dataset["exchange.backlog_by_stage"].mean("replication").sel(year=2026)
    fluid_backlog = vector["exchange.backlog_by_stage"].mean("draw").sel(year=2026)
    assert str(simpy_backlog.idxmax("stage").values) == str(fluid_backlog.idxmax("stage").values) == "coe"


@pytest.mark.slow
def test_replications_are_seeded(cross_check):
    scenario = cross_check[0]
    a = run_flows(scenario, replications=3).dataset
    b = run_flows(scenario, replications=3).dataset
    assert a.equals(b)
    # Under Monte Carlo sampling the first replications of a longer run are the same replications
    # (an LHS or Sobol' design depends on the number of points, so there it holds per block only).
    mc = scenario.with_params({"sampling.method": "mc"})
    np.testing.assert_array_equal(run_flows(mc, replications=5).dataset["exchange.arrivals_total"].values[:3],
                                  run_flows(mc, replications=3).dataset["exchange.arrivals_total"].values)
    c = run_flows(scenario.with_params({"scenario.seed": 8}), replications=3).dataset
    assert not a.equals(c)


def test_capacity_change_and_zero_capacity():
    env = simpy.Environment()
    stage = Stage(env, 0, "closed")
    served = []

    def person(i):
        req = stage.request()
        yield req
        served.append((i, env.now))
        yield env.timeout(1.0)
        stage.release(req)

    for i in range(3):
        env.process(person(i))

    def opener():
        yield env.timeout(5.0)
        stage.set_capacity(2)

    env.process(opener())
    env.run()
    assert served == [(0, 5.0), (1, 5.0), (2, 6.0)]  # nobody before opening, then FIFO two at a time
    assert stage.waits == [5.0, 5.0, 6.0]
    with pytest.raises(ValueError, match="capacity"):
        Stage(env, -1)


def test_arrival_process_rates():
    rng = np.random.default_rng(0)
    regular = arrival_times(np.array([10.0, 20.0]), "regular", rng)
    assert len(regular) == 360 and np.sum(regular < 12) == 120
    poisson = arrival_times(np.array([50.0, 50.0]), "poisson", rng)
    assert abs(len(poisson) - 1200) < 5 * np.sqrt(1200)
    assert np.all(np.diff(poisson) >= 0)


def _drain(queue_length: int, resource_factory) -> float:
    env = simpy.Environment()
    resource = resource_factory(env)

    def person():
        req = resource.request()
        yield req
        yield env.timeout(0.001)
        resource.release(req)

    for _ in range(queue_length):
        env.process(person())
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


@pytest.mark.timing  # a wall-clock ratio: serially, after the parallel run
def test_long_queue_cost_is_linear():
    # Four times the queue should cost about four times as long (16x if quadratic). The ratio is
    # measured within this run, so machine speed cancels out.
    small = min(_drain(20_000, lambda env: Stage(env, 1)) for _ in range(2))
    large = min(_drain(80_000, lambda env: Stage(env, 1)) for _ in range(2))
    assert large / small < 8.0, large / small
