"""Event probabilities: the share of draws in which a scenario's [events.<name>] happens.

An event compares one output, in one year (`year`) or in any year up to one (`by`), with a
threshold: a number or the variable's base-year value ("base"), which may differ from draw to
draw when the base-year figures are uncertain. The probability's Monte Carlo standard error is
sqrt(p (1 - p) / n), the binomial formula for independent draws. Latin hypercube and Sobol'
samples are not independent draws; for them it is the plain Monte Carlo error (Stein 1987 shows
that a Latin hypercube's variance is asymptotically no larger than Monte Carlo's).

Works on a Dataset with `draw` and `year` (a Result's, or a results folder's ensemble.nc) and a
way to look up a parameter's value per draw, so that `ijsim discover` can use it on a folder.
"""
from __future__ import annotations

import operator
from typing import Callable

import numpy as np
import pandas as pd
import xarray as xr

from simulator.montecarlo.inputs import INPUT_PREFIX
from simulator.scenario.event_definitions import Event

COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
EVENT_COLUMNS = ["event", "title", "year", "probability", "se"]

Parameter = Callable[[str], "float | np.ndarray"]


def base_value(variable: str, parameter: Parameter):
    """The variable's base-year value, a number or one per draw (see scenario.events.BASE_VALUES)."""
    if variable == "investment.fdi_stock":
        return parameter("investment.fdi_stock_start_usd_bn")
    if variable == "trade.exports_india_to_us":
        return parameter("trade.exports_india_to_us_base_usd_bn")
    x0 = parameter("trade.exports_india_to_japan_base_usd_bn")
    m0 = parameter("trade.exports_japan_to_india_base_usd_bn")
    return {"trade.exports_india_to_japan": lambda: x0, "trade.exports_japan_to_india": lambda: m0,
            "trade.total": lambda: x0 + m0, "trade.balance": lambda: x0 - m0,
            "trade.cover_ratio": lambda: x0 / m0}[variable]()


def series(dataset: xr.Dataset, variable: str) -> xr.DataArray:
    """draw x year values of an output, or of one entry of a 3-D output ('<variable>.<entry>')."""
    if variable in dataset:
        return dataset[variable]
    name, entry = variable.rsplit(".", 1)
    da = dataset[name]
    extra = next(d for d in da.dims if d not in ("draw", "year"))
    return da.sel({extra: entry})  # the entry's scalar coordinate stays; only the values are read


def occurred(dataset: xr.Dataset, event: Event, parameter: Parameter) -> np.ndarray:
    """One boolean per draw: whether the event happened."""
    da = series(dataset, event.variable).transpose("draw", "year")
    years = da["year"].values
    threshold = base_value(event.variable, parameter) if event.threshold == "base" else event.threshold
    threshold = np.asarray(threshold, dtype=float)
    compare = COMPARE[event.op]
    if event.by:
        values = da.values[:, years <= event.year]
        return compare(values, threshold[..., None]).any(axis=1)  # one per draw, or one for all
    return compare(da.sel(year=event.year).values, threshold)


def probability(happened: np.ndarray) -> tuple[float, float]:
    """(share of draws, its Monte Carlo standard error)."""
    return probability_of_count(int(np.count_nonzero(happened)), len(happened))


def probability_of_count(count: int, n: int) -> tuple[float, float]:
    """(count / n, sqrt(p (1 - p) / n)): the same floats whether the draws were counted at once or
    block by block as a streamed run does (integer counts add exactly)."""
    if not n:
        return np.nan, np.nan
    p = count / n
    return p, float(np.sqrt(p * (1 - p) / n))


def event_table(dataset: xr.Dataset, events, parameter: Parameter) -> pd.DataFrame:
    """event, title, year, probability, se (and variable, by) for each event."""
    n = dataset.sizes["draw"]
    return table_of_counts(events, [int(np.count_nonzero(occurred(dataset, e, parameter))) for e in events], n)


def table_of_counts(events, counts: list[int], n: int) -> pd.DataFrame:
    """`event_table` from each event's number of draws in which it happened, out of `n`."""
    rows = []
    for e, count in zip(events, counts):
        p, se = probability_of_count(count, n)
        rows.append({"event": e.name, "title": e.title, "year": e.year, "probability": p, "se": se,
                     "variable": e.variable, "by": e.by})
    return pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "variable", "by"])


def scenario_parameter(scenario, dataset: xr.Dataset) -> Parameter:
    """A parameter's value: drawn (from the inputs kept per draw) or fixed (from the scenario)."""
    def parameter(path: str):
        if f"{INPUT_PREFIX}{path}" in dataset:
            return dataset[f"{INPUT_PREFIX}{path}"].values
        return float(scenario.params[path].value)
    return parameter


def manifest_parameter(manifest: dict, dataset: xr.Dataset) -> Parameter:
    """The same for a results folder: drawn values from ensemble.nc, fixed ones from the manifest."""
    def parameter(path: str):
        if f"{INPUT_PREFIX}{path}" in dataset:
            return dataset[f"{INPUT_PREFIX}{path}"].values
        return float(manifest["parameters"][path]["value"])
    return parameter
