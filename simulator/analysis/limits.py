"""Boxes with only the limits that matter: drop, one at a time, every limit whose removal does not
lower the density significantly, on the draws the box was found on and on held-out draws.

PRIM's peeling moves in small steps and takes any peel that raises the density on the search
draws, however little; a box of a dozen limits results, most of which fit noise (EMA Workbench's
users drop them by hand with `PrimBox.drop_restriction`, judging by the quasi-p-values). This does
it as a rule, by backward elimination:

1. For each limit (one side of one input), the box without it is the *wider* box. On the draws, the
   one-sided binomial test of the box's cases among its draws against the wider box's density (the
   quasi-p-value of Bryant & Lempert 2010, as EMA Workbench computes it) asks: would a box this
   dense arise by chance from the wider box?
2. A limit is kept only if that p-value is at most `alpha` on the search draws *and* on the
   held-out draws: a limit that fits only the draws it was found on does not raise the density on
   others, and one that is not significant even there adds nothing.
3. The limit with the largest p-value (the larger of the two) is dropped, the p-values of the others
   recomputed on the wider box, and so on until every limit left passes.

Arrays in, arrays out, like `prim.py`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.analysis.prim import in_box


@dataclass(frozen=True)
class DroppedLimit:
    """A limit tested and dropped: its input's column, side (0 low, 1 high), value and p-values."""

    column: int
    side: int
    value: float
    p_search: float
    p_held_out: float


def limit_p_value(X: np.ndarray, y: np.ndarray, low: np.ndarray, high: np.ndarray, column: int, side: int) -> float:
    """The quasi-p-value of one limit: P(at least the box's cases | the wider box's density)."""
    from scipy.stats import binomtest

    inside = in_box(X, low, high)
    wider_low, wider_high = low.copy(), high.copy()
    (wider_low if side == 0 else wider_high)[column] = -np.inf if side == 0 else np.inf
    wider = in_box(X, wider_low, wider_high)
    n_box, k_box = int(inside.sum()), int(y[inside].sum())
    if n_box == 0 or not wider.any():
        return 1.0  # no draw inside: nothing shows the limit matters
    return float(binomtest(k_box, n_box, float(y[wider].mean()), alternative="greater").pvalue)


def drop_limits(X: np.ndarray, y: np.ndarray, X_held: np.ndarray, y_held: np.ndarray, low: np.ndarray,
                high: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray, list[DroppedLimit]]:
    """Backward elimination of a box's limits (module docstring). Returns the kept box's (low,
    high) and the dropped limits in the order they were dropped."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    y, y_held = np.asarray(y, dtype=bool), np.asarray(y_held, dtype=bool)
    dropped: list[DroppedLimit] = []
    while True:
        limits = [(j, side) for side, bounds in enumerate((low, high)) for j in np.flatnonzero(np.isfinite(bounds))]
        if not limits:
            return low, high, dropped
        tests = [(limit_p_value(X, y, low, high, j, side), limit_p_value(X_held, y_held, low, high, j, side), j, side)
                 for j, side in limits]
        # The weakest limit: the largest of its two p-values (ties: the earlier input, low before high).
        worst = max(range(len(tests)), key=lambda i: (max(tests[i][0], tests[i][1]), -i))
        p_search, p_held, j, side = tests[worst]
        if max(p_search, p_held) <= alpha:
            return low, high, dropped
        bounds = low if side == 0 else high
        dropped.append(DroppedLimit(int(j), side, float(bounds[j]), p_search, p_held))
        bounds[j] = -np.inf if side == 0 else np.inf
