"""Uniform random numbers for the uncertain inputs, generated block by block.

Every block of draws has its own seeds, derived from the run's root seed with
``numpy.random.SeedSequence(seed, spawn_key=...)``, so a block's numbers depend only on
(seed, block index, block size), never on how many processes computed the blocks or in which order.

Monte Carlo and Latin hypercube give each input dimension its own stream, keyed by the
dimension's name: two scenarios that share an input draw the same numbers for it (common random
numbers), and adding an input to a scenario leaves the others' draws unchanged. Sobol' points are
joint across dimensions by construction, so they get one stream per block.
"""
from __future__ import annotations

import warnings
import zlib

import numpy as np

METHODS = ("mc", "lhs", "sobol")
# crc32 keys are < 2**32, so this key can never be a dimension's.
_SOBOL_KEY = 2**32
# Draws exactly at 0 or 1 map to infinite values under unbounded inverse CDFs.
_EPS = 2.0 ** -53


def block_sizes(draws: int, block_size: int) -> list[int]:
    """Sizes of the blocks that make up `draws` (all `block_size` but possibly the last)."""
    if draws < 1 or block_size < 1:
        raise ValueError(f"draws and block_size must be >= 1, got draws={draws}, block_size={block_size}")
    full, rest = divmod(draws, block_size)
    return [block_size] * full + ([rest] if rest else [])


def _generator(seed: int, block_index: int, key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block_index, key))))


def dimension_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def block_uniforms(dimensions: list[str], method: str, seed: int, block_index: int, n: int) -> dict[str, np.ndarray]:
    """Uniforms in (0, 1), shape (n,), for each named dimension of one block."""
    if method not in METHODS:
        raise ValueError(f"unknown sampling method {method!r}; choose one of {', '.join(METHODS)}")
    if len(set(dimensions)) != len(dimensions):
        raise ValueError("dimension names must be unique")
    if not dimensions:
        return {}
    if method == "sobol":
        from scipy.stats import qmc  # only here: importing scipy.stats costs a second (families.py)

        engine = qmc.Sobol(d=len(dimensions), scramble=True, rng=_generator(seed, block_index, _SOBOL_KEY))
        with warnings.catch_warnings():
            # Balance properties need a power of two; a short last block is still a valid sample.
            warnings.simplefilter("ignore", UserWarning)
            points = engine.random(n)
        return {d: np.clip(points[:, j], _EPS, 1 - _EPS) for j, d in enumerate(sorted(dimensions))}
    out = {}
    for d in dimensions:
        rng = _generator(seed, block_index, dimension_key(d))
        u = rng.random(n) if method == "mc" else latin_hypercube_1d(rng, n)
        out[d] = np.clip(u, _EPS, 1 - _EPS)
    return out


def latin_hypercube_1d(rng: np.random.Generator, n: int) -> np.ndarray:
    """One dimension of a Latin hypercube: one point in each interval [(k - 1) / n, k / n), in random
    order. The same numbers as ``qmc.LatinHypercube(d=1, rng=rng).random(n)[:, 0]`` (tested), without
    its per-call set-up, which cost more than the sampling for thousands of small calls."""
    rng = rng.spawn(1)[0]  # scipy draws from a child of the generator it is given
    offsets = rng.uniform(size=n)
    cells = np.arange(1, n + 1)
    rng.shuffle(cells)
    return (cells - offsets) / n
