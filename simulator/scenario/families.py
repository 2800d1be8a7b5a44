"""The scenario distributions' ppf, pdf, cdf and mean on `scipy.special`, without `scipy.stats`.

`scipy.stats` takes a second or more to import (it builds the docstrings of a hundred distributions
and their array-API notes, scipy issue 22510), which was the largest single cost of starting a run.
The families a scenario can name need only a handful of special functions, the same ones
scipy.stats evaluates: each `_ppf`, `_pdf` and `_cdf` below is the scipy 1.17 formula of the same
name (`scipy/stats/_continuous_distns.py`), and the loc/scale wrapping is `rv_continuous`'s. Tests
compare every function with scipy.stats on grids of points and shapes, bit for bit where scipy
uses the same ufunc (tests/scenario/test_families.py): scipy.stats stays the oracle, not a dependency of a
run.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import special as sc

try:  # the ufunc scipy.stats.beta.pdf calls (Boost's beta density); older scipy: the log formula
    from scipy.special._ufuncs import _beta_pdf
except ImportError:  # pragma: no cover - depends on the installed scipy
    _beta_pdf = None

_SQRT_2PI = np.sqrt(2 * np.pi)
_LOG_SQRT_2PI = np.log(_SQRT_2PI)


class LocScale:
    """A standard distribution on [lower, upper] moved by `loc` and stretched by `scale`, evaluated as
    `rv_continuous` does: ppf(q) = _ppf(q) * scale + loc, pdf(x) = _pdf(z) / scale, cdf(x) = _cdf(z)
    with z = (x - loc) / scale; the support's ends at q = 0 and 1, 0 and 1 outside it, nan for nan."""
    lower, upper = -math.inf, math.inf

    def __init__(self, loc: float = 0.0, scale: float = 1.0):
        self.loc, self.scale = float(loc), float(scale)

    def ppf(self, q):
        q = np.asarray(q, dtype=float)
        out = np.full(q.shape, np.nan)
        inside = (q > 0) & (q < 1)
        out[inside] = self._ppf(q[inside]) * self.scale + self.loc
        out[q == 0] = self.lower * self.scale + self.loc
        out[q == 1] = self.upper * self.scale + self.loc
        return out[()]

    def pdf(self, x):
        z = (np.asarray(x, dtype=float) - self.loc) / self.scale
        out = np.where(np.isnan(z), np.nan, 0.0)
        inside = (z >= self.lower) & (z <= self.upper)
        out[inside] = self._pdf(z[inside]) / self.scale
        return out[()]

    def cdf(self, x):
        z = (np.asarray(x, dtype=float) - self.loc) / self.scale
        out = np.where(np.isnan(z), np.nan, np.where(z >= self.upper, 1.0, 0.0))
        inside = (z > self.lower) & (z < self.upper)
        out[inside] = self._cdf(z[inside])
        return out[()]

    def mean(self) -> float:
        return float(self._mean() * self.scale + self.loc)


class Normal(LocScale):
    def _ppf(self, q):
        return sc.ndtri(q)

    def _pdf(self, x):
        return np.exp(-x ** 2 / 2.0) / _SQRT_2PI

    def _cdf(self, x):
        return sc.ndtr(x)

    def _mean(self):
        return 0.0


class Exponential(LocScale):
    lower = 0.0

    def _ppf(self, q):
        return -sc.log1p(-q)

    def _pdf(self, x):
        return np.exp(-x)

    def _cdf(self, x):
        return -sc.expm1(-x)

    def _mean(self):
        return 1.0


class LogNormal(LocScale):
    """scipy's lognorm(s, scale=median)."""
    lower = 0.0

    def __init__(self, s: float, scale: float):
        super().__init__(0.0, scale)
        self.s = float(s)

    def _ppf(self, q):
        return np.exp(self.s * sc.ndtri(q))

    def _pdf(self, x):
        with np.errstate(divide="ignore", invalid="ignore"):
            log_pdf = -np.log(x) ** 2 / (2 * self.s ** 2) - np.log(self.s * x * np.sqrt(2 * np.pi))
        return np.exp(np.where(x != 0, log_pdf, -np.inf))

    def _cdf(self, x):
        with np.errstate(divide="ignore"):
            return sc.ndtr(np.log(x) / self.s)

    def _mean(self):
        return math.exp(self.s ** 2 / 2.0)


class Uniform(LocScale):
    lower, upper = 0.0, 1.0

    def _ppf(self, q):
        return q

    def _pdf(self, x):
        return np.ones_like(x)

    def _cdf(self, x):
        return x

    def _mean(self):
        return 0.5


class Triangular(LocScale):
    """scipy's triang(c): the mode at c of [0, 1]."""
    lower, upper = 0.0, 1.0

    def __init__(self, c: float, loc: float, scale: float):
        super().__init__(loc, scale)
        self.c = float(c)

    def _ppf(self, q):
        c = self.c
        return np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q)))

    # scipy's cases: the mode at either end has its own formula (no division by zero)
    def _pdf(self, x):
        c = self.c
        if c == 0:
            return 2 - 2 * x
        if c == 1:
            return 2 * x
        return np.where(x < c, 2 * x / c, 2 * (1 - x) / (1 - c))

    def _cdf(self, x):
        c = self.c
        if c == 0:
            return 2 * x - x * x
        if c == 1:
            return x * x
        return np.where(x < c, x * x / c, (x * x - 2 * x + c) / (c - 1))

    def _mean(self):
        return (self.c + 1.0) / 3.0


class Beta(LocScale):
    lower, upper = 0.0, 1.0

    def __init__(self, a: float, b: float, loc: float = 0.0, scale: float = 1.0):
        super().__init__(loc, scale)
        self.a, self.b = float(a), float(b)

    def _ppf(self, q):
        return sc.betaincinv(self.a, self.b, q)  # the Boost inverse scipy.stats.beta.ppf calls

    def _pdf(self, x):
        with np.errstate(over="ignore", divide="ignore"):
            if _beta_pdf is not None:
                return _beta_pdf(x, self.a, self.b)
            return np.exp(sc.xlog1py(self.b - 1.0, -x) + sc.xlogy(self.a - 1.0, x) - sc.betaln(self.a, self.b))

    def _cdf(self, x):
        return sc.betainc(self.a, self.b, x)

    def _mean(self):
        return self.a / (self.a + self.b)


class Gamma(LocScale):
    lower = 0.0

    def __init__(self, a: float):
        super().__init__()
        self.a = float(a)

    def _ppf(self, q):
        return sc.gammaincinv(self.a, q)

    def _pdf(self, x):
        with np.errstate(over="ignore"):  # x^(a - 1) for a tiny shape near 0: inf, as scipy's
            return np.exp(sc.xlogy(self.a - 1.0, x) - x - sc.gammaln(self.a))

    def _cdf(self, x):
        return sc.gammainc(self.a, x)

    def _mean(self):
        return self.a


class TruncatedNormal(LocScale):
    """scipy's truncnorm(a, b, loc, scale): a standard normal cut to [a, b], in logs where the tails
    would lose their digits (the left tail directly, the right one by symmetry)."""

    def __init__(self, a: float, b: float, loc: float, scale: float):
        super().__init__(loc, scale)
        self.a, self.b = float(a), float(b)
        self.lower, self.upper = self.a, self.b
        self._log_mass = float(_log_gauss_mass(np.asarray(self.a), np.asarray(self.b)))

    def _ppf(self, q):
        if self.a < 0:
            edge, log_q = sc.log_ndtr(self.a), np.log(q)
            return sc.ndtri_exp(sc.logsumexp([np.full_like(q, edge), log_q + self._log_mass], axis=0))
        edge, log_q = sc.log_ndtr(-self.b), np.log1p(-q)
        return -sc.ndtri_exp(sc.logsumexp([np.full_like(q, edge), log_q + self._log_mass], axis=0))

    def _pdf(self, x):
        return np.exp(-x ** 2 / 2.0 - _LOG_SQRT_2PI - self._log_mass)

    def _log_cdf(self, x):
        log_cdf = np.asarray(_log_gauss_mass(np.full_like(x, self.a), x) - self._log_mass)
        near_one = log_cdf > -0.1  # 1 - sf keeps the digits that exp(log cdf) would lose
        if np.any(near_one):
            log_sf = _log_gauss_mass(x[near_one], np.full_like(x[near_one], self.b)) - self._log_mass
            log_cdf[near_one] = np.log1p(-np.exp(log_sf))
        return log_cdf

    def _cdf(self, x):
        return np.exp(self._log_cdf(x))

    def _mean(self):
        return float(self._pdf(np.asarray(self.a)) - self._pdf(np.asarray(self.b)))


def _log_gauss_mass(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log(Phi(b) - Phi(a)): in the left tail as a difference of logs, the right tail mirrored onto it,
    and across 0 as log1p of the two tails (scipy's `_log_gauss_mass`)."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    out = np.full(a.shape, np.nan)
    left, right = b <= 0, a > 0
    central = ~(left | right)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[left] = _log_difference(sc.log_ndtr(b[left]), sc.log_ndtr(a[left]))
        out[right] = _log_difference(sc.log_ndtr(-a[right]), sc.log_ndtr(-b[right]))
        out[central] = sc.log1p(-sc.ndtr(a[central]) - sc.ndtr(-b[central]))
    return out[()]


def _log_difference(log_p, log_q):
    """log(p - q) from log p and log q, as scipy computes it (logsumexp with q rotated by pi)."""
    return np.real(sc.logsumexp([log_p, log_q + np.pi * 1j], axis=0))


def distribution(family: str, p: dict[str, float]) -> LocScale:
    """The distribution a scenario names, with parameters that passed validation (values._check),
    parameterised as scipy.stats would be (scipy's frozen distribution of the same arguments is the
    test oracle)."""
    if family == "normal":
        return Normal(p["mean"], p["sd"])
    if family == "exponential":
        return Exponential(scale=p["mean"])
    if family == "truncnormal":
        a, b = (p["min"] - p["mean"]) / p["sd"], (p["max"] - p["mean"]) / p["sd"]
        return TruncatedNormal(a, b, loc=p["mean"], scale=p["sd"])
    if family == "lognormal":
        return LogNormal(s=p["sigma"], scale=p["median"])
    if family == "uniform":
        return Uniform(p["min"], p["max"] - p["min"])
    width = p["max"] - p["min"]
    if family == "triangular":
        return Triangular((p["mode"] - p["min"]) / width, loc=p["min"], scale=width)
    if family == "pert":
        # Beta-PERT (Vose 2008, "Risk Analysis: A Quantitative Guide", 3rd ed.): shape from mode and lambda.
        lam = p["lambda"]
        a = 1 + lam * (p["mode"] - p["min"]) / width
        b = 1 + lam * (p["max"] - p["mode"]) / width
        return Beta(a, b, loc=p["min"], scale=width)
    return Beta(p["alpha"], p["beta"], loc=p["min"], scale=width)
