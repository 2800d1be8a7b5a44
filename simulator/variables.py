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
    extra_dim: str | None = None  # a third dimension after (draw, year): sector, stream or stage


VARIABLES: dict[str, Variable] = {v.name: v for v in (
    Variable("investment.disbursed", "usd_bn", "Pledge disbursed in the year",
             "Investment|Japan to India|Pledge|Disbursed", "billion USD/yr", headline=True,
             description="I_t: realised pledge arriving in the year, nominal US$ at that year's exchange rate"),
    Variable("investment.cumulative_disbursed", "usd_bn", "Pledge disbursed to date",
             "Investment|Japan to India|Pledge|Cumulative Disbursed", "billion USD", headline=True,
             description="Sum of I_t from the first simulated year"),
    Variable("investment.fdi_stock", "usd_bn", "Japanese FDI in India, cumulative",
             "Investment|Japan to India|FDI Stock", "billion USD", headline=True,
             description="K_t = (1 - delta) K_{t-1} + I_t + b_t from K_0, the article's US$43 bn of "
                         "equity inflows since 2000 (DPIIT): cumulative inflows less wear, not a measured position"),
    Variable("investment.disbursed_by_sector", "usd_bn", "Pledge disbursed in the year, by sector",
             "Investment|Japan to India|Pledge|Disbursed", "billion USD/yr",
             description="I_t,k = s_k I_t over the article's sectors", extra_dim="sector"),
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
    Variable("trade.diverted_to_india", "usd_bn", "Japan's exports diverted from the US to India",
             "Trade|Exports|Japan to India|Diverted from US", "billion USD/yr",
             description="phi_IN * D^J_t, included in Japan's exports to India"),
    Variable("trade.exports_india_to_us", "usd_bn", "India's exports to the US",
             "Trade|Exports|India to US", "billion USD/yr",
             description="E_US,t after the US tariff: before-tariff flow minus the diverted part"),
    Variable("exchange.arrivals_total", "people", "People arriving in the year, all streams",
             "Migration|Exchange|India-Japan|Arrivals", "people/yr",
             description="Arrivals in the destination country, both directions"),
    Variable("exchange.cumulative_total", "people", "People exchanged to date",
             "Migration|Exchange|India-Japan|Cumulative Arrivals", "people", headline=True,
             description="Running sum of arrivals from the first simulated year, every stream"),
    Variable("exchange.counted_cumulative", "people", "People counted towards the exchange target to date",
             "Migration|Exchange|India-Japan|Cumulative Counted Arrivals", "people",
             description="Running sum of arrivals times each stream's counts_toward_people: the 500,000 target"),
    Variable("exchange.skilled_arrivals", "people", "Skilled Indian workers arriving in Japan in the year",
             "Migration|Exchange|India to Japan|Skilled Workers|Arrivals", "people/yr"),
    Variable("exchange.skilled_cumulative", "people", "Skilled Indian workers arrived to date",
             "Migration|Exchange|India to Japan|Skilled Workers|Cumulative Arrivals", "people", headline=True,
             description="The 50,000 target"),
    Variable("exchange.skilled_stock", "people", "Skilled Indian workers in Japan (year end)",
             "Population|India to Japan|Skilled Workers", "people", headline=True),
    Variable("exchange.workers_cumulative", "people", "Indian workers arrived to date (workers only)",
             "Migration|Exchange|India to Japan|Workers|Cumulative Arrivals", "people",
             description="The 50,000 target read as workers only: streams with worker = true (SSW, trainees, "
                         "engineers), not students or researchers"),
    Variable("exchange.counted_plan_window", "people", "People counted towards the exchange target in the plan's window",
             "Migration|Exchange|India-Japan|Counted Arrivals in Plan Window", "people",
             description="As counted_cumulative, from exchange.plan_start (August 2025) for target_years; partial "
                         "calendar years pro rata"),
    Variable("exchange.skilled_plan_window", "people", "Skilled Indian workers arrived in the plan's window",
             "Migration|Exchange|India to Japan|Skilled Workers|Arrivals in Plan Window", "people",
             description="As skilled_cumulative, counted in the plan's window"),
    Variable("exchange.workers_plan_window", "people", "Indian workers arrived in the plan's window (workers only)",
             "Migration|Exchange|India to Japan|Workers|Arrivals in Plan Window", "people",
             description="As workers_cumulative, counted in the plan's window"),
    Variable("exchange.indian_residents_japan", "people", "Indian nationals residing in Japan (year end)",
             "Population|India to Japan|Indian Nationals", "people", headline=True,
             description="The Immigration Services Agency's count continued: calibrated streams' observed stocks "
                         "still present, their arrivals since 2025 still present, other residents at trend"),
    Variable("exchange.remittances", "usd_bn", "Remittances sent home by people in the exchange",
             "Remittances|Exchange|India-Japan", "billion USD/yr",
             description="Average stock in the year times remittance per person"),
    Variable("exchange.arrivals_by_stream", "people", "Arrivals in the year, by stream",
             "Migration|Exchange|India-Japan|Arrivals", "people/yr", extra_dim="stream"),
    Variable("exchange.stock_by_stream", "people", "People present at year end, by stream",
             "Population|Exchange|India-Japan", "people", extra_dim="stream"),
    Variable("exchange.backlog_by_stage", "people", "People waiting at each stage (year end)",
             "Migration|Exchange|Backlog", "people", extra_dim="stage"),
)}


# The panels of a run's default figures and the variables each draws. The defaults are these panels
# and the fan charts of the headline variables no panel shows: one figure per thing shown (issue 31);
# `--show` draws any variable's own fan chart.
PANEL_VARIABLES = {
    "investment_by_sector": (),  # the disbursement's parts by sector, which no fan chart shows
    "trade": ("trade.exports_india_to_japan", "trade.exports_japan_to_india", "trade.balance"),
    "exchange": ("exchange.counted_cumulative", "exchange.skilled_cumulative"),
}


def variable(name: str) -> Variable:
    try:
        return VARIABLES[name]
    except KeyError:
        raise KeyError(f"unknown variable {name!r}; known: {', '.join(VARIABLES)}") from None


def fiscal_year(year: int) -> str:
    """2030 -> 'FY2030-31': trade figures are Indian fiscal years (April to March) labelled by the
    year they start in."""
    year = int(year)
    return f"FY{year}-{(year + 1) % 100:02d}"


def is_fiscal(variable: str) -> bool:
    """Whether a variable's years are Indian fiscal years (every trade variable, and their entries);
    the pledge and the people exchange run in calendar years."""
    return variable.startswith("trade.")


# The `fiscal_year` coordinate of a run's dataset and ensemble.nc: the label beside every trade year.
FISCAL_YEAR_ATTRS = {"long_name": "Indian fiscal year (April to March) of the trade variables' year",
                     "description": "the trade year 2030 is FY2030-31; the pledge and the people exchange run in "
                                    "calendar years"}


# How a unit and a year read to people: figures (simulator.plotting) and tables (simulator.output) alike.
UNIT_LABELS = {
    "usd_bn": "US$ bn", "usd_bn/year": "US$ bn a year", "usd/year": "US$ a year", "jpy_tn": "JPY tn",
    "jpy_per_usd": "JPY per US$", "people": "people", "ratio": "ratio", "share": "share",
    "1/year": "per year", "1/sqrt(year)": "per √year", "year": "year", "years": "years",
    "months": "months", "draws": "draws",
}


def unit_label(unit: str) -> str:
    """'usd_bn' -> 'US$ bn'; unknown units are shown as they are."""
    return UNIT_LABELS.get(unit, unit)


def year_label(variable: str, year: int) -> str:
    """The year as people read it for this variable: 'FY2030-31' for trade, '2030' otherwise."""
    return fiscal_year(year) if is_fiscal(variable) else str(int(year))
