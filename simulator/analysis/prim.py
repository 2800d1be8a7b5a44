"""PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), for a boolean outcome.

Peeling: starting from the box that holds every point, remove the `peel_alpha` share of the box's
points at the low or the high end of one input, choosing, among the 2 x inputs candidates, the
one whose remaining box has the highest share of cases (density, the mean of y). Repeat while the
best peel raises the density and the box keeps at least `mass_min` of all points. Every box on the
way is kept: the peeling trajectory, the coverage/density trade-off a user chooses from.

Pasting: after a box is chosen, let each of its limits out by up to `paste_alpha` of its points
where that does not lower the density (Friedman & Fisher's second phase, which undoes peels that
went a little too far because they moved in fixed steps).

Quasi-p-values (Bryant & Lempert 2010, as EMA Workbench computes them): for each restriction, a
one-sided binomial test of the box's cases against the density of the box without that
restriction. A large value says the restriction adds nothing significant.

Arrays in, arrays out: no pandas here (`discovery.py` labels the results). Every step is a few
vectorised passes over the box's points, so a 10,000-point, 30-input search takes well under a
second and bootstrapping it is affordable.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Box:
    """Limits per input (-inf / inf where unrestricted) and which points lie inside."""

    low: np.ndarray
    high: np.ndarray
    inside: np.ndarray  # bool (n,)

    @property
    def restricted(self) -> np.ndarray:
        return np.isfinite(self.low) | np.isfinite(self.high)


def in_box(X: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Points whose every input lies within [low, high] (only restricted inputs are compared)."""
    cols = np.flatnonzero(np.isfinite(low) | np.isfinite(high))
    inside = np.ones(len(X), dtype=bool)
    for j in cols:
        inside &= (X[:, j] >= low[j]) & (X[:, j] <= high[j])
    return inside


def stats(inside: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(coverage, density, mass): the share of all cases inside the box, the share of the box's
    points that are cases, and the share of all points inside the box."""
    n_in = int(inside.sum())
    k_in = int(y[inside].sum())
    k_all = int(y.sum())
    coverage = k_in / k_all if k_all else np.nan
    density = k_in / n_in if n_in else np.nan
    return coverage, density, n_in / len(y)


def peel(X: np.ndarray, y: np.ndarray, peel_alpha: float = 0.05, mass_min: float = 0.05) -> list[Box]:
    """The peeling trajectory: the full box first, then each box after one more peel."""
    n, d = X.shape
    yb_all = y.astype(bool)
    XT = np.ascontiguousarray(X.T)  # one input per row: partitions run along contiguous memory
    low, high = np.full(d, -np.inf), np.full(d, np.inf)
    inside = np.ones(n, dtype=bool)
    trajectory = [Box(low.copy(), high.copy(), inside.copy())]
    while True:
        idx = np.flatnonzero(inside)
        XbT, yb = XT.take(idx, axis=1), yb_all[idx]
        m = len(idx)
        density = np.count_nonzero(yb) / m
        # Peel the k = alpha * m lowest (or highest) points: cut at the (k+1)-th order statistic.
        k = int(peel_alpha * m)
        if k == 0:
            break
        ordered = np.partition(XbT, (k, m - 1 - k))  # along each input (the last axis)
        cut_low, cut_high = ordered[:, k], ordered[:, m - 1 - k]
        keep_low = XbT >= cut_low[:, None]  # (d, m): keep x >= the cut
        keep_high = XbT <= cut_high[:, None]
        n_new = np.concatenate([np.count_nonzero(keep_low, axis=1), np.count_nonzero(keep_high, axis=1)])
        k_new = np.concatenate([np.count_nonzero(keep_low & yb, axis=1), np.count_nonzero(keep_high & yb, axis=1)])
        # A peel must leave at least mass_min of all points. (One that removes nothing keeps the density,
        # so it never passes the test below; and every peel keeps its cut point, so n_new > 0.)
        valid = n_new >= mass_min * n
        if not valid.any():
            break
        new_density = np.where(valid, k_new / np.maximum(n_new, 1), -np.inf)
        best = int(np.argmax(new_density))  # ties: the first input, low end before high (deterministic)
        if new_density[best] <= density:
            break
        j, side = best % d, best // d
        if side == 0:
            low[j] = cut_low[j]
            inside[idx[~keep_low[j]]] = False
        else:
            high[j] = cut_high[j]
            inside[idx[~keep_high[j]]] = False
        trajectory.append(Box(low.copy(), high.copy(), inside.copy()))
    return trajectory


def paste(X: np.ndarray, y: np.ndarray, box: Box, paste_alpha: float = 0.05) -> Box:
    """Let the box's limits out, one step at a time, while the density does not fall."""
    low, high, inside = box.low.copy(), box.high.copy(), box.inside.copy()
    yf = y.astype(float)
    while True:
        m = int(inside.sum())
        density = yf[inside].mean()
        step = max(1, int(np.ceil(paste_alpha * m)))
        best = None  # (new density, input, side, new limit, points added)
        for j in np.flatnonzero(np.isfinite(low) | np.isfinite(high)):
            # Points inside the box on every other input: the slab along input j.
            others_low, others_high = low.copy(), high.copy()
            others_low[j], others_high[j] = -np.inf, np.inf
            slab = in_box(X, others_low, others_high) & ~inside
            for side, limit in ((0, low[j]), (1, high[j])):
                if not np.isfinite(limit):
                    continue
                cand = np.flatnonzero(slab & ((X[:, j] < limit) if side == 0 else (X[:, j] > limit)))
                if len(cand) == 0:
                    continue
                order = np.argsort(-X[cand, j] if side == 0 else X[cand, j], kind="stable")
                new_limit = X[cand[order[min(step, len(cand)) - 1]], j]
                added = cand[(X[cand, j] >= new_limit) if side == 0 else (X[cand, j] <= new_limit)]
                new_density = (yf[inside].sum() + yf[added].sum()) / (m + len(added))
                if best is None or new_density > best[0]:
                    best = (new_density, j, side, new_limit, added)
        if best is None or best[0] < density:
            break
        _, j, side, new_limit, added = best
        # The whole data range reached: the restriction is gone.
        if side == 0:
            low[j] = -np.inf if new_limit <= X[:, j].min() else new_limit
        else:
            high[j] = np.inf if new_limit >= X[:, j].max() else new_limit
        inside[added] = True
    return Box(low, high, inside)


def quasi_p_values(X: np.ndarray, y: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray]:
    """One-sided binomial test per restricted limit (NaN where the side is unrestricted): the
    probability of at least the box's cases among its points if the density were that of the box
    with this one limit removed."""
    from scipy.stats import binomtest

    n_box, k_box = int(box.inside.sum()), int(y[box.inside].sum())
    out = [np.full(len(box.low), np.nan), np.full(len(box.low), np.nan)]
    for side, limits in enumerate((box.low, box.high)):
        for j in np.flatnonzero(np.isfinite(limits)):
            low, high = box.low.copy(), box.high.copy()
            (low if side == 0 else high)[j] = -np.inf if side == 0 else np.inf
            wider = in_box(X, low, high)
            p = y[wider].mean()
            out[side][j] = binomtest(k_box, n_box, p, alternative="greater").pvalue if n_box else np.nan
    return out[0], out[1]


def choose(trajectory_stats: np.ndarray, min_density: float | None = None) -> int:
    """Index of the box to report from rows of `stats` (coverage, density, mass): the highest
    coverage among boxes with at least `min_density`, or, by default, the best balance of the two
    (the highest harmonic mean, 2cd / (c + d), so neither a box of few cases nor one of low density
    wins)."""
    coverage, density = trajectory_stats[:, 0], trajectory_stats[:, 1]
    if min_density is not None:
        ok = np.flatnonzero(density >= min_density)
        return int(ok[np.argmax(coverage[ok])]) if len(ok) else int(np.argmax(density))
    with np.errstate(invalid="ignore"):  # 0/0 for a box of coverage and density 0 (c + d = 0 only then)
        f1 = np.nan_to_num(2 * coverage * density / (coverage + density), nan=-1.0)
    return int(np.argmax(f1))


def prim(X: np.ndarray, y: np.ndarray, *, peel_alpha: float = 0.05, paste_alpha: float = 0.05,
         mass_min: float = 0.05, min_density: float | None = None) -> tuple[Box, list[Box], int]:
    """Peel, choose a box from the trajectory, paste it. Returns (box, trajectory, chosen index)."""
    trajectory = peel(X, y, peel_alpha, mass_min)
    rows = np.array([stats(b.inside, y) for b in trajectory])  # coverage, density, mass: choose reads the first two
    i = choose(rows, min_density)
    return paste(X, y, trajectory[i], paste_alpha), trajectory, i
