"""Names, labels and units of a run's sampled inputs (kept per draw with its results).

An input is one sampling dimension: an uncertain parameter's drawn value, one sector's Dirichlet
share of the pledge, or one year's standard-normal shock to a series. In the ensemble each is a
variable on `draw` named `input.<dimension>`.
"""
from __future__ import annotations

from simulator.scenario.parameters import spec_for

INPUT_PREFIX = "input."
SHOCK_SERIES = {  # prefix of a yearly shock dimension -> what it moves
    "investment.fx_shock": "the yen per dollar exchange rate",
    "trade.shock_india_to_japan": "India's exports to Japan",
    "trade.shock_japan_to_india": "Japan's exports to India",
}


def input_label(name: str) -> tuple[str, str]:
    """(label, unit) of an input: 'trade.shock_japan_to_india.2027' -> ("Shock to Japan's exports to
    India in 2027", "standard normal")."""
    for prefix, what in SHOCK_SERIES.items():
        if name.startswith(prefix + "."):
            return f"Shock to {what} in {name.rsplit('.', 1)[1]}", "standard normal"
    if name.startswith("investment.sector_shares."):
        return f"Share of the pledge going to {name.rsplit('.', 1)[1].replace('_', ' ')}", "share"
    spec = spec_for(name)
    if spec is None:
        return name, ""
    if ".pass_rates." in name:
        _, _, stream, _, stage = name.split(".")
        return f"Pass rate at {stage.replace('_', ' ')} ({stream.replace('_', ' ')})", spec.unit
    if name.startswith(("exchange.streams.", "exchange.stages.")):
        return f"{spec.title} ({name.split('.')[2].replace('_', ' ')})", spec.unit
    return spec.title, spec.unit


def series_of(name: str) -> tuple[str, int] | None:
    """('trade.shock_japan_to_india', 2027) for a yearly shock's dimension, None for any other input."""
    prefix, _, year = name.rpartition(".")
    return (prefix, int(year)) if prefix in SHOCK_SERIES and year.isdigit() else None


SHOCK_YEAR = "shock_year"  # the dimension of the yearly shock series in a run's dataset and ensemble.nc


def stack_inputs(inputs: dict[str, "np.ndarray"]) -> tuple[dict[str, tuple[tuple[str, ...], "np.ndarray", dict]], list[int]]:
    """The sampled inputs as an analyst reads them: one (draw, shock_year) array per yearly shock
    series and one (draw,) array per other input, each with its label and unit.

    `inputs` maps ``input.<dimension>`` (the sampler's one value per draw: ``input.trade.shock_japan_to_india.2027``)
    to its draws. The shocks have a year dimension of their own, ``shock_year``: they can begin
    before the projection's first year (from the year after a base year, for a scenario that
    starts there), and the yen has none in its base year. A series is NaN in the shock years it has
    no shock, and its ``sampled_years`` attribute lists the years it has, so `flatten_inputs` gives
    back exactly the dimensions sampled. Returns (name -> (dims, values, attrs) in the order the
    inputs came, the shock years).
    """
    import numpy as np

    series = {key: series_of(key[len(INPUT_PREFIX):]) for key in inputs}
    shock_years = sorted({s[1] for s in series.values() if s is not None})
    out: dict[str, tuple[tuple[str, ...], np.ndarray, dict]] = {}
    for key, values in inputs.items():
        if series[key] is None:
            label, unit = input_label(key[len(INPUT_PREFIX):])
            out[key] = (("draw",), values, {"unit": unit, "long_name": label,
                                             "description": "sampled input: its value in each draw"})
            continue
        prefix, year = series[key]
        stacked = f"{INPUT_PREFIX}{prefix}"
        if stacked not in out:
            out[stacked] = (("draw", SHOCK_YEAR), np.full((len(values), len(shock_years)), np.nan), {
                "unit": "standard normal", "long_name": f"Shock to {SHOCK_SERIES[prefix]}",
                "description": "sampled input: the year's standard-normal shock in each draw (NaN in years "
                               "without one)", "sampled_years": []})
        _, array, attrs = out[stacked]
        array[:, shock_years.index(year)] = values
        attrs["sampled_years"] = [*attrs["sampled_years"], year]
    return out, shock_years


def flatten_inputs(dataset) -> dict[str, "np.ndarray"]:
    """The inverse of `stack_inputs` on a dataset (a run's, or its ensemble.nc read by xarray):
    ``input.<dimension>`` -> one value per draw, a yearly series split into one entry per sampled year."""
    import numpy as np

    out = {}
    for key in dataset.data_vars:
        key = str(key)
        if not key.startswith(INPUT_PREFIX):
            continue
        da = dataset[key]
        if SHOCK_YEAR not in da.dims:
            out[key] = da.values
            continue
        years = [int(y) for y in da[SHOCK_YEAR].values]
        values = da.transpose("draw", SHOCK_YEAR).values
        for year in np.atleast_1d(da.attrs["sampled_years"]):
            out[f"{key}.{int(year)}"] = values[:, years.index(int(year))]
    return out
