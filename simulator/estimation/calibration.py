"""Calibrating the trade process on the shipped (or a user's) history: every candidate fitted, its
estimates in the scenario's terms, information criteria, out-of-sample scores and a scenario fragment.

The pieces: `trade_process_fit.fit` (statsmodels, parameter draws), `trade_process_parameters` (the scenario's
terms), `backtest` (rolling-origin scores). This module puts them together for `ijsim calibrate`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from simulator.estimation import backtest as bt

from simulator.estimation import hindcast_models as hm
from simulator.estimation import trade_process_fit as pf
from simulator.estimation.trade_process_parameters import scenario_parameters

DEFAULT_DRAWS = 4000
# The random walk with the volatility discount the backtest's selection picks today (backtest.py):
# the candidate the shipped baseline uses (docs/model.md 2.6).
DISCOUNTED = "random_walk_discounted"


def trade_levels(history: dict, verified_only: bool = True) -> pd.DataFrame:
    """The two bilateral flows by fiscal year (US$ bn), years where both are known, from `load_history`."""
    columns = {name: history[name].values(verified_only=verified_only) for name in pf.FLOWS}
    return pd.DataFrame(columns).dropna().sort_index()


@dataclass(frozen=True)
class Calibration:
    estimates: pd.DataFrame  # process, parameter, estimate, se (scenario terms and regression terms)
    criteria: pd.DataFrame  # process: n_obs, loglik, aic, bic, and out-of-sample scores
    parameters: dict  # process -> {trade.* path: value}
    years: tuple[int, int]
    n_years: int
    base_year: int
    source: str

    def fragment(self, process: str) -> str:
        """A `[trade]` table a scenario can paste (or `extends` a file holding it)."""
        c = self.criteria.set_index("process").loc[process]
        lines = [
            f"# Trade process '{process}' estimated by `ijsim calibrate` on {date.today().isoformat()}",
            f"# Data: {self.source}, fiscal years {self.years[0]}-{self.years[1]} ({self.n_years} years with both "
            f"flows; {int(c.n_obs)} consecutive pairs), verified values only unless stated.",
            "# Method: least squares (statsmodels) equation by equation"
            + (", bootstrap bias correction (Kilian 1998)" if process in ("ar1", "var1") else "")
            + (f"; volatility weighted {self.parameters[process]['trade.volatility_discount']:g}^age, the discount "
               "the backtest's out-of-sample selection picks" if process == DISCOUNTED else "")
            + "; each distribution summarises the estimates' posterior (median, 16-84% spread).",
            f"# First-year growth is for the year after the base year FY{self.base_year}-{(self.base_year + 1) % 100:02d}."
            if process in ("ar1", "var1") else "# Random walk with drift: growth is exp(drift) - 1.",
            f"# Out of sample (rolling origins): 90% interval coverage {c.coverage_90:.0%}, "
            f"mean interval score {c.interval_score:.3g}, mean CRPS {c.crps:.3g} (US$ bn).",
            "[trade]",
        ]
        if process in ("ar1", "var1"):  # anchored at the base year's gap from trend: no later start
            lines.append('start = "base"')
        for path, value in self.parameters[process].items():
            lines.append(f"{path.removeprefix('trade.')} = {_toml(value)}")
        return "\n".join(lines) + "\n"


def _silent(done, total, note=None) -> None:
    """No progress report: what `calibrate_trade` calls when given none."""


def _toml(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)  # a number: str of a float is its repr, an int stays whole


def calibrate_trade(levels: pd.DataFrame, *, base_year: int = 2023, draws: int = DEFAULT_DRAWS, seed: int = 0,
                    bootstrap: int = pf.BOOTSTRAP_REPLICATIONS, origins=None, horizons=range(1, 6),
                    source: str = "seeds/history", progress=None) -> Calibration:
    """Fit every candidate trade process on `levels` and score each out of sample.

    The candidates (``random_walk``, ``ar1``, ``var1``) are fitted by least squares (statsmodels)
    equation by equation, the trend models' coefficients bias-corrected by bootstrap; their
    estimates are turned into the scenario's terms (one distribution per parameter) and each is
    scored by rolling-origin hindcasts (:func:`run_backtest`). So is ``random_walk_discounted``:
    the random walk with the volatility discount (`backtest.DISCOUNTS`) that the backtest's
    out-of-sample selection picks with every hindcast complete.

    Parameters
    ----------
    levels : pandas.DataFrame
        The two bilateral flows by fiscal year (US$ bn), as ``trade_levels(load_history())`` gives.
    base_year : int, default 2023
        The year the scenario's first-year growth follows.
    draws : int, default 4000
        Draws of the estimates' distribution (the backtest always uses its own, `backtest.DEFAULT_DRAWS`).
    seed : int, default 0
        Seeds the draws, the bootstrap and the backtest.
    bootstrap : int
        Bootstrap replications of the bias correction (0 skips it).
    origins, horizons
        Of the out-of-sample backtest, as in :func:`run_backtest`.
    source : str, default "seeds/history"
        Where the data came from, for the fragment's comments.
    progress : callable, optional
        Called ``progress(done, total, note)`` as the out-of-sample hindcasts and then the fits
        are done (the note says which), for a progress bar.

    Returns
    -------
    Calibration
        `estimates` (per process and parameter, in regression and scenario terms), `criteria`
        (log-likelihood, AIC, BIC and out-of-sample scores per process), `parameters` (the
        scenario's ``trade.*`` values per process) and `fragment(process)`, a ``[trade]`` table a
        scenario can paste.

    References
    ----------
    * Kilian, L. (1998). Small-sample confidence intervals for impulse response functions.
      *Review of Economics and Statistics*, 80(2), 218-230.
    * Zellner, A. (1971). *An Introduction to Bayesian Inference in Econometrics*. Wiley (ch. 8).
    * Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
      estimation. *JASA*, 102(477), 359-378.

    Examples
    --------
    >>> import simulator
    >>> from simulator.estimation.calibration import trade_levels
    >>> levels = trade_levels(simulator.load_history())
    >>> calibration = simulator.calibrate_trade(levels, draws=100, bootstrap=0, origins=[2020], horizons=[1, 2])
    >>> list(calibration.criteria["process"])
    ['random_walk', 'ar1', 'var1', 'random_walk_discounted']
    >>> calibration.years == (int(levels.index[0]), int(levels.index[-1]))
    True
    >>> "[trade]" in calibration.fragment("ar1")
    True
    """
    family = [hm.discounted_name(d) for d in hm.DISCOUNTS]
    models = {p: hm.candidate(p, bootstrap) for p in pf.PROCESSES}
    # (a random walk has no bias correction: no bootstrap)
    models |= {hm.discounted_name(d): hm.candidate("random_walk", volatility_discount=d) for d in hm.DISCOUNTS}
    # The backtest's own number of draws, whatever `draws` is: fewer make the choice among the
    # discounts (whose scores differ by about 0.02) depend on the seed.
    # one step per hindcast (model x origin), then one per process fitted on the whole history
    report = progress or _silent
    steps = {"fits": len(pf.PROCESSES) + 1}

    def hindcasts(done, total, note=None):
        steps["hindcasts"] = total
        report(done, total + steps["fits"], f"hindcast: {note}" if note else "hindcasts done")
    backtest = bt.run_backtest(levels, models, origins, horizons, seed=seed, progress=hindcasts)  # its default draws
    discount = hm.DISCOUNTS[family.index(backtest.chosen_now(family))]
    estimates, criteria, parameters = [], [], {}
    done = steps["hindcasts"]  # the backtest reports its end whatever happened: always set
    total = done + steps["fits"]
    fits = []
    for k, p in enumerate(pf.PROCESSES):
        report(done + k, total, f"fitting {p}" + (" (bootstrap bias correction)" if bootstrap and p != "random_walk" else ""))
        fits.append((p, pf.fit(p, levels, bootstrap=bootstrap, bootstrap_seed=seed)))
    fits.append((DISCOUNTED, pf.fit("random_walk", levels, volatility_discount=discount)))
    report(total, total, None)
    for k, (process, fitted) in enumerate(fits):
        joint = fitted.draw(np.random.default_rng([seed, k]), draws)
        parameters[process] = scenario_parameters(fitted, joint, base_year)
        estimates += _estimate_rows(process, fitted, parameters[process])
        criteria.append({"process": process, **fitted.criteria()})
    scored = backtest.table.assign(model=backtest.table["model"].replace({hm.discounted_name(discount): DISCOUNTED}))
    flows = scored[scored.variable.isin([bt.VARIABLES[f] for f in pf.FLOWS])]
    oos = flows.groupby("model").agg(scored=("actual", "size"), coverage_50=("in_50", "mean"),
                                     coverage_90=("in_90", "mean"), interval_score=("interval_score", "mean"),
                                     crps=("crps", "mean"))
    table = pd.DataFrame(criteria).join(oos, on="process")
    years = levels.index
    return Calibration(pd.DataFrame(estimates), table, parameters, (int(years[0]), int(years[-1])), len(levels),
                       base_year, source)


def _estimate_rows(process: str, fitted: pf.ProcessFit, params: dict) -> list[dict]:
    rows = []
    names = {"random_walk": ["drift"], DISCOUNTED: ["drift"], "ar1": ["const", "trend", "lag_own"],
             "var1": ["const", "trend", "lag_india_to_japan", "lag_japan_to_india"]}[process]
    se = fitted.standard_errors()
    for i, flow in enumerate(pf.FLOWS):
        for j, name in enumerate(names):
            raw = float(fitted.results[i].params[j])
            rows.append({"process": process, "terms": "regression", "parameter": f"{flow}.{name}",
                         "estimate": float(fitted.coefficients[j, i]), "se": float(se[j, i]),
                         "least_squares": raw})
    for path, value in params.items():
        if path == "trade.process":
            continue
        if isinstance(value, dict):  # a truncated normal (trade_process_parameters._bounded_normal)
            centre, spread = value["mean"], value["sd"]
        else:
            centre, spread = value, 0.0
        rows.append({"process": process, "terms": "scenario", "parameter": path, "estimate": centre,
                     "se": spread, "least_squares": np.nan})
    return rows
