"""One block's projection: the core's modules wired together in the model's order.

investment (pledge -> disbursement -> FDI stock) -> trade (growth, FDI linkage, tariffs, diversion).
Pure: parameter arrays in, variable arrays out.
"""
from __future__ import annotations

import numpy as np

from .core import investment as inv
from .core import tariffs as tr_tariffs
from .core import trade as tr
from .draws import DrawnParameters, trade_years

Block = dict[str, np.ndarray]


def project(d: DrawnParameters) -> Block:
    """Every output variable for the block's draws, shape (n, T[, sector])."""
    investment = _investment(d)
    return {**investment, **_trade(d, investment)}


def _investment(d: DrawnParameters) -> Block:
    years = d.scenario.years
    n, T = d.n, len(years)
    fx = inv.fx_path(np.broadcast_to(d.over_years("investment.fx_jpy_per_usd"), (n, T)),
                     d.scalar("investment.fx_log_volatility"), d.shocks("investment.fx_shock"))
    profile = d["investment.disbursement.profile"]
    s_curve = profile == "s_curve"
    weights = inv.disbursement_profile(
        profile, d["investment.pledge_years"],
        midpoint=d.scalar("investment.disbursement.midpoint_years") if s_curve else None,
        steepness=d.scalar("investment.disbursement.steepness") if s_curve else None,
        shares=d.scenario.params.get("investment.disbursement.shares"))
    weights = inv.place_in_horizon(weights, d["investment.pledge_start_year"], years)
    disbursed = np.broadcast_to(inv.pledge_disbursement(
        d.scalar("investment.pledge_jpy_tn"), d.scalar("investment.realisation_rate"), weights, fx), (n, T))
    stock = inv.fdi_stock(disbursed, d.scalar("investment.fdi_stock_start_usd_bn"),
                          d.scalar("investment.depreciation_rate"), d.over_years("investment.other_inflows_usd_bn"))
    return {
        "investment.disbursed": np.ascontiguousarray(disbursed),
        "investment.cumulative_disbursed": np.cumsum(disbursed, axis=1),
        "investment.fdi_stock": np.broadcast_to(stock, (n, T)).copy(),
        "investment.disbursed_by_sector": inv.sector_split(disbursed, d.sector_shares()),
        "investment.fx_jpy_per_usd": np.ascontiguousarray(fx),
    }


def _trade(d: DrawnParameters, investment: Block) -> Block:
    years = d.scenario.years
    n, T = d.n, len(years)
    all_years = trade_years(d.scenario)  # base year .. last horizon year
    horizon = slice(len(all_years) - T, None)
    since_base = years - all_years[0]

    def multiplier(path: str) -> np.ndarray:
        return tr_tariffs.tariff_multiplier(
            d.over_years(path, all_years), d.scalar("tariffs.elasticity_short_run"),
            d.scalar("tariffs.elasticity_long_run"), d.scalar("tariffs.years_to_long_run"))[..., horizon]

    zeros = np.zeros((n, len(all_years) - 1))
    z_x = d.shocks("trade.shock_india_to_japan")
    z_m = d.shocks("trade.shock_japan_to_india")
    z_x, z_m = tr.correlated_shocks(zeros if z_x is None else z_x, zeros if z_m is None else z_m,
                                    d.scalar("trade.shock_correlation"))
    stock, k0 = investment["investment.fdi_stock"], d.scalar("investment.fdi_stock_start_usd_bn")
    x0 = d.scalar("trade.exports_india_to_japan_base_usd_bn")
    m0 = d.scalar("trade.exports_japan_to_india_base_usd_bn")

    exports_bilateral = (
        tr.grown_flow(x0, d.scalar("trade.growth_india_to_japan"), d.scalar("trade.volatility_india_to_japan"),
                      z_x, since_base)
        * tr.fdi_linkage(stock, k0, d.scalar("trade.fdi_elasticity_exports"), d.scalar("trade.fdi_lag_exports_years"))
        * multiplier("tariffs.japan_on_india"))
    imports = (
        tr.grown_flow(m0, d.scalar("trade.growth_japan_to_india"), d.scalar("trade.volatility_japan_to_india"),
                      z_m, since_base)
        * tr.fdi_linkage(stock, k0, d.scalar("trade.fdi_elasticity_imports"), d.scalar("trade.fdi_lag_imports_years"))
        * multiplier("tariffs.india_on_japan"))
    us_before_tariff = tr.grown_flow(d.scalar("trade.exports_india_to_us_base_usd_bn"),
                                     d.scalar("trade.growth_india_to_us"), 0.0, zeros, since_base)
    us_multiplier = multiplier("tariffs.us_on_india")
    diverted = tr_tariffs.diverted_exports(us_before_tariff, us_multiplier, d.scalar("trade.us_tariff_coverage"))
    to_japan = np.broadcast_to(np.asarray(d.scalar("trade.diversion_share_to_japan"))[..., None] * diverted, (n, T))
    exports = np.broadcast_to(exports_bilateral + to_japan, (n, T))
    imports = np.broadcast_to(imports, (n, T))
    balance = tr.trade_balance(exports, imports)
    base_balance = np.asarray(x0 - m0, dtype=float)[..., None]
    return {
        "trade.exports_india_to_japan": np.ascontiguousarray(exports),
        "trade.exports_japan_to_india": np.ascontiguousarray(imports),
        "trade.total": exports + imports,
        "trade.balance": balance,
        "trade.balance_change": np.broadcast_to(balance - base_balance, (n, T)).copy(),
        "trade.cover_ratio": exports / imports,
        "trade.diverted_to_japan": np.ascontiguousarray(to_japan),
        "trade.exports_india_to_us": np.broadcast_to(
            us_before_tariff - diverted, (n, T)).copy(),
    }
