"""Named groups of uncertainty: every uncertain input of the model belongs to one group with a plain
name ("the yen", "FDI-trade linkage", ...), so that a sensitivity analysis can answer in the
analyst's terms ("how much of the spread is year-to-year luck, how much the estimated trend?")
before it answers in parameters.

The table sits beside the parameter registry (`parameters.py`) and names its keys: a parameter
path (`trade.growth_japan_to_india`), a per-stream key (`exchange.streams.*.uptake`, any stream),
or a sampled series that is not a parameter (the yearly shocks of a series, the sector shares'
Dirichlet draws; their prefixes are `montecarlo.draws.SHOCKS` and `investment.sector_shares`).
`tests/scenario/test_uncertainty_groups.py` checks that every uncertain key of the registry and
every sampled series is in exactly one group, and that every sampling dimension of every shipped
scenario finds its group.

`ParamSpec.group` is something else: the TOML table a key is written in.

Why these groups: they follow the model's channels (docs/model.md), the questions the issue's
analysts ask (is the spread estimated trend, luck, policy response or the exchange's assumptions?),
and keep each group's inputs acting through one mechanism, so that a group's Sobol' index reads as
"what this mechanism contributes". docs/sensitivity.md lists the members.
"""
from __future__ import annotations

from types import MappingProxyType

_FLOWS = ("india_to_japan", "japan_to_india")

# group name -> the registry keys (or sampled series' prefixes) in it. Order: the order groups are
# listed in when ties must be broken, roughly the order of the model's channels.
UNCERTAINTY_GROUPS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({
    "trade trend (estimated from history)": (
        *(f"trade.growth_{f}" for f in _FLOWS),
        *(f"trade.{k}_{f}" for k in ("trend_growth", "first_year_growth", "persistence") for f in _FLOWS),
        "trade.spillover_to_india_to_japan", "trade.spillover_to_japan_to_india",
    ),
    "trade at the start (newest data)": (
        *(f"trade.start_exports_{f}_usd_bn" for f in _FLOWS),
        *(f"trade.exports_{f}_base_usd_bn" for f in _FLOWS),
    ),
    "year-to-year luck in trade": (
        "trade.shock_india_to_japan", "trade.shock_japan_to_india",  # the yearly shocks (sampled series)
        *(f"trade.volatility_{f}" for f in _FLOWS), "trade.shock_correlation",
    ),
    "tariff response": (
        "tariffs.elasticity_short_run", "tariffs.elasticity_long_run", "tariffs.years_to_long_run",
        "trade.us_tariff_coverage", "trade.us_tariff_coverage_japan",
        "trade.diversion_share_to_japan", "trade.diversion_share_to_india",
    ),
    "trade with the US before tariffs": (
        "trade.exports_india_to_us_base_usd_bn", "trade.growth_india_to_us",
        "trade.exports_japan_to_us_base_usd_bn", "trade.growth_japan_to_us",
    ),
    "the yen": (
        "investment.fx_shock",  # the yearly shocks (sampled series)
        "investment.fx_jpy_per_usd", "investment.fx_log_volatility",
        "trade.fx_elasticity_japan_to_india", "trade.fx_elasticity_india_to_japan",
    ),
    "growth in India and Japan": (
        "macro.gdp_growth_india", "macro.gdp_growth_japan",
        *(f"trade.income_elasticity_{f}" for f in _FLOWS),
        *(f"trade.exporter_income_elasticity_{f}" for f in _FLOWS),
    ),
    "pledge realisation and timing": (
        "investment.pledge_jpy_tn", "investment.realisation_rate",
        "investment.disbursement.midpoint_years", "investment.disbursement.steepness",
        "investment.sector_shares",  # the Dirichlet draws (sampled series)
    ),
    "investment beside the pledge": (
        "investment.bau_inflows_usd_bn", "investment.other_inflows_usd_bn",
        "investment.fdi_stock_start_usd_bn", "investment.depreciation_rate",
    ),
    "FDI-trade linkage": (
        "trade.fdi_elasticity_imports", "trade.fdi_elasticity_exports", "trade.fdi_import_persistence",
        "trade.fdi_lag_imports_years", "trade.fdi_lag_exports_years",
    ),
    "exchange pass rates": ("exchange.streams.*.pass_rates",),
    "exchange stays and levels": (
        "exchange.resident_growth", "exchange.streams.*.uptake", "exchange.streams.*.plan_multiplier",
        "exchange.streams.*.mean_stay_years", "exchange.streams.*.renewal_share",
    ),
    "remittances per person": ("exchange.streams.*.remittance_usd_per_year",),
})

# Sampled series that are not parameters: a dimension `<prefix>.<year or sector>` belongs to the prefix.
SAMPLED_SERIES = ("investment.fx_shock", "trade.shock_india_to_japan", "trade.shock_japan_to_india",
                  "investment.sector_shares")

_GROUP_OF = {key: name for name, keys in UNCERTAINTY_GROUPS.items() for key in keys}


def registry_key(dimension: str) -> str:
    """The key of the table above that a sampling dimension stands for.

    ``trade.shock_japan_to_india.2027`` -> ``trade.shock_japan_to_india``;
    ``exchange.streams.engineers.pass_rates.visa_japan`` -> ``exchange.streams.*.pass_rates``;
    ``investment.realisation_rate`` -> itself.
    """
    for prefix in SAMPLED_SERIES:
        if dimension.startswith(prefix + "."):
            return prefix
    parts = dimension.split(".")
    if parts[:2] == ["exchange", "streams"] and len(parts) >= 4:
        return ".".join(["exchange", "streams", "*", parts[3]])
    return dimension


def group_of(dimension: str) -> str:
    """The named group of uncertainty a sampling dimension (or registry key) belongs to.

    Raises KeyError for a key in no group: a new uncertain parameter must be given one here.
    """
    key = registry_key(dimension)
    try:
        return _GROUP_OF[key]
    except KeyError:
        raise KeyError(f"{dimension!r} ({key}) belongs to no group of uncertainty; add it to "
                       "simulator/scenario/uncertainty_groups.py") from None
