"""Bilateral trade between India and Japan: growth, FDI linkage and tariffs.

Pure, vectorised over (draw, year). With years counted from the base year b (FY2023-24):

    X_t = X_0 * (1 + g_X)^(t-b) * exp(sigma_X * S^X_t) * (K_{t-L_X} / K_0)^beta_X * m^JP_t + phi * D_t
    M_t = M_0 * (1 + g_M)^(t-b) * exp(sigma_M * S^M_t) * (K_{t-L_M} / K_0)^beta_M * m^IN_t

X: India's exports to Japan; M: Japan's exports to India (India's imports from Japan);
S_t = sum of standard-normal shocks since the base year, correlated across X and M with rho;
K: Japanese FDI stock in India (investment module), K_s = K_0 before the horizon, linear between
years for fractional lags; m: tariff multipliers (core.tariffs); D: exports diverted from the US.
Balance = X - M (India's, negative is a deficit), total = X + M, cover ratio = X / M.

The FDI linkage follows the complementarity of FDI and trade (Fontagné 1999, OECD STI WP 1999/3;
Bayoumi & Lipworth 1997, IMF WP/97/103: Japanese FDI raises Japan's imports permanently and its
exports temporarily); elasticities and lags here are assumptions.
"""
from __future__ import annotations

import numpy as np


def _col(x) -> np.ndarray:
    """Scalars and (n,) arrays as a column that broadcasts against (n, T) or (T,)."""
    return np.asarray(x, dtype=float)[..., None]


def correlated_shocks(z1: np.ndarray, z2: np.ndarray, rho) -> tuple[np.ndarray, np.ndarray]:
    """Two standard-normal shock series with correlation rho (Cholesky of [[1, rho], [rho, 1]])."""
    if np.any(np.abs(np.asarray(rho)) > 1):
        raise ValueError("correlation must lie in [-1, 1]")
    r = _col(rho)
    return z1, r * z1 + np.sqrt(1.0 - r**2) * z2


def grown_flow(base, growth, volatility, shocks: np.ndarray, years_since_base: np.ndarray) -> np.ndarray:
    """F_t = F_0 (1 + g)^(t-b) exp(sigma * S_t) for the horizon years.

    `shocks` (n, t_end - b) are the yearly standard normals from the year after the base year to
    the last horizon year; `years_since_base` (T,) picks the horizon years (each >= 1).
    With sigma = 0 this is exactly F_0 (1 + g)^(t-b): g is the median growth rate.
    """
    if np.any(np.asarray(growth) <= -1):
        raise ValueError("growth rates must be > -100%")
    k = np.asarray(years_since_base)
    if np.any(k < 1):
        raise ValueError("horizon years must come after the base year")
    cumulative = np.cumsum(shocks, axis=-1)[..., k - 1]
    # (1 + g)^k exp(sigma S) as one exponential: exp and log1p are vectorised, a general power is not.
    return _col(base) * np.exp(np.log1p(_col(growth)) * k + _col(volatility) * cumulative)


def lagged_stock(stock: np.ndarray, start_stock, lag) -> np.ndarray:
    """K_{t-L} for each horizon year t: K_0 before the horizon, linear between years for fractional L."""
    stock = np.asarray(stock, dtype=float)
    n, T = stock.shape
    L = np.broadcast_to(lag, (n,))
    if np.any(L < 0):
        raise ValueError("lags must be >= 0")
    k0 = np.broadcast_to(start_stock, (n,))
    padded = np.concatenate([k0[:, None], stock], axis=1)  # column 0: before the horizon
    if np.ndim(lag) == 0:  # one lag for every draw: whole columns, no per-draw gather
        position = np.maximum(np.arange(1, T + 1) - float(lag), 0)  # t - L <= T: only 0 can bind
        lo = np.floor(position).astype(int)
        frac = position - lo
        return padded[:, lo] * (1 - frac) + padded[:, np.minimum(lo + 1, T)] * frac
    position = np.maximum(np.arange(1, T + 1)[None, :] - L[:, None], 0)  # where t - L falls in `padded`
    lo = np.floor(position).astype(int)
    hi = np.minimum(lo + 1, T)
    frac = position - lo
    rows = np.arange(n)[:, None]
    return padded[rows, lo] * (1 - frac) + padded[rows, hi] * frac


def fdi_linkage(stock: np.ndarray, start_stock, elasticity, lag) -> np.ndarray:
    """(K_{t-L} / K_0)^beta; 1 everywhere when beta = 0 or the stock has not moved."""
    if np.any(np.asarray(start_stock) <= 0):
        raise ValueError("the FDI linkage needs a positive starting stock")
    beta = _col(elasticity)
    with np.errstate(divide="ignore", invalid="ignore"):  # a stock run down to 0: log 0 = -inf
        exponent = np.log(lagged_stock(stock, start_stock, lag) / _col(start_stock)) * beta
    # exp(beta log x) instead of x ** beta (vectorised); beta = 0 gives 1 even where x = 0, as 0 ** 0 does.
    return np.exp(np.where(beta == 0, 0.0, exponent))


def trade_balance(exports: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """India's bilateral balance with Japan, X - M (negative is a deficit)."""
    return exports - imports
