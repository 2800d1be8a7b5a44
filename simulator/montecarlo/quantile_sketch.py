"""Streaming quantiles with a stated error bound: a log-linear histogram of integer counts.

Used when a run keeps no ensemble (`--ensemble none`), so its draws are seen once, block by block,
and never held together. Every value falls in a bin of the float64 number line whose width is
2^-MANTISSA_BITS of the bin's lower edge (the bins are the leading bits of the float's exponent and
mantissa, as in HDR histograms; DDSketch, Masson et al. 2019, uses the same relative-error idea):

* a quantile is numpy's `linear` quantile (the default of `np.quantile`) with each of the two order
  statistics it interpolates replaced by the midpoint of its bin; so the estimate q' of q obeys
  **|q' - q| <= 2^-(MANTISSA_BITS + 1) * max(|x_k|, |x_k+1|) + TINY**, a relative error of at most
  2^-11 (about 0.05%), where x_k, x_k+1 are the order statistics; values with |x| < TINY (2^-20)
  count as zero;
* the state is integer counts, so it does not depend on the order in which blocks arrive: the
  estimate is the same for any number of threads or workers;
* memory is one count per occupied stretch of bins per column, independent of the number of draws
  (a column spanning a factor of 10 uses about 3,400 bins).
"""
from __future__ import annotations

import numpy as np

MANTISSA_BITS = 10
TINY = 2.0 ** -20
RELATIVE_ERROR = 2.0 ** -(MANTISSA_BITS + 1)
_SHIFT = 52 - MANTISSA_BITS
_TINY_KEY = int(np.array(TINY).view(np.int64)) >> _SHIFT


def bin_keys(values: np.ndarray) -> np.ndarray:
    """Monotone integer bin keys: 0 for |x| < TINY, +k / -k for positive / negative x."""
    magnitude = np.abs(values, dtype=np.float64)
    keys = (magnitude.view(np.int64) >> _SHIFT) - (_TINY_KEY - 1)
    keys[magnitude < TINY] = 0
    np.negative(keys, out=keys, where=values < 0)
    return keys


def bin_midpoints(keys: np.ndarray) -> np.ndarray:
    """The value each key stands for: the midpoint of its bin (0 for the zero bin)."""
    magnitude_keys = np.abs(keys)
    lower = ((magnitude_keys + (_TINY_KEY - 1)) << _SHIFT).view(np.float64)
    upper = ((magnitude_keys + _TINY_KEY) << _SHIFT).view(np.float64)
    mid = np.where(magnitude_keys == 0, 0.0, 0.5 * (lower + upper))
    return np.where(keys < 0, -mid, mid)


class LogHistogram:
    """Counts per bin for each of `columns` columns; `add` a (draws, columns) block at a time."""

    def __init__(self, columns: int):
        self.columns = columns
        self.low = np.zeros(columns, np.int64)        # first key of each column's window
        self.width = np.zeros(columns, np.int64)      # 0: nothing seen yet
        self.counts = np.zeros(0, np.int64)           # the windows one after another
        self.n = 0

    def _offsets(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.width)[:-1]]).astype(np.int64)

    def _widen(self, low: np.ndarray, high: np.ndarray) -> None:
        """Grow the windows to cover [low, high] per column, keeping the counts (with some margin,
        so later blocks seldom need it again)."""
        seen = self.width > 0
        new_low = np.where(seen, np.minimum(self.low, low), low)
        new_high = np.where(seen, np.maximum(self.low + self.width - 1, high), high)
        margin = (new_high - new_low) // 8 + 16
        grow_low = (new_low < self.low) | ~seen
        grow_high = (new_high > self.low + self.width - 1) | ~seen
        new_low = np.where(grow_low, new_low - margin, self.low)
        new_high = np.where(grow_high, new_high + margin, self.low + self.width - 1)
        new_width = new_high - new_low + 1
        counts = np.zeros(int(new_width.sum()), np.int64)
        old_offsets, new_offsets = self._offsets(), np.concatenate([[0], np.cumsum(new_width)[:-1]])
        for c in np.flatnonzero(seen):
            start = new_offsets[c] + self.low[c] - new_low[c]
            counts[start:start + self.width[c]] = self.counts[old_offsets[c]:old_offsets[c] + self.width[c]]
        self.low, self.width, self.counts = new_low.astype(np.int64), new_width.astype(np.int64), counts

    def add(self, block: np.ndarray) -> None:
        """Count a (draws, columns) block."""
        block = np.asarray(block).reshape(block.shape[0], -1)
        if block.shape[1] != self.columns:
            raise ValueError(f"block has {block.shape[1]} columns, the histogram {self.columns}")
        if block.shape[0] == 0:
            return
        keys = bin_keys(block)
        low, high = keys.min(axis=0), keys.max(axis=0)
        if ((self.width == 0) | (low < self.low) | (high > self.low + self.width - 1)).any():
            self._widen(low, high)
        keys -= self.low - self._offsets()
        self.counts += np.bincount(keys.ravel(), minlength=self.counts.size)
        self.n += block.shape[0]

    def quantiles(self, probabilities) -> np.ndarray:
        """(len(probabilities), columns) estimates of numpy's linear quantiles (error bound above)."""
        probabilities = np.asarray(probabilities, dtype=np.float64)
        if self.n == 0:
            raise ValueError("no values counted")
        position = (self.n - 1) * probabilities  # numpy's virtual index for method="linear"
        below = np.floor(position)
        gamma = position - below
        ranks = np.stack([below, np.minimum(below + 1, self.n - 1)]).astype(np.int64)  # (2, q)
        out = np.empty((probabilities.size, self.columns))
        offsets = self._offsets()
        for c in range(self.columns):
            cum = np.cumsum(self.counts[offsets[c]:offsets[c] + self.width[c]])
            keys = np.searchsorted(cum, ranks, side="right") + self.low[c]
            a, b = bin_midpoints(keys)
            out[:, c] = lerp(a, b, gamma)
        return out


def lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """numpy's own interpolation between order statistics (numpy.lib._function_base_impl._lerp),
    so that exact order statistics give exactly np.quantile's numbers."""
    diff = b - a
    out = np.asarray(a + diff * t)
    np.subtract(b, diff * (1 - t), out=out, where=t >= 0.5)
    return out
