"""Inverse CDFs fast enough for a million draws: closed forms where they exist, tables elsewhere.

scipy's beta (PERT), truncated-normal and gamma quantile functions invert the CDF numerically at
about a microsecond a draw, which made them the largest cost of a run (docs/performance.md). For
those families `TabulatedInverse` evaluates F^-1 once at CELLS + 1 points equally spaced in
z = logit(u) over [EDGE, 1 - EDGE], with slopes dx/dz = u (1 - u) / f(x), and interpolates with
cubic Hermite polynomials between them (the error term of Hermite interpolation bounds the error on
a cell of width h by h^4 max|d4x/dz4| / 384); draws beyond that range use the exact function. When
a table is built its error is measured at every cell midpoint against the exact function; a table
that misses TOLERANCE is not used (the exact function is), so accuracy never depends on the shape.
"""
from __future__ import annotations

import threading
from typing import Any

import numba
import numpy as np
from scipy import special

EDGE = 2.0 ** -20  # draws below EDGE or above 1 - EDGE (two in a million) use the exact inverse
CELLS = 2048
_Z_LO = float(np.log(EDGE / (1 - EDGE)))  # logit(EDGE)
TOLERANCE = 1e-9  # largest error allowed, relative to the spread F^-1(1 - 2^-10) - F^-1(2^-10);
# scipy's own beta inverse is off by up to about 1e-10 of the spread at some points (boost ibeta_inv)


def spread_of(frozen: Any) -> float:
    """The scale errors are measured against: the range of the middle 1 - 2^-9 of the distribution."""
    lo, hi = frozen.ppf([2.0 ** -10, 1 - 2.0 ** -10])
    return float(hi - lo)


class TabulatedInverse:
    """F^-1 of a distribution with ppf and pdf (`families`, or a frozen scipy one) by cubic Hermite
    interpolation in z = logit(u), built on first use. The logit grid is fine where F^-1 bends
    sharply (near u = 0 and 1) and coarse in the middle, so one small table serves every shape.

    With `log_scale` the table holds log F^-1 and the check is on relative error: for positive
    variates whose ratios matter (the Gamma draws normalised into Dirichlet shares), where a tiny
    shape puts F^-1 across hundreds of orders of magnitude and absolute accuracy means nothing."""

    def __init__(self, frozen: Any, log_scale: bool = False):
        self.frozen, self.log_scale = frozen, log_scale
        self._table: tuple[np.ndarray, np.ndarray] | None = None
        self.exact_only = False
        self.max_error: float | None = None  # measured when the table is built
        self._building = threading.Lock()

    def _build(self) -> None:
        """Build and check the table; publish it only once the check has decided whether to use it,
        so that no thread ever uses a table that is about to be rejected."""
        z = np.linspace(_Z_LO, -_Z_LO, CELLS + 1)
        u = special.expit(z)
        x = self.frozen.ppf(u)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            slope = (z[1] - z[0]) * u * (1 - u) / self.frozen.pdf(x)  # dx/dz, scaled to one cell
            if self.log_scale:
                x, slope = np.log(x), slope / x  # d(log x)/dz
        table = (x, slope)
        spread = spread_of(self.frozen)
        usable = bool(np.all(np.isfinite(x)) and np.all(np.isfinite(slope)) and spread > 0)
        if usable:
            middle = special.expit((z[:-1] + z[1:]) / 2)
            exact = self.frozen.ppf(middle)
            approx = _interpolate(table, middle)
            if self.log_scale:  # relative error, where the exact inverse has not underflowed
                normal = exact > np.finfo(float).tiny
                self.max_error = float(np.max(np.abs(np.exp(approx[normal]) / exact[normal] - 1.0)))
                usable = self.max_error <= TOLERANCE
            else:
                self.max_error = float(np.max(np.abs(approx - exact)))
                usable = self.max_error <= TOLERANCE * spread
        self.exact_only = not usable
        self._table = table

    def _ready(self) -> None:
        if self._table is None:
            with self._building:
                if self._table is None:
                    self._build()

    def _in_table_space(self, u: np.ndarray, exact) -> np.ndarray:
        """Interpolated values (x, or log x for a `log_scale` table), with `exact` (scipy's inverse in
        the same space) for the tails."""
        self._ready()
        if self.exact_only:
            return exact(u)
        out = _interpolate(self._table, u)
        tails = (u < EDGE) | (u > 1 - EDGE)
        if tails.any():
            out[tails] = exact(u[tails])
        return out

    def __call__(self, u) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        if not self.log_scale:
            return self._in_table_space(u, self.frozen.ppf)
        self._ready()
        return self.frozen.ppf(u) if self.exact_only else np.exp(self.log(u))

    def log(self, u) -> np.ndarray:
        """log F^-1(u) for a `log_scale` table, without going through F^-1 itself, which underflows
        to 0 for tiny Gamma shapes (-inf where even the exact inverse underflows)."""
        if not self.log_scale:
            raise ValueError("log() needs a table built with log_scale=True")
        with np.errstate(divide="ignore"):
            return self._in_table_space(np.asarray(u, dtype=float), lambda v: np.log(self.frozen.ppf(v)))

    def __getstate__(self):  # the table is rebuilt where it is used, not shipped to workers
        return {"frozen": self.frozen, "log_scale": self.log_scale}

    def __setstate__(self, state):
        self.__init__(state["frozen"], state["log_scale"])


class ClosedFormInverse:
    """F^-1 by its formula: uniform, exponential, normal and lognormal."""
    FAMILIES = ("uniform", "exponential", "normal", "lognormal")

    def __init__(self, family: str, params: dict[str, float]):
        if family not in self.FAMILIES:
            raise ValueError(f"no closed-form inverse for {family!r}")
        self.family, self.params = family, dict(params)

    def __call__(self, u) -> np.ndarray:
        u, p = np.asarray(u, dtype=float), self.params
        if self.family == "uniform":
            return p["min"] + (p["max"] - p["min"]) * u
        if self.family == "exponential":
            return -p["mean"] * np.log1p(-u)
        z = special.ndtri(u)
        if self.family == "normal":
            return p["mean"] + p["sd"] * z
        return p["median"] * np.exp(p["sigma"] * z)


def inverse_cdf(family: str, params: dict[str, float], frozen: Any):
    """The fastest accurate F^-1 for a distribution: a closed form, else a checked table."""
    if family in ClosedFormInverse.FAMILIES:
        return ClosedFormInverse(family, params)
    if family == "triangular":  # scipy's is a closed form already; its kink at the mode defeats a table
        return frozen.ppf
    return TabulatedInverse(frozen)


def _interpolate(table: tuple[np.ndarray, np.ndarray], u: np.ndarray) -> np.ndarray:
    x, slope = table
    return _hermite(np.ascontiguousarray(u, dtype=float).ravel(), x, slope, _Z_LO,
                    CELLS / (-2 * _Z_LO)).reshape(np.shape(u))


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _hermite(u, x, slope, z_lo, cells_per_z):  # pragma: no cover - compiled; tested through TabulatedInverse
    """Cubic Hermite interpolation of the table at z = logit(u), one pass over the draws."""
    out = np.empty_like(u)
    last = len(x) - 2
    for i in range(len(u)):
        position = (np.log(u[i] / (1.0 - u[i])) - z_lo) * cells_per_z
        cell = min(max(int(position), 0), last)
        t = position - cell
        t2 = t * t
        t3 = t2 * t
        out[i] = ((2 * t3 - 3 * t2 + 1) * x[cell] + (t3 - 2 * t2 + t) * slope[cell]
                  + (3 * t2 - 2 * t3) * x[cell + 1] + (t3 - t2) * slope[cell + 1])
    return out
