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

from ._version import __version__
from .variables import VARIABLES, variable

if TYPE_CHECKING:
    from .scenario import Scenario

HEADLINE_YEAR = 2030  # a mid-horizon year users quote; shown beside the final year


def headline_years(years) -> list[int]:
    """2030 (if simulated) and the final year: the years headline tables report."""
    years = [int(y) for y in years]
    return sorted({y for y in (HEADLINE_YEAR, years[-1]) if y in years}) if years else []


QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
SUMMARY_COLUMNS = ["variable", "unit", "year", "mean", "sd", *QUANTILES]


@dataclass(frozen=True)
class Result:
    scenario: "Scenario"
    dataset: xr.Dataset

    @classmethod
    def from_arrays(cls, scenario: "Scenario", arrays: dict[str, np.ndarray], labels: dict[str, list[str]]) -> "Result":
        """`labels` names the entries of the third dimensions: {"sector": [...], "stream": [...], ...}."""
        coords = {"draw": np.arange(scenario.draws), "year": scenario.years}
        data_vars = {}
        for name, values in arrays.items():
            info = variable(name)
            dims = ("draw", "year") + ((info.extra_dim,) if info.extra_dim else ())
            if info.extra_dim:
                coords[info.extra_dim] = labels[info.extra_dim]
            data_vars[name] = xr.Variable(dims, values, attrs={"unit": info.unit, "long_name": info.label,
                                                               "description": info.description})
        attrs = {"scenario": scenario.name, "title": scenario.title, "seed": scenario.seed,
                 "draws": scenario.draws, "sampler": scenario.sampler, "block_size": scenario.block_size,
                 "ijsim_version": __version__}
        return cls(scenario, xr.Dataset(data_vars, coords=coords, attrs=attrs))

    def __getitem__(self, name: str) -> xr.DataArray:
        return self.dataset[name]

    @property
    def variables(self) -> list[str]:
        return list(self.dataset.data_vars)

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


    def probabilities(self, years: list[int] | None = None) -> pd.DataFrame:
        """Headline probabilities (share of draws) in 2030 (if simulated) and the final year."""
        all_years = [int(y) for y in self.dataset["year"].values]
        if years is None:
            years = headline_years(all_years)
        base = int(self.scenario.params["trade.base_year"])
        rows = []
        change = self.dataset["trade.balance_change"]
        for y in years:
            rows.append({"event": f"India's deficit with Japan narrower than in FY{base}-{(base + 1) % 100:02d}",
                         "variable": "trade.balance_change", "year": y,
                         "probability": float((change.sel(year=y).values > 0).mean())})
        if self.scenario.names("exchange.streams"):
            p = self.scenario.params
            due = int(self.scenario.years[0]) + p["exchange.target_years"] - 1
            target_year = min(due, all_years[-1])  # a target due after the horizon: judged at its end, and said so
            late = f" (the horizon's end; the target falls due in {due})" if due > target_year else ""
            for var, target, what in (("exchange.counted_cumulative", p["exchange.target_people"], "people exchanged"),
                                      ("exchange.skilled_cumulative", p["exchange.target_skilled"],
                                       "skilled workers to Japan")):
                reached = self.dataset[var].sel(year=target_year).values >= target
                rows.append({"event": f"{target:,} {what} by {target_year}{late}", "variable": var,
                             "year": target_year, "probability": float(reached.mean())})
        return pd.DataFrame(rows)


def summarise(name: str, unit: str, da: xr.DataArray) -> pd.DataFrame:
    """Mean, sd and quantiles over the first dimension (draws or replications), by year."""
    values = da.transpose(..., "year").values
    n = values.shape[0]
    q = np.quantile(values, list(QUANTILES.values()), axis=0)
    frame = pd.DataFrame({
        "variable": name, "unit": unit, "year": da["year"].values.astype(int),
        "mean": values.mean(axis=0), "sd": sample_sd(values),
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
