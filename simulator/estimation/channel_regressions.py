"""Can the history identify the trade channels' elasticities? Regressions with the macro drivers.

For each flow, on the years where the flow, its lag and the drivers are all observed:

    y_t = c + d t + rho y_{t-1} + gamma_Y ln Y_t + gamma_fx ln fx_t + e_t

with y the log flow, ln Y the importer's cumulated real GDP growth (India's for Japan's exports to
India, Japan's for India's exports to Japan) and fx yen per dollar (calendar year, paired with the
fiscal year that starts in it). The long-run elasticities are gamma / (1 - rho), the form of
core.trade_drivers on top of the trend-stationary AR(1); their standard errors by the delta
method. Fitted with statsmodels; `ijsim calibrate` writes the table as drivers.csv.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.estimation.trade_process_fit import FLOWS

IMPORTER = {"exports_india_to_japan": "gdp_growth_japan", "exports_japan_to_india": "gdp_growth_india"}


def _log_income(growth_percent: pd.Series) -> pd.Series:
    """Cumulated log income from yearly growth in percent. A year missing from the series (a gap, or
    an unverified year left out) is held as NaN, so every later year is NaN too and leaves the
    regression, instead of silently lacking that year's growth."""
    years = range(int(growth_percent.index.min()), int(growth_percent.index.max()) + 1)
    return np.log1p(growth_percent.reindex(years) / 100).cumsum(skipna=False)


def driver_regressions(levels: pd.DataFrame, history: dict, verified_only: bool = True) -> pd.DataFrame:
    """One row per flow and driver: short-run coefficient, se, p-value, long-run elasticity and se."""
    from statsmodels.regression.linear_model import OLS  # not statsmodels.api, which imports every model

    fx = np.log(history["jpy_per_usd"].values(verified_only=verified_only))
    rows = []
    for flow in FLOWS:
        income = _log_income(history[IMPORTER[flow]].values(verified_only=verified_only))
        frame = pd.DataFrame({"y": np.log(levels[flow])})
        frame["y_lag"] = frame["y"].shift(1).where(frame.index.to_series().diff() == 1)
        frame = frame.join(income.rename("ln_income")).join(fx.rename("ln_fx")).dropna()
        years = frame.index.to_numpy()  # whole years; the design below is float
        exog = np.column_stack([np.ones(len(frame)), years - years[-1], frame.y_lag, frame.ln_income, frame.ln_fx])
        if len(frame) <= exog.shape[1] + 1:
            continue
        fit = OLS(frame.y.to_numpy(), exog).fit()
        rho, cov = fit.params[2], fit.cov_params()
        for j, driver in ((3, "income"), (4, "yen_per_dollar")):
            gamma = fit.params[j]
            long_run = gamma / (1 - rho)
            grad = np.zeros(len(fit.params))  # d(long_run)/d(gamma, rho)
            grad[j], grad[2] = 1 / (1 - rho), gamma / (1 - rho) ** 2
            rows.append({"flow": flow, "driver": driver, "n_obs": int(fit.nobs), "coefficient": gamma,
                         "se": fit.bse[j], "p_value": fit.pvalues[j], "long_run_elasticity": long_run,
                         "long_run_se": float(np.sqrt(grad @ cov @ grad)),
                         "corr_with_trend": float(np.corrcoef(exog[:, 1], exog[:, j])[0, 1])})
    return pd.DataFrame(rows)
