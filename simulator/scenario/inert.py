"""Warnings, apart from errors: settings a file makes that cannot change any output, and model
blocks a scenario leaves at their neutral defaults.

An error stops a run; a warning says the run will not show what its author probably meant
(Tax-Calculator keeps the two apart the same way). `tariffs.us_on_india = 0.5` alone gives the
same results as 0, because trade responds to a tariff's changes from the base year, not to its
level; a scenario without `extends` has no exchange streams, no trade growth and no shocks. Each
rule below follows from the model's equations (docs/model.md) and names the key to change.

Only values a file sets, and that differ from their defaults, are warned about: restating a
default documents it and is never a mistake. Pure Python on purpose: `ijsim validate` stays fast.
"""
from __future__ import annotations

from typing import Any

from simulator.errors import Problem
from simulator.scenario.loader import display
from simulator.scenario.parameters import SPECS
from simulator.scenario.values import Fixed, Path

# The scenario is passed in (Scenario.warnings calls this module), never imported here: the model
# module depends on this one, not the other way round.

TARIFFS = ("tariffs.japan_on_india", "tariffs.india_on_japan", "tariffs.us_on_india")
ELASTICITIES = ("tariffs.elasticity_short_run", "tariffs.elasticity_long_run", "tariffs.years_to_long_run")
# What makes the bilateral flows move, apart from tariffs: all at 0 by default.
TRADE_DYNAMICS = tuple(f"trade.{k}" for k in ("growth_india_to_japan", "growth_japan_to_india",
                                               "volatility_india_to_japan", "volatility_japan_to_india",
                                               "fdi_elasticity_exports", "fdi_elasticity_imports"))


def _values_over(path: Path, years: range) -> list[float]:
    """A path's value in each year, as `Path.at` computes it (without numpy)."""
    points = path.points
    out = []
    for y in years:
        if y <= points[0][0]:
            out.append(points[0][1])
        elif y >= points[-1][0]:
            out.append(points[-1][1])
        else:
            i = max(k for k, (year, _) in enumerate(points) if year <= y)
            (y0, v0), (y1, v1) = points[i], points[i + 1]
            out.append(v0 if path.interpolation == "step" else v0 + (v1 - v0) * (y - y0) / (y1 - y0))
    return out


def _is(value: Any, number: float) -> bool:
    return isinstance(value, Fixed) and value.value == number


def _constant(value: Any, years: range) -> bool:
    """A tariff that never moves between the base year and the end of the horizon."""
    if isinstance(value, Fixed):
        return True
    return isinstance(value, Path) and len(set(_values_over(value, years))) == 1


def _differs_from_default(scenario: Any, key: str) -> bool:
    default = SPECS[key].default_value()
    value = scenario.params.get(key)
    return not (isinstance(value, Fixed) and default is not None and value.value == float(default))


def scenario_warnings(scenario: Any) -> list[Problem]:
    """One warning per setting that cannot affect any output, and one per model block left at its
    neutral defaults; each names the file and key, like an error."""
    p, explicit = scenario.params, scenario.explicit
    main = display(scenario.files[0]) if scenario.files else (str(scenario.path) if scenario.path else "<scenario>")
    out: list[Problem] = []

    def warn(key: str, message: str) -> None:
        """One warning per key (the first reason found), for values a file set away from the default."""
        if key in explicit and _differs_from_default(scenario, key) and all(w.key != key for w in out):
            out.append(Problem(scenario.origin(key) or main, key, message))

    base = int(p["trade.base_year"])
    trade_years = range(base, scenario.horizon_start + scenario.horizon_years)  # not .years: no numpy here
    fy = f"FY{base}-{(base + 1) % 100:02d}"
    still = {k for k in TARIFFS if _constant(p[k], trade_years)}
    for key in sorted(still):
        warn(key, f"the same in every year from the base year {fy} to the end of the horizon, so it changes "
                  f"nothing: trade responds to changes from the base year, not to the level; give a path such as "
                  f"{{ {base} = 0, {base + 2} = 0.5 }}")
    if still == set(TARIFFS):
        for key in ELASTICITIES:
            warn(key, "no tariff changes from the base year in this scenario, so the trade elasticity changes nothing")
    us_flow = "trade.exports_india_to_us_base_usd_bn"
    if _is(p[us_flow], 0.0):
        for key in ("tariffs.us_on_india", "trade.us_tariff_coverage", "trade.diversion_share_to_japan",
                    "trade.growth_india_to_us"):
            warn(key, f"{us_flow} is 0, so there are no exports to the US for this to act on")
    elif "tariffs.us_on_india" in still:
        for key in ("trade.us_tariff_coverage", "trade.diversion_share_to_japan"):
            warn(key, "the US tariff on India never changes from the base year, so no exports are diverted "
                      "and this changes nothing")
    for flow in ("imports", "exports"):
        if _is(p[f"trade.fdi_elasticity_{flow}"], 0.0):
            warn(f"trade.fdi_lag_{flow}_years", f"trade.fdi_elasticity_{flow} is 0, so there is no FDI effect to delay")
    if _is(p["trade.volatility_japan_to_india"], 0.0):  # the correlation mixes India's shocks into these
        warn("trade.shock_correlation", "trade.volatility_japan_to_india is 0, so Japan's exports have no yearly "
                                        "shocks for the correlation to act on")
    out += _exchange_warnings(scenario, warn, main)
    out += _neutral_blocks(scenario, main, tariffs_move=still != set(TARIFFS))
    return out


def _exchange_warnings(scenario: Any, warn, main: str) -> list[Problem]:
    streams = scenario.names("exchange.streams")
    used = {s for j in streams for s in scenario.params[f"exchange.streams.{j}.stages"]}
    out = []
    for stage in scenario.names("exchange.stages"):
        if stage not in used:
            key = f"exchange.stages.{stage}"
            origin = scenario.origin(f"{key}.servers") or scenario.origin(f"{key}.service_months")
            origin = origin or next((f for k, f in scenario.origins.items() if k.startswith(key + ".")), None)
            out.append(Problem(origin or main, key, "no stream passes this stage (no "
                               "exchange.streams.<name>.stages lists it), so its settings change nothing"))
    if not streams:
        for key in ("exchange.target_people", "exchange.target_skilled", "exchange.target_years"):
            warn(key, "the scenario has no exchange streams, so no target can be met or missed")
    return out


def _neutral_blocks(scenario: Any, main: str, tariffs_move: bool) -> list[Problem]:
    """A model block with nothing set: its outputs are what the defaults make of them."""
    explicit = scenario.explicit
    out = []
    if not any(k.startswith(("investment.",)) for k in explicit):
        fx = SPECS["investment.fx_jpy_per_usd"].default_value()
        out.append(Problem(main, "investment", f"no [investment] setting: the whole pledge arrives, evenly, at a "
                           f"fixed {fx:g} JPY per US$, with no uncertainty (extend scenarios/baseline.toml to start "
                           "from its assumptions)"))
    if not any(k in explicit and _differs_from_default(scenario, k) for k in TRADE_DYNAMICS):
        moves = ("move only with the tariff changes" if tariffs_move else
                 "stay at their base-year values, so the deficit never moves")
        out.append(Problem(main, "trade", f"no growth, yearly shocks or FDI linkage set in [trade]: both flows "
                           f"{moves} (extend scenarios/baseline.toml to start from its assumptions)"))
    if not scenario.names("exchange.streams"):
        out.append(Problem(main, "exchange", "no [exchange.streams.<name>] tables: nobody moves, and every "
                           "exchange output is zero"))
    return out
