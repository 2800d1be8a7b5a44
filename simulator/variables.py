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
)}


def variable(name: str) -> Variable:
    try:
        return VARIABLES[name]
    except KeyError:
        raise KeyError(f"unknown variable {name!r}; known: {', '.join(VARIABLES)}") from None
