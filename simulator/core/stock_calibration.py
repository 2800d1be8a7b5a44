"""Entrants calibrated to an observed stock, inside every draw; stays that differ from draw to draw.

A stream declared calibrated to an observed stock S (people of its status present at a date τ)
gets, in each draw, the arrivals that keep that stock on a path of steady growth at the draw's
rate g, given the draw's stays. With arrivals growing at γ = ln(1 + g) a year and survival Sv(x)
(the share still present x years after arriving), the stock is the sum of past arrivals still
present (the renewal equation of a population with steady growth; Keyfitz & Caswell 2005, ch. 5):

    S(t) = ∫_0^∞ A(t - x) Sv(x) dx = A(t) D,   D = ∫_0^∞ e^{-γx} Sv(x) dx,

so A(τ) = S / D, and A(t) = A(τ) (1 + g)^(t - τ). For exponential stays of mean L, D = 1/(1/L + γ)
and A = S (1/L + γ): the rule A = S (1/L + g) of docs/model.md 3.5 (g for γ: they differ by g²/2).
For any other stay distribution D is computed here, not approximated by 1/(1/L + g). The
entrants at the first stage are A / (p_1 ... p_k), the draw's pass rates.

Stays follow the stream's rules (`simulator.core.exchange`): an intended stay L = λ L0 (L0 the
person-to-person spread, λ the draw's scale), cut at the status limit C; a share r of those
reaching C renew and then leave at rate h. With m = min(λ L0, C) and P_C = P(λ L0 ≥ C):

    D = E[(1 - e^{-γ m}) / γ] + r P_C e^{-γ C} / (γ + h).

People of the observed stock still present Δ years after τ (their own stays continue):

    R(Δ) = e^{γΔ} ∫_Δ^∞ e^{-γy} Sv(y) dy / D
         = ( E[(1 - e^{-γ(m - Δ)}) / γ ; m > Δ] + r P_C e^{-γ max(C - Δ, 0)} e^{-h max(Δ - C, 0)} / (γ + h) ) / D.

Expectations over L0 are weighted sums over its quantiles (`stay_quantiles`): the midpoints of
1,024 equal slices of (0, 1), the last one cut again into slices shrinking by √2 down to 2^-52, so that a
long upper tail (exponential stays) is not lumped into one point; exact for a fixed stay. Pure
numpy; arrays over draws have shape (n,).

References
----------
Keyfitz, N. & Caswell, H. (2005). *Applied Mathematical Demography*, 3rd ed. Springer (stable
populations: the renewal equation under steady growth).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from simulator.core.exchange import MONTHS_PER_YEAR
from simulator.core.stay_sums import discounted_tails, scaled_stock_by_year

_SLICES = 1024
_EDGES = np.concatenate([np.arange(_SLICES) / _SLICES, 1.0 - 2.0 ** -(np.arange(21, 105) / 2)])  # 2^-10 = 1 / _SLICES
QUANTILE_POINTS = (_EDGES[:-1] + _EDGES[1:]) / 2  # where L0's quantiles are taken ...
QUANTILE_WEIGHTS = np.diff(_EDGES) / np.diff(_EDGES).sum()  # ... and how much each counts

Ppf = Callable[[np.ndarray], np.ndarray]
Cdf = Callable[[np.ndarray], np.ndarray]


def stay_quantiles(ppf: Ppf) -> np.ndarray:
    """L0 at QUANTILE_POINTS: E[f(L0)] is then `expectation(f(quantiles))`."""
    return np.asarray(ppf(QUANTILE_POINTS), dtype=float)


def expectation(values: np.ndarray) -> np.ndarray:
    """E[f(L0)] from f at the stay's quantiles (last axis)."""
    return values @ QUANTILE_WEIGHTS


_SERIES_BELOW = 1e-4  # |γ| under which the tail sums use the series in γ (cancellation otherwise)
_CHUNK = 1024  # draws at a time: the (draws, cuts) work arrays stay small


def _left_after(quantiles: np.ndarray, scale: np.ndarray, cap: float, gamma: np.ndarray,
                elapsed: np.ndarray) -> np.ndarray:
    """E[(1 - e^{-γ(m - Δ)}) / γ ; m > Δ] per draw and Δ, (n, E), m = min(λ L0, C): the base part of
    ∫_Δ^∞ e^{-γ(y - Δ)} Sv(y) dy (Δ = 0 gives D's base part).

    Written (P - e^{γΔ} E[e^{-γm}; m > Δ]) / γ, with P = P(m > Δ), so that each Δ needs sums over the
    quantiles, not a pass over (draws, Δ, quantiles) of exponentials; for |γ| < 1e-4 (where that
    difference cancels) the series E[(m - Δ) - γ (m - Δ)² / 2 + γ² (m - Δ)³ / 6; m > Δ]. With the quantiles ascending,
    {m > Δ} is a suffix of them: Σ w e^{-γm} over every suffix is one backward pass per draw
    (`stay_sums.discounted_tails`, compiled), so a draw's value does not depend on the block it is in.
    """
    n, w = len(gamma), QUANTILE_WEIGHTS
    out = np.zeros((n, len(elapsed)))
    for lo in range(0, n, _CHUNK):
        g, lam = gamma[lo:lo + _CHUNK, None], scale[lo:lo + _CHUNK, None]
        # {m > Δ} is the suffix of the quantiles from the first L0 above Δ / λ (none from the limit on).
        first = np.searchsorted(quantiles, elapsed[None, :] / lam, side="right")  # (c, E)
        first = np.where(elapsed[None, :] >= cap, len(quantiles), first)
        # Σ w e^{-γm} over each suffix, draw by draw (compiled: no (draws, quantiles) exponentials kept).
        e = discounted_tails(quantiles, w, np.ascontiguousarray(lam[:, 0]), cap, np.ascontiguousarray(g[:, 0]),
                             np.ascontiguousarray(first))
        if np.all(lam == lam[0]):  # the same stays in every draw: the power sums are one row's
            m = np.minimum(lam[:1] * quantiles, cap)  # (1, Q), ascending along Q
            p, s1, s2, s3 = (_suffix_sums_at(w[None, :] * m ** k, first[0])[0] for k in range(4))
        else:
            p, s1, s2, s3 = _power_sums(quantiles, lam[:, 0], cap, first)
        small = np.abs(g) < _SERIES_BELOW
        safe = np.where(small, 1.0, g)
        exact = (p - np.exp(safe * elapsed) * e) / safe
        d = elapsed
        series = ((s1 - d * p) - g / 2 * (s2 - 2 * d * s1 + d * d * p)
                  + g * g / 6 * (s3 - 3 * d * s2 + 3 * d * d * s1 - d ** 3 * p))
        out[lo:lo + _CHUNK] = np.where(small, series, exact)
    return out


def _power_sums(quantiles: np.ndarray, lam: np.ndarray, cap: float, first: np.ndarray) -> list[np.ndarray]:
    """Σ_{q >= first} w m^j, j = 0..3, with m = min(λ L0, C) per row, from suffix sums of w L0^j taken once:
    the quantiles below the limit contribute λ^j Σ w L0^j, those at or above it C^j Σ w."""
    w = QUANTILE_WEIGHTS
    tails = [np.concatenate([np.cumsum((w * quantiles ** j)[::-1])[::-1], [0.0]]) for j in range(4)]
    limit = np.searchsorted(quantiles, cap / lam, side="left")[:, None]  # first quantile with λ L0 >= C
    beyond = np.maximum(first, limit)
    return [lam[:, None] ** j * (tails[j][first] - tails[j][beyond]) + cap ** j * tails[0][beyond] for j in range(4)]


def _suffix_sums_at(x: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Σ_{q >= cuts[e]} x[c, q] for each row c and the same cuts in every row: sums over the segments
    between the cuts (one pass, `np.add.reduceat`), then added from the last segment back."""
    q = x.shape[1]
    starts = np.unique(cuts[cuts < q])
    out = np.zeros((len(x), len(cuts)))
    if len(starts):
        segments = np.add.reduceat(x, starts, axis=1)  # [starts[j], starts[j + 1]) and the last to the end
        tails = np.cumsum(segments[:, ::-1], axis=1)[:, ::-1]  # Σ from starts[j] to the end
        inside = cuts < q
        out[:, inside] = tails[:, np.searchsorted(starts, cuts[inside])]
    return out


def _renewed(gamma, renewal_share, reach, cap, exit_rate) -> np.ndarray:
    """r P_C e^{-γC} / (γ + h): the renewed stayers' part of D (0 when nobody renews). Infinite where
    γ + h <= 0: renewed stayers then outlast the shrinking inflow, the steady stock is infinite for
    any arrivals, and a finite observed stock needs none (A = S / D = 0)."""
    rate = gamma + exit_rate
    renewing = np.asarray(renewal_share * reach) > 0
    finite = renewal_share * reach * np.exp(-gamma * cap) / np.where(rate > 0, rate, 1.0)
    return np.where(renewing, np.where(rate > 0, finite, np.inf), 0.0)


def discounted_stay(quantiles: np.ndarray, scale, cap: float, renewal_share, exit_rate: float,
                    growth) -> np.ndarray:
    """D = ∫_0^∞ e^{-γx} Sv(x) dx per draw, γ = ln(1 + growth) (module docstring).

    Parameters
    ----------
    quantiles : (Q,) array
        `stay_quantiles` of the person-to-person stay L0 (years).
    scale, renewal_share, growth : float or (n,) array
        The draw's stay scale λ, renewal share r and yearly growth g.
    cap, exit_rate : float
        The status limit C (years) and the renewed stayers' yearly exit rate h.
    """
    return _parts(quantiles, scale, cap, renewal_share, exit_rate, growth, np.zeros(1))[:, 0]


def _parts(quantiles, scale, cap, renewal_share, exit_rate, growth, elapsed) -> np.ndarray:
    """e^{γΔ} ∫_Δ^∞ e^{-γy} Sv(y) dy per draw and Δ, (n, E): D at Δ = 0."""
    growth = np.atleast_1d(np.asarray(growth, dtype=float))
    n = max(len(growth), np.size(scale), np.size(renewal_share))
    gamma = np.broadcast_to(np.log1p(growth), (n,))
    lam = np.broadcast_to(np.asarray(scale, dtype=float), (n,))
    r = np.broadcast_to(np.asarray(renewal_share, dtype=float), (n,))
    elapsed = np.asarray(elapsed, dtype=float)
    # P(λ L0 >= C): the weight of the quantiles from the first at or above C / λ.
    cumulative = np.concatenate([[0.0], np.cumsum(QUANTILE_WEIGHTS)])
    reach = cumulative[-1] - cumulative[np.searchsorted(quantiles, cap / lam, side="left")]
    base = _renewed(gamma, r, reach, cap, exit_rate)[:, None]
    infinite = np.isinf(base)
    factor = np.exp(gamma[:, None] * np.minimum(elapsed, cap) - exit_rate * np.maximum(elapsed - cap, 0.0))
    renewed = np.where(infinite, np.inf, np.where(infinite, 0.0, base) * factor)  # inf x 0 is no number
    return _left_after(quantiles, np.ascontiguousarray(lam), cap, np.ascontiguousarray(gamma), elapsed) + renewed


def remaining_share(quantiles: np.ndarray, scale, cap: float, renewal_share, exit_rate: float, growth,
                    elapsed: np.ndarray) -> np.ndarray:
    """R(Δ): the share of a steady-growth stock still present Δ years later, (n, len(elapsed))."""
    return stay_terms(quantiles, scale, cap, renewal_share, exit_rate, growth, elapsed)[1]


def stay_terms(quantiles: np.ndarray, scale, cap: float, renewal_share, exit_rate: float, growth,
               elapsed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(D, R(Δ)) in one pass: `discounted_stay` (n,) and `remaining_share` (n, len(elapsed))."""
    elapsed = np.asarray(elapsed, dtype=float)
    parts = _parts(quantiles, scale, cap, renewal_share, exit_rate, growth, np.concatenate([[0.0], elapsed]))
    discounted = parts[:, 0]
    infinite = np.isinf(discounted)[:, None]
    # Where D is infinite only renewed stayers count, and their share left is the ratio of their terms.
    gamma = np.broadcast_to(np.log1p(np.asarray(growth, dtype=float)), (len(discounted),))[:, None]
    renewed_left = np.exp(gamma * np.minimum(elapsed, cap) - exit_rate * np.maximum(elapsed - cap, 0.0))
    remaining = np.where(infinite, renewed_left, parts[:, 1:] / np.where(infinite, 1.0, parts[:, :1]))
    return discounted, remaining


def calibrated_arrivals(stock: float, stock_date: float, years: np.ndarray, discounted, growth) -> np.ndarray:
    """Arrivals a year (n, T): A(t) = S / D (1 + g)^(t + 1/2 - τ), t + 1/2 the middle of year t (0 where
    D is infinite, `_renewed`).

    `stock_date` τ in decimal years (end of December 2024 = 2025.0)."""
    g = np.asarray(growth, dtype=float)[..., None]
    since = np.asarray(years, dtype=float) + 0.5 - stock_date
    return stock / np.asarray(discounted, dtype=float)[..., None] * np.exp(np.log1p(g) * since)


def plan_factor(multiplier, ramp: np.ndarray) -> np.ndarray:
    """The Plan's effect on a calibrated level, (n, T): 1 + (k - 1) w_t, k the draw's multiplier at full
    effect and w_t the share of the effect in year t (0 = trend, 1 = full)."""
    return 1.0 + (np.asarray(multiplier, dtype=float)[..., None] - 1.0) * np.asarray(ramp, dtype=float)


def scaled_survival(stay_cdf: Cdf, scale: np.ndarray, cap: float, renewed_exit_rate: float, months: int,
                    points: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Month kernels (base, renew), each (n, months), of stays λ_i L0 that differ between draws: the
    kernels of `exchange.survival_kernels` with L0's CDF at x / λ_i, averaged over `points` positions
    of the arrival within its month (8 instead of 64 keeps an (n, months, points) array small)."""
    q = (np.arange(points) + 0.5) / points
    x = (np.arange(months)[:, None] + 1 - q) / MONTHS_PER_YEAR  # (M, P) years since arrival
    lam = np.asarray(scale, dtype=float)[:, None, None]
    inside = x < cap  # still under the status limit
    base = np.where(inside, 1.0 - stay_cdf(x / lam), 0.0).mean(axis=-1)
    reach = 1.0 - stay_cdf(np.asarray((cap - 1e-12) / lam[:, 0, 0]))  # (n,) P(λ L0 >= C)
    renew = np.where(inside, 0.0, reach[:, None, None] * np.exp(-renewed_exit_rate * (x - cap))).mean(axis=-1)
    return base, renew


def stock_by_year_per_draw(monthly_arrivals: np.ndarray, base: np.ndarray, renew: np.ndarray,
                           renewal_share) -> tuple[np.ndarray, np.ndarray]:
    """(stock at each year's end, mean stock over each year), each (n, T), from monthly arrivals (n, M)
    and per-draw survival kernels (n, M): stock(m) = Σ_a arrivals(m - a) s(a), lag by lag."""
    n, months = monthly_arrivals.shape
    s = base + np.asarray(renewal_share, dtype=float).reshape(-1, 1) * renew
    stock = np.zeros((n, months))
    for a in range(months):
        stock[:, a:] += monthly_arrivals[:, :months - a] * s[:, a:a + 1]
    years = months // MONTHS_PER_YEAR
    return stock[:, MONTHS_PER_YEAR - 1::MONTHS_PER_YEAR], stock.reshape(n, years, MONTHS_PER_YEAR).mean(axis=-1)


def stock_by_year_scaled(monthly_arrivals: np.ndarray, scale: np.ndarray, renewal_share, cdf_grid: np.ndarray,
                         cdf_values: np.ndarray, cap: float, renewed_exit_rate: float,
                         points: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """`scaled_survival` then `stock_by_year_per_draw`, compiled draw by draw (`stay_sums`), for L0's CDF
    tabulated on an even grid (`np.interp(x, cdf_grid, cdf_values, left=0, right=1)`): the same numbers
    without the (n, months, points) temporaries."""
    if not (np.all(np.diff(cdf_grid) > 0) and np.all(np.isfinite(cdf_values))):
        raise ValueError("the tabulated CDF needs a strictly increasing grid and finite values")
    n, months = monthly_arrivals.shape
    q = (np.arange(points) + 0.5) / points
    x = (np.arange(months)[:, None] + 1 - q) / MONTHS_PER_YEAR  # as in `scaled_survival`
    decay = np.exp(-renewed_exit_rate * (x - cap))
    share = np.ascontiguousarray(np.broadcast_to(np.asarray(renewal_share, dtype=float), (n,)))
    return scaled_stock_by_year(monthly_arrivals, np.ascontiguousarray(scale, dtype=float), share, x, decay,
                                float(cap), cdf_grid, cdf_values)
