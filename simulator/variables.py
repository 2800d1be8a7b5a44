"""The output variables: name, unit, label, and their IAMC names for the `iamc.csv` export."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    unit: str
    label: str
    iamc_variable: str
    iamc_unit: str
    headline: bool = False
    description: str = ""


VARIABLES: dict[str, Variable] = {v.name: v for v in (
    Variable("investment.disbursed", "usd_bn", "Pledge disbursed in the year",
             "Investment|Japan to India|Pledge|Disbursed", "billion USD/yr", headline=True,
             description="I_t: realised pledge arriving in the year, nominal US$ at that year's exchange rate"),
    Variable("investment.cumulative_disbursed", "usd_bn", "Pledge disbursed to date",
             "Investment|Japan to India|Pledge|Cumulative Disbursed", "billion USD", headline=True,
             description="Sum of I_t from the first simulated year"),
    Variable("investment.fdi_stock", "usd_bn", "Japanese FDI stock in India",
             "Investment|Japan to India|FDI Stock", "billion USD", headline=True,
             description="K_t = (1 - delta) K_{t-1} + I_t + b_t"),
    Variable("investment.disbursed_by_sector", "usd_bn", "Pledge disbursed in the year, by sector",
             "Investment|Japan to India|Pledge|Disbursed", "billion USD/yr",
             description="I_t,k = s_k I_t over the article's sectors"),
    Variable("investment.fx_jpy_per_usd", "jpy_per_usd", "Exchange rate",
             "Price|Exchange Rate|JPY per USD", "JPY/USD",
             description="fx_t: the path in the scenario with its random walk, if any"),
    Variable("trade.exports_india_to_japan", "usd_bn", "India's exports to Japan",
             "Trade|Exports|India to Japan", "billion USD/yr", headline=True,
             description="X_t, goods, including exports diverted from the US"),
    Variable("trade.exports_japan_to_india", "usd_bn", "Japan's exports to India",
             "Trade|Exports|Japan to India", "billion USD/yr", headline=True,
             description="M_t, goods; India's imports from Japan"),
    Variable("trade.total", "usd_bn", "Bilateral trade", "Trade|Total|India-Japan", "billion USD/yr",
             description="X_t + M_t"),
    Variable("trade.balance", "usd_bn", "India's trade balance with Japan", "Trade|Balance|India with Japan",
             "billion USD/yr", headline=True, description="X_t - M_t; negative is a deficit"),
    Variable("trade.balance_change", "usd_bn", "Change in India's balance since the base year",
             "Trade|Balance|India with Japan|Change from Base Year", "billion USD/yr",
             description="(X_t - M_t) - (X_0 - M_0); positive means the deficit narrowed"),
    Variable("trade.cover_ratio", "ratio", "Export cover ratio", "Trade|Cover Ratio|India with Japan", "",
             description="X_t / M_t: India's exports to Japan per dollar of imports from Japan"),
    Variable("trade.diverted_to_japan", "usd_bn", "Exports diverted from the US to Japan",
             "Trade|Exports|India to Japan|Diverted from US", "billion USD/yr",
             description="phi_JP * D_t"),
    Variable("trade.exports_india_to_us", "usd_bn", "India's exports to the US",
             "Trade|Exports|India to US", "billion USD/yr",
             description="E_US,t after the US tariff: before-tariff flow minus the diverted part"),
)}


def variable(name: str) -> Variable:
    try:
        return VARIABLES[name]
    except KeyError:
        raise KeyError(f"unknown variable {name!r}; known: {', '.join(VARIABLES)}") from None
