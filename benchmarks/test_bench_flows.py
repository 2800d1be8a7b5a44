"""The simpy model at full scale: 500,000 people over ten years in one replication, beside a bare
simpy loop doing the same work with simpy's own Resource (events per second, same run)."""
import numpy as np
import simpy

import simulator
from simulator.people.model import arrival_times
from simulator.people.resources import CountingEnvironment
from simulator.people.runner import simulate_replication

ENTRANTS_PER_YEAR = 50_000  # x 10 years = 500,000 people
STAGES = {"coe": (8000, 1.5), "visa": (1500, 0.25)}  # servers, mean service (months, exponential)

SCENARIO = {
    "scenario": {"name": "half-million", "horizon_years": 10, "seed": 3},
    "exchange": {
        "stages": {k: {"servers": c, "service_months": {"dist": "exponential", "mean": m}} for k, (c, m) in STAGES.items()},
        "streams": {"workers": {"entrants_per_year": ENTRANTS_PER_YEAR, "stages": list(STAGES), "stay_years": 3.0,
                                "skilled": True}},
    },
}


def test_flows_half_million_people(benchmark):
    scenario = simulator.scenario_from_dict(SCENARIO)
    rep = benchmark.pedantic(simulate_replication, args=(scenario, 0), rounds=1, iterations=1)
    entered = sum(rep.entrants.values())
    assert entered > 490_000
    benchmark.extra_info.update(people=entered, events=rep.events,
                                events_per_s=rep.events / benchmark.stats.stats.mean)


def bare_simpy_loop(seed: int = 3) -> int:
    """The same arrivals and two-stage pipeline written directly against simpy.Resource."""
    rng = np.random.default_rng(seed)
    env = CountingEnvironment()
    resources = {k: simpy.Resource(env, capacity=c) for k, (c, _) in STAGES.items()}
    times = arrival_times(np.full(10, ENTRANTS_PER_YEAR / 12), "poisson", rng)

    def person():
        for k, (_, mean) in STAGES.items():
            with resources[k].request() as req:
                yield req
                yield env.timeout(rng.exponential(mean))

    def source():
        for t in times:
            yield env.timeout(t - env.now)
            env.process(person())

    env.process(source())
    env.run(until=120)
    return env.events_processed


def test_bare_simpy_same_work(benchmark):
    events = benchmark.pedantic(bare_simpy_loop, rounds=1, iterations=1)
    benchmark.extra_info.update(events=events, events_per_s=events / benchmark.stats.stats.mean)


def bare_timeout_loop(events: int = 1_000_000) -> int:
    """The floor of simpy's cost: one process yielding timeouts, nothing else."""
    env = CountingEnvironment()

    def ticker():
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(ticker())
    env.run()
    return env.events_processed


def test_bare_simpy_timeouts(benchmark):
    events = benchmark.pedantic(bare_timeout_loop, rounds=1, iterations=1)
    benchmark.extra_info.update(events=events, events_per_s=events / benchmark.stats.stats.mean)
