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
from simulator.montecarlo.inputs import INPUT_PREFIX, input_label
from simulator.variables import VARIABLES, variable

if TYPE_CHECKING:
    from simulator.scenario import Scenario

HEADLINE_YEAR = 2030  # a mid-horizon year users quote; shown beside the final year


def headline_years(years) -> list[int]:
    """2030 (if simulated) and the final year: the years headline tables report."""
    years = [int(y) for y in years]
    return sorted({y for y in (HEADLINE_YEAR, years[-1]) if y in years}) if years else []


QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
SUMMARY_COLUMNS = ["variable", "unit", "year", "mean", "sd", *QUANTILES]


@dataclass(frozen=True)
class Result:
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
    <Result 'baseline': 200 draws × 2025-2034, 23 variables>
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
        coords = {"draw": np.arange(first_draw, first_draw + n), "year": scenario.years}
        data_vars = {}
        for name, values in arrays.items():
            if name.startswith(INPUT_PREFIX):
                label, unit = input_label(name[len(INPUT_PREFIX):])
                data_vars[name] = xr.Variable(("draw",), values, attrs={
                    "unit": unit, "long_name": label, "description": "sampled input: its value in each draw"})
                continue
            info = variable(name)
            dims = ("draw", "year") + ((info.extra_dim,) if info.extra_dim else ())
            if info.extra_dim:
                coords[info.extra_dim] = labels[info.extra_dim]
            data_vars[name] = xr.Variable(dims, values, attrs={"unit": info.unit, "long_name": info.label,
                                                               "description": info.description})
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
        names = [str(k) for k in self.dataset.data_vars if str(k).startswith(INPUT_PREFIX)]
        frame = pd.DataFrame({k[len(INPUT_PREFIX):]: self.dataset[k].values for k in names},
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

    def headline(self, years: list[int] | None = None) -> pd.DataFrame:
        """Median and 90% interval of the headline variables in 2030 (if simulated) and the final year."""
        if years is None:
            years = headline_years(self.dataset["year"].values)
        rows = []
        for name in self.variables:
            if not VARIABLES[name].headline:
                continue
            da = self.dataset[name]
            for y in years:
                values = da.sel(year=y).values
                p05, p50, p95 = np.quantile(values, [0.05, 0.5, 0.95])
                rows.append({"variable": name, "label": VARIABLES[name].label, "unit": da.attrs["unit"],
                             "year": y, "p50": p50, "p05": p05, "p95": p95})
        return pd.DataFrame(rows)


    def events(self) -> pd.DataFrame:
        """The scenario's events ([events.<name>] in its file): event, title, year, probability (the
        share of draws in which it happens) and se (its Monte Carlo standard error), with the
        variable and whether `year` means "by" that year. What events.csv holds."""
        from simulator.montecarlo.event_probabilities import event_table, scenario_parameter

        return event_table(self.dataset, self.scenario.events, scenario_parameter(self.scenario, self.dataset))

    def probabilities(self) -> pd.DataFrame:
        """The same as `events()` (the name of earlier versions)."""
        return self.events()

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
