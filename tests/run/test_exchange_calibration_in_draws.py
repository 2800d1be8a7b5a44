"""The exchange calibrated inside every draw: a draw's stays, pass rates and growth set its entrants,
so that the stocks the streams are calibrated to stay consistent with the data whatever the draw."""
import numpy as np
import pytest

import simulator
from simulator.montecarlo import engine
from simulator.montecarlo.draws import DrawnParameters, sampling_dimensions
from simulator.montecarlo.exchange_levels import stream_level
from simulator.montecarlo.sampling import block_uniforms

from tests.conftest import SCENARIOS

DRAWS = 1000


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario(SCENARIOS / "baseline.toml").with_params({"scenario.draws": DRAWS})


@pytest.fixture(scope="module")
def stays(baseline):
    """The baseline beside itself with the engineers' mean stay fixed at 3 and at 7 years, on common draws."""
    short = baseline.with_params({"scenario.name": "stay-3", "exchange.streams.engineers.mean_stay_years": 3.0})
    long = baseline.with_params({"scenario.name": "stay-7", "exchange.streams.engineers.mean_stay_years": 7.0})
    return simulator.compare([baseline, short, long])


def test_a_shorter_engineers_stay_means_more_skilled_arrivals(stays):
    # Leavers replaced: with the observed 13,619 engineers, a 3-year stay needs more arrivals than 3-7.
    diff = stays.difference("exchange.skilled_cumulative", "stay-3").sel(year=2029).values
    assert (diff > 0).mean() > 0.9


def test_a_longer_engineers_stay_means_fewer_skilled_arrivals(stays):
    diff = stays.difference("exchange.skilled_cumulative", "stay-7").sel(year=2029).values
    assert (diff < 0).mean() > 0.9


def test_the_residents_start_from_the_observed_count_whatever_the_stay(stays):
    # The observed stock still present plus the arrivals since 2025 still present: calibrated to the
    # same count, a 3- or 7-year stay changes how many come and go, hardly how many are there at the
    # end of 2025 (the plan's multiplier is not yet in effect then).
    for name in ("stay-3", "stay-7"):
        total = stays.results[stays.names.index(name)]["exchange.indian_residents_japan"].sel(year=2025).values
        base = stays.reference["exchange.indian_residents_japan"].sel(year=2025).values
        assert np.median(np.abs(total / base - 1)) < 0.01  # the stay moves flows, not the calibrated stock


def test_entrants_follow_the_formula_in_every_draw(baseline):
    # Engineers: exponential stays of the draw's mean L, no status limit in reach, pass rates 0.95 and
    # 0.98: entrants in 2025 = 13,619 (1/L + ln(1 + g)) (1 + g)^0.5 / (0.95 x 0.98), draw by draw.
    n = 64
    u = block_uniforms(sampling_dimensions(baseline), baseline.sampler, baseline.seed, 0, n)
    d = DrawnParameters(baseline, u, n)
    level = stream_level(d, "engineers")
    stay = d.scalar("exchange.streams.engineers.mean_stay_years")
    g = d.scalar("exchange.resident_growth")
    expected = 13619 * (1 / stay + np.log1p(g)) * (1 + g) ** 0.5 / (0.95 * 0.98)
    assert level.entrants[:, 0] == pytest.approx(expected, rel=2e-3)  # 100-year limit, quadrature: 0.2%
    assert np.ptp(level.entrants[:, 0]) > 0.3 * np.mean(level.entrants[:, 0])  # a draw's stay moves it


def test_the_resident_total_continues_the_observed_count(baseline):
    # At trend (no plan) the total grows with the draw's growth: end-2025 = 53,974 (1 + g), within the
    # few percent by which streams' stays and pipeline delays move their part.
    trend = simulator.load_scenario(SCENARIOS / "exchange-at-trend.toml").with_params({"scenario.draws": 256})
    result = engine.run(trend)
    total = result["exchange.indian_residents_japan"].sel(year=2025).values
    g = result["input.exchange.resident_growth"].values
    assert total == pytest.approx(53974 * (1 + g), rel=0.03)
