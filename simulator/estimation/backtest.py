"""Rolling-origin hindcasts of the trade flows, scored against what happened.

For each origin year o, every model is re-estimated on the history up to o only, projects the two
flows 1..H years ahead from their values in o, and the forecast distribution is scored against the
actual values: coverage of the central 50% and 90% intervals, the interval (Winkler) score of the
90% interval and the continuous ranked probability score, CRPS (Gneiting & Raftery 2007, "Strictly
proper scoring rules, prediction, and estimation", JASA 102(477); scores from `scoringrules`).
Lower scores are better; a well-calibrated 90% interval covers about 90% of held-out values.

Models: the candidate processes of `simulator.estimation.trade_process_fit` (``random_walk``, the benchmark, ``ar1``,
``var1``) and ``scenario``, the scenario's own process as its file describes it (see
`scenario_model`). India's balance X - M is scored too, from the same draws.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import pandas as pd

from simulator.estimation import trade_process_fit as pf

VARIABLES = {"exports_india_to_japan": "trade.exports_india_to_japan",
             "exports_japan_to_india": "trade.exports_japan_to_india",
             "balance": "trade.balance"}
QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
COLUMNS = ["model", "variable", "origin", "horizon", "actual", *QUANTILES, "in_50", "in_90",
           "interval_score", "crps"]
# Enough draws that the 5% and 95% quantiles barely move between seeds: with 2,000 an outcome near a
# band's edge falls in or out by the seed alone (coverage of the 50 hindcasts moved by 0.04).
DEFAULT_DRAWS = 10_000

# A model: (history up to the origin, rng, draws, horizon) -> growth factors (draws, horizon, 2).
Model = Callable[[pd.DataFrame, np.random.Generator, int, int], np.ndarray]


def fit_at_origin(process: str, history: pd.DataFrame, bootstrap: int,
                  volatility_discount: float | None = None) -> pf.ProcessFit:
    """`trade_process_fit.fit` on the history up to an origin, seeded by the origin. Remembered for the
    run: the candidate and the scenario's own process often fit the same data, and the bootstrap
    bias correction is most of a backtest's time."""
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
        from scipy import stats

        changes = np.diff(np.log(history[list(pf.FLOWS)].to_numpy(float)), axis=0)
        changes = changes[~np.isnan(changes).any(axis=1)]
        if len(changes) < 3:
            raise ValueError(f"no_change: {len(changes)} pairs of consecutive years; at least 3 are needed")
        sigma = stats.invwishart(df=len(changes), scale=changes.T @ changes).rvs(size=n, random_state=rng)
        shocks = np.einsum("nij,nhj->nhi", np.linalg.cholesky(sigma.reshape(n, 2, 2)),
                           rng.standard_normal((n, horizon, 2)))
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

    # cumulated log growth: a missing year breaks the sum from there on (NaN), as it should
    income = {}
    for c in ("india", "japan"):
        growth = frame[f"gdp_growth_{c}"]
        start = growth.first_valid_index()  # the level is arbitrary: the trend absorbs it
        income[c] = (np.log1p(growth.loc[start:] / 100).cumsum(skipna=False).reindex(frame.index)
                     if start is not None else growth)
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


@dataclass(frozen=True)
class Backtest:
    """Scored hindcasts (`table`, one row per model, variable, origin and horizon) and their settings."""

    table: pd.DataFrame
    origins: tuple[int, ...]
    horizons: tuple[int, ...]
    draws: int
    seed: int
    history_years: tuple[int, int]
    notes: tuple[str, ...] = ()
    selections: tuple[tuple[int, str], ...] = ()  # (origin, model chosen there) of the 'selected' rows

    def with_selection(self, family: list[str], name: str = "selected") -> "Backtest":
        """A copy with the out-of-sample choice among `family` scored as model `name`
        (:func:`select_out_of_sample`); its choice for a forecast made now is `chosen_now(family)`."""
        present = [m for m in family if m in set(self.table["model"])]
        if not present:
            return self
        rows, picks = select_out_of_sample(self.table, present, name=name)
        return replace(self, table=pd.concat([self.table, rows], ignore_index=True),
                       selections=tuple(picks.items()))

    def chosen_now(self, family: list[str]) -> str:
        """The member of `family` the selection picks with every hindcast complete: today's choice."""
        return choose(self.table, [m for m in family if m in set(self.table["model"])])

    def coverage(self) -> pd.DataFrame:
        """Per model, variable and horizon: rows scored, coverage of the 50% and 90% intervals, mean
        interval score and CRPS, and the median's mean error (bias, actual units)."""
        return self._scores(["model", "variable", "horizon"])

    def overall(self) -> pd.DataFrame:
        """Per model and variable, over every origin and horizon."""
        return self._scores(["model", "variable"])

    def _scores(self, by: list[str]) -> pd.DataFrame:
        t = self.table.assign(error_p50=self.table.p50 - self.table.actual)
        return (t.groupby(by, sort=False)
                 .agg(n=("actual", "size"), coverage_50=("in_50", "mean"), coverage_90=("in_90", "mean"),
                      interval_score=("interval_score", "mean"), crps=("crps", "mean"),
                      bias_p50=("error_p50", "mean"))
                 .reset_index())


def run_backtest(levels: pd.DataFrame, models: dict[str, Model], origins=None, horizons=range(1, 6), *,
                 draws: int = DEFAULT_DRAWS, seed: int = 0, min_years: int = 9) -> Backtest:
    """Hindcast every model from every origin and score it against what happened.

    For each origin year, every model sees the history up to it only, projects the two flows
    1..H years ahead, and each forecast distribution is scored against the actual values: coverage
    of the central 50% and 90% intervals, the interval (Winkler) score of the 90% interval and the
    CRPS (lower is better). India's balance X - M is scored too, from the same draws. An origin's
    forecasts use only rows up to it: the random numbers depend on (seed, origin, model), so later
    data cannot change them.

    Parameters
    ----------
    levels : pandas.DataFrame
        Consecutive years (index) of the two flows (columns `trade_process_fit.FLOWS`, US$ bn), as
        ``trade_levels(load_history())`` gives.
    models : dict of str to callable
        Name -> model ``(history, rng, draws, horizon) -> growth factors (draws, horizon, 2)``, such
        as ``candidate("ar1")`` or ``scenario_model(scenario)`` from this module.
    origins : iterable of int, optional
        Years to forecast from (default: every year with at least `min_years` of history and one
        year after it).
    horizons : iterable of int, default 1..5
        Years ahead, each at least 1.
    draws : int, default 2000
        Forecast draws per model and origin.
    seed : int, default 0
    min_years : int, default 9
        History needed before the first default origin.

    Returns
    -------
    Backtest
        `table` (one row per model, variable, origin and horizon: quantiles, whether the actual
        value is in the 50% and 90% intervals, interval score, CRPS); `coverage()` and `overall()`
        average it. A model that cannot be fitted at an origin is left out there, with a note.

    Raises
    ------
    ValueError
        Horizons below 1, or an origin without history up to it and a year after it.

    References
    ----------
    Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
    estimation. *JASA*, 102(477), 359-378.

    Examples
    --------
    >>> import simulator
    >>> from simulator.estimation.backtest import candidate
    >>> from simulator.estimation.calibration import trade_levels
    >>> levels = trade_levels(simulator.load_history())
    >>> backtest = simulator.run_backtest(levels, {"random_walk": candidate("random_walk")}, [2018, 2020],
    ...                                   horizons=[1, 2], draws=200)
    >>> backtest.origins, backtest.horizons
    ((2018, 2020), (1, 2))
    >>> sorted(set(backtest.table["variable"]))
    ['trade.balance', 'trade.exports_india_to_japan', 'trade.exports_japan_to_india']
    >>> list(backtest.overall().columns)
    ['model', 'variable', 'n', 'coverage_50', 'coverage_90', 'interval_score', 'crps', 'bias_p50']
    """
    levels = levels.loc[:, list(pf.FLOWS)].sort_index()
    years = np.asarray(levels.index, dtype=int)
    horizons = tuple(int(h) for h in horizons)
    if not horizons or min(horizons) < 1:
        raise ValueError("horizons must be whole years >= 1")
    if origins is None:
        origins = [int(o) for o in years if o - years[0] + 1 >= min_years and o < years[-1]]
    origins = tuple(int(o) for o in origins)
    bad = [o for o in origins if o not in years or o >= years[-1]]
    if bad:
        raise ValueError(f"origin(s) {', '.join(map(str, bad))} need history up to them and at least one "
                         f"year after (history: {years[0]}-{years[-1]})")
    rows, notes = [], []
    for m, (name, model) in enumerate(models.items()):
        for origin in origins:
            history = levels.loc[:origin]
            rng = np.random.default_rng([seed, origin, m])
            try:
                growth = model(history, rng, draws, max(horizons))
            except ValueError as exc:  # too short a history for this model at this origin
                notes.append(f"{name}, origin {origin}: not scored ({exc})")
                continue
            paths = history.iloc[-1].to_numpy(float) * growth  # (draws, H, 2) in US$ bn
            rows += _score(name, origin, horizons, paths, levels)
    table = pd.DataFrame(rows, columns=COLUMNS)
    return Backtest(table, origins, horizons, draws, seed, (int(years[0]), int(years[-1])), tuple(notes))


def select_out_of_sample(table: pd.DataFrame, family: list[str], default: str | None = None,
                         name: str = "selected") -> tuple[pd.DataFrame, dict[int, str]]:
    """The model choice itself, backtested: at each origin, the member of `family` with the lowest
    mean CRPS over both flows on the hindcasts complete by then (origin' + horizon <= origin), and
    its forecasts from that origin; `default` (the first member) where none is complete yet.

    Returns the chosen forecasts' rows, relabelled `name`, and the choice per origin; the choice
    for a forecast made today is `choose(table, family)` on every hindcast.
    """
    default = default or family[0]
    flows = table[table["variable"].isin([VARIABLES[f] for f in pf.FLOWS]) & table["model"].isin(family)]
    picks, rows = {}, []
    for origin in sorted(table["origin"].unique()):
        done = flows[flows["origin"] + flows["horizon"] <= origin]
        picks[int(origin)] = choose(done, family) if len(done) else default
        rows.append(table[(table["origin"] == origin) & (table["model"] == picks[int(origin)])])
    chosen = pd.concat(rows, ignore_index=True).assign(model=name) if rows else table.iloc[:0]
    return chosen, picks


def choose(table: pd.DataFrame, family: list[str]) -> str:
    """The member of `family` with the lowest mean CRPS over both flows in `table` (ties: the first)."""
    flows = table[table["variable"].isin([VARIABLES[f] for f in pf.FLOWS]) & table["model"].isin(family)]
    means = flows.groupby("model")["crps"].mean()
    return min((m for m in family if m in means.index), key=lambda m: means[m])


def _score(name: str, origin: int, horizons: tuple[int, ...], paths: np.ndarray,
           levels: pd.DataFrame) -> list[list]:
    import scoringrules as sr

    rows = []
    series = {"exports_india_to_japan": paths[..., 0], "exports_japan_to_india": paths[..., 1],
              "balance": paths[..., 0] - paths[..., 1]}
    for h in horizons:
        year = origin + h
        if year not in levels.index:
            continue  # not yet observed
        x, m = levels.loc[year, pf.FLOWS[0]], levels.loc[year, pf.FLOWS[1]]
        actuals = {"exports_india_to_japan": x, "exports_japan_to_india": m, "balance": x - m}
        for key, draws in series.items():
            ens = draws[:, h - 1]
            if np.isnan(ens).any():
                continue  # the model could not project this year (its drivers are unknown)
            actual = float(actuals[key])
            q = np.quantile(ens, list(QUANTILES.values()))
            interval = float(sr.interval_score(actual, q[0], q[4], 0.1, backend="numpy"))
            crps = float(sr.crps_ensemble(actual, ens, backend="numpy"))
            rows.append([name, VARIABLES[key], origin, h, actual, *q,
                         bool(q[1] <= actual <= q[3]), bool(q[0] <= actual <= q[4]), interval, crps])
    return rows
