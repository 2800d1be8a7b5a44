"""Japan's investment pledge in India: disbursement, exchange rate, sector split and FDI stock.

Pure, vectorised functions over arrays shaped (draw, year[, sector]); no I/O. Each public function
checks its inputs and calls a private kernel. Equations (docs/model.md, section "Investment"):

    I_t   = r * P * 1000 * w_t / fx_t                      [usd_bn; P in jpy_tn, fx in jpy_per_usd]
    I_t,k = s_k * I_t
    K_t   = (1 - delta) * K_{t-1} + I_t + b_t,  K_{-1} = K_0  [usd_bn]
    fx_t  = fxbar_t * exp(sigma * W_t),  W_0 = 0,  W_t = W_{t-1} + z_t,  z_t ~ N(0, 1)

Sources: the pledge (JPY 10 trillion, India–Japan Joint Vision for the Next Decade, Aug 2025) and
the starting stock (US$43 bn) from the source article (seeds/article_figures.toml); the
disbursement shapes, realisation, depreciation and exchange-rate volatility are assumptions.
"""
from __future__ import annotations

import numpy as np
import scipy.special

PROFILES = ("uniform", "front_loaded", "back_loaded", "s_curve", "explicit")
JPY_TN_PER_USD_BN_AT_1_YEN = 1000.0  # 1 trillion yen at 1 yen per dollar = 1000 billion dollars


def disbursement_profile(profile: str, n_years: int, *, midpoint=None, steepness=None, shares=None) -> np.ndarray:
    """Shares w_t of the pledge disbursed in each pledge year t = 0..T-1; they sum to one.

    uniform        w_t = 1/T
    front_loaded   w_t = 2(T - t) / (T(T + 1))              (linear decline)
    back_loaded    w_t = 2(t + 1) / (T(T + 1))              (linear rise)
    s_curve        w_t = (F(t + 1) - F(t)) / (F(T) - F(0)),  F(x) = 1 / (1 + exp(-k(x - m)))
    explicit       w_t = shares[t]

    For the S-curve, `midpoint` m (years, default T/2) and `steepness` k (> 0, default 1) may be
    arrays of shape (n,), giving weights of shape (n, T); every other profile ignores them and gives
    shape (T,).
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown disbursement profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if n_years < 1:
        raise ValueError(f"n_years must be >= 1, got {n_years}")
    t = np.arange(n_years)  # the profiles divide, so their weights are float
    if profile == "uniform":
        return np.full(n_years, 1.0 / n_years)
    if profile == "front_loaded":
        return 2 * (n_years - t) / (n_years * (n_years + 1))
    if profile == "back_loaded":
        return 2 * (t + 1) / (n_years * (n_years + 1))
    if profile == "explicit":
        w = np.asarray(shares, dtype=float)
        if w.shape != (n_years,) or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
            raise ValueError(f"explicit shares must be {n_years} non-negative numbers summing to 1, got {shares!r}")
        return w
    m = np.asarray(midpoint if midpoint is not None else n_years / 2)
    k = np.asarray(steepness if steepness is not None else 1.0)
    if np.any(k <= 0):
        raise ValueError("s_curve steepness must be > 0")
    edges = np.arange(n_years + 1)
    F = scipy.special.expit(k[..., None] * (edges - m[..., None]))  # the logistic 1 / (1 + e^-x)
    return np.diff(F) / (F[..., -1:] - F[..., :1])  # np.diff takes the last axis, the years


def place_in_horizon(weights: np.ndarray, pledge_start: int, years: np.ndarray) -> np.ndarray:
    """Spread pledge-year weights over calendar years; years outside the pledge period get 0."""
    weights = np.asarray(weights, dtype=float)
    idx = np.asarray(years) - pledge_start
    inside = (idx >= 0) & (idx < weights.shape[-1])
    out = np.zeros(weights.shape[:-1] + (len(years),))
    out[..., inside] = weights[..., idx[inside]]
    return out


def fx_path(level: np.ndarray, log_volatility: np.ndarray, shocks: np.ndarray | None) -> np.ndarray:
    """fx_t = level_t * exp(sigma * W_t) with W a standard random walk starting at 0 in the first year.

    `level` (n, T) or (T,), `log_volatility` (n,) or scalar, `shocks` (n, T-1) standard normals or None.
    """
    level = np.asarray(level, dtype=float)
    if shocks is None or shocks.shape[-1] == 0:
        return level
    walk = np.concatenate([np.zeros(shocks.shape[:-1] + (1,)), np.cumsum(shocks, axis=-1)], axis=-1)
    return level * np.exp(np.asarray(log_volatility)[..., None] * walk)


def pledge_disbursement(pledge_jpy_tn, realisation_rate, weights, fx_jpy_per_usd) -> np.ndarray:
    """I_t = r * P * 1000 * w_t / fx_t, in usd_bn; shapes broadcast to (n, T)."""
    P = np.asarray(pledge_jpy_tn, dtype=float)
    r = np.asarray(realisation_rate, dtype=float)
    fx = np.asarray(fx_jpy_per_usd, dtype=float)
    if np.any(fx <= 0):
        raise ValueError("exchange rate must be > 0 JPY per USD")
    return (r * P)[..., None] * JPY_TN_PER_USD_BN_AT_1_YEN * np.asarray(weights) / fx


def fdi_stock(flows: np.ndarray, start_stock, depreciation_rate, other_inflows=0.0) -> np.ndarray:
    """K_t = (1 - delta) K_{t-1} + I_t + b_t from K_{-1} = K_0, for every draw at once; shape (n, T).

    A perpetual-inventory accumulation (the same recursion as a capital stock with geometric
    depreciation); the loop runs over years only, all draws move together.
    """
    flows = np.asarray(flows, dtype=float)
    delta = np.asarray(depreciation_rate, dtype=float)
    if np.any((delta < 0) | (delta > 1)):
        raise ValueError("depreciation_rate must lie in [0, 1]")
    inflow = flows + other_inflows  # float flows: the sum is float whatever other_inflows is
    keep = np.broadcast_to(1.0 - delta, flows.shape[:-1])
    stock = np.empty(inflow.shape)  # keep's shape is flows' without years, which inflow already covers
    previous = np.broadcast_to(start_stock, stock.shape[:-1])
    for t in range(stock.shape[-1]):
        previous = keep * previous + inflow[..., t]
        stock[..., t] = previous
    return stock


def sector_split(flows: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """I_t,k = s_k I_t: (n, T) flows and (n, S) or (S,) shares give (n, T, S)."""
    shares = np.asarray(shares, dtype=float)
    if shares.ndim == 1:
        return flows[..., None] * shares
    return flows[..., :, None] * shares[..., None, :]
