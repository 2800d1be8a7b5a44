"""Policy levers: the parameters that stand for choices (EMA Workbench's XLRM: the L among
uncertainties X, relationships R and measures M). Every other parameter is a setting or an
uncertainty: what nobody chooses (growth, the yen, trade shocks, uptake, pass rates, elasticities).

`ijsim sweep` sets levers only; `ijsim params` marks them. The table is keyed by registry paths
(`exchange.stages.*.servers` stands for every stage's capacity) and kept apart from the registry's
ParamSpec rows, so that the registry stays one row per parameter and this one choice per row.

References
----------
Lempert, R. J., Popper, S. W., Bankes, S. C. (2003). Shaping the Next One Hundred Years: New
Methods for Quantitative, Long-Term Policy Analysis. RAND MR-1626 (the XLRM frame).
Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. Environmental Modelling & Software 96,
239-250 (levers beside uncertainties in one model interface).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from simulator.scenario.parameters import SPECS, group_pattern


@dataclass(frozen=True)
class Lever:
    pattern: str    # registry path; '*' stands for a stage's or stream's name
    name: str       # what a policy reader calls it
    family: str     # the kind of choice (the list)


LEVERS: dict[str, Lever] = {lever.pattern: lever for lever in (
    Lever("tariffs.us_on_india", "US tariff on Indian goods", "tariff paths"),
    Lever("tariffs.us_on_japan", "US tariff on Japanese goods", "tariff paths"),
    Lever("tariffs.japan_on_india", "Japan's tariff on Indian goods", "CEPA settings"),
    Lever("tariffs.india_on_japan", "India's tariff on Japanese goods", "CEPA settings"),
    Lever("investment.pledge_jpy_tn", "Size of Japan's pledge", "pledge profile and timing"),
    Lever("investment.pledge_start_year", "First year of the pledge", "pledge profile and timing"),
    Lever("investment.pledge_years", "Length of the pledge period", "pledge profile and timing"),
    Lever("investment.disbursement.profile", "Shape of the disbursement", "pledge profile and timing"),
    Lever("investment.disbursement.midpoint_years", "Years until half the pledge is disbursed (S-curve)",
          "pledge profile and timing"),
    Lever("investment.disbursement.steepness", "Steepness of the disbursement (S-curve)", "pledge profile and timing"),
    Lever("exchange.stages.*.servers", "Processing capacity of a stage (visa officers, seats, slots)",
          "visa and processing capacity"),
    Lever("exchange.stages.*.service_months", "Processing time of a stage", "visa and processing capacity"),
    Lever("exchange.streams.*.plan_multiplier", "The Plan's multiple of a stream's trend", "the Plan's acceleration"),
    Lever("exchange.streams.*.plan_ramp", "How fast the Plan reaches full effect", "the Plan's acceleration"),
    Lever("exchange.streams.*.entrants_per_year", "Planned entrants a year into a stream", "the Plan's acceleration"),
)}


def lever_pattern(path: str) -> str | None:
    """The lever a concrete parameter path is ('exchange.stages.visa_japan.servers' ->
    'exchange.stages.*.servers'), or None if the path is not a lever."""
    if path in LEVERS:
        return path
    group, _, key = path.rpartition(".")
    pattern = group_pattern(group)
    return f"{pattern}.{key}" if pattern and f"{pattern}.{key}" in LEVERS else None


def is_lever(path: str) -> bool:
    return lever_pattern(path) is not None


def lever_name(path: str) -> str:
    """The plain name of a lever, with the stage's or stream's name where there is one:
    'Processing capacity of a stage (visa officers, seats, slots): visa_japan'."""
    pattern = lever_pattern(path)
    if pattern is None:
        raise KeyError(path)
    name = LEVERS[pattern].name
    if "*" in pattern:
        which = path.split(".")[pattern.split(".").index("*")]
        return f"{name}: {which}"
    return name


def not_a_lever(path: str) -> str:
    """Why `path` cannot be swept, with the nearest lever: the message `ijsim sweep` gives."""
    known = sorted(LEVERS)
    if path in SPECS or group_pattern(path.rpartition(".")[0]):
        why = f"{path!r} is not a policy lever (it is an uncertainty or a setting)"
    else:
        why = f"{path!r} is not a parameter"
    close = difflib.get_close_matches(path, known, n=1)
    return why + (f"; did you mean {close[0]!r}?" if close else "") + "; `ijsim params --levers` lists the levers"
