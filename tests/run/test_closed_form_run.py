"""A scenario with every parameter fixed reproduces the hand-computed path through the whole run."""
import numpy as np
import pytest

import simulator

from tests.conftest import SCENARIOS

FIXED = """
[scenario]
name = "fixed"
horizon_start = 2025
horizon_years = 8
draws = 3
seed = 1

[investment]
pledge_jpy_tn = 10.0
pledge_start_year = 2025
pledge_years = 8
fx_jpy_per_usd = 150.0
realisation_rate = 0.6
depreciation_rate = 0.03
fdi_stock_start_usd_bn = 43.0
other_inflows_usd_bn = 0.0

[investment.disbursement]
profile = "uniform"
"""


def test_uniform_fixed_scenario_matches_hand_computation(write):
    result = simulator.run(simulator.load_scenario(write("fixed.toml", FIXED)))
    r, P, fx, T, d, K = 0.6, 10.0, 150.0, 8, 0.03, 43.0
    flow = r * P * 1000 / (fx * T)  # I_t = r P / (fx T), P in yen trillions -> US$ bn
    expected_flow, expected_stock, expected_cum = [], [], []
    cumulative = 0.0
    for _ in range(T):
        K = (1 - d) * K + flow
        cumulative += flow
        expected_flow.append(flow)
        expected_stock.append(K)
        expected_cum.append(cumulative)
    for draw in range(3):  # every draw is the same: nothing is uncertain
        np.testing.assert_allclose(result["investment.disbursed"].values[draw], expected_flow, rtol=0, atol=1e-9)
        np.testing.assert_allclose(result["investment.fdi_stock"].values[draw], expected_stock, rtol=0, atol=1e-9)
        np.testing.assert_allclose(result["investment.cumulative_disbursed"].values[draw], expected_cum,
                                   rtol=0, atol=1e-9)
    assert list(result["year"].values) == list(range(2025, 2033))
    summary = result.summary()
    row = summary[(summary.variable == "investment.fdi_stock") & (summary.year == 2032)].iloc[0]
    assert row["sd"] == 0 and row["p05"] == pytest.approx(expected_stock[-1], abs=1e-9) == row["p95"]


def test_pledge_path_with_fx_path_and_later_start(write):
    text = FIXED.replace("pledge_start_year = 2025", "pledge_start_year = 2027").replace(
        "pledge_years = 8", "pledge_years = 4").replace(
        "fx_jpy_per_usd = 150.0", 'fx_jpy_per_usd = { 2025 = 150.0, 2029 = 120.0 }')
    result = simulator.run(simulator.load_scenario(write("later.toml", text)))
    fx = np.array([150, 150, 150, 150, 120, 120, 120, 120.0])  # step path
    share = np.array([0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0])
    np.testing.assert_allclose(result["investment.disbursed"].values[0], 0.6 * 10 * 1000 * share / fx, atol=1e-12)
    np.testing.assert_allclose(result["investment.fx_jpy_per_usd"].values[1], fx)


def test_s_curve_explicit_shares_and_other_inflows_through_a_run(write):
    """The S-curve takes its midpoint and steepness from the file, explicit shares are used as
    written, and other inflows add to the stock every year (each by hand)."""
    s_curve = FIXED.replace('profile = "uniform"', 'profile = "s_curve"\nmidpoint_years = 2.0\nsteepness = 1.5')
    result = simulator.run(simulator.load_scenario(write("s.toml", s_curve)))
    F = 1 / (1 + np.exp(-1.5 * (np.arange(9) - 2.0)))
    w = np.diff(F) / (F[-1] - F[0])
    np.testing.assert_allclose(result["investment.disbursed"].values[0], 0.6 * 10 * 1000 * w / 150, rtol=1e-12)
    shares = [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05]
    explicit = FIXED.replace('profile = "uniform"', f'profile = "explicit"\nshares = {shares}').replace(
        "other_inflows_usd_bn = 0.0", "other_inflows_usd_bn = 2.5")
    result = simulator.run(simulator.load_scenario(write("e.toml", explicit)))
    flow = 0.6 * 10 * 1000 * np.array(shares) / 150
    np.testing.assert_allclose(result["investment.disbursed"].values[0], flow, rtol=1e-12)
    K, stock = 43.0, []
    for f in flow:
        K = 0.97 * K + f + 2.5
        stock.append(K)
    np.testing.assert_allclose(result["investment.fdi_stock"].values[2], stock, rtol=1e-12)


def test_projecting_some_blocks_gives_their_outputs_as_a_whole_run_does():
    """Trade needs the investment block, exchange stands alone: each subset gives exactly the whole
    run's numbers for its outputs, and only those."""
    from simulator.montecarlo import engine
    from simulator.montecarlo.draws import DrawnParameters, sampling_dimensions
    from simulator.montecarlo.projection import project
    from simulator.montecarlo.sampling import block_uniforms

    scenario = engine.configure(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=7, seed=3)
    u = block_uniforms(sampling_dimensions(scenario), scenario.sampler, scenario.seed, 0, 7)
    d = DrawnParameters(scenario, u, 7).draw_all()
    whole = project(d)
    for blocks, prefixes in [(("trade",), ("investment.", "trade.")), (("investment",), ("investment.",)),
                             (("exchange",), ("exchange.",))]:
        part = project(d, blocks)
        assert set(part) == {k for k in whole if k.startswith(prefixes)}, blocks
        for k in part:
            np.testing.assert_array_equal(part[k], whole[k])
