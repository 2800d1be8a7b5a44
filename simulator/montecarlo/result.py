"""The result of a run: every variable by draw and year (and sector), with summaries.

Held as an xarray Dataset so dimensions are named (`draw`, `year`, `sector`), never remembered
by axis number; each variable carries its unit and label as attributes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from simulator._version import __version__
from simulator.montecarlo.inputs import INPUT_PREFIX, SHOCK_YEAR, flatten_inputs, stack_inputs
from simulator.montecarlo.summaries import QUANTILES, SUMMARY_COLUMNS, SummaryAnswers, summarise
from simulator.variables import FISCAL_YEAR_ATTRS, VARIABLES, fiscal_year, variable

if TYPE_CHECKING:
    from simulator.scenario import Scenario

@dataclass(frozen=True)
class Result(SummaryAnswers):
    """Every output variable of a run by draw and year (and sector, stream or stage), made by :func:`run`.

    Holds the scenario it ran (`scenario`, with the run's draws and seed) and an xarray Dataset
    (`dataset`) whose dimensions are named ``draw``, ``year`` and, for some variables, ``sector``,
    ``stream`` or ``stage``; each variable carries its ``unit`` and ``long_name`` as attributes, and
    the run settings are the Dataset's attributes. ``result["trade.balance"]`` is one variable (a
    DataArray); `variables` lists them; `inputs` holds every sampled input's value per draw.

    Main methods: `summary` (mean, sd and quantiles by variable and year, as summary.csv),
    `headline` (median and 90% interval of the headline variables), `bands` (one variable's
    quantiles by year), `events` (the probability of each of the scenario's events, with its Monte
    Carlo standard error) and `event` (whether an event happened, draw by draw).
    :func:`save_results` writes the results folder that ``ijsim run`` writes.

    Examples
    --------
    >>> import simulator
    >>> result = simulator.run(simulator.load_scenario("baseline"), draws=200, seed=1)
    >>> result
    <Result 'baseline': 200 draws × 2025-2034, 29 variables>
    >>> result["trade.balance"].dims
    ('draw', 'year')
    >>> list(result.summary().columns)
    ['variable', 'unit', 'year', 'mean', 'sd', 'p05', 'p25', 'p50', 'p75', 'p95']
    >>> list(result.bands("trade.balance").columns)
    ['p05', 'p25', 'p50', 'p75', 'p95']
    >>> result.inputs.shape[0]
    200
    """

    def __repr__(self) -> str:
        """Short, as xarray's: the scenario, the draws, the years and how many output variables."""
        years = self.dataset["year"].values
        span = f"{int(years[0])}-{int(years[-1])}" if len(years) else "no years"
        return (f"<Result {self.scenario.name!r}: {self.dataset.sizes.get('draw', 0):,} draws × {span}, "
                f"{len(self.variables)} variables>")

    scenario: "Scenario"  # the scenario that ran, with the run's draws, seed and sampler
    dataset: xr.Dataset  # the variables (draw, year[, sector|stream|stage]) and the sampled inputs (draw)

    @classmethod
    def from_arrays(cls, scenario: "Scenario", arrays: dict[str, np.ndarray], labels: dict[str, list[str]],
                    first_draw: int = 0) -> "Result":
        """`labels` names the entries of the third dimensions: {"sector": [...], "stream": [...], ...}.
        The arrays hold draws first_draw, first_draw + 1, ... (all of the run's draws, or one block)."""
        n = len(next(iter(arrays.values()))) if arrays else scenario.draws
        coords = {"draw": np.arange(first_draw, first_draw + n), "year": scenario.years,
                  "fiscal_year": xr.Variable(("year",), [fiscal_year(y) for y in scenario.years], FISCAL_YEAR_ATTRS)}
        data_vars = {}
        for name, values in arrays.items():
            if name.startswith(INPUT_PREFIX):
                continue
            info = variable(name)
            dims = ("draw", "year") + ((info.extra_dim,) if info.extra_dim else ())
            if info.extra_dim:
                coords[info.extra_dim] = labels[info.extra_dim]
            data_vars[name] = xr.Variable(dims, values, attrs={"unit": info.unit, "long_name": info.label,
                                                               "description": info.description})
        inputs, shock_years = stack_inputs({k: v for k, v in arrays.items() if k.startswith(INPUT_PREFIX)})
        for name, (dims, values, attrs) in inputs.items():
            data_vars[name] = xr.Variable(dims, values, attrs=attrs)
        if shock_years:
            coords[SHOCK_YEAR] = shock_years
        return cls(scenario, xr.Dataset(data_vars, coords=coords, attrs=dataset_attrs(scenario)))

    def __getitem__(self, name: str) -> xr.DataArray:
        return self.dataset[name]

    @property
    def variables(self) -> list[str]:
        """The model's output variables (the sampled inputs kept beside them are in `inputs`)."""
        return [k for k in self.dataset.data_vars if not str(k).startswith(INPUT_PREFIX)]

    @property
    def inputs(self) -> pd.DataFrame:
        """Every sampled input's value per draw: one row per draw, one column per input (named as
        the sampling dimension: 'investment.realisation_rate', 'trade.shock_japan_to_india.2027',
        'investment.sector_shares.clean_energy'). Empty columns if the scenario has none."""
        frame = pd.DataFrame({k[len(INPUT_PREFIX):]: v for k, v in flatten_inputs(self.dataset).items()},
                             index=pd.Index(self.dataset["draw"].values, name="draw"))
        return frame

    def flat(self) -> list[tuple[str, str, xr.DataArray]]:
        """(name, unit, draw x year array) for every variable; a third dimension becomes one entry
        per label, named ``<variable>.<label>``."""
        out = []
        for name in self.variables:
            da = self.dataset[name]
            extra = [d for d in da.dims if d not in ("draw", "year")]
            if extra:
                out += [(f"{name}.{label}", da.attrs["unit"], da.sel({extra[0]: label}, drop=True))
                        for label in da[extra[0]].values]
            else:
                out.append((name, da.attrs["unit"], da))
        return out

    def labels(self, dim: str) -> list[str]:
        """The entries of a third dimension (sector, stream, stage)."""
        return [str(x) for x in self.dataset[dim].values]

    def bands(self, name: str) -> pd.DataFrame:
        """Quantiles p05..p95 by year of a variable or of one entry ``<variable>.<entry>``."""
        if name in self.dataset:
            da = self.dataset[name]
        else:
            base, _, label = name.rpartition(".")
            da = self.dataset[base].sel({VARIABLES[base].extra_dim: label}, drop=True)
        q = np.quantile(da.transpose("draw", "year").values, list(QUANTILES.values()), axis=0)
        return pd.DataFrame(q.T, index=da["year"].values, columns=list(QUANTILES))

    def base_balance(self) -> float:
        """India's balance with Japan in the base year (median over draws), the level line of the
        balance chart."""
        return float((self.dataset["trade.balance"] - self.dataset["trade.balance_change"]).median())

    def summary(self) -> pd.DataFrame:
        """Long table: variable, unit, year, mean, sd, p05, p25, p50, p75, p95.

        Variables with a third dimension (sector, stream, stage) appear once per entry as
        ``<variable>.<entry>``.
        `sd` is the sample standard deviation across draws (0 for a single draw).
        """
        frames = [summarise(name, unit, da) for name, unit, da in self.flat()]
        return pd.concat(frames, ignore_index=True)[SUMMARY_COLUMNS]

    def headline_summary(self, years: list[int]) -> pd.DataFrame:
        """summary.csv's rows of the headline variables in `years` (what `headline` reads)."""
        headline = [self.dataset[name] for name in self.variables if VARIABLES[name].headline]
        frames = [summarise(da.name, da.attrs["unit"], da.sel(year=years)) for da in headline]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SUMMARY_COLUMNS)

    def events(self) -> pd.DataFrame:
        """The scenario's events ([events.<name>] in its file): event, title, year, probability (the
        share of draws in which it happens) and se (its Monte Carlo standard error), with the
        variable and whether `year` means "by" that year. What events.csv holds."""
        from simulator.montecarlo.event_probabilities import event_table, scenario_parameter

        return event_table(self.dataset, self.scenario.events, scenario_parameter(self.scenario, self.dataset))

    def event_drivers(self) -> pd.DataFrame:
        """What each event's probability depends on: for the assumptions that move it most, the
        probability when the assumption sits in the lowest and in the highest fifth of its range, with
        standard errors (simulator.montecarlo.event_drivers). What event_drivers.csv holds."""
        from simulator.montecarlo.event_drivers import count_block, driver_table
        from simulator.montecarlo.event_probabilities import occurred, scenario_parameter

        parameter = scenario_parameter(self.scenario, self.dataset)
        happened = [occurred(self.dataset, e, parameter) for e in self.scenario.events]
        return driver_table(self.scenario, count_block(self.scenario, happened, flatten_inputs(self.dataset)))

    def plot(self, variable: str = "trade.balance", *, ax=None, history=None):
        """A fan chart of one variable (or one entry, ``<variable>.<entry>``): median, 50% and 90%
        bands, its unit on the axis, fiscal years for trade, and for a trade variable the observed
        years leading into it (`history`: a `load_history` result or folder; the shipped one by
        default, {} for none). Draws on `ax` or a new figure, which Jupyter shows; returns the axes.
        The same as ``simulator.plotting.variable_fan(result, variable)`` and the run's plots/."""
        if variable not in self.variables and variable.rsplit(".", 1)[0] not in self.variables:
            raise KeyError(f"{variable!r} is not a variable of this run; `result.variables` lists them")
        from simulator.plotting.fans import variable_fan

        return variable_fan(self, variable, ax=ax, history=history)

    def event(self, name: str) -> np.ndarray:
        """Whether the named event happened, one boolean per draw (for `simulator.analysis.discover`)."""
        from simulator.montecarlo.event_probabilities import occurred, scenario_parameter

        events = {e.name: e for e in self.scenario.events}
        if name not in events:
            raise KeyError(f"no event {name!r} in scenario '{self.scenario.name}'; its events: "
                           f"{', '.join(events) or '(none)'}")
        return occurred(self.dataset, events[name], scenario_parameter(self.scenario, self.dataset))


def dataset_attrs(scenario: "Scenario") -> dict:
    """The run settings every ensemble carries."""
    return {"scenario": scenario.name, "title": scenario.title, "seed": scenario.seed,
            "draws": scenario.draws, "sampler": scenario.sampler, "block_size": scenario.block_size,
            "ijsim_version": __version__}
