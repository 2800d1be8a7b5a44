"""A scenario with every parameter fixed reproduces the hand-computed path through the whole run."""
import numpy as np
import pytest

import simulator

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
