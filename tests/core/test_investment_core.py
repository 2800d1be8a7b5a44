"""The investment kernel against hand-computed values and its own definitions."""
import numpy as np
import pytest

from simulator.core import investment as inv


@pytest.mark.parametrize("profile", ["uniform", "front_loaded", "back_loaded", "s_curve"])
@pytest.mark.parametrize("T", [1, 2, 5, 10, 17])
def test_profiles_are_shares(profile, T):
    w = inv.disbursement_profile(profile, T)
    assert w.shape == (T,)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)


def test_profiles_by_hand():
    np.testing.assert_allclose(inv.disbursement_profile("uniform", 4), [0.25] * 4)
    np.testing.assert_allclose(inv.disbursement_profile("front_loaded", 4), [0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(inv.disbursement_profile("back_loaded", 4), [0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(inv.disbursement_profile("explicit", 3, shares=[0.5, 0.3, 0.2]), [0.5, 0.3, 0.2])


def test_s_curve_by_hand_and_symmetry():
    k, m, T = 1.3, 2.0, 4
    F = [1 / (1 + np.exp(-k * (x - m))) for x in range(T + 1)]
    expected = [(F[t + 1] - F[t]) / (F[T] - F[0]) for t in range(T)]
    np.testing.assert_allclose(inv.disbursement_profile("s_curve", T, midpoint=m, steepness=k), expected, rtol=1e-12)
    w = inv.disbursement_profile("s_curve", 10, midpoint=5.0, steepness=0.8)
    np.testing.assert_allclose(w, w[::-1], rtol=1e-12)  # symmetric about the midpoint


def test_s_curve_defaults_and_its_steepness_bound():
    # without midpoint and steepness the S-curve centres on T/2 with k = 1 (the docstring's defaults)
    T = 5
    F = [1 / (1 + np.exp(-(x - T / 2))) for x in range(T + 1)]
    np.testing.assert_allclose(inv.disbursement_profile("s_curve", T), [(F[t + 1] - F[t]) / (F[T] - F[0]) for t in range(T)],
                               rtol=1e-12)
    for flat_or_reversed in (0.0, -1.0, np.array([1.0, 0.0])):
        with pytest.raises(ValueError, match="steepness"):
            inv.disbursement_profile("s_curve", T, steepness=flat_or_reversed)


def test_s_curve_vectorised_over_draws():
    m = np.array([2.0, 5.0, 8.0])
    w = inv.disbursement_profile("s_curve", 10, midpoint=m, steepness=np.array([1.0, 1.0, 2.0]))
    assert w.shape == (3, 10)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert np.argmax(w[0]) < np.argmax(w[1]) < np.argmax(w[2])  # a later midpoint shifts the hump


@pytest.mark.parametrize("bad", [dict(profile="lumpy", n_years=3), dict(profile="uniform", n_years=0)])
def test_profile_rejects_bad_arguments(bad):
    with pytest.raises(ValueError, match="profile|n_years"):
        inv.disbursement_profile(**bad)


@pytest.mark.parametrize("shares", [[0.5, 0.5], [0.5, 0.3, 0.1], [1.2, -0.1, -0.1]],
                         ids=["too few", "summing to 0.9", "a negative share"])
def test_explicit_shares_must_fit(shares):
    with pytest.raises(ValueError, match="explicit shares"):
        inv.disbursement_profile("explicit", 3, shares=shares)


def test_explicit_shares_may_leave_a_year_empty():
    np.testing.assert_array_equal(inv.disbursement_profile("explicit", 3, shares=[0.6, 0.0, 0.4]), [0.6, 0.0, 0.4])


def test_place_in_horizon_shifts_and_truncates():
    w = np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(inv.place_in_horizon(w, 2026, np.arange(2025, 2030)), [0, 0.5, 0.3, 0.2, 0])
    np.testing.assert_allclose(inv.place_in_horizon(w, 2024, np.arange(2025, 2027)), [0.3, 0.2])


def test_disbursement_and_stock_by_hand():
    # I_t = r P 1000 w_t / fx_t and K_t = (1 - d) K_{t-1} + I_t + b, computed by hand for two years.
    I = inv.pledge_disbursement(np.array([10.0]), np.array([0.5]), np.array([0.6, 0.4]), np.array([[125.0, 100.0]]))
    np.testing.assert_allclose(I, [[0.5 * 10 * 1000 * 0.6 / 125, 0.5 * 10 * 1000 * 0.4 / 100]])  # [24, 20]
    K = inv.fdi_stock(I, 43.0, 0.1, 1.0)
    np.testing.assert_allclose(K, [[0.9 * 43 + 24 + 1, 0.9 * (0.9 * 43 + 25) + 21]])


def test_stock_vectorised_equals_one_draw_at_a_time():
    rng = np.random.default_rng(1)
    flows, k0, d = rng.uniform(0, 10, (50, 12)), rng.uniform(0, 80, 50), rng.uniform(0, 0.2, 50)
    together = inv.fdi_stock(flows, k0, d)
    alone = np.vstack([inv.fdi_stock(flows[i:i + 1], k0[i], d[i]) for i in range(50)])
    np.testing.assert_array_equal(together, alone)


def test_fx_path_starts_at_level_and_is_lognormal_walk():
    level = np.full((2, 3), 150.0)
    z = np.array([[1.0, -1.0], [0.5, 0.5]])
    fx = inv.fx_path(level, np.array([0.1, 0.2]), z)
    np.testing.assert_allclose(fx[:, 0], 150.0)
    np.testing.assert_allclose(fx[0], 150 * np.exp(0.1 * np.array([0, 1, 0])))
    np.testing.assert_allclose(fx[1], 150 * np.exp(0.2 * np.array([0, 0.5, 1.0])))


def test_sector_split_preserves_totals():
    flows = np.arange(6.0).reshape(2, 3)
    shares = np.array([[0.2, 0.8], [0.5, 0.5]])
    split = inv.sector_split(flows, shares)
    assert split.shape == (2, 3, 2)
    np.testing.assert_allclose(split.sum(axis=-1), flows)


def test_sector_split_by_hand_for_fixed_and_drawn_shares():
    flows = np.array([[10.0, 20.0, 30.0], [1.0, 2.0, 3.0]])
    fixed = inv.sector_split(flows, np.array([0.25, 0.75]))  # the same shares for every draw
    np.testing.assert_allclose(fixed[0], [[2.5, 7.5], [5.0, 15.0], [7.5, 22.5]], rtol=1e-15)
    drawn = inv.sector_split(flows, np.array([[0.25, 0.75], [0.5, 0.5]]))  # Dirichlet draws: shares per draw
    np.testing.assert_allclose(drawn[1], [[0.5, 0.5], [1.0, 1.0], [1.5, 1.5]], rtol=1e-15)
    np.testing.assert_allclose(drawn[0], fixed[0], rtol=1e-15)


def test_place_in_horizon_with_weights_per_draw():
    w = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])  # an S-curve whose midpoint is drawn: one row a draw
    np.testing.assert_allclose(inv.place_in_horizon(w, 2026, np.arange(2025, 2030)),
                               [[0, 0.5, 0.3, 0.2, 0], [0, 0.2, 0.3, 0.5, 0]])


def test_fx_path_over_two_years_takes_its_one_shock():
    fx = inv.fx_path(np.full((2, 2), 150.0), 0.1, np.array([[1.0], [-2.0]]))
    np.testing.assert_allclose(fx, 150 * np.exp(0.1 * np.array([[0, 1.0], [0, -2.0]])), rtol=1e-15)
    np.testing.assert_array_equal(inv.fx_path(np.full((2, 1), 150.0), 0.1, np.zeros((2, 0))), 150.0)  # one year


def test_invalid_rates_rejected():
    with pytest.raises(ValueError, match="depreciation_rate"):
        inv.fdi_stock(np.ones((1, 2)), 1.0, 1.5)
    with pytest.raises(ValueError, match="exchange rate"):
        inv.pledge_disbursement(1.0, 1.0, np.ones(2) / 2, np.array([0.0, 1.0]))


def test_stock_of_one_path_and_of_a_batch_of_paths():
    """The recursion runs over the last axis whatever comes before it: one path (T,) as a user passes
    it in a notebook, a (draws, sectors, T) batch row by row, and flows shared by every draw beside
    other inflows drawn per draw."""
    flows = np.array([24.0, 20.0, 10.0])
    np.testing.assert_allclose(inv.fdi_stock(flows, 43.0, 0.1, 1.0),
                               [0.9 * 43 + 25, 0.9 * (0.9 * 43 + 25) + 21, 0.9 * (0.9 * (0.9 * 43 + 25) + 21) + 11])
    rng = np.random.default_rng(3)
    batch, k0 = rng.uniform(0, 10, (2, 3, 4)), rng.uniform(0, 80, (2, 3))
    stock = inv.fdi_stock(batch, k0, 0.05)
    for i in range(2):
        for s in range(3):
            np.testing.assert_array_equal(stock[i, s], inv.fdi_stock(batch[i, s], k0[i, s], 0.05))
    other = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])  # business-as-usual inflows per draw
    shared = inv.fdi_stock(flows, 43.0, 0.1, other)
    np.testing.assert_array_equal(shared[0], inv.fdi_stock(flows, 43.0, 0.1))
    np.testing.assert_array_equal(shared[1], inv.fdi_stock(flows + [1.0, 2.0, 3.0], 43.0, 0.1))


def test_full_depreciation_keeps_only_the_year_s_inflow():
    # delta = 1 is allowed (a stock that lasts one year): K_t = I_t + b_t, the start stock is gone
    np.testing.assert_array_equal(inv.fdi_stock(np.array([[3.0, 4.0]]), 43.0, 1.0, 0.5), [[3.5, 4.5]])
    np.testing.assert_array_equal(inv.fdi_stock(np.array([[3.0, 4.0]]), 43.0, 0.0), [[46.0, 50.0]])


def test_fx_path_of_one_path():
    # level (T,), one volatility, shocks (T-1,): the same walk as a one-draw ensemble
    fx = inv.fx_path(np.array([150.0, 150.0, 140.0]), 0.1, np.array([1.0, 0.5]))
    np.testing.assert_allclose(fx, [150.0, 150 * np.exp(0.1), 140 * np.exp(0.15)], rtol=1e-15)
    np.testing.assert_array_equal(inv.fx_path(np.array([150.0]), 0.1, np.zeros(0)), [150.0])


def test_any_positive_exchange_rate_is_accepted():
    # the check refuses 0 and below only: a rate under 1 JPY per USD is odd but well defined
    I = inv.pledge_disbursement(1.0, 1.0, np.array([1.0]), np.array([0.5]))
    np.testing.assert_allclose(I, [2000.0])
