"""Estimating the two trade flows' stochastic process from their history, with parameter uncertainty.

Three candidates for y_t = (log X_t, log M_t), X India's exports to Japan and M Japan's exports to
India, fitted equation by equation by least squares with statsmodels:

* ``random_walk``: Delta y_t = mu + e_t (random walk with drift);
* ``ar1``: y_{i,t} = c_i + d_i t + rho_i y_{i,t-1} + e_{i,t} (trend-stationary AR(1) per flow);
* ``var1``: y_t = c + d t + A y_{t-1} + e_t (trend-stationary VAR(1));

with e_t ~ N(0, Sigma) correlated across the flows. The trend models are rewritten in the form the
scenario format and `core.trade_process` use, y_t = a + beta t + u_t, u_t = A u_{t-1} + e_t, with
beta = (I - A)^-1 d and a = (I - A)^-1 (c - A beta).

Parameter uncertainty enters every forecast: draws come from the posterior of the regression under
the standard non-informative prior, Sigma ~ inverse Wishart(n - k, E'E) and, given Sigma, the
coefficients ~ N(B_hat, Sigma (x) (X'X)^-1) (Zellner 1971, *An Introduction to Bayesian Inference in
Econometrics*, ch. 8; Gelman et al., *Bayesian Data Analysis*, 3rd ed., sect. 14.2), so that a
short history gives honestly wider bands. Draws of A whose spectral radius is 1 or more (not
stationary around a trend) are drawn again: the trend models assume stationarity.

A random walk may also be fitted with *discounted* volatility (``volatility_discount`` d < 1): the
drift is the mean growth over the whole history, with its sampling uncertainty (drift ~ N(mu_hat,
Sigma_hat / m)), while the shocks' covariance weights each year's squared deviation by d^age,

    Sigma_d = m_eff / (m_eff - 1) * sum_j w_j r_j r_j',   w_j = d^(m - j) / sum_i d^(m - i),
    m_eff = (sum_j d^(m-j))^2 / sum_j d^(2(m-j)),

the exponentially weighted estimate of forecasting practice (J.P. Morgan/Reuters 1996, *RiskMetrics
Technical Document*, 4th ed.; the variance discounting of West & Harrison 1997, *Bayesian
Forecasting and Dynamic Models*, 2nd ed.), used as a plug-in. It lets the bands follow a
volatility that changed over the history (the flows swung harder around 2008-2012 than since) where
the posterior above weights every year alike; the backtest chooses d out of sample (backtest.py).

Least squares underestimates persistence in short samples (for an AR(1) with trend about
(2 + 4 rho) / n; Marriott & Pope 1954, Biometrika 41; Shaman & Stine 1988, JASA 83), which would
make the bands too narrow at long horizons. The trend models' coefficients are therefore
bias-corrected by bootstrap before drawing (Kilian 1998, "Small-sample confidence intervals for
impulse response functions", Review of Economics and Statistics 80(2)): the fitted model is
simulated with resampled residuals, refitted, and the mean shift of the estimates subtracted,
scaled down if the corrected A would not be stationary (`bias_correction`, every replication at once).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.core import trade_process as tp
from simulator.estimation.bias_correction import design, kilian_bias
from simulator.estimation.inverse_wishart import inverse_wishart_2x2

FLOWS = ("exports_india_to_japan", "exports_japan_to_india")
SCENARIO_FLOWS = {"exports_india_to_japan": "india_to_japan", "exports_japan_to_india": "japan_to_india"}
PROCESSES = ("random_walk", "ar1", "var1")
REGRESSORS = {"random_walk": 1, "ar1": 3, "var1": 4}  # per equation: const [, trend, lag(s)]
MAX_REDRAWS = 100
BOOTSTRAP_REPLICATIONS = 200


@dataclass
class ProcessDraws:
    """Parameter draws of one process, each (n, 2) or (n, 2, 2); trend models anchored at `anchor_year`."""

    process: str
    chol_sigma: np.ndarray  # (n, 2, 2): e_t = L z_t
    drift: np.ndarray | None = None  # random walk: mu (log points a year)
    trend_growth: np.ndarray | None = None  # beta
    gap: np.ndarray | None = None  # u at anchor_year
    transition: np.ndarray | None = None  # A
    anchor_year: int = 0

    @property
    def n(self) -> int:
        return self.chol_sigma.shape[0]

    def growth_factors(self, rng: np.random.Generator, horizon: int) -> np.ndarray:
        """F_{anchor+h} / F_anchor for h = 1..horizon, shape (n, horizon, 2)."""
        z = rng.standard_normal((self.n, horizon, 2))
        e = correlated(self.chol_sigma, z)
        if self.process == "random_walk":
            h = np.arange(1, horizon + 1, dtype=float)
            return np.exp(self.drift[:, None, :] * h[None, :, None] + np.cumsum(e, axis=1))
        return tp.trend_reverting_growth(self.trend_growth, self.gap, self.transition, e)


@dataclass
class ProcessFit:
    """One candidate fitted to log levels (rows: consecutive years, columns: the two flows)."""

    process: str
    years: np.ndarray
    log_levels: np.ndarray
    results: list = field(repr=False)  # statsmodels RegressionResults, one per flow
    bias: np.ndarray | None = None  # (k, 2): bootstrap estimate of E[coef_hat] - coef (trend models)
    volatility_discount: float | None = None  # random walk: plug-in discounted volatility (module docstring)

    @property
    def coefficients(self) -> np.ndarray:
        """(k, 2) estimates, one column per flow, bias-corrected where a bias was estimated."""
        coef = np.column_stack([np.asarray(r.params) for r in self.results])
        return coef if self.bias is None else coef - self.bias

    def standard_errors(self) -> np.ndarray:
        return np.column_stack([np.asarray(r.bse) for r in self.results])

    @property
    def last_year(self) -> int:
        return int(self.years[-1])

    @property
    def n_obs(self) -> int:
        return int(self.results[0].nobs)

    @property
    def residuals(self) -> np.ndarray:
        return np.column_stack([r.resid for r in self.results])

    @property
    def sigma(self) -> np.ndarray:
        """Residual covariance, degrees-of-freedom adjusted (discounted for a random walk fitted so)."""
        e = self.residuals
        if self.volatility_discount is not None:
            return discounted_covariance(e, self.volatility_discount)
        return e.T @ e / (self.n_obs - REGRESSORS[self.process])

    def loglik(self) -> float:
        """Gaussian log likelihood of the residuals at the maximum-likelihood Sigma (E'E / n)."""
        from scipy import stats
        e = self.residuals
        cov = e.T @ e / len(e)
        return float(stats.multivariate_normal(cov=cov).logpdf(e).sum())  # mean zero

    def n_params(self) -> int:
        return 2 * REGRESSORS[self.process] + 3  # coefficients and Sigma's three entries

    def criteria(self) -> dict[str, float]:
        ll, k, n = self.loglik(), self.n_params(), self.n_obs
        return {"n_obs": n, "loglik": ll, "aic": -2 * ll + 2 * k, "bic": -2 * ll + k * np.log(n)}

    def gap_in(self, draws: ProcessDraws, year: int) -> np.ndarray:
        """Each draw's gap from trend in another year of the history, (n, 2):
        u_year = y_year - a - beta (year - anchor), with a = y_anchor - u_anchor."""
        if draws.process == "random_walk":
            raise ValueError("a random walk has no trend to measure a gap from")
        row = year - int(self.years[0])
        if not 0 <= row < len(self.years) or np.isnan(self.log_levels[row]).any():
            raise ValueError(f"{year} is not an observed year of the history ({self.years[0]}-{self.years[-1]})")
        y = self.log_levels[row]
        return draws.gap + (y - self.log_levels[-1])[None, :] - draws.trend_growth * (year - self.last_year)

    def point(self) -> ProcessDraws:
        """The point estimates as a single 'draw' (no parameter uncertainty)."""
        return self._draws(self.coefficients[None].copy(), np.linalg.cholesky(self.sigma)[None])

    def draw(self, rng: np.random.Generator, n: int) -> ProcessDraws:
        """n draws of the parameters from their posterior (module docstring); for a random walk with
        discounted volatility, the drift from its sampling distribution and the volatility as estimated."""
        if self.volatility_discount is not None:
            chol = np.broadcast_to(np.linalg.cholesky(self.sigma), (n, 2, 2)).copy()
            drift = self.coefficients[0] + rng.standard_normal((n, 2)) @ chol[0].T / np.sqrt(self.n_obs)
            return self._draws(drift[:, None, :], chol)
        coef, chol = self._posterior(rng, n)
        if self.process != "random_walk":
            for _ in range(MAX_REDRAWS):
                bad = tp.spectral_radius(self._transition(coef)) >= 1
                if not bad.any():
                    break
                coef[bad], chol[bad] = self._posterior(rng, int(bad.sum()))
            else:
                raise ValueError(f"{self.process}: the estimates are too close to a unit root for a "
                                 "trend-stationary model (no stationary draws); use random_walk")
        return self._draws(coef, chol)

    def _posterior(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        e = self.residuals
        df = self.n_obs - REGRESSORS[self.process]
        sigma = inverse_wishart_2x2(df, e.T @ e, n, rng)
        chol = np.linalg.cholesky(sigma)
        k = REGRESSORS[self.process]
        z = rng.standard_normal((n, k, 2)) @ np.swapaxes(chol, 1, 2)  # rows ~ N(0, Sigma)
        coef = np.empty((n, k, 2))
        for i, r in enumerate(self.results):
            # Cov(b_i) = Sigma_ii (X_i'X_i)^-1; for var1 (same X) the two columns together have
            # Sigma (x) (X'X)^-1, as in the multivariate regression posterior.
            lx = np.linalg.cholesky(np.atleast_2d(r.normalized_cov_params))
            coef[:, :, i] = self.coefficients[:, i] + z[:, :, i] @ lx.T
        return coef, chol

    def _transition(self, coef: np.ndarray) -> np.ndarray:
        if self.process == "ar1":
            return tp.transition_matrix(coef[:, 2, 0], coef[:, 2, 1])
        return np.swapaxes(coef[:, 2:4, :], 1, 2)  # row i: equation i's coefficients on (x, m) lags

    def _draws(self, coef: np.ndarray, chol: np.ndarray) -> ProcessDraws:
        if self.process == "random_walk":
            return ProcessDraws("random_walk", chol, drift=coef[:, 0, :], anchor_year=self.last_year)
        A = self._transition(coef)
        c, d = coef[:, 0, :], coef[:, 1, :]  # time is counted from the last year: t = 0 there
        inv = np.linalg.inv(np.eye(2) - A)
        beta = np.einsum("nij,nj->ni", inv, d)
        a = np.einsum("nij,nj->ni", inv, c - np.einsum("nij,nj->ni", A, beta))
        gap = self.log_levels[-1][None, :] - a
        return ProcessDraws(self.process, chol, trend_growth=beta, gap=gap, transition=A,
                            anchor_year=self.last_year)


def correlated(chol: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Shocks e = L z for each draw's 2x2 factor L (n, 2, 2) and standard normals z (n, horizon, 2).
    Written out: einsum of this shape, at 10,000 draws per hindcast, was a sixth of a backtest."""
    l = chol[:, None]  # (n, 1, 2, 2): the same factor every year
    return np.stack([l[..., 0, 0] * z[..., 0] + l[..., 0, 1] * z[..., 1],
                     l[..., 1, 0] * z[..., 0] + l[..., 1, 1] * z[..., 1]], axis=-1)


def discounted_covariance(residuals: np.ndarray, discount: float) -> np.ndarray:
    """Sigma_d of the module docstring: each year's outer product weighted discount^age (the newest
    year age 0), scaled by m_eff / (m_eff - 1); discount 1 is the usual unbiased estimate."""
    if not 0 < discount <= 1:
        raise ValueError(f"the volatility discount must lie in (0, 1], not {discount}")
    e = np.asarray(residuals, dtype=float)
    w = discount ** np.arange(len(e))[::-1]
    m_eff = w.sum() ** 2 / (w**2).sum()
    w = w / w.sum()
    return (e * w[:, None]).T @ e * m_eff / (m_eff - 1)


def fit(process: str, levels: pd.DataFrame, *, bootstrap: int = BOOTSTRAP_REPLICATIONS,
        bootstrap_seed: int = 0, volatility_discount: float | None = None) -> ProcessFit:
    """Fit one candidate to yearly levels (index: consecutive years; columns: FLOWS, positive).

    `bootstrap`: replications for the trend models' bias correction (0: none).
    `volatility_discount`: random walk only; d in (0, 1] for the plug-in discounted volatility of the
    module docstring (None: the posterior draws of Sigma).
    """
    if process not in PROCESSES:
        raise ValueError(f"unknown process {process!r}; choose one of {', '.join(PROCESSES)}")
    if volatility_discount is not None and (process != "random_walk" or not 0 < volatility_discount <= 1):
        raise ValueError("a volatility discount in (0, 1] is for the random walk only")
    observed = levels[list(FLOWS)].dropna().sort_index()
    if len(observed) < 2:
        raise ValueError(f"{process}: {len(observed)} years of history; at least two are needed")
    years = np.arange(int(observed.index[0]), int(observed.index[-1]) + 1)
    y = np.log(observed.reindex(years).to_numpy(dtype=float))  # missing years: NaN rows
    pairs = int(_pairs(y).sum())
    need = REGRESSORS[process] + 3
    if pairs < need:
        raise ValueError(f"{process}: {pairs} pairs of consecutive observed years; at least {need} are needed")
    results = _regress(process, years, y)
    fitted = ProcessFit(process, years, y, results, volatility_discount=volatility_discount)
    if process != "random_walk" and bootstrap:
        coef = np.column_stack([np.asarray(r.params) for r in results])
        fitted.bias = kilian_bias(process, years, y, coef, fitted.residuals, fitted._transition,
                                  np.random.default_rng(bootstrap_seed), bootstrap)
    return fitted


def _regress(process: str, years: np.ndarray, y: np.ndarray) -> list:
    """The candidate's equations by OLS (statsmodels), one result per flow, on the complete cases."""
    from statsmodels.regression.linear_model import OLS  # not statsmodels.api: a second less to start

    keep = _pairs(y)
    return [OLS(endog[keep], exog[keep]).fit() for exog, endog in design(process, years, y)]


def _pairs(y: np.ndarray) -> np.ndarray:
    """Years t whose value and the year before's are both observed: the equations' usable rows.
    A year missing from the history drops the two equations it appears in (complete cases),
    which keeps least squares exact for the years that remain."""
    seen = ~np.isnan(y).any(axis=1)
    return seen[1:] & seen[:-1]
