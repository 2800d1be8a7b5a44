"""Fast inverse CDFs against scipy's: tables within their tolerance for any shape, closed forms exact."""
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator.scenario.inverse_cdf import EDGE, TOLERANCE, ClosedFormInverse, TabulatedInverse, spread_of
from simulator.scenario.values import parse_distribution

U = np.concatenate([np.random.default_rng(0).random(20_000),
                    [2.0 ** -53, 1 - 2.0 ** -53, EDGE, 1 - EDGE, EDGE * 1.0001, 0.5]])


def _check(frozen):
    table = TabulatedInverse(frozen)
    got, want = table(U), frozen.ppf(U)
    spread = spread_of(frozen)
    assert np.max(np.abs(got - want)) <= TOLERANCE * spread
    return table


@settings(max_examples=60, deadline=None)
@given(st.floats(0.2, 30), st.floats(0.2, 30))
def test_beta_table_within_tolerance(a, b):
    _check(stats.beta(a, b, loc=-1.0, scale=3.0))


@settings(max_examples=40, deadline=None)
@given(st.floats(0.02, 200))
def test_gamma_table_within_tolerance(shape):
    _check(stats.gamma(shape))


@settings(max_examples=40, deadline=None)
@given(st.floats(-6, 3), st.floats(0.1, 6))
def test_truncated_normal_table_within_tolerance(lo, width):
    _check(stats.truncnorm(lo, lo + width, loc=2.0, scale=0.5))


def test_pert_tables_are_used_and_accurate():
    # The shipped scenarios' PERT shapes: the table must be good enough to be used, not fall back.
    for mode in (0.6, 0.75, 0.9, 1.0):
        dist = parse_distribution({"dist": "pert", "min": 0.4, "mode": mode, "max": 1.3})[0]
        table = _check(dist.frozen)
        assert not table.exact_only
        assert table.max_error < TOLERANCE * 0.9


def test_a_shape_the_table_cannot_follow_falls_back_to_the_exact_function():
    kinked = stats.triang(0.3)  # F^-1 has a kink at the mode: Hermite cubics miss it by ~1e-8
    table = TabulatedInverse(kinked)
    np.testing.assert_array_equal(table(U), kinked.ppf(U))
    assert table.exact_only


def test_tails_use_the_exact_function():
    frozen = stats.gamma(0.5)
    tails = np.array([2.0 ** -53, EDGE / 10, EDGE / 2, 1 - EDGE / 2, 1 - 2.0 ** -53] * 20)
    np.testing.assert_array_equal(TabulatedInverse(frozen)(tails), frozen.ppf(tails))


@pytest.mark.parametrize("doc, frozen", [
    ({"dist": "uniform", "min": 2.0, "max": 5.0}, stats.uniform(2.0, 3.0)),
    ({"dist": "exponential", "mean": 1.5}, stats.expon(scale=1.5)),
    ({"dist": "normal", "mean": -1.0, "sd": 0.3}, stats.norm(-1.0, 0.3)),
    ({"dist": "lognormal", "median": 4.0, "sigma": 0.7}, stats.lognorm(s=0.7, scale=4.0)),
])
def test_closed_forms_equal_scipy(doc, frozen):
    dist = parse_distribution(doc)[0]
    assert isinstance(dist.inverse, ClosedFormInverse)
    np.testing.assert_allclose(dist.ppf(U), frozen.ppf(U), rtol=1e-14, atol=1e-15)


def test_distributions_pickle_without_their_tables():
    dist = parse_distribution({"dist": "pert", "min": 0.0, "mode": 0.3, "max": 1.0})[0]
    dist.ppf(U)
    copy = pickle.loads(pickle.dumps(dist))
    assert copy.inverse._table is None
    np.testing.assert_array_equal(copy.ppf(U), dist.ppf(U))


def test_a_draw_does_not_depend_on_the_draws_beside_it():
    # Reproducibility across block sizes: one draw alone gives the same bits as within a batch.
    table = TabulatedInverse(stats.beta(2.5, 4.0))
    together = table(U[:500])
    alone = np.array([table(U[i:i + 1])[0] for i in range(500)])
    np.testing.assert_array_equal(alone, together)


def test_threads_never_use_a_table_that_is_being_rejected():
    # The first calls of a run come from several threads at once, while the table is being built.
    import threading

    kinked = stats.triang(0.3)  # its table is rejected: every caller must get the exact inverse
    want = kinked.ppf(U[:2000])
    for _ in range(10):
        table, start, results = TabulatedInverse(kinked), threading.Barrier(6), []

        def call():
            start.wait()
            results.append(table(U[:2000]))

        threads = [threading.Thread(target=call) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for got in results:
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", [0.0017, 0.05, 1.0, 30.0])
def test_log_scale_tables_are_positive_and_relatively_accurate(shape):
    # Dirichlet shares divide Gamma draws by their sum: relative error is what counts, and a tiny
    # shape spreads the draws over hundreds of orders of magnitude.
    frozen = stats.gamma(shape)
    got, want = TabulatedInverse(frozen, log_scale=True)(U), frozen.ppf(U)
    assert np.all(got > 0) or shape < 0.01 and np.all(got >= 0)
    ok = want > 0
    assert np.max(np.abs(got[ok] / want[ok] - 1)) <= TOLERANCE


def test_dirichlet_shares_stay_shares_for_a_tiny_concentration(write):
    import simulator
    from simulator.montecarlo import engine
    scenario = simulator.load_scenario(write("s.toml", """
[scenario]
name = "tiny"
draws = 2000
[investment]
sector_concentration = 0.01
"""))
    result = engine.run(scenario)
    by_sector = result["investment.disbursed_by_sector"].values
    assert np.all(by_sector >= 0)
    np.testing.assert_allclose(by_sector.sum(axis=-1), result["investment.disbursed"].values, rtol=1e-9)
