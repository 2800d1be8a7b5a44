"""Draws of a 2x2 covariance from its inverse Wishart posterior, all at once.

`scipy.stats.invwishart.rvs` draws the same thing but turns each draw into a matrix in a Python loop
(two BLAS calls a draw): for the backtest's 10,000 draws at each of its ~150 model-origin fits that
loop was a tenth of `ijsim backtest` (docs/performance.md). This is the same construction
on the whole stack: the same random numbers, taken from the generator in the same order (so a seed
gives the draws it gave before), and the same arithmetic to rounding
(tests/estimation/test_inverse_wishart.py compares the two).

Construction (Bartlett decomposition; scipy's `invwishart._rvs`): A lower triangular with
A_ii = sqrt(chi^2(df - p + i)), i = 1..p, and A_ij ~ N(0, 1) below the diagonal, so that (A A')^-1 ~
inverse Wishart(df, I); with C the Cholesky factor of the scale, Sigma = (C A^-1)(C A^-1)' ~ inverse
Wishart(df, C C').

References
----------
Bartlett, M. S. (1933). On the theory of statistical regression. *Proceedings of the Royal Society
of Edinburgh*, 53, 260-283.
Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., sect. 3.6 and 14.2.
"""
from __future__ import annotations

import numpy as np


def inverse_wishart_2x2(df: float, scale: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws of Sigma ~ inverse Wishart(df, scale), shape (n, 2, 2); df > 1, scale positive definite.

    Consumes `rng` as ``scipy.stats.invwishart(df, scale).rvs(size=n, random_state=rng)`` does: the n
    normals below the diagonal first, then the (n, 2) chi-squares of degrees of freedom (df - 1, df).
    """
    scale = np.asarray(scale, dtype=float)
    c = np.linalg.cholesky(scale)  # lower
    below = rng.normal(size=(n, 1))[:, 0]
    diagonal = rng.chisquare(df=np.array([df - 1.0, df]), size=(n, 2)) ** 0.5
    a00, a11 = diagonal[:, 0], diagonal[:, 1]
    # X = C A^-1 by substitution from the last column, as BLAS trsm (side right, lower) does it
    x11 = c[1, 1] * (1.0 / a11)
    x00 = c[0, 0] * (1.0 / a00)
    x10 = (c[1, 0] - below * x11) * (1.0 / a00)
    sigma = np.empty((n, 2, 2))
    sigma[:, 0, 0] = x00 * x00
    sigma[:, 1, 0] = sigma[:, 0, 1] = x10 * x00
    sigma[:, 1, 1] = x10 * x10 + x11 * x11
    return sigma
