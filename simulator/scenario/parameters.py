"""Every key a scenario file may contain, with its title, unit, allowed range, default and source.

This registry is the one description of the format: the validator checks files against it,
``ijsim schema`` turns it into a JSON Schema, and docs/scenarios.md lists it. A default either
names the article figure it comes from (``seed``), cites a source, or says ``assumption``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.article_figures import sectors, seed_figure

ASSUMPTION = "assumption"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@dataclass(frozen=True)
class ParamSpec:
    group: str
    key: str
    title: str
    unit: str
    kind: str  # number | integer | string | month | choice | shares | share_list | bool | string_list | rate_table | person_time
    default: Any = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: the value must be strictly greater than `low`
    uncertain: bool = False  # may be a distribution
    time_varying: bool = False  # may be a path over years
    choices: tuple[str, ...] = ()
    required: bool = False
    seed: str | None = None  # id of the article figure giving the default
    source: str = ASSUMPTION
    description: str = ""
    # Values beyond these overflow some output to inf or NaN, or make a kernel too large to hold,
    # even where the quantity itself could be larger (an FDI stock). Fixed values and paths must
    # lie inside; so must a distribution's most extreme draws (its mean, for a person's time).
    limits: tuple[float | None, float | None] = (None, None)

    @property
    def path(self) -> str:
        return f"{self.group}.{self.key}"

    def default_value(self) -> Any:
        if self.seed is not None:
            value = seed_figure(self.seed).value
            return int(value) if self.kind == "integer" else value
        return self.default

    @property
    def lowest(self) -> tuple[float | None, bool]:
        """The lower end of the values allowed for a fixed number, and whether it is open."""
        floor = self.limits[0]
        if floor is not None and (self.low is None or floor > self.low or (floor == self.low and not self.low_open)):
            return floor, False
        return self.low, self.low_open

    @property
    def highest(self) -> float | None:
        """The upper end (always closed) of the values allowed for a fixed number."""
        values = [x for x in (self.high, self.limits[1]) if x is not None]
        return min(values) if values else None

    def range_text(self) -> str:
        low, low_open = self.lowest
        high = self.highest
        lo = "-inf" if low is None else _num(low)
        hi = "inf" if high is None else _num(high)
        return f"{'(' if low_open or low is None else '['}{lo}, {hi}{']' if high is not None else ')'}"

    def in_range(self, x: float) -> bool:
        low, low_open = self.lowest
        if low is not None and (x <= low if low_open else x < low):
            return False
        return self.highest is None or x <= self.highest


MAX_HORIZON_YEARS = 50  # beyond this the model's constant elasticities and shares mean little
# Limits that keep every output finite (ParamSpec.limits), with room for any real scenario: the
# pledge is 10 trillion yen, the flows and stocks tens of billions of dollars. At these ends, with
# every other parameter at its own worst end, the trade ratios stay below about 1e250 (tested).
MAX_PLEDGE_JPY_TN = 1000.0  # about 1.6 times Japan's GDP
MAX_FLOW_USD_BN = 100_000.0  # US$100 trillion: world GDP
MIN_FLOW_USD_BN = 0.001  # US$1 million
MIN_STOCK_USD_BN = 0.01  # US$10 million: the FDI linkage divides by the starting stock
MAX_DRAWS = 10_000_000
DISBURSEMENT_PROFILES = ("uniform", "front_loaded", "back_loaded", "s_curve", "explicit")
SAMPLERS = ("mc", "lhs", "sobol")
TRADE_PROCESSES = ("random_walk", "ar1", "var1")

# `ijsim` reads the pledge in yen: a yen pledge does not move with the exchange rate, its dollar value does.
PLEDGE_SOURCE = ("India–Japan Joint Vision for the Next Decade, 15th Annual Summit, Tokyo, 29 Aug 2025: "
                 "'a new target of JPY 10 trillion of private investment'; the article's ~US$68 bn is this sum in dollars")

SCENARIO = (
    ParamSpec("scenario", "name", "Short name of the scenario (used for result folders)", "", "string",
              required=True, description="Letters, digits, '-', '_' and '.'; required in every file."),
    ParamSpec("scenario", "title", "Title shown in reports", "", "string",
              description="Defaults to the name; not inherited through extends."),
    ParamSpec("scenario", "description", "The story the scenario tells", "", "string", default="",
              description="Not inherited through extends."),
    ParamSpec("scenario", "extends", "Parent scenario file, relative to this file, or the name of a shipped scenario", "", "string",
              description="The child overrides the parent key by key; a parameter value replaces the parent's whole."),
    ParamSpec("scenario", "horizon_start", "First simulated year", "year", "integer", default=2025,
              low=2001, high=2100, description="After trade.base_year (at least 2000)."),
    ParamSpec("scenario", "horizon_years", "Number of simulated years", "years", "integer", default=10,
              low=1, high=MAX_HORIZON_YEARS),
    ParamSpec("scenario", "draws", "Monte Carlo draws", "draws", "integer", default=10_000, low=1, high=MAX_DRAWS),
    ParamSpec("scenario", "seed", "Root seed of the random numbers", "", "integer", default=20250829,
              low=0, high=2**63 - 1),
)

SAMPLING = (
    ParamSpec("sampling", "method", "Sampler for the uncertain parameters", "", "choice", default="lhs",
              choices=SAMPLERS,
              description="mc: plain Monte Carlo; lhs: Latin hypercube; sobol: scrambled Sobol' sequence."),
    ParamSpec("sampling", "block_size", "Draws per block (each block has its own seed)", "draws", "integer",
              default=4096, low=1, high=1_000_000,
              description="Part of the result's definition: the same seed with another block size gives other draws."),
)

INVESTMENT = (
    ParamSpec("investment", "pledge_jpy_tn", "Japan's investment pledge", "jpy_tn", "number", default=10.0,
              low=0, uncertain=True, source=PLEDGE_SOURCE, limits=(None, MAX_PLEDGE_JPY_TN)),
    ParamSpec("investment", "pledge_start_year", "First year of the pledge period", "year", "integer",
              default=2025, low=2000, high=2100, source="source article: pledge made at the August 2025 summit"),
    ParamSpec("investment", "pledge_years", "Length of the pledge period", "years", "integer",
              seed="pledge_years", low=1, high=MAX_HORIZON_YEARS),
    ParamSpec("investment", "fx_jpy_per_usd", "Exchange rate", "jpy_per_usd", "number",
              default=round(10_000 / seed_figure("pledge_usd_bn").value, 2), low=0, low_open=True, high=1000,
              uncertain=True, time_varying=True, limits=(1, None),
              source="derived: JPY 10 trillion / the article's US$68 bn = 147.06 JPY per USD"),
    ParamSpec("investment", "fx_log_volatility", "Annual volatility of the log exchange rate", "1/sqrt(year)",
              "number", default=0.0, low=0, high=1, uncertain=True,
              description="Adds a random walk in log fx to the fx path: fx_t = path_t * exp(sigma * W_t), W_0 = 0."),
    ParamSpec("investment", "realisation_rate", "Share of the pledge that arrives", "share", "number",
              default=1.0, low=0, high=1, uncertain=True),
    ParamSpec("investment", "depreciation_rate", "Annual rate at which the FDI stock wears down", "1/year",
              "number", default=0.0, low=0, high=1, uncertain=True, limits=(None, 0.5),
              description="Stands for divestment, write-downs and repatriated capital."),
    ParamSpec("investment", "fdi_stock_start_usd_bn", "Cumulative Japanese FDI in India at the start",
              "usd_bn", "number", seed="fdi_stock_usd_bn", low=0, low_open=True, uncertain=True,
              limits=(MIN_STOCK_USD_BN, MAX_FLOW_USD_BN),
              description="The article's US$43 bn: Japanese FDI equity inflows since 2000 (DPIIT), not a "
                          "position. Must be > 0: the FDI-trade linkage is relative to it."),
    ParamSpec("investment", "other_inflows_usd_bn", "Japanese FDI inflows outside the pledge", "usd_bn/year",
              "number", default=0.0, low=0, uncertain=True, time_varying=True, limits=(None, MAX_FLOW_USD_BN),
              description="b_t; 0 counts the pledge as Japan's whole new investment."),
    ParamSpec("investment", "bau_inflows_usd_bn", "Japanese FDI inflows that would come without the pledge",
              "usd_bn/year", "number", default=0.0, low=0, high=1000, uncertain=True, time_varying=True,
              description="Business as usual, on the basis of the starting figure (DPIIT equity inflows); "
                          "with trade.fdi_linkage = 'excess' only investment above it moves trade."),
    ParamSpec("investment", "sector_shares", "Split of the disbursed investment by sector", "share", "shares",
              default={k: 1 / 6 for k in sectors()}, choices=tuple(sectors()),
              description="Shares over the article's sectors; they must sum to one."),
    ParamSpec("investment", "sector_concentration", "Dirichlet concentration of the sector shares", "",
              "number", default=0.0, low=0, high=1e6,
              description="0 keeps the shares fixed; c > 0 draws Dirichlet(c * shares): larger c, less spread."),
)

DISBURSEMENT = (
    ParamSpec("investment.disbursement", "profile", "Shape of the disbursement over the pledge period", "",
              "choice", default="uniform", choices=DISBURSEMENT_PROFILES),
    ParamSpec("investment.disbursement", "midpoint_years", "S-curve: years until half is disbursed", "years",
              "number", low=0, high=MAX_HORIZON_YEARS, uncertain=True,
              description="Only with profile = 's_curve'; defaults to half the pledge period."),
    ParamSpec("investment.disbursement", "steepness", "S-curve: logistic steepness", "1/year", "number",
              default=1.0, low=0, low_open=True, high=20, uncertain=True,
              limits=(0.01, None),  # flatter curves lose the shares to rounding (0/0 below about 1e-300)
              description="Only with profile = 's_curve'."),
    ParamSpec("investment.disbursement", "shares", "Explicit yearly shares of the pledge", "share",
              "share_list", description="Only with profile = 'explicit'; one share per pledge year, summing to one."),
)

BOEHM = ("Boehm, Levchenko & Pandalai-Nayar (2023), 'The Long and Short (Run) of Trade Elasticities', "
         "AER 113(4); CEPR DP14645")

def _us_diversion(flow: str, growth: str, coverage: str, share: str, exporter: str, to: str, e0: str,
                  phi: str) -> tuple[ParamSpec, ...]:
    """The four keys of a US-tariff diversion channel (docs/model.md 2.2): the exporter's flow to the
    US, its growth before tariffs, the share the tariff covers, the share of what is pushed out that
    reaches the other partner."""
    return (
        ParamSpec("trade", flow, f"{exporter}'s exports to the US in the base year", "usd_bn", "number",
                  default=0.0, low=0, uncertain=True, limits=(None, MAX_FLOW_USD_BN),
                  description=f"{e0}: the flow that US tariffs on {exporter} push towards other markets."),
        ParamSpec("trade", growth, f"Annual growth of {exporter}'s exports to the US before tariffs", "1/year",
                  "number", default=0.0, low=-0.5, high=1.0, uncertain=True),
        ParamSpec("trade", coverage, f"Share of {exporter}'s exports to the US that the US tariff covers", "share",
                  "number", default=1.0, low=0, high=1, uncertain=True,
                  description="Exempt goods (e.g. those under other US tariff regimes) keep their market."),
        ParamSpec("trade", share, f"Share of {exporter}'s exports diverted from the US that reaches {to}", "share",
                  "number", default=0.0, low=0, high=1, uncertain=True, description=f"{phi}."),
    )


TRADE = (
    ParamSpec("trade", "base_year", "Base year of the trade figures (fiscal year starting April)", "year",
              "integer", default=2023, low=2000, high=2099,
              source="source article: FY2023-24 trade figures (seeds exports_*_usd_bn)",
              description="Trade years are Indian fiscal years labelled by the year they start in: 2023 = FY2023-24."),
    ParamSpec("trade", "exports_india_to_japan_base_usd_bn", "India's exports to Japan in the base year",
              "usd_bn", "number", seed="exports_india_to_japan_usd_bn", low=0, low_open=True, uncertain=True,
              limits=(MIN_FLOW_USD_BN, MAX_FLOW_USD_BN)),
    ParamSpec("trade", "exports_japan_to_india_base_usd_bn", "Japan's exports to India in the base year",
              "usd_bn", "number", seed="exports_japan_to_india_usd_bn", low=0, low_open=True, uncertain=True,
              limits=(MIN_FLOW_USD_BN, MAX_FLOW_USD_BN)),
    ParamSpec("trade", "start", "Where the projection starts", "", "choice", default="base",
              choices=("base", "history"),
              description="base: from the base-year values above; history: from the newest year of the "
                          "history (trade.history), a whole year's value or, where only its first months "
                          "are published, their nowcast with its uncertainty (docs/model.md 2.1). Needs "
                          "process = 'random_walk'. Balances are still compared with the base year."),
    ParamSpec("trade", "history", "History folder the start is read from", "", "string", default="",
              description="Relative to the scenario file; empty: the shipped seeds/history."),
    ParamSpec("trade", "start_year", "Year the projection starts from (fiscal year)", "year", "integer",
              low=2000, high=2099,
              description="Set by trade.start = 'history' (or by hand, with the start_* values); "
                          "default: trade.base_year."),
    *(ParamSpec("trade", f"start_exports_{flow}_usd_bn", f"{who} in the start year", "usd_bn", "number", low=0,
                low_open=True, uncertain=True, limits=(MIN_FLOW_USD_BN, MAX_FLOW_USD_BN),
                source="seeds/history (or trade.history): the newest year's value, or the nowcast of its first "
                       "months (docs/model.md 2.1); `ijsim history` names the page",
                description="Set by trade.start = 'history' (a lognormal when the year is a nowcast) unless "
                            "given: a figure of one's own for that year.")
      for flow, who in (("india_to_japan", "India's exports to Japan"), ("japan_to_india", "Japan's exports to India"))),
    ParamSpec("trade", "volatility_discount", "How the history's years are weighted in the volatility estimate",
              "", "number", default=0.0, low=0, high=1,
              description="For `ijsim calibrate` and `ijsim backtest`, not for the run: 0 means the random "
                          "walk's growth_* and volatility_* are set by hand and are used as written at "
                          "every backtest origin; a discount d in (0, 1] means they were estimated, "
                          "the squared shocks weighted d^age (1: equally), and are re-estimated at each "
                          "origin (docs/model.md 2.6)."),
    ParamSpec("trade", "growth_india_to_japan", "Median annual growth of India's exports to Japan", "1/year",
              "number", default=0.0, low=-0.5, high=1.0, uncertain=True),
    ParamSpec("trade", "growth_japan_to_india", "Median annual growth of Japan's exports to India", "1/year",
              "number", default=0.0, low=-0.5, high=1.0, uncertain=True),
    ParamSpec("trade", "volatility_india_to_japan", "Volatility of yearly shocks to India's exports to Japan",
              "1/sqrt(year)", "number", default=0.0, low=0, high=1, uncertain=True),
    ParamSpec("trade", "volatility_japan_to_india", "Volatility of yearly shocks to Japan's exports to India",
              "1/sqrt(year)", "number", default=0.0, low=0, high=1, uncertain=True),
    ParamSpec("trade", "shock_correlation", "Correlation of the two flows' yearly shocks", "", "number",
              default=0.0, low=-1, high=1, uncertain=True),
    ParamSpec("trade", "process", "Stochastic process of the two log trade flows", "", "choice",
              default="random_walk", choices=TRADE_PROCESSES,
              description="random_walk: compound growth with random-walk shocks (growth_*, volatility_*); "
                          "ar1 / var1: trend-stationary, the gap from a log-linear trend reverts "
                          "(trend_growth_*, first_year_growth_*, persistence_*, spillover_* for var1). "
                          "Estimated from history by `ijsim calibrate` (docs/model.md)."),
    *(spec for flow, who in (("india_to_japan", "India's exports to Japan"),
                             ("japan_to_india", "Japan's exports to India")) for spec in (
        ParamSpec("trade", f"trend_growth_{flow}", f"Trend growth of {who}", "log points/year",
                  "number", default=0.0, low=-0.5, high=0.5, uncertain=True,
                  description="beta: slope of the log-linear trend the flow reverts to."),
        ParamSpec("trade", f"first_year_growth_{flow}", f"Expected growth of {who} in the year after the "
                  "base year", "log points/year", "number", default=0.0, low=-1, high=1, uncertain=True,
                  description="mu_1 = beta - (1 - rho) u_b: where the flow heads next, given how far the base "
                              "year lies from trend (u_b = (beta - mu_1) / (1 - rho)). Equal to the trend "
                              "growth when the base year is on the trend."),
        ParamSpec("trade", f"persistence_{flow}", f"Persistence of the gap of {who} from their trend", "",
                  "number", default=0.0, low=-0.99, high=0.99, uncertain=True,
                  description="rho: share of this year's gap left next year; |rho| < 1 (stationary)."),
    )),
    ParamSpec("trade", "spillover_to_india_to_japan", "VAR(1): effect of the gap of Japan's exports to India "
              "on next year's gap of India's exports to Japan", "", "number", default=0.0, low=-1, high=1,
              uncertain=True, description="Off-diagonal of A (var1 only)."),
    ParamSpec("trade", "spillover_to_japan_to_india", "VAR(1): effect of the gap of India's exports to Japan "
              "on next year's gap of Japan's exports to India", "", "number", default=0.0, low=-1, high=1,
              uncertain=True, description="Off-diagonal of A (var1 only)."),
    ParamSpec("trade", "fdi_elasticity_imports", "Elasticity of Japan's exports to India to the FDI stock",
              "", "number", default=0.0, low=-2, high=3, uncertain=True,
              description="beta_M: capital and intermediate goods follow Japanese investment."),
    ParamSpec("trade", "fdi_elasticity_exports", "Elasticity of India's exports to Japan to the FDI stock",
              "", "number", default=0.0, low=-2, high=3, uncertain=True,
              description="beta_X: output of Japanese affiliates sold back to Japan."),
    ParamSpec("trade", "fdi_linkage", "What part of Japanese investment moves trade", "", "choice",
              default="stock", choices=("stock", "excess"),
              description="stock: the whole FDI stock relative to its start (the first version); excess: only "
                          "investment above investment.bau_inflows_usd_bn, with a fading import impulse."),
    ParamSpec("trade", "fdi_import_persistence", "Share of a tranche's import impulse left a year later",
              "share", "number", default=1.0, low=0, high=1, uncertain=True,
              description="Only with fdi_linkage = 'excess': Japan's exports to India follow new investment "
                          "for a while (machinery, inputs), then fade; India's exports to Japan persist."),
    ParamSpec("trade", "fdi_lag_imports_years", "Lag of the FDI effect on imports from Japan", "years",
              "number", default=0.0, low=0, high=20, uncertain=True),
    ParamSpec("trade", "fdi_lag_exports_years", "Lag of the FDI effect on exports to Japan", "years",
              "number", default=0.0, low=0, high=20, uncertain=True),
    ParamSpec("trade", "income_elasticity_japan_to_india", "Elasticity of Japan's exports to India to India's "
              "real GDP", "", "number", default=0.0, low=-1, high=5, uncertain=True,
              description="epsilon_M: on growth above macro.gdp_reference_growth_india (docs/model.md 2.2)."),
    ParamSpec("trade", "income_elasticity_india_to_japan", "Elasticity of India's exports to Japan to Japan's "
              "real GDP", "", "number", default=0.0, low=-1, high=5, uncertain=True,
              description="epsilon_X: on growth above macro.gdp_reference_growth_japan."),
    ParamSpec("trade", "exporter_income_elasticity_india_to_japan", "Elasticity of India's exports to Japan to "
              "India's real GDP", "", "number", default=0.0, low=-1, high=5, uncertain=True,
              description="The exporter's income in the gravity form: on growth above "
                          "macro.gdp_reference_growth_india (docs/model.md 2.2)."),
    ParamSpec("trade", "exporter_income_elasticity_japan_to_india", "Elasticity of Japan's exports to India to "
              "Japan's real GDP", "", "number", default=0.0, low=-1, high=5, uncertain=True,
              description="The exporter's income: on growth above macro.gdp_reference_growth_japan."),
    ParamSpec("trade", "fx_elasticity_japan_to_india", "Elasticity of Japan's exports to India (US$) to the yen "
              "per dollar", "", "number", default=0.0, low=-3, high=3, uncertain=True,
              description="eta_M: a weaker yen (more JPY per USD) raises the flow when > 0; net of valuation."),
    ParamSpec("trade", "fx_elasticity_india_to_japan", "Elasticity of India's exports to Japan (US$) to the dollar "
              "per yen", "", "number", default=0.0, low=-3, high=3, uncertain=True,
              description="eta_X: a weaker yen lowers the flow when > 0; net of valuation."),
    ParamSpec("trade", "fx_reference_jpy_per_usd", "Exchange rate at which the trend holds", "jpy_per_usd",
              "number", default=round(10_000 / seed_figure("pledge_usd_bn").value, 2), low=0, low_open=True,
              high=1000, limits=(1, None),  # as investment.fx_jpy_per_usd: their ratio stays in [1e-3, 1e3]
              source="derived: JPY 10 trillion / the article's US$68 bn = 147.06 JPY per USD",
              description="fx_ref: the yen channel acts on investment.fx_jpy_per_usd's level path (not its "
                          "yearly random walk) relative to it."),
    *_us_diversion("exports_india_to_us_base_usd_bn", "growth_india_to_us", "us_tariff_coverage",
                   "diversion_share_to_japan", "India", "Japan", "E_US,0", "phi_JP"),
    *_us_diversion("exports_japan_to_us_base_usd_bn", "growth_japan_to_us", "us_tariff_coverage_japan",
                   "diversion_share_to_india", "Japan", "India", "E^J_0", "phi_IN"),
)

TARIFFS = (
    ParamSpec("tariffs", "japan_on_india", "Japan's average tariff on Indian goods", "share", "number",
              default=0.0, low=0, high=10, time_varying=True,
              description="Ad-valorem, as a fraction (0.05 = 5%); only changes from the base year matter."),
    ParamSpec("tariffs", "india_on_japan", "India's average tariff on Japanese goods", "share", "number",
              default=0.0, low=0, high=10, time_varying=True,
              description="Ad-valorem, as a fraction; only changes from the base year matter."),
    ParamSpec("tariffs", "us_on_india", "Additional US tariff on Indian goods", "share", "number",
              default=0.0, low=0, high=10, time_varying=True,
              description="On top of MFN rates, as a fraction: 0.5 = 50%. Path over fiscal years."),
    ParamSpec("tariffs", "us_on_competitors", "Additional US tariff on India's competitors in the US market",
              "share", "number", default=0.0, low=0, high=10, time_varying=True,
              description="On top of MFN, as a fraction. Exports are diverted from the US by India's tariff "
                          "relative to this one: a tariff every exporter pays diverts nothing."),
    ParamSpec("tariffs", "us_on_japan", "Additional US tariff on Japanese goods", "share", "number",
              default=0.0, low=0, high=10, time_varying=True,
              description="As a fraction, path over fiscal years; pushes Japan's exports out of the US "
                          "relative to tariffs.us_on_japan_competitors."),
    ParamSpec("tariffs", "us_on_japan_competitors", "Additional US tariff on Japan's competitors in the US market",
              "share", "number", default=0.0, low=0, high=10, time_varying=True,
              description="A tariff Japan and its competitors pay alike diverts nothing."),
    ParamSpec("tariffs", "elasticity_short_run", "Trade elasticity in the year a tariff change takes effect",
              "", "number", default=0.76, low=0, high=20, uncertain=True, source=BOEHM + ": about 0.76 after one year"),
    ParamSpec("tariffs", "elasticity_long_run", "Long-run trade elasticity", "", "number", default=2.0,
              low=0, high=20, uncertain=True, source=BOEHM + ": 1.75-2.25 in the long run (2.0 the midpoint)"),
    ParamSpec("tariffs", "years_to_long_run", "Years for the elasticity to reach its long-run value", "years",
              "number", default=8.0, low=0, low_open=True, high=50, uncertain=True,
              source=BOEHM + ": 7-10 years to converge"),
)

MACRO = (
    ParamSpec("macro", "gdp_growth_india", "India's real GDP growth", "1/year", "number", default=0.0,
              low=-0.5, high=0.5, uncertain=True, time_varying=True,
              description="Fiscal years. Moves Japan's exports to India through trade.income_elasticity_japan_to_india."),
    ParamSpec("macro", "gdp_growth_japan", "Japan's real GDP growth", "1/year", "number", default=0.0,
              low=-0.5, high=0.5, uncertain=True, time_varying=True,
              description="Moves India's exports to Japan through trade.income_elasticity_india_to_japan."),
    ParamSpec("macro", "gdp_reference_growth_india", "India's growth the trade trend already contains", "1/year",
              "number", default=0.0, low=-0.5, high=0.5, time_varying=True,
              description="Only growth above (or below) it moves trade; equal growth paths change nothing."),
    ParamSpec("macro", "gdp_reference_growth_japan", "Japan's growth the trade trend already contains", "1/year",
              "number", default=0.0, low=-0.5, high=0.5, time_varying=True),
)

EXCHANGE = (
    ParamSpec("exchange", "target_people", "Target of the human-resource exchange", "people", "integer",
              seed="exchange_people_target", low=0, high=100_000_000),
    ParamSpec("exchange", "target_skilled", "Target of skilled Indian workers to Japan", "people", "integer",
              seed="skilled_workers_target", low=0, high=100_000_000),
    ParamSpec("exchange", "target_years", "Years from the horizon start in which the targets are to be met",
              "years", "integer", seed="exchange_period_years", low=1, high=MAX_HORIZON_YEARS),
    ParamSpec("exchange", "plan_start", "Month the plan's counting window starts", "", "month",
              description="'YYYY-MM'. The plan-window outputs count target_years from this month, partial "
                          "calendar years pro rata (arrivals spread evenly over the year); unset: the horizon start."),
    ParamSpec("exchange", "resident_growth", "Yearly growth of all Indian residents in Japan", "1/year", "number",
              default=0.0, low=-0.5, high=1.0, uncertain=True,
              description="g in the calibration of streams to observed stocks (A = S / D(g), docs/model.md 3.5) "
                          "and the trend of the residents no stream models. Estimated from the verified counts "
                          "(simulator.estimation.exchange_calibration.resident_growth)."),
    ParamSpec("exchange", "resident_total", "Indian nationals residing in Japan on resident_total_date", "people",
              "number", default=0.0, low=0, high=100_000_000,
              description="The observed total that exchange.indian_residents_japan continues: streams calibrated "
                          "to a stock carry their part, the rest grows at resident_growth."),
    ParamSpec("exchange", "resident_total_date", "Date of resident_total", "", "month",
              description="'YYYY-MM', the month at whose end the count was taken."),
    ParamSpec("exchange", "resident_total_source", "Page that states resident_total", "", "string"),
)

STAGE = (
    ParamSpec("exchange.stages.*", "title", "What the stage is", "", "string"),
    ParamSpec("exchange.stages.*", "servers", "People the stage serves at once (seats, officers, slots)",
              "people", "number", default=1.0, low=0, high=10_000_000, time_varying=True,
              description="A path raises or lowers capacity from a year on, e.g. a new consulate."),
    ParamSpec("exchange.stages.*", "service_months", "Time one person spends being served", "months",
              "person_time", default=1.0, low=0, low_open=True, limits=(0.01, 600),
              description="A number (everyone the same) or a distribution of person-to-person variation "
                          "(exponential makes the stage a Markovian queue); a distribution's mean must lie "
                          "in the range."),
)

STREAM = (
    ParamSpec("exchange.streams.*", "title", "What the stream is", "", "string"),
    ParamSpec("exchange.streams.*", "direction", "Direction of travel", "", "choice", default="india_to_japan",
              choices=("india_to_japan", "japan_to_india")),
    ParamSpec("exchange.streams.*", "skilled", "Counts towards the skilled-worker target", "", "bool",
              default=False,
              description="The Action Plan's 50,000 'skilled personnel and potential talents from India to Japan'."),
    ParamSpec("exchange.streams.*", "worker", "Counts in the workers-only reading of the skilled target", "",
              "bool", default=False,
              description="Workers only: Specified Skilled Workers, technical intern trainees, engineers and "
                          "specialists (not students or researchers); exchange.workers_cumulative."),
    ParamSpec("exchange.streams.*", "counts_toward_people", "Share of the stream's arrivals counted towards the "
              "people target", "share", "number", default=1.0, low=0, high=1,
              description="The Action Plan's 'exchange of more than 500,000 personnel in both directions': 1 "
                          "counts every arrival, 0 none (e.g. short visits that are not personnel exchange). "
                          "Arrivals are the same either way; only the count against the target changes."),
    ParamSpec("exchange.streams.*", "entrants_per_year", "People entering the pipeline each year", "people/year",
              "number", default=0.0, low=0, high=100_000_000, time_varying=True,
              description="The plan's yearly number, or a ramp as a path."),
    ParamSpec("exchange.streams.*", "level_source", "Where the stream's level comes from", "", "string",
              description="The address of the page that states entrants_per_year, or 'ASSUMPTION: ...' with the "
                          "reason (then uptake must be drawn over a range). Streams calibrated to an observed stock "
                          "name their page in observed_stock_source instead."),
    ParamSpec("exchange.streams.*", "uptake", "Actual entrants as a share of the planned number", "share",
              "number", default=1.0, low=0, high=5, uncertain=True),
    ParamSpec("exchange.streams.*", "uptake_title", "What uptake stands for in this stream, in plain words", "",
              "string", description="Shown in event_drivers.csv and the console, e.g. 'Share of JNTO's visitors "
                                    "from India travelling on business'."),
    ParamSpec("exchange.streams.*", "observed_stock", "People of the stream's status present on observed_stock_date",
              "people", "number", low=0, high=100_000_000,
              description="Declares the stream calibrated: in every draw its entrants are S / D(g, stays) / (product "
                          "of its pass rates), times the plan's factor (docs/model.md 3.5); no entrants_per_year."),
    ParamSpec("exchange.streams.*", "observed_stock_date", "Date of the observed stock", "", "month",
              description="'YYYY-MM', the month at whose end (or in which) the stock was counted."),
    ParamSpec("exchange.streams.*", "observed_stock_source", "Page that states the observed stock", "", "string"),
    ParamSpec("exchange.streams.*", "plan_multiplier", "The plan's multiple of the calibrated level at full effect",
              "times", "number", default=1.0, low=0, high=100, uncertain=True,
              description="1: the trend continues; 8: eight times the trend's entrants once plan_ramp reaches 1."),
    ParamSpec("exchange.streams.*", "plan_ramp", "Share of the plan's effect reached in each year", "share",
              "number", default=1.0, low=0, high=1, time_varying=True,
              description="A path, e.g. {2025 = 0, 2026 = 0.5, 2027 = 1}."),
    ParamSpec("exchange.streams.*", "mean_stay_years", "Mean stay in Japan", "years", "number",
              low=0.01, high=100, uncertain=True,
              description="Uncertain across draws: each draw scales every person's stay_years so that its mean is "
                          "this value (stay_years then gives only the person-to-person spread)."),
    ParamSpec("exchange.streams.*", "arrival_process", "How entrants arrive within a year", "", "choice",
              default="poisson", choices=("poisson", "regular"),
              description="poisson: random arrivals at the planned rate; regular: evenly spaced."),
    ParamSpec("exchange.streams.*", "stages", "Stages passed, in order", "", "string_list", default=(),
              description="Names of [exchange.stages.<name>] tables."),
    ParamSpec("exchange.streams.*", "pass_rates", "Share passing each stage", "share", "rate_table", default={},
              low=0, high=1, uncertain=True,
              description="Table stage -> share (number or distribution); stages not listed pass everyone."),
    ParamSpec("exchange.streams.*", "stay_years", "Intended length of stay", "years", "person_time",
              default=1.0, low=0, low_open=True, limits=(0.001, None),
              description="A number (everyone the same) or a distribution of person-to-person variation; its "
                          "mean at least 0.001 years (a stream calibrated to a stock needs S / stay arrivals)."),
    ParamSpec("exchange.streams.*", "max_stay_years", "Longest stay the status allows", "years", "number",
              default=100.0, low=0, low_open=True, high=100,
              description="SSW(i): 5 years in total. People reaching it leave or switch to a renewable status."),
    ParamSpec("exchange.streams.*", "renewal_share", "Share reaching the limit who switch to a renewable status",
              "share", "number", default=0.0, low=0, high=1, uncertain=True,
              description="SSW(i) to SSW(ii), which can be renewed without limit."),
    ParamSpec("exchange.streams.*", "renewed_exit_rate", "Yearly rate at which renewed stayers leave", "1/year",
              "number", default=0.0, low=0, high=10),
    ParamSpec("exchange.streams.*", "remittance_usd_per_year", "Remittances sent home per person present",
              "usd/year", "number", default=0.0, low=0, high=1_000_000, uncertain=True),
)

# Keys that only make sense with one disbursement profile.
PROFILE_ONLY = {"midpoint_years": "s_curve", "steepness": "s_curve", "shares": "explicit"}
# Trade keys that only make sense with some processes (volatility_* and shock_correlation serve all).
PROCESS_ONLY = {
    **{f"growth_{f}": ("random_walk",) for f in ("india_to_japan", "japan_to_india")},
    **{f"{k}_{f}": ("ar1", "var1") for k in ("trend_growth", "first_year_growth", "persistence")
       for f in ("india_to_japan", "japan_to_india")},
    "spillover_to_india_to_japan": ("var1",), "spillover_to_japan_to_india": ("var1",),
}

GROUPS: dict[str, tuple[ParamSpec, ...]] = {
    "scenario": SCENARIO,
    "sampling": SAMPLING,
    "investment": INVESTMENT,
    "investment.disbursement": DISBURSEMENT,
    "trade": TRADE,
    "tariffs": TARIFFS,
    "macro": MACRO,
    "exchange": EXCHANGE,
    "exchange.stages.*": STAGE,
    "exchange.streams.*": STREAM,
}
SPECS: dict[str, ParamSpec] = {s.path: s for specs in GROUPS.values() for s in specs}
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"  # names of stages and streams


def group_pattern(path: str) -> str | None:
    """The registry group a concrete table path belongs to: 'exchange.streams.skilled' -> 'exchange.streams.*'."""
    if path in GROUPS:
        return path
    head, _, _ = path.rpartition(".")
    return f"{head}.*" if head and f"{head}.*" in GROUPS else None


def is_collection(path: str) -> bool:
    """A table of named groups, such as 'exchange.streams'."""
    return f"{path}.*" in GROUPS


def spec_for(path: str) -> ParamSpec | None:
    """The spec of a concrete parameter path ('exchange.streams.skilled.uptake')."""
    group, _, key = path.rpartition(".")
    pattern = group_pattern(group)
    if pattern:
        return SPECS.get(f"{pattern}.{key}")
    parent = spec_for(group) if "." in group else None  # one entry of a rate table
    return parent if parent is not None and parent.kind == "rate_table" else None


def model_specs() -> list[ParamSpec]:
    """Parameters of the model with fixed paths (not settings, not named stages or streams)."""
    return [s for s in SPECS.values() if s.group not in ("scenario", "sampling") and "*" not in s.group]
