"""Macro drivers of the bilateral flows: the importer's real GDP and the yen-dollar rate.

Gravity form (Anderson & van Wincoop 2003, AER 93(1); Head & Mayer 2014, Handbook of
International Economics vol. 4, ch. 3): a flow scales with the importer's income to the power of
an income elasticity, and with the bilateral exchange rate to the power of a price elasticity.
Both act on *deviations* from the reference the estimated trend already contains:

    income:  G_t = prod_{s=b+1..t} ((1 + g_s) / (1 + g^ref_s)) ** epsilon
    yen:     R_t = (fx_t / fx_ref) ** eta          (fx in JPY per USD: higher is a weaker yen)

Japan's exports to India scale with G(India) and R ** +eta_M (a weaker yen makes Japanese goods
cheaper in India); India's exports to Japan with G(Japan) and R ** -eta_X. Pure and vectorised;
with epsilon = eta = 0 both are exactly 1.
"""
from __future__ import annotations

import numpy as np


def income_multiplier(growth, reference_growth, elasticity) -> np.ndarray:
    """G_t for the years after the base year; growth arrays (K,) or (n, K), elasticity scalar or (n,)."""
    g, ref = np.asarray(growth, dtype=float), np.asarray(reference_growth, dtype=float)
    if np.any(g <= -1) or np.any(ref <= -1):
        raise ValueError("growth rates must be > -100%")
    eps = np.asarray(elasticity, dtype=float)[..., None]
    return np.exp(eps * np.cumsum(np.log1p(g) - np.log1p(ref), axis=-1))


def exchange_rate_multiplier(fx, fx_reference, elasticity) -> np.ndarray:
    """R_t = (fx_t / fx_ref) ** eta; fx (T,) or (n, T) in JPY per USD."""
    fx, ref = np.asarray(fx, dtype=float), np.asarray(fx_reference, dtype=float)
    if np.any(fx <= 0) or np.any(ref <= 0):
        raise ValueError("exchange rates must be > 0")
    eta = np.asarray(elasticity, dtype=float)[..., None]
    return np.exp(eta * np.log(fx / ref[..., None]))  # a scalar reference becomes (1,): the same division
