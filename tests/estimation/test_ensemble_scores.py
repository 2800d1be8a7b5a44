"""The backtest's scores are scoringrules' numbers: CRPS, interval score and PIT of many ensembles at
once (simulator.estimation.ensemble_scores) against the library, one ensemble at a time."""
import numpy as np
import pytest
import scoringrules as sr

from simulator.estimation import ensemble_scores as es
from simulator.estimation import forecast_evaluation as fe


@pytest.fixture(scope="module")
def ensembles():
    """Skewed ensembles of different spreads, with ties, outcomes inside, outside, on a draw and on a tie."""
    rng = np.random.default_rng(5)
    draws = np.exp(rng.normal(0, rng.uniform(0.05, 1.0, (40, 1)), (40, 501)))
    draws[:5, :50] = draws[:5, :1]  # ties
    actual = np.exp(rng.normal(0, 1.0, 40))
    actual[5] = draws[5, 7]  # on a draw
    actual[0] = draws[0, 0]  # on the tied draws
    actual[6], actual[7] = draws[6].min() / 2, draws[7].max() * 2  # below and above every draw
    return actual, np.sort(draws, axis=-1)


def test_crps_is_scoringrules_crps_ensemble(ensembles):
    actual, ordered = ensembles
    expected = [sr.crps_ensemble(a, row, backend="numpy") for a, row in zip(actual, ordered[:, ::-1])]
    np.testing.assert_array_equal(es.crps_sorted(actual, ordered), expected)


def test_crps_is_the_energy_form():
    # E|X - y| - E|X - X'| / 2 over the empirical distribution, by brute force
    rng = np.random.default_rng(1)
    draws, y = np.sort(rng.gamma(2.0, size=300)), 1.7
    energy = np.abs(draws - y).mean() - 0.5 * np.abs(draws[:, None] - draws[None, :]).mean()
    assert es.crps_sorted(np.array([y]), draws[None])[0] == pytest.approx(energy, rel=1e-12)


def test_interval_score_is_scoringrules_interval_score(ensembles):
    actual, ordered = ensembles
    lower, upper = np.quantile(ordered, 0.05, axis=-1), np.quantile(ordered, 0.95, axis=-1)
    expected = [sr.interval_score(a, lo, hi, 0.1, backend="numpy") for a, lo, hi in zip(actual, lower, upper)]
    np.testing.assert_array_equal(es.interval_score(actual, lower, upper, 0.1), expected)
    assert es.interval_score(np.array([5.0]), np.array([1.0]), np.array([3.0]), 0.1)[0] == 2.0 + 20 * 2.0


def test_pit_counts_ties_half_as_forecast_evaluation_does(ensembles):
    actual, ordered = ensembles
    rng = np.random.default_rng(2)
    shuffled = rng.permuted(ordered, axis=-1)  # fe.pit needs no order
    np.testing.assert_array_equal(es.pit_sorted(actual, ordered), [fe.pit(row, a) for a, row in zip(actual, shuffled)])
    below = np.sum(ordered[0] < actual[0])  # and 50 tied draws at the outcome: half of them count
    assert es.pit_sorted(actual, ordered)[0] == pytest.approx((below + 25) / 501)


# ---- known answers, independent of scoringrules (issue 34) -----------------------------------------

def test_crps_of_small_ensembles_worked_by_hand():
    """Energy form E|X - y| - E|X - X'| / 2 of the ensemble's empirical distribution:
    * {3, 3, 3} against 5: 2 - 0 = 2 (a point forecast scores its absolute error);
    * {0, 1} against 0.5: 0.5 - 0.5 / 2 = 0.25; against 2: 1.5 - 0.25 = 1.25; against -1 the same;
    * {0, 1, 2, 3} against 1: (1 + 0 + 1 + 2) / 4 - (2 (3 x 1 + 2 x 2 + 1 x 3) / 16) / 2 = 1 - 0.625 = 0.375."""
    assert es.crps_sorted(np.array([5.0]), np.array([[3.0, 3.0, 3.0]]))[0] == pytest.approx(2.0)
    pair = np.array([[0.0, 1.0]] * 3)
    np.testing.assert_allclose(es.crps_sorted(np.array([0.5, 2.0, -1.0]), pair), [0.25, 1.25, 1.25], rtol=1e-14)
    assert es.crps_sorted(np.array([1.0]), np.array([[0.0, 1.0, 2.0, 3.0]]))[0] == pytest.approx(0.375)
    # rows of different ensembles scored at once, each against its own outcome
    rows = np.array([[0.0, 1.0, 2.0, 3.0], [3.0, 3.0, 3.0, 3.0]])
    np.testing.assert_allclose(es.crps_sorted(np.array([1.0, 5.0]), rows), [0.375, 2.0], rtol=1e-14)


def test_crps_of_a_normal_ensemble_is_the_closed_form():
    """4,000 quantiles of N(10, 1.5^2): CRPS(N(mu, sigma), y) = sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)],
    z = (y - mu) / sigma (Gneiting & Raftery 2007): at the mean 1.5 (2 phi(0) - 1/sqrt(pi)) = 0.35054;
    2 sd off on either side 2.17919 (worked in test_forecast_evaluation); 4 sd below 5.15374."""
    from scipy.stats import norm
    draws = 10.0 + 1.5 * norm.ppf((np.arange(4000) + 0.5) / 4000)
    y = np.array([10.0, 13.0, 7.0, 4.0])
    got = es.crps_sorted(y, np.broadcast_to(draws, (4, 4000)))
    np.testing.assert_allclose(got, [0.35054, 2.17919, 2.17919, 5.15374], rtol=2e-5)
    # the score is in the outcome's units: twice the spread and the distance, twice the score
    np.testing.assert_allclose(es.crps_sorted(2 * y, np.broadcast_to(2 * draws, (4, 4000))), 2 * got, rtol=1e-12)


def test_interval_score_worked_by_hand():
    """[1, 3] at alpha = 0.1: width 2, plus 2 / 0.1 = 20 times the distance outside; at alpha = 0.5, 4 times."""
    y = np.array([2.0, 1.0, 3.0, 0.0, 5.0])
    lower, upper = np.full(5, 1.0), np.full(5, 3.0)
    np.testing.assert_array_equal(es.interval_score(y, lower, upper, 0.1), [2.0, 2.0, 2.0, 22.0, 42.0])
    np.testing.assert_array_equal(es.interval_score(y, lower, upper, 0.5), [2.0, 2.0, 2.0, 6.0, 10.0])


def test_pit_worked_by_hand_and_of_a_known_distribution():
    """{1, 2, 2, 2, 3}: at 2, one draw below and three tied (half each): (1 + 1.5) / 5 = 0.5; at 2.5: 4 / 5;
    below every draw 0, above every draw 1. 1,000 quantiles of N(0, 1) at 1: Phi(1) = 0.841345."""
    from scipy.stats import norm
    rows = np.array([[1.0, 2.0, 2.0, 2.0, 3.0]] * 4)
    np.testing.assert_allclose(es.pit_sorted(np.array([2.0, 2.5, 0.0, 4.0]), rows), [0.5, 0.8, 0.0, 1.0], rtol=1e-15)
    normal = norm.ppf((np.arange(1000) + 0.5) / 1000)[None]
    assert es.pit_sorted(np.array([1.0]), normal)[0] == pytest.approx(norm.cdf(1.0), abs=1e-3)
