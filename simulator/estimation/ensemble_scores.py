"""Scores of ensemble forecasts, many at once: quantiles, CRPS, interval score and PIT of each row.

The backtest scores every model, origin, horizon and variable from an ensemble of draws. These are
the formulas of `scoringrules` (Zamo & Naveau 2018 for the CRPS of a finite ensemble; the interval
score of Gneiting & Raftery 2007, sect. 6.2), written here for one reason: importing `scoringrules`
compiles its numba kernels on every start (4-5 s, most of what `ijsim backtest` waited for; issue 31,
docs/performance.md). Each function follows the library's numpy code term by term, so the numbers
are the ones it gives (tests/estimation/test_ensemble_scores.py compares them), and works on a
stack of ensembles sorted once: the quantiles, the CRPS and the PIT all read the order statistics.

References
----------
Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and estimation.
*JASA*, 102(477), 359-378.
Zamo, M. & Naveau, P. (2018). Estimation of the continuous ranked probability score with limited
information and applications to ensemble weather forecasts. *Mathematical Geosciences*, 50(2), 209-234.
Dawid, A. P. (1984). Statistical theory: the prequential approach. *JRSS A*, 147(2), 278-292.
"""
from __future__ import annotations

import numpy as np


def crps_sorted(actual: np.ndarray, ensembles: np.ndarray) -> np.ndarray:
    """CRPS of each row of `ensembles` (sorted ascending along the last axis) against `actual`.

    The quantile-decomposition estimator, `scoringrules.crps_ensemble`'s default ("qd"):
    ``2 sum_i [1{x_i <= y} a_i (y - x_i) + 1{x_i > y} (M - a_i)(x_i - y)] / M^2`` with a_i = i - 1/2,
    equal to the energy form E|X - y| - E|X - X'| / 2 of the ensemble's empirical distribution.

    Parameters
    ----------
    actual : array of shape (n,)
    ensembles : array of shape (n, M), each row sorted

    Returns
    -------
    numpy.ndarray of shape (n,)
    """
    y = np.asarray(actual, dtype=float)[..., None]
    m = ensembles.shape[-1]
    alpha = np.arange(1, m + 1) - 0.5
    below = (ensembles <= y) * alpha * (y - ensembles)
    above = (ensembles > y) * (m - alpha) * (ensembles - y)
    return 2 * (np.sum(below + above, axis=-1) / (m**2))  # scoringrules' order of operations


def interval_score(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray, alpha: float) -> np.ndarray:
    """The interval (Winkler) score of the central (1 - alpha) interval [lower, upper]: its width plus
    2/alpha times the distance by which the outcome falls outside (`scoringrules.interval_score`)."""
    y = np.asarray(actual, dtype=float)
    score = upper - lower + (y < lower) * (2 / alpha) * (lower - y)
    score += (y > upper) * (2 / alpha) * (y - upper)
    return score


def pit_sorted(actual: np.ndarray, ensembles: np.ndarray) -> np.ndarray:
    """Share of each sorted row's draws below the outcome, ties counted half (mid-rank;
    `forecast_evaluation.pit` row by row): uniform on [0, 1] for a calibrated forecast (Dawid 1984)."""
    y = np.asarray(actual, dtype=float)
    below = np.array([np.searchsorted(row, v) for row, v in zip(ensembles, y)])  # side "left"
    at_or_below = np.array([np.searchsorted(row, v, side="right") for row, v in zip(ensembles, y)])
    return (below + 0.5 * (at_or_below - below)) / ensembles.shape[1]  # counts (int) to shares (float)
