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
