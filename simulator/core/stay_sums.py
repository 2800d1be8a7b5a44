"""Compiled per-draw loops of the stock calibration (`simulator.core.stock_calibration`).

Two sums dominated a run once calibration moved inside every draw (issue 29), both written in numpy
over (draws x quantiles) or (draws x months x positions) temporaries:

- `discounted_tails`: Σ_{q >= first} w_q e^{-γ m_q}, m_q = min(λ L0_q, C), the part of D and R(Δ)
  that needs an exponential per draw and quantile (module docstring of `stock_calibration`);
- `scaled_stock_by_year`: the stock of a stream whose stays differ between draws, its survival
  kernel built from the tabulated CDF of L0 at x / λ and convolved with the draw's monthly arrivals.

Here each is one pass per draw with no temporaries (numba, as `simulator.core.pipeline`), in the same
arithmetic and the same order of summation as the numpy definitions they replace, which stay in
`stock_calibration` as the reference the tests compare against. A draw's value never depends on the
other draws of its block. Consecutive quantiles with the same m (stays at the status limit, a fixed
stay) share one exponential: the same input gives the same output, so this changes no number.
"""
from __future__ import annotations

import numba
import numpy as np

MONTHS_PER_YEAR = 12


@numba.njit(cache=True, nogil=True, error_model="numpy")
def discounted_tails(quantiles, weights, scale, cap, gamma, first):  # pragma: no cover - compiled
    """(n, E): Σ_{q >= first[i, e]} w_q e^{-γ_i m_iq} for each draw i and cut e (0 <= first <= Q),
    summed from the last quantile back (as `np.cumsum` over the reversed quantiles)."""
    n, cuts = first.shape
    Q = len(quantiles)
    out = np.empty((n, cuts))
    suffix = np.empty(Q + 1)  # suffix[q]: the sum from quantile q to the last
    for i in range(n):
        g, lam = gamma[i], scale[i]
        suffix[Q] = total = 0.0  # the running sum in a register, not read back from memory
        last_m, last_e = np.nan, 0.0
        for q in range(Q - 1, -1, -1):
            m = min(lam * quantiles[q], cap)
            if m != last_m:
                last_m, last_e = m, np.exp(-g * m)
            total += weights[q] * last_e
            suffix[q] = total
        for e in range(cuts):
            out[i, e] = suffix[first[i, e]]
    return out


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _interp(x, z, f, slopes, per_step):  # pragma: no cover - compiled
    """np.interp(x, z, f, left=0, right=1) on an ascending, evenly spaced z (per_step = 1 / its step), in
    numpy's arithmetic: slopes[j] = (f[j + 1] - f[j]) / (z[j + 1] - z[j]) as numpy computes them for long
    inputs, then slopes[j] (x - z[j]) + f[j]. numpy's other branches (x on a grid point, a value that is
    not a number) give the same value when z strictly increases and f is finite, which the caller checks:
    leaving them out makes this four times faster."""
    last = len(z) - 1
    if x < z[0]:
        return 0.0
    if x > z[last]:
        return 1.0
    j = min(int((x - z[0]) * per_step), last)  # a guess, then z[j] <= x < z[j + 1] exactly
    while j > 0 and z[j] > x:
        j -= 1
    while j < last and z[j + 1] <= x:
        j += 1
    if j == last:
        return f[j]
    return slopes[j] * (x - z[j]) + f[j]


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pairwise_mean(values):  # pragma: no cover - compiled
    """`values.mean()` of up to 15 numbers as numpy sums them: in order below 8, else pairwise (eight
    partial sums, then the rest in order)."""
    if len(values) < 8:
        total = 0.0
        for v in values:
            total += v
        return total / len(values)
    total = ((values[0] + values[1]) + (values[2] + values[3])) + ((values[4] + values[5]) + (values[6] + values[7]))
    for k in range(8, len(values)):
        total += values[k]
    return total / len(values)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def scaled_stock_by_year(arrivals, scale, renewal_share, x, renewed_decay, cap, z, f):  # pragma: no cover
    """(stock at each year's end, mean stock over each year), each (n, T), for monthly arrivals (n, M)
    of draws whose stays are λ_i L0: `stock_calibration.scaled_survival` followed by
    `stock_calibration.stock_by_year_per_draw`, draw by draw.

    x (M, P): years since arrival at P positions within each month; renewed_decay (M, P): e^{-h (x - C)};
    z, f: L0's CDF tabulated on an even grid (read as `np.interp(., z, f, left=0, right=1)`)."""
    n, M = arrivals.shape
    P = x.shape[1]
    T = M // MONTHS_PER_YEAR
    slopes = (f[1:] - f[:-1]) / (z[1:] - z[:-1])
    per_step = 1.0 / (z[1] - z[0])
    end = np.empty((n, T))
    mean = np.empty((n, T))
    point = np.empty(P)
    scaled = np.empty(P)
    survival = np.empty(M)
    arrived = np.empty(M)
    stock = np.empty(M)
    for i in range(n):
        for m in range(M):  # the draw's arrivals in one contiguous row, whatever the input's layout
            arrived[m] = arrivals[i, m]
        lam = scale[i]
        reach = 1.0 - _interp((cap - 1e-12) / lam, z, f, slopes, per_step)  # P(λ L0 >= C)
        r = renewal_share[i]
        for a in range(M):
            for p in range(P):  # the divisions first, in one vectorised pass
                scaled[p] = x[a, p] / lam
            for p in range(P):
                point[p] = 1.0 - _interp(scaled[p], z, f, slopes, per_step) if x[a, p] < cap else 0.0
            base = _pairwise_mean(point)
            for p in range(P):
                point[p] = 0.0 if x[a, p] < cap else reach * renewed_decay[a, p]
            survival[a] = base + r * _pairwise_mean(point)
        # stock(m) = Σ_a arrivals(m - a) s(a), lag by lag: each month's sum in the order of the lags, and
        # the months of one lag independent (the inner loop vectorises).
        stock[:] = 0.0
        for a in range(M):
            s = survival[a]
            for m in range(a, M):
                stock[m] += arrived[m - a] * s
        for t in range(T):
            end[i, t] = stock[t * MONTHS_PER_YEAR + MONTHS_PER_YEAR - 1]
            mean[i, t] = _pairwise_mean(stock[t * MONTHS_PER_YEAR:(t + 1) * MONTHS_PER_YEAR])
    return end, mean
