"""The models a backtest scores, each re-estimated at every origin on the history up to it only.

A model is a function ``(history up to the origin, rng, draws, horizon) -> growth factors (draws,
horizon, 2)``. The benchmarks (`no_change`, the random walk with drift), the candidate processes of
`trade_process_fit` (`candidate`), the random walks with discounted volatility the selection
chooses among (`DISCOUNTS`), the scenario's own process as its file states it (`scenario_model`) and
that process conditional on the GDP and yen that came (`conditional_on`); `standard_models` is what
`ijsim backtest` scores. Scoring and the selection itself: `backtest.py`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from simulator.estimation import trade_process_fit as pf
from simulator.estimation.inverse_wishart import inverse_wishart_2x2

# A model: (history up to the origin, rng, draws, horizon) -> growth factors (draws, horizon, 2).
Model = Callable[[pd.DataFrame, np.random.Generator, int, int], np.ndarray]


def fit_at_origin(process: str, history: pd.DataFrame, bootstrap: int,
                  volatility_discount: float | None = None) -> pf.ProcessFit:
    """`trade_process_fit.fit` on the history up to an origin, seeded by the origin. Remembered for the
    run: the candidate and the scenario's own process often fit the same data, and `ijsim calibrate`
    hindcasts the candidates its backtest has just fitted."""
    key = (process, bootstrap, volatility_discount, tuple(history.index), history.to_numpy().tobytes())
    if key not in _FITS:
        if len(_FITS) > 256:
            _FITS.clear()
        _FITS[key] = pf.fit(process, history, bootstrap=bootstrap, bootstrap_seed=int(history.index[-1]),
                            volatility_discount=volatility_discount)
    return _FITS[key]


_FITS: dict = {}


def candidate(process: str, bootstrap: int = pf.BOOTSTRAP_REPLICATIONS,
              volatility_discount: float | None = None) -> Model:
    """A calibrate candidate, re-estimated at each origin with its parameter uncertainty (a random
    walk with `volatility_discount`: the discounted plug-in volatility, trade_process_fit)."""
    def forecast(history: pd.DataFrame, rng: np.random.Generator, n: int, horizon: int) -> np.ndarray:
        fitted = fit_at_origin(process, history, bootstrap, volatility_discount)
        return fitted.draw(rng, n).growth_factors(rng, horizon)
    forecast.__doc__ = f"{process}, re-estimated on the history up to each origin"
    return forecast


def no_change() -> Model:
    """The driftless random walk, the naive benchmark: every year's forecast median is the last
    value. Its shocks' covariance is drawn from the posterior under the non-informative prior with
    a known zero mean, inverse Wishart(m, D'D) with D the m yearly log changes (Gelman et al. 2013,
    sect. 3.6), so that it is scored on the same footing as the other candidates."""
    def forecast(history: pd.DataFrame, rng: np.random.Generator, n: int, horizon: int) -> np.ndarray:
        changes = np.diff(np.log(history[list(pf.FLOWS)].to_numpy(float)), axis=0)
        changes = changes[~np.isnan(changes).any(axis=1)]
        if len(changes) < 3:
            raise ValueError(f"no_change: {len(changes)} pairs of consecutive years; at least 3 are needed")
        sigma = inverse_wishart_2x2(len(changes), changes.T @ changes, n, rng)
        shocks = pf.correlated(np.linalg.cholesky(sigma), rng.standard_normal((n, horizon, 2)))
        return np.exp(np.cumsum(shocks, axis=1))
    return forecast


# The random walk's volatility discounts the backtest chooses among (trade_process_fit: 1 weights
# every year alike); fixed before looking at the scores, as the grid of a forecasting unit would be.
DISCOUNTS = (1.0, 0.9, 0.8)


def discounted_name(discount: float) -> str:
    return f"random_walk_discount_{discount:g}"


def standard_models(scenario) -> dict[str, Model]:
    """What `ijsim backtest` scores: the naive benchmarks (no change; the random walk with drift and
    its parameters' posterior), the trend models, the random walks with discounted volatility the
    selection chooses among, and the scenario's own process."""
    models: dict[str, Model] = {"no_change": no_change()}
    models |= {p: candidate(p) for p in pf.PROCESSES}
    models |= {discounted_name(d): candidate("random_walk", volatility_discount=d) for d in DISCOUNTS}
    models["scenario"] = scenario_model(scenario)
    return models


def scenario_model(scenario, bootstrap: int = pf.BOOTSTRAP_REPLICATIONS, joint_draws: int = 4000) -> Model:
    """The scenario's own process. For ``ar1``/``var1``, and for a ``random_walk`` whose
    ``trade.volatility_discount`` says it was estimated, its parameters are what `ijsim calibrate`
    would write into the file at each origin (re-estimated there, one distribution per parameter,
    drawn independently as a run draws them). A hand-set ``random_walk`` (discount 0) is used as
    written at every origin, which may look ahead if its growth and volatility were chosen with the
    later history in view (say so where the scores are reported)."""
    from simulator.estimation.trade_process_parameters import draws_from_scenario, process_paths, scenario_parameters
    from simulator.scenario.values import Fixed, parse_distribution

    process = scenario.params["trade.process"]
    paths = process_paths(process)

    def draw(values: dict, rng: np.random.Generator, n: int, anchor: int, horizon: int) -> np.ndarray:
        u = {p: rng.random(n) for p in paths}
        return draws_from_scenario(values, u, n, anchor).growth_factors(rng, horizon)

    discount = float(scenario.params["trade.volatility_discount"].value)
    if process == "random_walk" and discount == 0:
        written = {p: scenario.params[p] for p in paths} | {"trade.process": process}
        return lambda history, rng, n, horizon: draw(written, rng, n, int(history.index[-1]), horizon)

    def forecast(history: pd.DataFrame, rng: np.random.Generator, n: int, horizon: int) -> np.ndarray:
        origin = int(history.index[-1])
        fitted = fit_at_origin(process, history, bootstrap, discount if process == "random_walk" else None)
        values: dict = {"trade.process": process}
        for path, raw in scenario_parameters(fitted, fitted.draw(rng, joint_draws), origin).items():
            if path != "trade.process":
                values[path] = parse_distribution(raw)[0] if isinstance(raw, dict) else Fixed(float(raw))
        return draw(values, rng, n, origin, horizon)
    return forecast


def log_drivers(scenario, history: dict, verified_only: bool = True) -> pd.DataFrame:
    """D_t per flow, the log of the macro multipliers (core.trade_drivers) at the scenario's central
    elasticities, from the realised GDP growth and yen in the history: columns `trade_process_fit.FLOWS`.

    Reference growth and reference rate are constants, which the trend models' intercept and slope
    absorb, so they are left out. Fiscal-year flows are paired with calendar-year yen rates and
    Japan's calendar-year GDP: an approximation of nine months. Years without data are NaN.
    """
    from simulator.scenario.values import Fixed

    def elasticity(path: str) -> float:
        v = scenario.params[path]
        return float(v.value) if isinstance(v, Fixed) else float(v.ppf(np.array([0.5]))[0])  # the median

    def series(name: str) -> pd.Series:
        return history[name].values(verified_only=verified_only) if name in history else pd.Series(dtype=float)

    frame = pd.DataFrame({k: series(k) for k in ("gdp_growth_india", "gdp_growth_japan", "jpy_per_usd")})
    frame = frame.reindex(range(int(frame.index.min()), int(frame.index.max()) + 1))

    def term(path: str, values: pd.Series) -> pd.Series:
        e = elasticity(path)  # a channel that is off needs no data
        return pd.Series(0.0, index=frame.index) if e == 0 else e * values

    # cumulated log growth from the first year with data (the level is arbitrary: the trend absorbs
    # it; a series without data stays NaN): a missing year breaks the sum from there on (NaN), as it
    # should. The years before the first are left out here: the sums below, aligned on the yen's
    # column (every year of the frame), bring them back as NaN.
    income = {}
    for c in ("india", "japan"):
        growth = frame[f"gdp_growth_{c}"]
        income[c] = np.log1p(growth.loc[growth.first_valid_index():] / 100).cumsum(skipna=False)
    log_fx = np.log(frame["jpy_per_usd"])
    x = (term("trade.income_elasticity_india_to_japan", income["japan"])
         + term("trade.exporter_income_elasticity_india_to_japan", income["india"])
         - term("trade.fx_elasticity_india_to_japan", log_fx))
    m = (term("trade.income_elasticity_japan_to_india", income["india"])
         + term("trade.exporter_income_elasticity_japan_to_india", income["japan"])
         + term("trade.fx_elasticity_japan_to_india", log_fx))
    return pd.DataFrame({pf.FLOWS[0]: x, pf.FLOWS[1]: m})


def conditional_on(model: Model, log_driver: pd.DataFrame) -> Model:
    """The model applied to the flows net of their drivers, re-adding the drivers' realised values:
    a forecast conditional on the GDP and yen that actually came (the backtest's 'with drivers')."""
    def forecast(history: pd.DataFrame, rng: np.random.Generator, n: int, horizon: int) -> np.ndarray:
        origin = int(history.index[-1])
        known = log_driver.reindex(history.index)
        if known.isna().to_numpy().any():
            raise ValueError("no GDP or exchange-rate data for every year of the history")
        growth = model(history * np.exp(-known), rng, n, horizon)
        ahead = log_driver.reindex(range(origin + 1, origin + horizon + 1)).to_numpy()
        return growth * np.exp(ahead - known.iloc[-1].to_numpy())[None]  # NaN where the drivers are unknown
    return forecast
