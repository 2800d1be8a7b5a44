"""Rolling-origin hindcasts of the trade flows, scored against what happened.

For each origin year o, every model is re-estimated on the history up to o only, projects the two
flows 1..H years ahead from their values in o, and the forecast distribution is scored against the
actual values: coverage of the central 50% and 90% intervals, the interval (Winkler) score of the
90% interval and the continuous ranked probability score, CRPS (Gneiting & Raftery 2007, "Strictly
proper scoring rules, prediction, and estimation", JASA 102(477); the formulas of `scoringrules`, in `ensemble_scores`).
Lower scores are better; a well-calibrated 90% interval covers about 90% of held-out values.

Models: `hindcast_models` (the benchmarks, the candidate processes, the discounted random walks,
the scenario's own process). The choice among candidates is backtested too: `select_out_of_sample`
makes it at each origin from the hindcasts complete by then. India's balance X - M is scored too,
from the same draws.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from simulator.estimation import ensemble_scores as es
from simulator.estimation import forecast_evaluation as fe
from simulator.estimation import trade_process_fit as pf
from simulator.estimation.hindcast_models import Model
from simulator.variables import fiscal_year

VARIABLES = {"exports_india_to_japan": "trade.exports_india_to_japan",
             "exports_japan_to_india": "trade.exports_japan_to_india",
             "balance": "trade.balance"}
QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
COLUMNS = ["model", "variable", "origin", "horizon", "actual", *QUANTILES, "in_50", "in_90",
           "interval_score", "crps", "pit"]
# Enough draws that the 5% and 95% quantiles barely move between seeds: with 2,000 an outcome near a
# band's edge falls in or out by the seed alone (coverage of the 50 hindcasts moved by 0.04).
DEFAULT_DRAWS = 10_000

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
    selected_now: str | None = None  # what the selection picks with every hindcast complete: today's choice

    def with_selection(self, family: list[str], name: str = "selected") -> "Backtest":
        """A copy with the out-of-sample choice among `family` scored as model `name`
        (:func:`select_out_of_sample`); its choice for a forecast made now is `chosen_now(family)`."""
        present = [m for m in family if m in set(self.table["model"])]
        if not present:
            return self
        rows, picks = select_out_of_sample(self.table, present, name=name)
        return replace(self, table=pd.concat([self.table, rows], ignore_index=True),
                       selections=tuple(picks.items()), selected_now=choose(self.table, present))

    def chosen_now(self, family: list[str]) -> str:
        """The member of `family` the selection picks with every hindcast complete: today's choice."""
        return choose(self.table, [m for m in family if m in set(self.table["model"])])

    def coverage(self) -> pd.DataFrame:
        """Per model, variable and horizon: rows scored, coverage of the 50% and 90% intervals, mean
        interval score and CRPS, the median's mean error (bias, actual units), the share of outcomes
        above the median with its binomial p-value, and the PIT's mean and sd
        (`forecast_evaluation.summary`)."""
        return fe.summary(self.table, ["model", "variable", "horizon"])

    def overall(self) -> pd.DataFrame:
        """Per model and variable, over every origin and horizon."""
        return fe.summary(self.table, ["model", "variable"])

    def pooled(self) -> pd.DataFrame:
        """Per model, over both flows (not the balance), every origin and horizon."""
        return fe.summary(self.table[self.table.variable.isin(fe.FLOWS)], ["model"])

    def diebold_mariano(self) -> pd.DataFrame:
        """Each model's CRPS against each benchmark present (`forecast_evaluation.diebold_mariano`)."""
        return fe.diebold_mariano(self.table)


def run_backtest(levels: pd.DataFrame, models: dict[str, Model], origins=None, horizons=range(1, 6), *,
                 draws: int = DEFAULT_DRAWS, seed: int = 0, min_years: int = 9, progress=None) -> Backtest:
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
        as ``candidate("ar1")`` or ``scenario_model(scenario)`` from `hindcast_models`.
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
    progress : callable, optional
        Called ``progress(done, total, note)`` after each model's hindcast from each origin (the
        note names them), for a progress bar.

    Returns
    -------
    Backtest
        `table` (one row per model, variable, origin and horizon: quantiles, whether the actual
        value is in the 50% and 90% intervals, interval score, CRPS, PIT: the share of draws below
        the actual value); `coverage()`, `overall()` and `pooled()` summarise it,
        `diebold_mariano()` tests each model's CRPS against the benchmarks. A model that cannot be fitted at an origin is left out there, with a note.

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
    >>> from simulator.estimation.hindcast_models import candidate
    >>> from simulator.estimation.calibration import trade_levels
    >>> levels = trade_levels(simulator.load_history())
    >>> backtest = simulator.run_backtest(levels, {"random_walk": candidate("random_walk")}, [2018, 2020],
    ...                                   horizons=[1, 2], draws=200)
    >>> backtest.origins, backtest.horizons
    ((2018, 2020), (1, 2))
    >>> sorted(set(backtest.table["variable"]))
    ['trade.balance', 'trade.exports_india_to_japan', 'trade.exports_japan_to_india']
    >>> list(backtest.overall().columns)
    ['model', 'variable', 'n', 'coverage_50', 'coverage_90', 'interval_score', 'crps', 'bias_p50',
     'above_median', 'above_median_p', 'pit_mean', 'pit_sd']
    """
    levels = levels.loc[:, list(pf.FLOWS)].sort_index()
    years = levels.index.to_numpy()  # whole years
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
    total = len(models) * len(origins)
    for m, (name, model) in enumerate(models.items()):
        for k, origin in enumerate(origins):
            if progress is not None:
                progress(m * len(origins) + k, total, f"{name}, origin {fiscal_year(origin)}")
            history = levels.loc[:origin]
            rng = np.random.default_rng([seed, origin, m])
            try:
                growth = model(history, rng, draws, max(horizons))
            except ValueError as exc:  # too short a history for this model at this origin
                notes.append(f"{name}, origin {origin}: not scored ({exc})")
                continue
            paths = history.iloc[-1].to_numpy() * growth  # (draws, H, 2) in US$ bn
            rows += _score(name, origin, horizons, paths, levels)
    if progress is not None:
        progress(total, total, None)
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
    chosen = pd.concat(rows, ignore_index=True).assign(model=name) if rows else table  # no origins: empty
    return chosen, picks


def choose(table: pd.DataFrame, family: list[str]) -> str:
    """The member of `family` with the lowest mean CRPS over both flows in `table` (ties: the first)."""
    flows = table[table["variable"].isin([VARIABLES[f] for f in pf.FLOWS]) & table["model"].isin(family)]
    means = flows.groupby("model")["crps"].mean()
    return min((m for m in family if m in means.index), key=lambda m: means[m])


def _score(name: str, origin: int, horizons: tuple[int, ...], paths: np.ndarray,
           levels: pd.DataFrame) -> list[list]:
    """The rows of one model's hindcast from one origin: every observed horizon and variable scored
    at once, each ensemble sorted once for its quantiles, CRPS and PIT (`ensemble_scores`)."""
    series = {"exports_india_to_japan": paths[..., 0], "exports_japan_to_india": paths[..., 1],
              "balance": paths[..., 0] - paths[..., 1]}
    keys, steps, actuals, ensembles = [], [], [], []
    for h in horizons:
        year = origin + h
        if year not in levels.index:
            continue  # not yet observed
        x, m = levels.loc[year, pf.FLOWS[0]], levels.loc[year, pf.FLOWS[1]]
        observed = {"exports_india_to_japan": x, "exports_japan_to_india": m, "balance": x - m}
        for key, draws in series.items():
            ens = draws[:, h - 1]
            if np.isnan(ens).any():
                continue  # the model could not project this year (its drivers are unknown)
            keys.append(key), steps.append(h), actuals.append(float(observed[key])), ensembles.append(ens)
    if not keys:
        return []
    ordered = np.sort(np.stack(ensembles))  # (rows, draws): each row sorted (np.sort's default, the last axis)
    actual = np.asarray(actuals)
    # np.quantile of a sorted row: the same order statistics and interpolation as of the unsorted one
    q = np.quantile(ordered, list(QUANTILES.values()), axis=1).T
    interval = es.interval_score(actual, q[:, 0], q[:, 4], 0.1)
    crps = es.crps_sorted(actual, ordered)
    pit = es.pit_sorted(actual, ordered)
    return [[name, VARIABLES[key], origin, h, a, *qs, bool(qs[1] <= a <= qs[3]), bool(qs[0] <= a <= qs[4]),
             float(i), float(c), float(p)]
            for key, h, a, qs, i, c, p in zip(keys, steps, actual.tolist(), q.tolist(), interval, crps, pit)]
