"""The exchange's kernels against loops written from their definitions (simulator.core.exchange)."""
import numpy as np
import pytest

from simulator.core import exchange as ex
from simulator.core import trade_process as tp

RNG = np.random.default_rng(20)


def test_stock_from_arrivals_is_the_convolution_written_out():
    n, M = 3, 30
    arrivals = RNG.uniform(0, 10, (n, M))
    base, renew = RNG.uniform(0, 1, M), RNG.uniform(0, 1, M)
    share = np.array([0.0, 0.4, 1.0])
    expected = np.zeros((n, M))
    for i in range(n):
        for m in range(M):
            for a in range(m + 1):  # arrivals in month a, present at the end of month m
                expected[i, m] += arrivals[i, a] * (base[m - a] + share[i] * renew[m - a])
    np.testing.assert_allclose(ex.stock_from_arrivals(arrivals, base, renew, share), expected, rtol=1e-12)
    np.testing.assert_allclose(ex.stock_from_arrivals(arrivals, base, renew, 0.5),
                               ex.stock_from_arrivals(arrivals, base, renew, np.full(n, 0.5)), rtol=1e-12)
    # one path (M,) as well as draws x months
    np.testing.assert_allclose(ex.stock_from_arrivals(arrivals[1], base, renew, 0.4), expected[1], rtol=1e-12)


def test_stock_by_year_and_yearly_helpers_by_hand():
    n, M = 2, 36
    arrivals = RNG.uniform(0, 10, (n, M))
    base, renew = RNG.uniform(0, 1, M), RNG.uniform(0, 1, M)
    share = np.array([0.2, 0.7])
    monthly = ex.stock_from_arrivals(arrivals, base, renew, share)
    end, mean = ex.stock_by_year(arrivals, base, renew, share)
    assert end.shape == mean.shape == (n, 3)
    one_end, one_mean = ex.stock_by_year(arrivals[0], base, renew, 0.2)  # one path (M,)
    np.testing.assert_allclose(one_end, monthly[0, [11, 23, 35]], rtol=1e-12)
    np.testing.assert_allclose(end, monthly[:, [11, 23, 35]], rtol=1e-12)
    np.testing.assert_allclose(mean, [[monthly[i, 12 * y:12 * y + 12].mean() for y in range(3)] for i in range(n)],
                               rtol=1e-12)
    months = np.arange(24.0)
    assert list(ex.yearly_sum(months[None, :])[0]) == [66.0, 210.0]
    assert list(ex.yearly_mean(months[None, :])[0]) == [5.5, 17.5]
    assert list(ex.year_end(months[None, :])[0]) == [11.0, 23.0]
    by_column = np.stack([months, 2 * months], axis=1)  # months along axis 0
    np.testing.assert_array_equal(ex.yearly_sum(by_column, axis=0), [[66.0, 132.0], [210.0, 420.0]])
    np.testing.assert_array_equal(ex.yearly_mean(by_column, axis=0), [[5.5, 11.0], [17.5, 35.0]])
    np.testing.assert_array_equal(ex.year_end(by_column, axis=0), [[11.0, 22.0], [23.0, 46.0]])


def test_stock_weights_rows():
    survival = np.linspace(1.0, 0.5, 24)
    W = ex.stock_weights(survival, 24)
    assert W.shape == (4, 24)
    np.testing.assert_allclose(W[0, :12], survival[11::-1])  # end of year 1: arrival in month a stays 11 - a
    assert np.all(W[0, 12:] == 0)
    np.testing.assert_allclose(W[2, 0], survival[:12].mean())  # mean of year 1 for a January arrival


def test_exponential_kernel_sums_to_one_and_has_the_mean():
    for d in (0.25, 1.0, 3.0):
        g0, c, r = ex.exponential_kernel(d)
        a = np.arange(1, 2000)
        g = np.concatenate([[g0], c * r ** a])
        assert g.sum() == pytest.approx(1.0, abs=1e-12)
        # months from start to exit: floor(U + S), U uniform start; (U + S) mod 1 is uniform, so the mean is
        # E[U + S] - 1/2 = d exactly
        assert (np.arange(len(g)) * g).sum() == pytest.approx(d, abs=1e-9)
        assert r == pytest.approx(np.exp(-1 / d))
    with pytest.raises(ValueError, match="mean service time"):
        ex.exponential_kernel(0.0)


def test_spectral_radius_per_draw():
    A = tp.transition_matrix(np.array([0.5, 0.9]), np.array([0.2, 0.9]), np.array([0.0, 0.5]), np.array([0.0, 0.5]))
    np.testing.assert_allclose(tp.spectral_radius(A), [0.5, 1.4])


def test_everyone_whose_stay_equals_the_cap_reaches_it():
    """P(L >= C), not P(L > C): a stay of exactly the cap (an atom at C) reaches the renewal."""
    from simulator.core.exchange import survival_kernels
    stay_exactly_cap = lambda x: (np.asarray(x) >= 3.0).astype(float)  # noqa: E731
    base, renew = survival_kernels(stay_exactly_cap, 3.0, 0.0, 60)
    assert np.all(base[:35] == 1.0) and np.all(base[36:] == 0.0)
    assert np.all(renew[36:] == 1.0)  # all of them renewed, none leaving (exit rate 0)


def test_survival_kernels_with_a_partial_renewal_against_the_integrals():
    """Exponential stays (mean 2 years) capped at 3 years, renewed stayers leaving at 0.5 a year:
    s_base(m) = E_u[1 - F(x)] before the cap, s_renew(m) = E_u[P(L >= 3) e^{-0.5 (x - 3)}] after it,
    x = (m + 1 - u) / 12 years for an arrival at a uniform position u within its month (integrals by quad)."""
    from scipy.integrate import quad

    cdf = lambda x: 1.0 - np.exp(-np.maximum(np.asarray(x, dtype=float), 0.0) / 2.0)  # noqa: E731
    base, renew = ex.survival_kernels(cdf, 3.0, 0.5, 60)
    reach = np.exp(-3.0 / 2.0)  # P(L >= 3) for an exponential stay of mean 2 years
    for m in range(60):
        before = quad(lambda u: np.exp(-(m + 1 - u) / 12 / 2.0) if (m + 1 - u) / 12 < 3 else 0.0, 0, 1)[0]
        after = quad(lambda u: reach * np.exp(-0.5 * ((m + 1 - u) / 12 - 3)) if (m + 1 - u) / 12 >= 3 else 0.0, 0, 1)[0]
        assert base[m] == pytest.approx(before, rel=1e-5), m
        assert renew[m] == pytest.approx(after, rel=1e-5, abs=1e-15), m
    assert np.all(renew[:36] == 0) and np.all(base[36:] == 0) and 0 < renew[36] < reach


def test_a_survival_kernel_shorter_than_the_horizon_is_refused():
    with pytest.raises(ValueError, match="cannot cover"):
        ex.survival_matrix(np.ones(5), 12)
    np.testing.assert_array_equal(ex.survival_matrix(np.array([1.0, 0.5, 0.25]), 3),
                                  [[1.0, 0, 0], [0.5, 1.0, 0], [0.25, 0.5, 1.0]])
