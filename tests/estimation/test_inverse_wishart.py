"""The stacked inverse Wishart draws are scipy's: same random numbers, same matrices to rounding."""
import numpy as np
import pytest
from scipy import stats

from simulator.estimation.inverse_wishart import inverse_wishart_2x2

SCALES = [np.array([[0.3, 0.1], [0.1, 0.5]]), np.array([[0.02, -0.019], [-0.019, 0.02]]), np.eye(2)]


@pytest.mark.parametrize("df", [3, 5, 17.5])
@pytest.mark.parametrize("scale", SCALES)
def test_draws_are_scipys_and_leave_the_generator_where_scipy_does(df, scale):
    ours, theirs = np.random.default_rng(11), np.random.default_rng(11)
    got = inverse_wishart_2x2(df, scale, 3000, ours)
    expected = stats.invwishart(df=df, scale=scale).rvs(size=3000, random_state=theirs)
    # rounding only: BLAS may fuse a multiply-add that numpy rounds twice
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15 * np.abs(scale).max())
    assert ours.random() == theirs.random()  # the same numbers consumed: later draws unchanged


def test_draws_are_symmetric_positive_definite_with_the_inverse_wishart_mean():
    scale, df = SCALES[0], 12
    sigma = inverse_wishart_2x2(df, scale, 200_000, np.random.default_rng(4))
    np.testing.assert_array_equal(sigma[:, 0, 1], sigma[:, 1, 0])
    assert (np.linalg.eigvalsh(sigma) > 0).all()
    # E[Sigma] = scale / (df - p - 1) for p = 2
    np.testing.assert_allclose(sigma.mean(axis=0), scale / (df - 3), rtol=0.02)
