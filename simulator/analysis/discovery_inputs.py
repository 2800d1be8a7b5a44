"""The inputs a discovery question is asked over: a run's sampled inputs, made readable.

A run keeps one standard-normal shock per series and year (`trade.shock_japan_to_india.2027`).
Asked about year Y, a box on single years' shocks answers a question nobody asked ("the shock of
2027 was low"): what moves a flow by Y is the accumulated luck of the years up to Y. Each series'
shocks up to Y become one input, their sum over sqrt(k) (standard normal again); later shocks
cannot matter for year Y and are left out. Inputs that never vary are dropped. The sensitivity
analysis groups the shocks the same way (docs/sensitivity.md).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.montecarlo.inputs import SHOCK_SERIES, input_label


def discovery_inputs(inputs: pd.DataFrame, year: int) -> pd.DataFrame:
    """Columns: every varying input but the yearly shocks, then one `<series>.to_<year>` column per
    shock series (the standardised sum of its shocks up to `year`)."""
    keep = {}
    sums = {}
    for name in inputs.columns:
        prefix, _, tail = str(name).rpartition(".")
        if prefix in SHOCK_SERIES and tail.isdigit():
            if int(tail) <= year:
                sums.setdefault(prefix, []).append(name)
            continue
        column = inputs[name].to_numpy(dtype=float)
        if np.ptp(column) > 0:
            keep[str(name)] = column
    for prefix, names in sums.items():
        keep[f"{prefix}.to_{year}"] = inputs[names].to_numpy(dtype=float).sum(axis=1) / np.sqrt(len(names))
    return pd.DataFrame(keep, index=inputs.index)


def discovery_label(name: str) -> tuple[str, str]:
    """(label, unit) of a discovery input, the summed shocks included."""
    prefix, _, tail = name.rpartition(".")
    if prefix in SHOCK_SERIES and tail.startswith("to_"):
        return f"Accumulated shocks to {SHOCK_SERIES[prefix]} up to {tail[3:]}", "standard normal"
    return input_label(name)
