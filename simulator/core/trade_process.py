"""The stochastic process of the two log trade flows: trend-reverting (AR(1) or VAR(1)) paths.

With y_t = log F_t for the two flows (India's exports to Japan X, Japan's exports to India M) and
years counted from the base year b (k = t - b), the trend-stationary model is

    y_t = a + beta * t + u_t,        u_t = A u_{t-1} + e_t,        e_t ~ N(0, Sigma)

(Hamilton 1994, *Time Series Analysis*, ch. 15: trend-stationary processes; A diagonal gives two
AR(1) processes with correlated shocks, a full A a VAR(1) of the deviations from trend). Anchored
at the observed base-year value F_b, whatever a is:

    F_{b+k} = F_b * exp(beta * k + u_{b+k} - u_b),     u_b = the base year's gap from trend.

With |eigenvalues of A| < 1 the gap decays, so the bands stop widening: the median path returns
from F_b towards the trend at the rate A. The random walk with drift, the other process, is
`core.trade.grown_flow`. Pure and vectorised over draws; the yearly recursion is a short loop
over years (at most the horizon plus the years since the base year).
"""
from __future__ import annotations

import numpy as np


def transition_matrix(persistence_x, persistence_m, spillover_to_x=0.0, spillover_to_m=0.0) -> np.ndarray:
    """A = [[rho_X, s_X], [s_M, rho_M]] per draw, shape (n, 2, 2) (or (2, 2) for scalars).

    s_X: effect of last year's gap of M on this year's gap of X; s_M the reverse. Both 0 for AR(1).
    """
    parts = np.broadcast_arrays(persistence_x, spillover_to_x, spillover_to_m, persistence_m)
    return np.stack(parts, axis=-1).reshape(parts[0].shape + (2, 2))


def gap_from_first_year_growth(trend_growth, first_year_growth, transition) -> np.ndarray:
    """u_b = (I - A)^-1 (beta - mu_1): the base year's gap from trend implied by the expected growth
    in the year after it, mu_1 = beta - (I - A) u_b. (n, 2) from (n, 2) or (2,) and (n, 2, 2) or (2, 2).

    The scenario format states mu_1 rather than u_b: the data pin down where the flow heads next
    much better than where its trend line lies, and mu_1, beta and A are nearly uncorrelated in
    their estimates, so independent distributions describe them well (docs/model.md 2.6).
    """
    I_minus_A = np.eye(2) - np.asarray(transition)
    rhs = np.asarray(trend_growth) - np.asarray(first_year_growth)
    batch = np.broadcast_shapes(I_minus_A.shape[:-2], rhs.shape[:-1])
    return np.linalg.solve(np.broadcast_to(I_minus_A, batch + (2, 2)),
                           np.broadcast_to(rhs, batch + (2,))[..., None])[..., 0]


def spectral_radius(transition: np.ndarray) -> np.ndarray:
    """Largest |eigenvalue| of each 2x2 A: below 1 the process is stationary around its trend.

    From the characteristic polynomial: the eigenvalues are m +- sqrt(m^2 - det) with m half the
    trace, so the largest modulus is |m| + sqrt(m^2 - det) when they are real and sqrt(det) when
    they are a complex pair. Closed form because the estimation checks tens of thousands of
    parameter draws at each fit, where LAPACK's general eigenvalue routine, one small matrix at a
    time, was a tenth of a backtest (docs/performance.md); the two agree to rounding
    (tests/core/test_trade_process.py).
    """
    A = np.asarray(transition, dtype=float)
    half_trace = (A[..., 0, 0] + A[..., 1, 1]) / 2
    det = A[..., 0, 0] * A[..., 1, 1] - A[..., 0, 1] * A[..., 1, 0]
    discriminant = half_trace**2 - det
    real = discriminant >= 0
    return np.where(real, np.abs(half_trace) + np.sqrt(np.where(real, discriminant, 0.0)),
                    np.sqrt(np.where(real, 0.0, det)))


def trend_reverting_growth(trend_growth, gap_at_base, transition, innovations: np.ndarray) -> np.ndarray:
    """Growth factors F_{b+k} / F_b = exp(beta k + u_{b+k} - u_b) for k = 1..K, shape (n, K, 2).

    trend_growth beta and gap_at_base u_b: (2,) or (n, 2) in log points; transition A: (2, 2) or
    (n, 2, 2); innovations e: (n, K, 2), already scaled (sd and correlation of Sigma).
    With e = 0 and u_b = 0 this is exactly exp(beta k): the flow on its trend.
    """
    e = np.asarray(innovations, dtype=float)
    n, K, _ = e.shape
    A = np.broadcast_to(transition, (n, 2, 2))
    gap0 = np.broadcast_to(gap_at_base, (n, 2))
    beta = np.broadcast_to(trend_growth, (n, 2))
    log_growth = np.empty((n, K, 2))
    u = gap0
    for k in range(K):
        # Written out for 2x2: einsum or matmul per year costs more than the arithmetic here.
        u = np.column_stack([A[:, 0, 0] * u[:, 0] + A[:, 0, 1] * u[:, 1],
                             A[:, 1, 0] * u[:, 0] + A[:, 1, 1] * u[:, 1]]) + e[:, k]
        log_growth[:, k] = u
    k = np.arange(1.0, K + 1)
    log_growth += beta[:, None, :] * k[None, :, None] - gap0[:, None, :]
    return np.exp(log_growth)


def scaled_innovations(z_x: np.ndarray, z_m: np.ndarray, sd_x, sd_m) -> np.ndarray:
    """e_t from correlated standard normals (core.trade.correlated_shocks): (n, K, 2)."""
    sx = np.asarray(sd_x, dtype=float)[..., None]
    sm = np.asarray(sd_m, dtype=float)[..., None]
    return np.stack(np.broadcast_arrays(sx * z_x, sm * z_m), axis=-1)
