"""A sweep: every combination of some policy levers' values, run on the same draws.

Each combination is the base scenario with the levers set (`combinations`), run with the base's
seed, draws, sampler and block size, so an uncertain input takes the same value in the same draw
in every combination (common random numbers, as in `compare`): differences between combinations
are the levers' doing, draw by draw. That is what regret needs: in each draw, how far each
combination falls short of the best one in that draw (Savage 1951; the minimax-regret reading of
robust decision making, Lempert, Popper & Bankes 2003, RAND MR-1626).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from simulator.errors import UserError
from simulator.montecarlo import comparison as comparing
from simulator.montecarlo import engine
from simulator.montecarlo.summaries import QUANTILES
from simulator.scenario import Scenario
from simulator.scenario.levers import is_lever, not_a_lever
from simulator.sweeping.combinations import (LeverSetting, combination_label, combinations, parse_lever,
                                             resolved)

DIRECTIONS = ("higher", "lower")
REGRET_COLUMNS = ["regret_mean", "regret_p50", "regret_p90", "regret_max", "p_best"]


@dataclass(frozen=True)
class Sweep:
    """The combinations of a sweep and their runs on common random numbers (made by :func:`sweep`).

    `settings` are the levers (each with the year its values start, where it is a path),
    `values` each combination's lever values in the same order, `comparison` the runs (the first
    combination is the comparison's reference). `levers()` names the combinations, `table()` is
    sweep.csv, `events()` the events' probabilities, `regret(best)` the regret table.
    """

    base: Scenario
    settings: tuple[LeverSetting, ...]
    values: tuple[tuple[Any, ...], ...]
    comparison: comparing.Comparison

    def __repr__(self) -> str:
        ref = self.comparison.reference
        return (f"<Sweep of {self.base.name!r}: {len(self.values)} combinations of "
                f"{', '.join(s.key for s in self.settings)}, {ref.dataset.sizes['draw']:,} common draws>")

    @property
    def names(self) -> list[str]:
        """The combinations' scenario names: '<base>-c1', '<base>-c2', ..."""
        return self.comparison.names

    @property
    def labels(self) -> list[str]:
        return list(self.comparison.labels)

    def levers(self) -> pd.DataFrame:
        """One row per combination: combination (its scenario name), label, and one column per lever."""
        rows = [{"combination": name, "label": label, **{s.key: v for s, v in zip(self.settings, values)}}
                for name, label, values in zip(self.names, self.labels, self.values)]
        return pd.DataFrame(rows)

    def _with_levers(self, frame: pd.DataFrame, by: str = "scenario") -> pd.DataFrame:
        levers = self.levers()
        out = frame.rename(columns={by: "combination"}).merge(levers.drop(columns="label"), on="combination",
                                                              how="left")
        first = ["combination", *[s.key for s in self.settings]]
        return out[first + [c for c in out.columns if c not in first]]

    def table(self, table: pd.DataFrame | None = None) -> pd.DataFrame:
        """sweep.csv: per combination, variable and year, the mean, sd and quantiles, with the
        combination's lever values. `table`: the comparison's `table()` if computed already."""
        table = self.comparison.table() if table is None else table
        keep = ["scenario", "variable", "unit", "year", "mean", "sd", *QUANTILES]
        return self._with_levers(table[keep]).reset_index(drop=True)

    def events(self) -> pd.DataFrame:
        """Each combination's events: probability (share of draws) and its Monte Carlo error."""
        frames = [r.events().assign(scenario=r.scenario.name) for r in self.comparison.results]
        return self._with_levers(pd.concat(frames, ignore_index=True))

    def regret(self, best: Mapping[str, str]) -> pd.DataFrame:
        """For each variable of `best` ({variable: "higher" | "lower"}: which direction is better)
        and each year: in every draw, the best combination's value minus this one's (for "lower",
        this one's minus the best), >= 0; its mean, median, 90% quantile and maximum over the draws,
        and p_best, the share of draws in which this combination is best (ties count for each)."""
        rows = []
        for variable, direction in best.items():
            if direction not in DIRECTIONS:
                raise ValueError(f"{variable}: best must be 'higher' or 'lower', not {direction!r}")
            arrays = np.stack([r[variable].transpose("draw", "year").values for r in self.comparison.results])
            sign = 1.0 if direction == "higher" else -1.0
            scores = sign * arrays  # higher is better in every case
            regret = scores.max(axis=0, keepdims=True) - scores  # (combination, draw, year)
            years = self.comparison.reference[variable]["year"].values.astype(int)
            unit = self.comparison.reference[variable].attrs.get("unit", "")
            for name, r in zip(self.names, regret):
                rows.append(pd.DataFrame({
                    "scenario": name, "variable": variable, "unit": unit, "year": years, "best": direction,
                    "regret_mean": r.mean(axis=0), "regret_p50": np.quantile(r, 0.5, axis=0),
                    "regret_p90": np.quantile(r, 0.9, axis=0), "regret_max": r.max(axis=0),
                    "p_best": (r == 0).mean(axis=0)}))
        return self._with_levers(pd.concat(rows, ignore_index=True)).reset_index(drop=True)


def lever_settings(levers) -> list[LeverSetting]:
    """LeverSettings from {key: values}, 'KEY=V1,V2' strings or LeverSettings; keys that are not
    levers raise UserError (simulator.scenario.levers)."""
    if isinstance(levers, Mapping):
        out = []
        for key, values in levers.items():
            key, _, year = str(key).partition("@")  # "tariffs.us_on_india@2028": from that year
            if year and not (year.isascii() and year.isdigit() and len(year) == 4):
                raise UserError(f"{key}@{year}: the year after '@' has four digits, e.g. {key}@2028")
            if not is_lever(key):
                raise UserError(f"{key}: {not_a_lever(key)}")
            values = tuple(values) if isinstance(values, (list, tuple)) else (values,)
            if not values:
                raise UserError(f"{key}: no values to try")
            out.append(LeverSetting(key, values, int(year) if year else None))
        return out
    return [s if isinstance(s, LeverSetting) else parse_lever(s) for s in levers]


def sweep(scenario: Scenario, levers, *, draws: int | None = None, seed: int | None = None,
          sampler: str | None = None, block_size: int | None = None, progress=None, client=None,
          workers: int | None = None, scheduler: str | None = None, threads: int = 1) -> Sweep:
    """Run every combination of the levers' values on common random numbers.

    Parameters
    ----------
    scenario : Scenario
        The base: everything a lever does not set.
    levers : mapping or sequence
        ``{"tariffs.us_on_india": [0.1, 0.25, 0.5]}`` (``"tariffs.us_on_india@2028"`` for values from
        2028), or strings as on the command line
        (``"tariffs.us_on_india@2027=0.1,0.25"``). Only policy levers
        (:data:`simulator.scenario.levers.LEVERS`); a path-valued lever's values start the year
        after its last stated year unless a year is given.
    draws, seed, sampler, block_size : optional
        Override the base's run settings (every combination runs with them).
    progress, client, workers, scheduler, threads
        As in :func:`simulator.compare`.

    Returns
    -------
    Sweep
        The combinations (scenarios '<base>-c1', ...) and their runs.

    Raises
    ------
    UserError
        A key that is not a lever, a stage or stream the scenario lacks, no values.
    ScenarioError
        A value the lever cannot take (as a scenario file would be told).

    Examples
    --------
    >>> import simulator
    >>> s = simulator.sweep(simulator.load_scenario("baseline"), {"tariffs.us_on_india": [0.1, 0.5]}, draws=100)
    >>> s.labels
    ['US tariff on Indian goods = 0.1 from 2027', 'US tariff on Indian goods = 0.5 from 2027']
    >>> t = s.table().set_index(["combination", "variable", "year"])
    >>> bool(t.loc[("baseline-c2", "trade.exports_india_to_us", 2030), "p50"]
    ...      < t.loc[("baseline-c1", "trade.exports_india_to_us", 2030), "p50"])
    True
    """
    from simulator.parallel import dask_client

    settings = lever_settings(levers)
    if not settings:
        raise UserError("a sweep needs at least one lever with values")
    configured = engine.configure(scenario, draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    run = {"scenario.draws": configured.draws, "scenario.seed": configured.seed,
           "sampling.method": configured.sampler, "sampling.block_size": configured.block_size}
    scenarios = combinations(configured, settings, run)
    settings = [resolved(configured, s) for s in settings]
    values = tuple(itertools.product(*(s.values for s in settings)))
    labels = [combination_label(settings, v) for v in values]
    if len(scenarios) == 1:  # one combination: nothing to pair, but the same tables
        with dask_client(workers, scheduler, client) as c:
            result = engine.run(scenarios[0], client=c, threads=threads)
        if progress is not None:
            progress(1, 1)
        runs = comparing.Comparison((result,), tuple(labels))
    else:
        runs = comparing.compare(scenarios, labels=labels, progress=progress, client=client, workers=workers,
                                 scheduler=scheduler, threads=threads)
    return Sweep(configured, tuple(settings), values, runs)
