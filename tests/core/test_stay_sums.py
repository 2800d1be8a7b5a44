"""The compiled per-draw sums of the stock calibration against the numpy definitions they replace."""
import numpy as np
import pytest
from scipy import stats

from simulator.core import stay_sums
from simulator.core import stock_calibration as sc

MONTHS = 120


@pytest.mark.parametrize("dist, cap", [(stats.expon(scale=5.0), 100.0), (stats.expon(scale=5.0), 5.0),
                                       (stats.uniform(1.0, 5.0), 5.0)])
def test_scaled_stock_is_bit_identical_to_kernels_then_convolution(dist, cap):
    rng = np.random.default_rng(5)
    n = 300
    z = np.linspace(0.0, float(dist.ppf(1 - 1e-12)), 16385)
    f = dist.cdf(z)
    arrivals, lam, share = rng.uniform(0, 100, (n, MONTHS)), rng.uniform(0.6, 1.4, n), rng.uniform(0, 0.4, n)
    base, renew = sc.scaled_survival(lambda x: np.interp(x, z, f, left=0.0, right=1.0), lam, cap, 0.1, MONTHS)
    expected = sc.stock_by_year_per_draw(arrivals, base, renew, share)
    # Month-major input (the pipeline's buffer) and one draw at a time give the same bits.
    month_major = np.ascontiguousarray(arrivals.T).T
    for got in (sc.stock_by_year_scaled(arrivals, lam, share, z, f, cap, 0.1),
                sc.stock_by_year_scaled(month_major, lam, share, z, f, cap, 0.1)):
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])
    one = sc.stock_by_year_scaled(arrivals[7:8], lam[7:8], share[7:8], z, f, cap, 0.1)
    np.testing.assert_array_equal(one[0], expected[0][7:8])


def _tails_by_numpy(quantiles, lam, cap, gamma, first):
    terms = sc.QUANTILE_WEIGHTS * np.exp(-gamma[:, None] * np.minimum(lam[:, None] * quantiles, cap))
    suffix = np.concatenate([np.cumsum(terms[:, ::-1], axis=1)[:, ::-1], np.zeros((len(lam), 1))], axis=1)
    return np.take_along_axis(suffix, first, axis=1)


@pytest.mark.parametrize("ppf", [stats.uniform(1.0, 5.0).ppf, stats.expon(scale=5.0).ppf,
                                 lambda u: np.full(np.shape(u), 3.0)])
def test_discounted_tails_are_the_suffix_sums_of_discounted_weights(ppf):
    rng = np.random.default_rng(2)
    quantiles = sc.stay_quantiles(ppf)
    n, Q = 200, len(sc.QUANTILE_POINTS)
    lam, gamma = rng.uniform(0.6, 1.4, n), rng.uniform(-0.05, 0.1, n)
    first = np.sort(rng.integers(0, Q + 1, (n, 6)), axis=1)[:, ::-1].copy()  # any order, the end included
    got = stay_sums.discounted_tails(quantiles, sc.QUANTILE_WEIGHTS, lam, 5.0, gamma, first)
    np.testing.assert_allclose(got, _tails_by_numpy(quantiles, lam, 5.0, gamma, first), rtol=1e-13, atol=0)
    assert np.all(got[first == Q] == 0.0)
