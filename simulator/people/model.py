"""One replication of the people exchange: every entrant is a simpy process.

An entrant of a stream joins the line of each of its stages in turn, holds a server for a
service time drawn from the stage's distribution, and passes on with the stream's pass rate
(or drops out). Passing the last stage is an arrival; the departure time follows from the stay
rules (intended stay L; at the status limit C a share r switches to a renewable status and then
leaves at rate h). Entrants arrive as a Poisson process, or evenly spaced, at the scenario's
yearly rate times the replication's uptake. Stage capacities follow their paths year by year.
Time is in months from the start of the horizon.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.core.exchange import MONTHS_PER_YEAR
from simulator.montecarlo.projection import exchange_stages
from simulator.scenario import Scenario
from simulator.people.resources import CountingEnvironment, Stage


class BufferedSampler:
    """Draws from a per-person distribution in batches: one inverse-CDF call per 4096 people."""

    def __init__(self, value, rng: np.random.Generator, scale: float = 1.0, batch: int = 4096):
        self.value, self.rng, self.scale, self.batch = value, rng, scale, batch
        self._buffer = np.zeros(0)
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buffer):
            self._buffer = np.asarray(self.value.sample(self.rng, self.batch), dtype=float) * self.scale
            self._i = 0
        x = self._buffer[self._i]
        self._i += 1
        return float(x)


@dataclass
class StreamPlan:
    name: str
    route: list[str]
    pass_rates: list[float]
    monthly_rate_by_year: np.ndarray  # (T,) entrants per month in each year
    arrival_process: str
    stay_months: BufferedSampler
    cap_months: float
    renewal_share: float
    renewed_exit_rate_per_month: float


@dataclass
class Replication:
    """What one replication records."""

    arrival_times: dict[str, np.ndarray]
    departure_times: dict[str, np.ndarray]
    entrants: dict[str, int]
    backlog: np.ndarray  # (M, K) queue length at each month end
    stage_names: list[str]
    waits: dict[str, np.ndarray]
    queue_area: dict[str, float]
    busy_area: dict[str, float]
    capacity_area: dict[str, float]
    requests: dict[str, int]
    horizon_months: float
    events: int = 0
    extra: dict = field(default_factory=dict)


def arrival_times(rate_by_year: np.ndarray, process: str, rng: np.random.Generator) -> np.ndarray:
    """Entry times (months) of a process with a yearly piecewise-constant rate per month.

    The k-th entrant of a unit-rate process at u_k (u_k = k evenly spaced; a Poisson process's
    cumulative exponential gaps otherwise) enters at Lambda^-1(u_k), Lambda the cumulative rate.
    """
    edges = np.arange(len(rate_by_year) + 1) * MONTHS_PER_YEAR
    cumulative = np.concatenate([[0.0], np.cumsum(rate_by_year * MONTHS_PER_YEAR)])
    total = cumulative[-1]
    if total <= 0:
        return np.zeros(0)
    if process == "regular":
        u = np.arange(np.ceil(total - 1e-9))
    else:
        count = rng.poisson(total)
        u = np.sort(rng.random(count)) * total  # a Poisson process given its count is uniform order stats
    return np.interp(u, cumulative, edges)


def run_replication(scenario: Scenario, values: dict, rng: np.random.Generator,
                    monitor: bool = True, on_month=None) -> Replication:
    """Simulate one replication with parameter values `values` (path -> number for this replication).

    `on_month(m, months)` is called at the end of each simulated month (when monitoring), so that a
    replication of a million people can show its progress."""
    p = scenario.params
    years = scenario.years
    horizon = len(years) * MONTHS_PER_YEAR
    env = CountingEnvironment()
    stage_names = exchange_stages(scenario)
    servers = {k: np.broadcast_to(values[f"exchange.stages.{k}.servers"], (len(years),)) for k in stage_names}
    stages = {k: Stage(env, int(round(servers[k][0])), name=k) for k in stage_names}
    service = {k: BufferedSampler(p[f"exchange.stages.{k}.service_months"], rng) for k in stage_names}

    plans = []
    for j in scenario.names("exchange.streams"):
        path = f"exchange.streams.{j}"
        route = list(p[f"{path}.stages"])
        plans.append(StreamPlan(
            name=j, route=route,
            pass_rates=[values.get(f"{path}.pass_rates.{k}", 1.0) for k in route],
            monthly_rate_by_year=np.broadcast_to(values[f"{path}.entrants_per_year"], (len(years),))
            * values[f"{path}.uptake"] / MONTHS_PER_YEAR,
            arrival_process=p[f"{path}.arrival_process"],
            # A drawn mean stay scales every person's stay (simulator.montecarlo.exchange_levels).
            stay_months=BufferedSampler(p[f"{path}.stay_years"], rng,
                                        scale=MONTHS_PER_YEAR * float(values.get(f"{path}.stay_scale", 1.0))),
            cap_months=p[f"{path}.max_stay_years"].value * MONTHS_PER_YEAR,
            renewal_share=values[f"{path}.renewal_share"],
            renewed_exit_rate_per_month=p[f"{path}.renewed_exit_rate"].value / MONTHS_PER_YEAR))

    arrived = {plan.name: [] for plan in plans}
    departed = {plan.name: [] for plan in plans}
    entered = {plan.name: 0 for plan in plans}

    def departure(plan: StreamPlan, now: float) -> float:
        stay = plan.stay_months()
        if stay < plan.cap_months:
            return now + stay
        if rng.random() < plan.renewal_share:
            h = plan.renewed_exit_rate_per_month
            return now + plan.cap_months + (rng.exponential(1 / h) if h > 0 else np.inf)
        return now + plan.cap_months

    def person(plan: StreamPlan):
        for stage_name, pass_rate in zip(plan.route, plan.pass_rates):
            stage = stages[stage_name]
            request = stage.request()
            yield request
            yield env.timeout(service[stage_name]())
            stage.release(request)
            if rng.random() >= pass_rate:
                return
        arrived[plan.name].append(env.now)
        departed[plan.name].append(departure(plan, env.now))

    def source(plan: StreamPlan, times: np.ndarray):
        for t in times:
            if t > env.now:
                yield env.timeout(t - env.now)
            entered[plan.name] += 1
            env.process(person(plan))

    def capacity_schedule(name: str):
        for y in range(1, len(years)):
            yield env.timeout(MONTHS_PER_YEAR)
            new = int(round(servers[name][y]))
            if new != stages[name].capacity:
                stages[name].set_capacity(new)

    backlog = np.zeros((horizon // MONTHS_PER_YEAR * MONTHS_PER_YEAR, len(stage_names)))

    def recorder():
        for m in range(horizon):
            yield env.timeout(1.0)
            backlog[m] = [len(stages[k].queue) for k in stage_names]
            if on_month is not None:
                on_month(m + 1, horizon)

    for plan in plans:
        times = arrival_times(plan.monthly_rate_by_year, plan.arrival_process, rng)
        env.process(source(plan, times[times < horizon]))
    for name in stage_names:
        env.process(capacity_schedule(name))
    if monitor:
        env.process(recorder())
    env.run(until=horizon)
    for s in stages.values():
        s.finish()
    return Replication(
        arrival_times={k: np.asarray(v) for k, v in arrived.items()},
        departure_times={k: np.asarray(v) for k, v in departed.items()},
        entrants=entered, backlog=backlog, stage_names=stage_names,
        waits={k: np.asarray(s.waits) for k, s in stages.items()},
        queue_area={k: s.queue_area for k, s in stages.items()},
        busy_area={k: s.busy_area for k, s in stages.items()},
        capacity_area={k: s.capacity_area for k, s in stages.items()},
        requests={k: s.requests for k, s in stages.items()},
        horizon_months=float(horizon), events=env.events_processed)
