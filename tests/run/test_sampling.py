"""Samplers: range, reproducibility, stratification, and independence from how work is split."""
import numpy as np
import pytest

from simulator.montecarlo.sampling import block_sizes, block_uniforms

DIMS = ["a", "b", "c"]


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_uniforms_open_interval_and_reproducible(method):
    u1 = block_uniforms(DIMS, method, seed=7, block_index=3, n=1000)
    u2 = block_uniforms(DIMS, method, seed=7, block_index=3, n=1000)
    for d in DIMS:
        assert u1[d].shape == (1000,)
        assert np.all((u1[d] > 0) & (u1[d] < 1))
        np.testing.assert_array_equal(u1[d], u2[d])


@pytest.mark.parametrize("method", ["mc", "lhs", "sobol"])
def test_blocks_and_seeds_differ(method):
    base = block_uniforms(DIMS, method, 7, 0, 256)["a"]
    assert not np.array_equal(base, block_uniforms(DIMS, method, 7, 1, 256)["a"])
    assert not np.array_equal(base, block_uniforms(DIMS, method, 8, 0, 256)["a"])


def test_lhs_has_one_point_per_stratum():
    n = 500
    u = block_uniforms(DIMS, "lhs", 1, 0, n)
    for d in DIMS:
        assert sorted(np.floor(u[d] * n).astype(int)) == list(range(n))


def test_sobol_power_of_two_is_balanced():
    n = 1024
    u = block_uniforms(DIMS, "sobol", 1, 0, n)
    for d in DIMS:  # scrambled Sobol' nets put n/16 points in each of 16 equal bins
        counts = np.bincount(np.floor(u[d] * 16).astype(int), minlength=16)
        assert np.all(counts == n // 16)


@pytest.mark.parametrize("method", ["mc", "lhs"])
def test_dimension_streams_do_not_depend_on_other_dimensions(method):
    # Common random numbers: an input shared by two scenarios gets the same draws in both.
    alone = block_uniforms(["a"], method, 5, 2, 300)["a"]
    together = block_uniforms(["z", "a", "q"], method, 5, 2, 300)["a"]
    np.testing.assert_array_equal(alone, together)


def test_mc_is_uniform_by_ks_test():
    from scipy import stats
    u = block_uniforms(["x"], "mc", 11, 0, 20000)["x"]
    assert stats.kstest(u, "uniform").pvalue > 1e-3


def test_block_sizes():
    assert block_sizes(10, 4) == [4, 4, 2]
    assert block_sizes(8, 4) == [4, 4]
    assert block_sizes(3, 100) == [3]
    with pytest.raises(ValueError):
        block_sizes(0, 4)


def test_bad_method_and_duplicate_dims():
    with pytest.raises(ValueError, match="unknown sampling method"):
        block_uniforms(DIMS, "halton", 1, 0, 10)
    with pytest.raises(ValueError, match="unique"):
        block_uniforms(["a", "a"], "mc", 1, 0, 10)


@pytest.mark.parametrize("n", [1, 7, 4096])
def test_latin_hypercube_equals_scipys(n):
    # Our one-dimensional LHS must be scipy's, number for number, so seeded runs keep their values.
    from scipy.stats import qmc

    from simulator.montecarlo.sampling import latin_hypercube_1d
    for seed in range(3):
        ours = latin_hypercube_1d(np.random.default_rng(seed), n)
        theirs = qmc.LatinHypercube(d=1, rng=np.random.default_rng(seed)).random(n)[:, 0]
        np.testing.assert_array_equal(ours, theirs)
