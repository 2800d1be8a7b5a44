"""The vectorised exchange pipeline: kernels, closed forms, invariants and directions."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import simulator
from simulator.core import exchange as ex
from simulator.core import pipeline as pl
from simulator.scenario.values import Fixed, parse_distribution

from tests.conftest import SCENARIOS


def test_stage_order():
    assert ex.stage_order([["a", "b", "c"], ["b", "c"], ["a", "c"]]) == ["a", "b", "c"]
    assert ex.stage_order([["x"], ["y", "x"]]) in (["y", "x"],)
    assert ex.stage_order([["a", "b"], ["b", "a"]]) is None
    # stages freed together keep the order in which the routes first name them, not the alphabet's
    assert ex.stage_order([["hub", "zeta"], ["hub", "alpha"]]) == ["hub", "zeta", "alpha"]
    # a stage two routes lead into waits for both: not "a, c, b" once its first predecessor is done
    assert ex.stage_order([["a", "c"], ["b", "c"]]) == ["a", "b", "c"]


@pytest.mark.parametrize("value", [Fixed(0.25), Fixed(3.0), Fixed(2.5),
                                   parse_distribution({"dist": "exponential", "mean": 1.5})[0],
                                   parse_distribution({"dist": "uniform", "min": 0.5, "max": 4.0})[0]])
def test_service_kernel_is_a_distribution_with_the_right_mean(value):
    g = ex.service_kernel(value.cdf, value.mean())
    assert g.sum() == pytest.approx(1.0, abs=1e-6)
    # Start uniform within a month, exit month index a: E[a] = E[U + S] - 1/2 = E[S] on average.
    assert (np.arange(len(g)) * g).sum() == pytest.approx(value.mean(), abs=0.02)


def test_fixed_service_kernel_by_hand():
    np.testing.assert_allclose(ex.service_kernel(Fixed(3.0).cdf, 3.0), [0, 0, 0, 1], atol=1e-12)
    np.testing.assert_allclose(ex.service_kernel(Fixed(0.5).cdf, 0.5), [0.5, 0.5], atol=1e-12)


def test_survival_kernels_by_hand():
    # Fixed stay of exactly 2 years, no cap: present at the end of months 0..23 after arrival.
    base, renew = ex.survival_kernels(Fixed(2.0).cdf, 100.0, 0.0, 30)
    np.testing.assert_allclose(base, [1] * 24 + [0] * 6, atol=1e-12)
    assert np.all(renew == 0)
    # Stays of 4 years capped at 3: everyone reaches the cap; renewed stayers never leave (h = 0).
    base, renew = ex.survival_kernels(Fixed(4.0).cdf, 3.0, 0.0, 48)
    np.testing.assert_allclose(base, [1] * 36 + [0] * 12, atol=1e-12)
    np.testing.assert_allclose(renew, [0] * 36 + [1] * 12, atol=1e-12)


def test_bottleneck_backlog_grows_at_excess_rate():
    # One stage, 10 servers, 1-month fixed service: 10 starts a month. 25 entrants a month:
    # the line grows by 15 a month.
    stage = pl.Stage("s", np.full(24, 10.0), ex.service_kernel(Fixed(1.0).cdf, 1.0))
    stream = pl.Stream("w", np.full(24, 25.0), (0,), (1.0,))
    arrivals, backlog = pl.run_pipeline([stage], [0], [stream], n=1, months=24)
    np.testing.assert_allclose(backlog[0, :, 0], 15.0 * np.arange(1, 25))
    np.testing.assert_allclose(arrivals[0, 1:, 0], 10.0)  # throughput capped, one month's delay
    assert arrivals[0, 0, 0] == 0


def test_shared_stage_serves_streams_in_proportion_to_their_queues():
    stage = pl.Stage("s", np.full(6, 30.0), ex.service_kernel(Fixed(0.5).cdf, 0.5))
    a = pl.Stream("a", np.full(6, 40.0), (0,), (1.0,))
    b = pl.Stream("b", np.full(6, 20.0), (0,), (1.0,))
    arrivals, backlog = pl.run_pipeline([stage], [0], [a, b], n=1, months=6)
    np.testing.assert_allclose(arrivals[0, 1:, 0] / arrivals[0, 1:, 1], 2.0)
    np.testing.assert_allclose(arrivals[0, 1:].sum(axis=-1), 30.0 * 0.5 / 0.5)  # capacity 60/month


@st.composite
def exchange_docs(draw):
    stages = {f"s{i}": {"servers": draw(st.sampled_from([0, 5.0, 50.0, 1e4])),
                        "service_months": draw(st.sampled_from([0.25, 1.0, {"dist": "exponential", "mean": 2.0}]))}
              for i in range(3)}
    streams = {}
    for j in range(draw(st.integers(1, 3))):
        route = sorted(draw(st.sets(st.sampled_from(list(stages)), max_size=3)))
        streams[f"w{j}"] = {
            "entrants_per_year": draw(st.sampled_from([0.0, 120.0, 5000.0, {"2025": 100.0, "2027": 3000.0}])),
            "uptake": {"dist": "uniform", "min": 0.0, "max": draw(st.floats(0.01, 2.0))},
            "stages": route,
            "pass_rates": {k: {"dist": "uniform", "min": 0.0, "max": 1.0} for k in route[:1]},
            "stay_years": draw(st.sampled_from([0.1, 2.0, {"dist": "exponential", "mean": 1.0}])),
            "max_stay_years": draw(st.floats(0.5, 6.0)), "renewal_share": draw(st.floats(0, 1)),
            "renewed_exit_rate": draw(st.floats(0, 2)), "skilled": draw(st.booleans()),
            "remittance_usd_per_year": draw(st.floats(0, 20000)),
        }
    return {"scenario": {"name": "x", "horizon_years": draw(st.integers(1, 6)), "draws": draw(st.integers(1, 20))},
            "exchange": {"stages": stages, "streams": streams}}


@given(exchange_docs())
def test_pipeline_invariants(doc):
    result = simulator.run(simulator.scenario_from_dict(doc))
    ds = result.dataset
    for name in result.variables:
        assert np.all(np.isfinite(ds[name].values)), name
        if name.startswith("exchange."):
            assert np.all(ds[name].values >= -1e-9), name
    arrivals = ds["exchange.arrivals_total"].values
    np.testing.assert_allclose(ds["exchange.cumulative_total"].values, np.cumsum(arrivals, axis=1), rtol=1e-12)
    # Nobody arrives who did not enter: arrivals never exceed entrants.
    entrants = 0.0
    for name, stream in doc["exchange"]["streams"].items():
        e = stream["entrants_per_year"]
        per_year = max(e.values()) if isinstance(e, dict) else e
        entrants += per_year * stream["uptake"]["max"] * len(result.scenario.years)
    assert ds["exchange.cumulative_total"].values[:, -1].max() <= entrants * (1 + 1e-9) + 1e-6
    np.testing.assert_allclose(ds["exchange.arrivals_by_stream"].sum("stream").values, arrivals, rtol=1e-10, atol=1e-9)
    assert np.all(ds["exchange.skilled_stock"].values <= ds["exchange.skilled_cumulative"].values + 1e-6)
    p = result.probabilities()["probability"]
    assert ((p >= 0) & (p <= 1)).all()


def test_capacity_expansion_relieves_the_bottleneck_draw_by_draw():
    tight = simulator.run(simulator.load_scenario(SCENARIOS / "talent-bottleneck.toml"), draws=300, seed=2)
    wide = simulator.run(simulator.load_scenario(SCENARIOS / "capacity-expansion.toml"), draws=300, seed=2)
    backlog = "exchange.backlog_by_stage"
    assert np.all(wide[backlog].sel(stage="visa_japan", year=2030).values
                  <= tight[backlog].sel(stage="visa_japan", year=2030).values)
    assert np.all(wide["exchange.cumulative_total"].sel(year=2034).values
                  >= tight["exchange.cumulative_total"].sel(year=2034).values - 1e-6)
    assert np.median(tight[backlog].sel(stage="visa_japan", year=2030).values) > 1000


def test_no_streams_gives_zero_exchange(write):
    result = simulator.run(simulator.load_scenario(write("s.toml", '[scenario]\nname = "s"\ndraws = 3\n')))
    assert float(result["exchange.cumulative_total"].sum()) == 0.0
    assert "exchange.arrivals_by_stream" not in result.variables or result.dataset.sizes.get("stream", 0) == 0


def test_exponential_stage_recursion_equals_the_convolution():
    # The closed-form recursion against a convolution with a high-resolution kernel of the same law.
    from scipy import stats
    d, months = 1.7, 60
    cdf = stats.expon(scale=d).cdf
    fine = (np.arange(20000) + 0.5) / 20000
    kernel = np.array([(cdf(a + 1 - fine) - cdf(a - fine)).mean() for a in range(months)])
    g0, c, r = ex.exponential_kernel(d)
    np.testing.assert_allclose(kernel[:8], [g0] + [c * r**a for a in range(1, 8)], rtol=1e-8)
    capacity = np.where(np.arange(months) < 30, 40.0, 400.0)  # binding, then not
    rng = np.random.default_rng(1)
    entrants, scale = rng.uniform(0, 100, months), rng.uniform(0.5, 1.5, 3)  # a path times a per-draw factor
    common = dict(order=[0], n=3, months=months)
    convolved = pl.run_pipeline([pl.Stage("s", capacity, kernel)],
                                streams=[pl.Stream("w", entrants, (0,), (0.9,), scale)], **common)
    recursive = pl.run_pipeline([pl.Stage("s", capacity, kernel, (g0, c, r))],
                                streams=[pl.Stream("w", entrants, (0,), (0.9,), scale)], **common)
    for a, b in zip(convolved, recursive):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def test_stock_by_year_equals_the_monthly_path():
    rng = np.random.default_rng(2)
    arrivals = rng.uniform(0, 50, (4, 36))
    base, renew = ex.survival_kernels(parse_distribution({"dist": "uniform", "min": 0.5, "max": 2.5})[0].cdf,
                                      2.0, 0.3, 36)
    share = rng.uniform(0, 1, 4)
    monthly = ex.stock_from_arrivals(arrivals, base, renew, share)
    year_end, year_mean = ex.stock_by_year(arrivals, base, renew, share)
    np.testing.assert_allclose(year_end, ex.year_end(monthly), rtol=1e-12)
    np.testing.assert_allclose(year_mean, ex.yearly_mean(monthly), rtol=1e-12)


def test_streams_and_stages_may_leave_every_key_to_its_default(write):
    # Found by the fuzzer: defaults of per-person times must be values, like any number's.
    text = '[scenario]\nname = "d"\ndraws = 5\n[exchange.stages.visa]\n[exchange.streams.w]\nstages = ["visa"]\n'
    scenario = simulator.load_scenario(write("d.toml", text))
    result = simulator.run(scenario)
    assert np.all(np.isfinite(result["exchange.arrivals_total"].values))
    from simulator.people import run_flows
    assert run_flows(scenario, replications=1).dataset["exchange.arrivals_total"].shape == (1, 10)


def test_a_fixed_service_stage_with_few_servers_is_the_bottleneck():
    """The language course (six months, fixed) with 600 seats takes at most 100 people a month: its
    backlog grows and fewer people arrive than with the shipped 30,000 seats."""
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    few = base.with_params({"exchange.stages.language_training.servers": 600})
    wide, tight = simulator.run(base, draws=40, seed=3), simulator.run(few, draws=40, seed=3)
    backlog = "exchange.backlog_by_stage"
    assert np.all(tight[backlog].sel(stage="language_training", year=2027).values
                  > wide[backlog].sel(stage="language_training", year=2027).values + 1000)
    assert np.all(tight["exchange.cumulative_total"].sel(year=2030).values
                  < wide["exchange.cumulative_total"].sel(year=2030).values)
