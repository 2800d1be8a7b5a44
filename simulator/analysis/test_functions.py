"""Functions with known sensitivity indices, for checking the methods (as SALib ships them).

Ishigami & Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi).
Sobol' G function (Saltelli & Sobol' 1995): f = prod (|4 x_i - 2| + a_i) / (1 + a_i), x_i ~ U(0, 1);
small a_i means an important input.
"""
from __future__ import annotations

import numpy as np


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> dict[str, np.ndarray]:
    """Analytic first-order and total indices of the Ishigami function."""
    pi = np.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    variance = v1 + v2 + v13
    return {"S1": np.array([v1, v2, 0.0]) / variance, "ST": np.array([v1 + v13, v2, v13]) / variance}


def sobol_g(X: np.ndarray, a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return np.prod((np.abs(4 * X - 2) + a) / (1 + a), axis=1)


def sobol_g_indices(a: np.ndarray) -> dict[str, np.ndarray]:
    """Analytic first-order and total indices of the G function."""
    a = np.asarray(a, dtype=float)
    v = 1 / (3 * (1 + a) ** 2)
    total = np.prod(1 + v) - 1
    st = np.array([v[i] * np.prod(np.delete(1 + v, i)) for i in range(len(a))]) / total
    return {"S1": v / total, "ST": st}
