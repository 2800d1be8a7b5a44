"""Comparing scenarios with common random numbers.

All scenarios run with the reference's (first scenario's) seed, draws, sampler and block size.
Because every uncertain input has its own random stream keyed by its name (see `sampling`), an
input that two scenarios share takes the same value in the same draw, so the paired difference
B - A, draw by draw, carries only the noise of what differs between them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from simulator.montecarlo import engine
from simulator.montecarlo.result import Result
from simulator.montecarlo.summaries import QUANTILES, headline_years, sample_sd
from simulator.scenario import Scenario
from simulator.variables import VARIABLES

DIFF_QUANTILES = {"diff_p05": 0.05, "diff_p25": 0.25, "diff_p50": 0.5, "diff_p75": 0.75, "diff_p95": 0.95}
COMPARISON_COLUMNS = ["variable", "unit", "year", "scenario", "reference", "mean", "sd", *QUANTILES,
                      "diff_mean", "diff_sd", *DIFF_QUANTILES, "p_greater"]


@dataclass(frozen=True)
class Comparison:
    """Scenarios run with common random numbers (made by :func:`compare`), the first the reference.

    Holds one :class:`Result` per scenario (`results`, with the same draws, years and seed) and
    what each scenario is called in tables and plots (`labels`). `table` gives every variable's
    distribution per scenario and its paired difference from the reference, draw by draw, with
    P(scenario > reference); `headline` the headline variables' differences in 2030 and the final
    year; `difference` one variable's paired differences as an array; `event_differences` the
    change in each shared event's probability with its standard error.

    Examples
    --------
    >>> import simulator
    >>> scenarios = [simulator.load_scenario("baseline"), simulator.load_scenario("slow-realisation")]
    >>> comparison = simulator.compare(scenarios, draws=200, seed=1)
    >>> comparison
    <Comparison of 2 scenarios (reference 'baseline', then 'slow-realisation'): 200 draws × 2025-2034>
    >>> comparison.difference("trade.balance", "slow-realisation").sizes["draw"]
    200
    >>> list(comparison.event_differences().columns[:3])
    ['event', 'title', 'year']
    """

    def __repr__(self) -> str:
        """Short: the scenarios by their labels (the reference first, at most three), draws and years."""
        years = self.reference.dataset["year"].values
        span = f"{int(years[0])}-{int(years[-1])}" if len(years) else "no years"
        others = [_short(label) for label in self.labels[1:3]]
        if len(self.labels) > 3:
            others.append(f"{len(self.labels) - 3} more")
        return (f"<Comparison of {len(self.results)} scenarios (reference {_short(self.labels[0])}, then "
                f"{', '.join(others)}): {self.reference.dataset.sizes['draw']:,} draws × {span}>")

    results: tuple[Result, ...]  # one run per scenario, the reference first; same draws, years and seed
    labels: tuple[str, ...] = ()  # what people call the scenarios in tables and plots; their names by default

    def __post_init__(self):
        labels = tuple(self.labels) or tuple(r.scenario.name for r in self.results)
        check_labels(labels, len(self.results))
        object.__setattr__(self, "labels", labels)

    @property
    def reference(self) -> Result:
        return self.results[0]

    @property
    def names(self) -> list[str]:
        return [r.scenario.name for r in self.results]

    def difference(self, variable: str, scenario: str):
        """Paired difference scenario - reference, draw by draw (xarray, draw x year)."""
        other = self.results[self.names.index(scenario)]
        return other[variable] - self.reference[variable]

    def plot(self, variable: str = "trade.balance", *, difference: bool = False, scenario: str | None = None,
             ax=None, history=None):
        """Every scenario's fan of one variable overlaid (medians and 90% bands, under their
        labels, with the observed years for a trade variable), or with `difference` the paired
        difference `scenario` minus the reference, draw by draw (`scenario`: a name or label, the
        second scenario by default). Draws on `ax` or a new figure; returns the axes."""
        if variable not in self.reference.variables and variable.rsplit(".", 1)[0] not in self.reference.variables:
            raise KeyError(f"{variable!r} is not a variable of these runs; `comparison.reference.variables` lists them")
        from simulator.plotting.fans import comparison_fan, difference_fan

        if not difference:
            return comparison_fan(self.results, variable, ax=ax, labels=list(self.labels), history=history)
        by_label = dict(zip(self.labels, self.names))
        other = self.names[1] if scenario is None else by_label.get(scenario, scenario)
        if other not in self.names[1:]:
            raise KeyError(f"{scenario!r} is not a compared scenario other than the reference; "
                           f"they are {', '.join(self.labels[1:])}")
        label = self.labels[self.names.index(other)]
        return difference_fan(self.difference(variable, other), variable, f"{label} minus {self.labels[0]} (paired)",
                              ax=ax)

    def table(self) -> pd.DataFrame:
        """One row per variable, year and scenario: its distribution, and its paired difference from
        the reference with P(scenario > reference). Variables present in every scenario only."""
        flats = [{name: (unit, da) for name, unit, da in r.flat()} for r in self.results]
        common = [name for name in flats[0] if all(name in f for f in flats[1:])]
        ref_name = self.names[0]
        rows = []
        for name in common:
            unit, ref = flats[0][name]
            ref_values = ref.transpose("draw", "year").values
            years = ref["year"].values.astype(int)
            for scenario, flat in zip(self.names, flats):
                values = flat[name][1].transpose("draw", "year").values
                block = {"variable": name, "unit": unit, "year": years, "scenario": scenario, "reference": ref_name,
                         "mean": values.mean(axis=0), "sd": _sd(values)}
                block.update(zip(QUANTILES, np.quantile(values, list(QUANTILES.values()), axis=0)))
                if scenario == ref_name:
                    # pd.concat would fill these with NaN anyway; named here so the reference's row reads whole
                    block.update({c: np.nan for c in ("diff_mean", "diff_sd", *DIFF_QUANTILES, "p_greater")})
                else:
                    diff = values - ref_values
                    block.update(diff_mean=diff.mean(axis=0), diff_sd=_sd(diff),
                                 p_greater=(diff > 0).mean(axis=0))
                    block.update(zip(DIFF_QUANTILES, np.quantile(diff, list(DIFF_QUANTILES.values()), axis=0)))
                rows.append(pd.DataFrame(block))
        return pd.concat(rows, ignore_index=True)[COMPARISON_COLUMNS]

    def headline(self, table: pd.DataFrame | None = None) -> pd.DataFrame:
        """Paired differences of the headline variables in 2030 and the final year. `table`: this
        comparison's `table()` if it was computed already (it sorts every variable's draws)."""
        table = self.table() if table is None else table
        keep = headline_years(self.reference.dataset["year"].values)
        headline = [v for v, info in VARIABLES.items() if info.headline]
        rows = table[table.variable.isin(headline) & table.year.isin(keep) & (table.scenario != self.names[0])]
        return rows[["variable", "unit", "year", "scenario", "diff_p50", "diff_p05", "diff_p95", "p_greater"]]


    def event_differences(self) -> pd.DataFrame:
        """For each event every scenario shares with the reference (by name): the paired difference
        of its probability, scenario - reference, and that difference's standard error over the
        common draws (sd of 1[B] - 1[A] / sqrt(n): far smaller than either probability's when the
        scenarios share most inputs)."""
        ref = self.reference
        ref_events = {e.name: e for e in ref.scenario.events}
        rows = []
        for result in self.results[1:]:
            for e in result.scenario.events:
                if e.name not in ref_events:
                    continue
                a, b = ref.event(e.name).astype(float), result.event(e.name).astype(float)
                d = b - a
                n = len(d)
                rows.append({"event": e.name, "title": e.title, "year": e.year, "variable": e.variable, "by": e.by,
                             "scenario": result.scenario.name, "reference": ref.scenario.name,
                             "probability": b.mean(), "reference_probability": a.mean(), "difference": d.mean(),
                             "se": d.std(ddof=1) / np.sqrt(n) if n > 1 else 0.0})
        return pd.DataFrame(rows, columns=["event", "title", "year", "variable", "by", "scenario", "reference",
                                           "probability", "reference_probability", "difference", "se"])


def _short(label: str, width: int = 24) -> str:
    """A label quoted for a repr, cut to `width` characters."""
    label = str(label)
    return repr(label if len(label) <= width else label[:width - 1] + "…")


def check_labels(labels, n: int) -> None:
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} scenarios: give one label per scenario, in order")
    if len(set(labels)) != len(labels) or not all(str(label).strip() for label in labels):
        raise ValueError(f"labels must be distinct and not empty, got {list(labels)}")


def _sd(values: np.ndarray) -> np.ndarray:
    return sample_sd(values)


def common_settings(scenarios: Sequence[Scenario], *, draws=None, seed=None, sampler=None,
                    block_size=None) -> list[Scenario]:
    """The scenarios with the reference's run settings (after any overrides) applied to all."""
    if len(scenarios) < 2:
        raise ValueError("a comparison needs at least two scenarios")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must differ to be compared, got {names}")
    reference = engine.configure(scenarios[0], draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    years = reference.years
    out = [reference]
    for s in scenarios[1:]:
        if not np.array_equal(s.years, years):
            raise ValueError(f"scenario '{s.name}' simulates {s.years[0]}-{s.years[-1]}, the reference "
                             f"'{reference.name}' {years[0]}-{years[-1]}: compared scenarios need the same horizon")
        out.append(engine.configure(s, draws=reference.draws, seed=reference.seed, sampler=reference.sampler,
                                    block_size=reference.block_size))
    return out


def compare(scenarios: Sequence[Scenario], *, draws: int | None = None, seed: int | None = None,
            sampler: str | None = None, block_size: int | None = None, progress=None, client=None,
            workers: int | None = None, scheduler: str | None = None, threads: int = 1,
            labels: Sequence[str] | None = None) -> Comparison:
    """Run every scenario with common random numbers; the first is the reference.

    Every scenario runs with the reference's seed, draws, sampler and block size (after any
    overrides given here), so an input two scenarios share takes the same value in the same draw
    and the paired difference, draw by draw, carries only the noise of what differs.

    Parameters
    ----------
    scenarios : sequence of Scenario
        At least two, with distinct names and the same horizon; the first is the reference.
    draws, seed : int, optional
        Override the reference's draws and seed (and so every scenario's).
    sampler : {"mc", "lhs", "sobol"}, optional
        Overrides the reference's sampler.
    block_size : int, optional
        Overrides the reference's block size.
    progress : callable, optional
        ``progress(done, total)`` is called as each scenario's run completes.
    client, workers, scheduler, threads
        Dask and thread options as in :func:`run` (one cluster serves every scenario); one thread
        by default.
    labels : sequence of str, optional
        What the scenarios are called in tables and plots, one per scenario, distinct and not
        empty (their names by default).

    Returns
    -------
    Comparison
        The runs, the reference first.

    Raises
    ------
    ValueError
        Fewer than two scenarios, repeated names, different horizons, or labels that do not match
        the scenarios one to one.
    ScenarioError
        If an override is not a valid value.

    Examples
    --------
    >>> import simulator
    >>> baseline = simulator.load_scenario("baseline")
    >>> slow = simulator.load_scenario("slow-realisation")
    >>> comparison = simulator.compare([baseline, slow], draws=200, seed=1)
    >>> comparison.names
    ['baseline', 'slow-realisation']
    >>> table = comparison.table()
    >>> sorted(set(table["scenario"]))
    ['baseline', 'slow-realisation']
    >>> list(comparison.headline(table).columns)
    ['variable', 'unit', 'year', 'scenario', 'diff_p50', 'diff_p05', 'diff_p95', 'p_greater']
    """
    from simulator.parallel import dask_client

    if labels:
        check_labels(labels, len(scenarios))
    configured = common_settings(scenarios, draws=draws, seed=seed, sampler=sampler, block_size=block_size)
    results = []
    with dask_client(workers, scheduler, client) as c:
        for i, s in enumerate(configured):
            results.append(engine.run(s, client=c, threads=threads))
            if progress is not None:
                progress(i + 1, len(configured))
    return Comparison(tuple(results), tuple(labels or ()))
