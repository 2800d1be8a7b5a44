"""The candidates' regressions as design matrices, and Kilian's bootstrap bias correction, all
replications at once.

Least squares underestimates persistence in short samples (Marriott & Pope 1954; Shaman & Stine
1988), so the trend models' coefficients are bias-corrected by bootstrap before drawing (Kilian
1998; trade_process_fit's module docstring): the fitted model is simulated with resampled
residuals, refitted, and the mean shift of the estimates subtracted. The correction used to refit
each of its 200 replications with statsmodels, one at a time; at every origin of a backtest that
was most of `ijsim backtest` and `ijsim calibrate` (docs/performance.md). Here the replications are
simulated together (a loop over years, not over replications) and fitted together by the same
least squares statsmodels does (the pseudo-inverse from a singular value decomposition), so the
bias is the one it gave to rounding, from the same random numbers.

References
----------
Kilian, L. (1998). Small-sample confidence intervals for impulse response functions. *Review of
Economics and Statistics*, 80(2), 218-230.
Marriott, F. H. C. & Pope, J. A. (1954). Bias in the estimation of autocorrelations. *Biometrika*,
41(3/4), 390-402.
Shaman, P. & Stine, R. A. (1988). The bias of autoregressive coefficient estimators. *JASA*,
83(403), 842-848.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from simulator.core import trade_process as tp


def design(process: str, years: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each equation's (regressors, outcome) for log levels `y` (..., years, 2), one row per year
    after the first: ``random_walk`` Delta y_i on a constant; ``ar1`` y_i on (1, t, y_i lagged);
    ``var1`` y_i on (1, t, both flows lagged); t counted from the last year. Leading axes of `y`
    (replications) carry through."""
    t = (years[1:] - years[-1]).astype(float)
    lagged = y[..., :-1, :]
    ones = np.ones(lagged.shape[:-1])
    trend = np.broadcast_to(t, ones.shape)
    equations = []
    for i in range(2):
        if process == "random_walk":
            equations.append((ones[..., None], np.diff(y[..., i], axis=-1)))
        elif process == "ar1":
            equations.append((np.stack([ones, trend, lagged[..., i]], axis=-1), y[..., 1:, i]))
        else:
            equations.append((np.stack([ones, trend, lagged[..., 0], lagged[..., 1]], axis=-1), y[..., 1:, i]))
    return equations


def least_squares(exog: np.ndarray, endog: np.ndarray) -> np.ndarray:
    """Coefficients (..., k) of stacked regressions exog (..., n, k), endog (..., n): the
    Moore-Penrose pseudo-inverse times the outcome, with statsmodels' cut-off for small singular
    values (`statsmodels.tools.tools.pinv_extended`, what `OLS.fit()` uses), one stack at a time."""
    u, s, vt = np.linalg.svd(exog, full_matrices=False)
    cutoff = 1e-15 * s.max(axis=-1, keepdims=True)
    inverse = 1.0 / np.where(s > cutoff, s, np.inf)  # 1 / s, and 0 for the singular values cut off
    pinv = np.swapaxes(vt, -1, -2) @ (inverse[..., :, None] * np.swapaxes(u, -1, -2))
    return (pinv @ endog[..., None])[..., 0]


def kilian_bias(process: str, years: np.ndarray, y: np.ndarray, coef: np.ndarray, residuals: np.ndarray,
                transition: Callable[[np.ndarray], np.ndarray], rng: np.random.Generator,
                replications: int) -> np.ndarray:
    """Kilian's (1998) estimate of E[coef_hat] - coef (k, 2), shrunk until the corrected A is stationary.

    Parameters
    ----------
    process : "ar1" or "var1"
    years, y : the fitted years and their log levels (years, 2), NaN rows for missing years
    coef : (k, 2) least-squares coefficients, one column per flow; residuals (pairs, 2)
    transition : coefficients (n, k, 2) -> A (n, 2, 2)
    rng : draws the resampled residuals, a replication's years at a time (as the one-by-one loop did)
    replications : int
    """
    e = residuals - residuals.mean(axis=0)
    t = (years[1:] - years[-1]).astype(float)
    A = transition(coef[None])[0]
    c, d = coef[0], coef[1]
    picks = np.stack([rng.integers(0, len(e), len(t)) for _ in range(replications)])
    shocks = e[picks]  # (replications, years - 1, 2)
    sim = np.empty((replications,) + y.shape)
    sim[:, 0] = y[0]
    for j in range(len(t)):
        # A @ x written out for the 2x2: one matrix for every replication
        x = sim[:, j]
        lag = np.stack([A[0, 0] * x[:, 0] + A[0, 1] * x[:, 1], A[1, 0] * x[:, 0] + A[1, 1] * x[:, 1]], axis=-1)
        sim[:, j + 1] = c + d * t[j] + lag + shocks[:, j]
    seen = ~np.isnan(y).any(axis=1)
    keep = seen[1:] & seen[:-1]  # the same complete cases as the fit on the data
    estimates = np.stack([least_squares(exog[:, keep], endog[:, keep]) for exog, endog in design(process, years, sim)],
                         axis=-1)  # (replications, k, 2)
    bias = estimates.sum(axis=0) / replications - coef
    for _ in range(100):  # Kilian's step: shrink the correction until A stays stationary
        if tp.spectral_radius(transition((coef - bias)[None]))[0] < 1:
            return bias
        bias = bias * 0.99
    return np.zeros_like(coef)
