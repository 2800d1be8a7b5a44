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
