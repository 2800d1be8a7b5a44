"""Tariff paths to trade-flow multipliers: constant elasticity with a phase-in over time.

Partial equilibrium in the constant-elasticity "hat" form used by SMART (Laird & Yeats 1986;
Jammes & Olarreaga 2005): a change of the ad-valorem tariff from tau_0 to tau_1 scales the flow by

    ((1 + tau_1) / (1 + tau_0)) ** (-theta)

The elasticity grows with the time since the change (Boehm, Levchenko & Pandalai-Nayar 2023,
AER 113(4), CEPR DP14645: about 0.76 in the year after a change, 1.75-2.25 after 7-10 years):

    theta(h) = theta_SR + (theta_LR - theta_SR) * min(h / H, 1),   h = years since the change

With several changes, each responds with its own age (a distributed lag):

    m_t = exp( - sum_{c <= t} theta(t - c) * [log(1 + tau_c) - log(1 + tau_{c-1})] )

which for a single change is exactly the hat form above with theta(t - c).
"""
from __future__ import annotations

import numpy as np


def elasticity_phase_in(years_since: np.ndarray, short_run, long_run, years_to_long_run) -> np.ndarray:
    """theta(h) for ages h >= 0; parameters scalars or (n,) arrays -> shape (n, len(h)) or (len(h),)."""
    h = np.asarray(years_since, dtype=float)
    if np.any(h < 0):
        raise ValueError("years since a tariff change must be >= 0")
    H = np.asarray(years_to_long_run, dtype=float)
    if np.any(H <= 0):
        raise ValueError("years_to_long_run must be > 0")
    sr = np.asarray(short_run, dtype=float)[..., None]
    lr = np.asarray(long_run, dtype=float)[..., None]
    return sr + (lr - sr) * np.minimum(h / H[..., None], 1.0)


def tariff_multiplier(tariff_path: np.ndarray, short_run, long_run, years_to_long_run,
                      relative_to: np.ndarray | None = None) -> np.ndarray:
    """m_t for a yearly tariff path (fractions: 0.5 is 50%) whose first entry is the base year.

    `relative_to`: the tariff that competitors pay in the same market; then the change of
    (1 + tau) / (1 + tau_competitors) is what moves the flow (the same rise for every exporter
    moves nothing). Returns the multiplier for every year of the path (1 in the base year),
    shape (n, T) or (T,).
    """
    tau = np.asarray(tariff_path, dtype=float)
    if np.any(tau <= -1):
        raise ValueError("tariffs must be > -100%")
    log_tariff = np.log1p(tau)
    if relative_to is not None:
        rivals = np.asarray(relative_to, dtype=float)
        if np.any(rivals <= -1):
            raise ValueError("tariffs must be > -100%")
        log_tariff = log_tariff - np.log1p(rivals)  # exactly the same numbers when rivals pay 0
    steps = np.diff(log_tariff)  # change entering in year c = 1..T-1
    T = tau.shape[-1]
    log_m = np.zeros(np.broadcast_shapes(np.shape(short_run), np.shape(long_run),
                                         np.shape(years_to_long_run)) + (T,))
    for c in np.flatnonzero(steps):
        ages = np.arange(T - (c + 1))
        theta = elasticity_phase_in(ages, short_run, long_run, years_to_long_run)
        log_m[..., c + 1:] -= theta * steps[c]
    return np.exp(log_m)


def diverted_exports(exports_before_tariff: np.ndarray, multiplier: np.ndarray, coverage) -> np.ndarray:
    """D_t = E_t * c * max(0, 1 - m_t): exports pushed out of a market by a tariff rise.

    `c` is the share of the flow the tariff covers (exempt goods keep their market). A tariff
    that falls back to or below its base level diverts nothing; it does not pull other trade in.
    """
    c = np.asarray(coverage, dtype=float)
    if np.any((c < 0) | (c > 1)):
        raise ValueError("coverage must lie in [0, 1]")
    return exports_before_tariff * c[..., None] * np.maximum(0.0, 1.0 - multiplier)
