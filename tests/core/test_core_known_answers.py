"""Known answers for the core's kernels, computed by hand: the FDI lag (one lag, or one per draw as
the baseline draws them), the linkage, grown flows, tariffs and the balance."""
import numpy as np
import pytest

from simulator.core import tariffs, trade

STOCK = np.array([[10.0, 20.0, 30.0, 40.0],
                  [10.0, 20.0, 30.0, 40.0]])
K0 = 5.0


def test_lagged_stock_with_one_lag_for_all_draws():
    np.testing.assert_array_equal(trade.lagged_stock(STOCK, K0, 0.0), STOCK)
    np.testing.assert_array_equal(trade.lagged_stock(STOCK, K0, 1.0)[0], [5.0, 10.0, 20.0, 30.0])
    np.testing.assert_array_equal(trade.lagged_stock(STOCK, K0, 2.0)[1], [5.0, 5.0, 10.0, 20.0])
    np.testing.assert_allclose(trade.lagged_stock(STOCK, K0, 1.5)[0], [5.0, 7.5, 15.0, 25.0])
    np.testing.assert_array_equal(trade.lagged_stock(STOCK, K0, 9.0)[0], [5.0] * 4)  # all before the horizon


def test_lagged_stock_with_a_lag_per_draw_as_the_baseline_draws_them():
    lags = np.array([2.0, 0.5])
    lagged = trade.lagged_stock(STOCK, K0, lags)
    np.testing.assert_allclose(lagged[0], [5.0, 5.0, 10.0, 20.0])
    np.testing.assert_allclose(lagged[1], [7.5, 15.0, 25.0, 35.0])
    # each draw's row equals the one-lag answer for its own lag
    for i, lag in enumerate(lags):
        np.testing.assert_array_equal(lagged[i], trade.lagged_stock(STOCK, K0, float(lag))[i])
    per_draw_start = trade.lagged_stock(STOCK, np.array([5.0, 1.0]), np.array([1.0, 1.0]))
    np.testing.assert_array_equal(per_draw_start[:, 0], [5.0, 1.0])
    with pytest.raises(ValueError, match="lags"):
        trade.lagged_stock(STOCK, K0, np.array([1.0, -0.5]))


def test_fdi_linkage_known_answers():
    # (K_{t-L} / K_0)^beta with the per-draw lags above
    link = trade.fdi_linkage(STOCK, K0, np.array([0.5, 1.0]), np.array([2.0, 0.5]))
    np.testing.assert_allclose(link[0], np.sqrt([1.0, 1.0, 2.0, 4.0]))
    np.testing.assert_allclose(link[1], [1.5, 3.0, 5.0, 7.0])
    np.testing.assert_array_equal(trade.fdi_linkage(np.zeros((1, 3)), K0, 0.0, 0.0), [[1.0, 1.0, 1.0]])
    with pytest.raises(ValueError, match="positive"):
        trade.fdi_linkage(STOCK, 0.0, 1.0, 0.0)


def test_grown_flow_and_balance_known_answers():
    shocks = np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 2.0]])
    flow = trade.grown_flow(np.array([5.0, 5.0]), 0.1, np.array([0.0, 0.5]), shocks, np.array([1, 3]))
    np.testing.assert_allclose(flow[0], [5.5, 5.0 * 1.1 ** 3])
    np.testing.assert_allclose(flow[1], [5.5 * np.exp(0.5), 5.0 * 1.1 ** 3 * np.exp(0.5 * 2.0)])
    assert trade.trade_balance(np.array([5.15]), np.array([17.69]))[0] == pytest.approx(-12.54)
    z1, z2 = trade.correlated_shocks(np.array([1.0]), np.array([2.0]), 0.6)
    assert (z1[0], z2[0]) == pytest.approx((1.0, 0.6 + 0.8 * 2.0))
    z1, z2 = trade.correlated_shocks(np.array([1.0]), np.array([2.0]), np.array([[1.0], [-1.0]]))
    assert z2.ravel().tolist() == [1.0, -1.0]  # |rho| = 1 is allowed: the second series is +-the first
    for bad in (1.5, -2.5):
        with pytest.raises(ValueError, match="correlation"):
            trade.correlated_shocks(np.array([1.0]), np.array([2.0]), bad)
    with pytest.raises(ValueError):
        trade.grown_flow(5.0, -1.0, 0.0, shocks, np.array([1]))
    with pytest.raises(ValueError):
        trade.grown_flow(5.0, 0.1, 0.0, shocks, np.array([0]))


def test_tariff_hat_form_and_diversion_known_answers():
    # 0% -> 50% in year 1; theta 1 then 2 (reached after one year)
    m = tariffs.tariff_multiplier(np.array([0.0, 0.5, 0.5, 0.5]), 1.0, 2.0, 1.0)
    np.testing.assert_allclose(m, [1.0, 1.5 ** -1, 1.5 ** -2, 1.5 ** -2])
    same = tariffs.tariff_multiplier(np.array([0.0, 0.5]), 1.0, 2.0, 1.0, relative_to=np.array([0.0, 0.5]))
    np.testing.assert_allclose(same, [1.0, 1.0])  # a rise every exporter pays moves nothing
    np.testing.assert_allclose(tariffs.elasticity_phase_in(np.array([0.0, 1.0, 2.0, 5.0]), 0.76, 2.0, 4.0),
                               [0.76, 0.76 + 1.24 / 4, 0.76 + 1.24 / 2, 2.0])
    diverted = tariffs.diverted_exports(np.array([[100.0, 100.0]]), np.array([[0.8, 1.2]]), 0.5)
    np.testing.assert_allclose(diverted, [[10.0, 0.0]])


def test_grown_flow_of_one_path():
    # base, growth and volatility scalars, shocks (years,): one path, F_0 (1 + g)^k exp(sigma S_k)
    flow = trade.grown_flow(5.0, 0.1, 0.5, np.array([1.0, -1.0, 2.0]), np.array([1, 3]))
    np.testing.assert_allclose(flow, [5.5 * np.exp(0.5), 5.0 * 1.1 ** 3 * np.exp(1.0)], rtol=1e-15)


def test_linkage_with_a_small_starting_stock():
    # any positive K_0 will do, also under US$1 bn
    np.testing.assert_allclose(trade.fdi_linkage(np.array([[1.0, 2.0]]), 0.5, 1.0, 0.0), [[2.0, 4.0]])


@pytest.mark.parametrize("parameter", ["short_run", "long_run", "years_to_long_run"])
def test_tariff_multiplier_with_one_parameter_drawn(parameter):
    """Each of theta_SR, theta_LR and H may be drawn (n,) while the others are fixed; every draw's row
    is the one-draw answer for its own value."""
    fixed = {"short_run": 1.0, "long_run": 2.0, "years_to_long_run": 2.0}
    values = np.array([0.5, 1.0, 3.0])
    path = np.array([0.0, 0.5, 0.5, 0.5])
    m = tariffs.tariff_multiplier(path, **{**fixed, parameter: values})
    assert m.shape == (3, 4)
    for i, v in enumerate(values):
        np.testing.assert_array_equal(m[i], tariffs.tariff_multiplier(path, **{**fixed, parameter: v}))


def test_tariff_and_coverage_bounds():
    # a tariff of -100% or below has no 1 + tau to take the log of; coverage is a share
    for bad in (-1.0, -1.5):
        with pytest.raises(ValueError, match="-100%"):
            tariffs.tariff_multiplier(np.array([0.0, bad]), 1.0, 2.0, 1.0)
        with pytest.raises(ValueError, match="-100%"):
            tariffs.tariff_multiplier(np.array([0.0, 0.5]), 1.0, 2.0, 1.0, relative_to=np.array([0.0, bad]))
    np.testing.assert_allclose(tariffs.tariff_multiplier(np.array([0.0, -0.5]), 1.0, 1.0, 1.0), [1.0, 2.0])
    for bad in (-0.1, 1.1, 2.5):
        with pytest.raises(ValueError, match="coverage"):
            tariffs.diverted_exports(np.array([[100.0]]), np.array([[0.8]]), bad)
    for edge, expected in ((0.0, 0.0), (1.0, 20.0)):
        np.testing.assert_allclose(tariffs.diverted_exports(np.array([[100.0]]), np.array([[0.8]]), edge), [[expected]])
