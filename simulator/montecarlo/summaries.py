"""Summary statistics of a run, and what a streamed run keeps: its summaries, not its draws.

A `RunSummary` answers what the results folder, the console and the plots ask of a run (`summary`,
`headline`, `events`, `bands`, `labels`) the way `Result` does, from tables computed while the
draws streamed past (simulator.montecarlo.streaming). Its draws, when kept, are in the ensemble file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from simulator.variables import VARIABLES

if TYPE_CHECKING:
    from simulator.scenario import Scenario


HEADLINE_YEAR = 2030  # a mid-horizon year users quote; shown beside the final year
QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
SUMMARY_COLUMNS = ["variable", "unit", "year", "mean", "sd", *QUANTILES]


def headline_years(years) -> list[int]:
    """2030 (if simulated) and the final year: the years headline tables report."""
    years = [int(y) for y in years]
    return sorted({y for y in (HEADLINE_YEAR, years[-1]) if y in years}) if years else []


class SummaryAnswers:
    """What a `Result` (every draw in memory) and a `RunSummary` (summaries of a streamed run)
    answer alike, from summary.csv's rows: the headline table and the events' probabilities.

    A subclass gives `scenario`, `variables`, `headline_summary(years)` (summary.csv's rows of the
    headline variables in those years) and `events()`.
    """

    def headline(self, years: list[int] | None = None) -> pd.DataFrame:
        """Median and 90% interval of the headline variables in 2030 (if simulated) and the final
        year: variable, label, unit, year, p50, p05, p95."""
        if years is None:
            years = headline_years(self.scenario.years)
        return headline_table(self.headline_summary(list(years)), self.variables, years)

    def probabilities(self) -> pd.DataFrame:
        """The same as `events()` (the name of earlier versions)."""
        return self.events()


def headline_table(summary: pd.DataFrame, variables: list[str], years: list[int]) -> pd.DataFrame:
    """The headline rows (variable, label, unit, year, p50, p05, p95) of summary.csv's rows."""
    rows = []
    for name in variables:
        if not VARIABLES[name].headline:
            continue
        part = summary[summary["variable"] == name].set_index("year")
        for y in years:
            r = part.loc[y]
            rows.append({"variable": name, "label": VARIABLES[name].label, "unit": r["unit"], "year": y,
                         "p50": r["p50"], "p05": r["p05"], "p95": r["p95"]})
    return pd.DataFrame(rows)


def summarise(name: str, unit: str, da: xr.DataArray) -> pd.DataFrame:
    """Mean, sd and quantiles over the first dimension (draws or replications), by year."""
    values = da.transpose(..., "year").values
    q = np.quantile(values, list(QUANTILES.values()), axis=0)
    with np.errstate(over="ignore"):  # a mean beyond floating point is inf, which check_finite reports
        mean = values.mean(axis=0)
    frame = pd.DataFrame({
        "variable": name, "unit": unit, "year": da["year"].values.astype(int), "mean": mean, "sd": sample_sd(values),
    })
    for j, col in enumerate(QUANTILES):
        frame[col] = q[j]
    return frame


def sample_sd(values: np.ndarray) -> np.ndarray:
    """Sample standard deviation over the first axis (0 for one draw), without overflow: squares of
    values above about 1e154 are infinite, so such columns are computed scaled by their largest value."""
    if values.shape[0] < 2:
        return np.zeros(values.shape[1:])
    with np.errstate(over="ignore", invalid="ignore"):
        sd = values.std(axis=0, ddof=1)
        redo = ~np.isfinite(sd) & np.isfinite(values).all(axis=0)
        if redo.any():
            part = values[:, redo]
            scale = np.abs(part).max(axis=0)
            sd[redo] = (part / scale).std(axis=0, ddof=1) * scale
    return sd


@dataclass(frozen=True)
class RunSummary(SummaryAnswers):
    """The summaries of a streamed run (``ijsim run``), without its draws.

    Holds summary.csv's rows (`table`: mean, sd and quantiles by variable and year), the events'
    probabilities (`event_table`), the labels of the sectors, streams and stages, the output
    variables' names and India's base-year balance with Japan, all computed while the draws
    streamed past; `ensemble` says what the ensemble file keeps of the draws (``full``,
    ``float32`` or ``none``). It answers what the results folder, the console and the plots ask of
    a run the way :class:`Result` does: `summary`, `headline`, `events`, `bands`, `labels`,
    `base_balance`.

    Examples
    --------
    >>> import simulator
    >>> from simulator.montecarlo.streaming import run_streamed
    >>> scenario = simulator.load_scenario("baseline").with_params({"scenario.draws": 200, "scenario.seed": 1})
    >>> summary = run_streamed(scenario)  # keeps no draws, writes nothing
    >>> summary
    <RunSummary 'baseline': 200 draws × 2025-2034, 29 variables, ensemble none>
    >>> summary.quantile_method
    'log-histogram'
    >>> list(summary.bands("trade.balance").columns)
    ['p05', 'p25', 'p50', 'p75', 'p95']
    """

    def __repr__(self) -> str:
        """Short: the scenario, its draws and years, how many variables, and what the ensemble file keeps."""
        years = self.scenario.years
        span = f"{int(years[0])}-{int(years[-1])}" if len(years) else "no years"
        return (f"<RunSummary {self.scenario.name!r}: {self.scenario.draws:,} draws × {span}, "
                f"{len(self.variables)} variables, ensemble {self.ensemble}>")

    scenario: "Scenario"                      # the scenario that ran, with the run's draws and seed
    table: pd.DataFrame                       # summary.csv's rows
    event_table: pd.DataFrame                 # Result.events()'s rows, counted block by block
    label_lists: dict[str, list[str]]         # sector, stream and stage -> their entries, in order
    variables: list[str]                      # the output variables, in Result.variables' order
    base_balance_usd_bn: float                # India's balance with Japan in the base year (median), for plots
    ensemble: str = "full"                    # full | float32 | none
    quantile_method: str = "exact"            # exact | log-histogram (see simulator.montecarlo.quantile_sketch)
    extra: dict = field(default_factory=dict)
    driver_counts: np.ndarray | None = None   # (events, assumptions, 4): simulator.montecarlo.event_drivers

    def summary(self) -> pd.DataFrame:
        return self.table[SUMMARY_COLUMNS].copy()

    def labels(self, dim: str) -> list[str]:
        return list(self.label_lists[dim])

    def bands(self, name: str) -> pd.DataFrame:
        rows = self.table[self.table["variable"] == name]
        if rows.empty:
            raise KeyError(name)
        return pd.DataFrame(rows[list(QUANTILES)].to_numpy(), index=rows["year"].to_numpy(), columns=list(QUANTILES))

    def base_balance(self) -> float:
        return self.base_balance_usd_bn

    def headline_summary(self, years: list[int]) -> pd.DataFrame:
        return self.table[self.table["year"].isin(years)]

    def events(self) -> pd.DataFrame:
        return self.event_table.copy()

    def event_drivers(self) -> pd.DataFrame:
        """What each event's probability depends on (event_drivers.csv), from the counts kept while the
        draws streamed past: the same table as `Result.event_drivers`."""
        from simulator.montecarlo.event_drivers import DRIVER_COLUMNS, driver_table

        if self.driver_counts is None:
            return pd.DataFrame(columns=DRIVER_COLUMNS)
        return driver_table(self.scenario, self.driver_counts)



def summary_table(variables: list[str], labels: dict[str, list[str]], years, stats: dict) -> pd.DataFrame:
    """summary.csv's rows (the order and columns of `Result.summary`) from per-variable statistics:
    stats[name] = {"mean", "sd": (year[, entry]) arrays, "quantiles": (quantile, year[, entry])}."""
    years = np.asarray(years).astype(int)
    frames = []
    for name in variables:
        info, s = VARIABLES[name], stats[name]
        entries = [(name, None)] if not info.extra_dim else [(f"{name}.{label}", j)
                                                             for j, label in enumerate(labels[info.extra_dim])]
        for flat_name, j in entries:
            pick = (lambda a: a) if j is None else (lambda a, j=j: a[..., j])
            frame = pd.DataFrame({"variable": flat_name, "unit": info.unit, "year": years,
                                  "mean": pick(s["mean"]), "sd": pick(s["sd"])})
            for k, col in enumerate(QUANTILES):
                frame[col] = pick(s["quantiles"][k])
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)[SUMMARY_COLUMNS]
