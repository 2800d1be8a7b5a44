"""The factors a sensitivity analysis reports, and their labels: named groups of uncertainty (by
default) or single inputs.

A sampling dimension is one uniform the model draws (`trade.shock_japan_to_india.2027`). As an
*input* the yearly shocks of one series count as one factor ("each year's shock to Japan's exports
to India") and the sector shares' Dirichlet draws as another: single years' shocks answer no
question anyone asks. As a *group* every input belongs to one named group of uncertainty
(`simulator.scenario.uncertainty_groups`), the view analysts ask for first: how much of the spread
is estimated trend, year-to-year luck, the tariff response, the yen? Groups are SALib's groups, so
a group's Sobol' index is the index of its inputs moved together (Saltelli et al. 2008,
*Global Sensitivity Analysis: The Primer*, Wiley, on sensitivity indices for groups of factors).

Labels are plain words, one per factor and never repeated; parameter keys stay in the CSV's index.
"""
from __future__ import annotations

from simulator.montecarlo.draws import SHOCKS
from simulator.montecarlo import inputs as _inputs
from simulator.montecarlo.inputs import SHOCK_SERIES
from simulator.scenario.uncertainty_groups import group_of

BY = ("group", "input")
SECTOR_SHARES = "investment.sector_shares"


def input_of(dimension: str) -> str:
    """The input a sampling dimension belongs to: a series' yearly shocks and the sector shares are one each."""
    for prefix in (*SHOCKS, SECTOR_SHARES):
        if dimension.startswith(prefix + "."):
            return prefix
    return dimension


def factor_of(dimension: str, by: str = "input") -> str:
    """The factor a sampling dimension is reported under: its input, or its named group."""
    return group_of(dimension) if by == "group" else input_of(dimension)


def input_label(factor: str) -> str:
    """A plain label for an input factor: no parameter key, no underscore; the yearly shocks of a
    series read apart from the volatility that scales them."""
    if factor in SHOCK_SERIES:
        return f"Each year's shock to {SHOCK_SERIES[factor]} (the luck of the draw)"
    if factor == SECTOR_SHARES:
        return "How the pledge splits between sectors"
    return _inputs.input_label(factor)[0]


def factor_label(factor: str, by: str = "input") -> str:
    """The label shown for a factor: a group's name is its label."""
    return factor if by == "group" else input_label(factor)
