"""One block's projection: the core's modules wired together in the model's order.

investment (pledge -> disbursement -> FDI stock) -> trade (growth, FDI linkage, tariffs, diversion).
Pure: parameter arrays in, variable arrays out.
"""
from __future__ import annotations

import numpy as np

from simulator.core import exchange as ex
from simulator.core import investment as inv
from simulator.core import pipeline as pl
from simulator.core import stock_calibration as sc
from simulator.core import tariffs as tr_tariffs
from simulator.core import trade as tr
from simulator.core import trade_drivers as td
from simulator.core import trade_process as tp
from simulator.montecarlo.draws import DrawnParameters, trade_start_year, trade_years
from simulator.montecarlo.exchange_levels import other_residents, stream_level
from simulator.scenario import Fixed

Block = dict[str, np.ndarray]


BLOCKS = ("investment", "trade", "exchange")


def project(d: DrawnParameters, blocks: tuple[str, ...] = BLOCKS) -> Block:
    """Output variables for the block's draws, shape (n, T[, sector|stream|stage]).

    `blocks` limits the work to what an output needs (trade needs investment; exchange stands alone).
    """
    out: Block = {}
    if "investment" in blocks or "trade" in blocks:
        out.update(_investment(d))
    if "trade" in blocks:
        out.update(_trade(d, out))
    if "exchange" in blocks:
        out.update(_exchange(d))
    return out


def dimension_labels(scenario) -> dict[str, list[str]]:
    """The entries of each third dimension of the outputs: sectors, streams and stages in use."""
    from simulator.article_figures import sectors

    return {"sector": list(sectors()), "stream": scenario.names("exchange.streams"),
            "stage": exchange_stages(scenario)}


def exchange_stages(scenario) -> list[str]:
    """The stages in use, in an order consistent with every stream's route."""
    return ex.stage_order([scenario.params[f"exchange.streams.{j}.stages"]
                           for j in scenario.names("exchange.streams")]) or []


def _investment(d: DrawnParameters) -> Block:
    years = d.scenario.years
    n, T = d.n, len(years)
    fx = inv.fx_path(np.broadcast_to(d.over_years("investment.fx_jpy_per_usd"), (n, T)),
                     d.scalar("investment.fx_log_volatility"), d.shocks("investment.fx_shock"))
    # The S-curve's midpoint and steepness are passed whatever the profile: the others ignore them.
    weights = inv.disbursement_profile(
        d["investment.disbursement.profile"], d["investment.pledge_years"],
        midpoint=d.scalar("investment.disbursement.midpoint_years"),
        steepness=d.scalar("investment.disbursement.steepness"),
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
    start = trade_start_year(d.scenario)
    later_start = start > all_years[0]

    def multiplier(path: str, relative_to: str | None = None, *, since_start: bool = False) -> np.ndarray:
        m = tr_tariffs.tariff_multiplier(
            d.over_years(path, all_years), d.scalar("tariffs.elasticity_short_run"),
            d.scalar("tariffs.elasticity_long_run"), d.scalar("tariffs.years_to_long_run"),
            relative_to=None if relative_to is None else d.over_years(relative_to, all_years))
        if since_start and later_start:  # a flow observed in the start year already carries the changes before it
            return m[..., horizon] / m[..., start - all_years[0], None]
        return m[..., horizon]

    zeros = np.zeros((n, all_years[-1] - start))
    z_x = d.shocks("trade.shock_india_to_japan")
    z_m = d.shocks("trade.shock_japan_to_india")
    z_x, z_m = tr.correlated_shocks(zeros if z_x is None else z_x, zeros if z_m is None else z_m,
                                    d.scalar("trade.shock_correlation"))
    k0 = d.scalar("investment.fdi_stock_start_usd_bn")
    x0 = d.scalar("trade.exports_india_to_japan_base_usd_bn")
    m0 = d.scalar("trade.exports_japan_to_india_base_usd_bn")
    x_start, m_start = ((d.scalar("trade.start_exports_india_to_japan_usd_bn"),
                         d.scalar("trade.start_exports_japan_to_india_usd_bn")) if later_start else (x0, m0))

    exports_trend, imports_trend = _bilateral_process(d, x_start, m_start, z_x, z_m, years - start)
    exports_trend, imports_trend = _macro_drivers(d, exports_trend, imports_trend, start)
    export_base, import_base = _fdi_bases(d, investment)
    exports_bilateral = (
        exports_trend
        * tr.fdi_linkage(export_base, k0, d.scalar("trade.fdi_elasticity_exports"), d.scalar("trade.fdi_lag_exports_years"))
        * multiplier("tariffs.japan_on_india", since_start=True))
    imports = (
        imports_trend
        * tr.fdi_linkage(import_base, k0, d.scalar("trade.fdi_elasticity_imports"), d.scalar("trade.fdi_lag_imports_years"))
        * multiplier("tariffs.india_on_japan", since_start=True))
    us_before_tariff = tr.grown_flow(d.scalar("trade.exports_india_to_us_base_usd_bn"),
                                     d.scalar("trade.growth_india_to_us"), 0.0, np.zeros((n, len(all_years) - 1)),
                                     since_base)
    us_multiplier = multiplier("tariffs.us_on_india", relative_to="tariffs.us_on_competitors")
    diverted = tr_tariffs.diverted_exports(us_before_tariff, us_multiplier, d.scalar("trade.us_tariff_coverage"))
    to_japan = np.broadcast_to(np.asarray(d.scalar("trade.diversion_share_to_japan"))[..., None] * diverted, (n, T))
    to_india = _japan_diverted_to_india(d, multiplier, since_base)
    exports = np.broadcast_to(exports_bilateral + to_japan, (n, T))
    imports = np.broadcast_to(imports if to_india is None else imports + to_india, (n, T))
    balance = tr.trade_balance(exports, imports)
    base_balance = np.asarray(x0 - m0)[..., None]  # the reference stays the base year, whatever the start
    return {
        "trade.exports_india_to_japan": np.ascontiguousarray(exports),
        "trade.exports_japan_to_india": np.ascontiguousarray(imports),
        "trade.total": exports + imports,
        "trade.balance": balance,
        "trade.balance_change": np.broadcast_to(balance - base_balance, (n, T)).copy(),
        "trade.cover_ratio": exports / imports,
        "trade.diverted_to_japan": np.ascontiguousarray(to_japan),
        "trade.diverted_to_india": np.zeros((n, T)) if to_india is None else np.ascontiguousarray(to_india),
        "trade.exports_india_to_us": np.broadcast_to(
            us_before_tariff - diverted, (n, T)).copy(),
    }


def _japan_diverted_to_india(d: DrawnParameters, multiplier, since_base) -> np.ndarray | None:
    """phi_IN * D^J_t: Japan's exports pushed out of the US by its tariff relative to its competitors',
    the share reaching India; None when the channel is off (no flow, no share), so that the
    imports are then exactly those of a scenario without it."""
    if _is_zero(d.scenario.params["trade.exports_japan_to_us_base_usd_bn"]) or \
            _is_zero(d.scenario.params["trade.diversion_share_to_india"]):
        return None
    n, T = d.n, len(d.scenario.years)
    before = tr.grown_flow(d.scalar("trade.exports_japan_to_us_base_usd_bn"), d.scalar("trade.growth_japan_to_us"),
                           0.0, np.zeros((n, int(np.max(since_base)))), since_base)
    pushed = tr_tariffs.diverted_exports(before, multiplier("tariffs.us_on_japan", relative_to="tariffs.us_on_japan_competitors"),
                                         d.scalar("trade.us_tariff_coverage_japan"))
    return np.broadcast_to(np.asarray(d.scalar("trade.diversion_share_to_india"))[..., None] * pushed, (n, T))


def _bilateral_process(d: DrawnParameters, x0, m0, z_x, z_m, since_start) -> tuple[np.ndarray, np.ndarray]:
    """Both flows before FDI and tariffs, for the horizon years: the scenario's `trade.process`, from
    its start (the base year unless the scenario starts later; only the random walk can)."""
    if d["trade.process"] == "random_walk":
        return (tr.grown_flow(x0, d.scalar("trade.growth_india_to_japan"), d.scalar("trade.volatility_india_to_japan"),
                              z_x, since_start),
                tr.grown_flow(m0, d.scalar("trade.growth_japan_to_india"), d.scalar("trade.volatility_japan_to_india"),
                              z_m, since_start))
    flows = ("india_to_japan", "japan_to_india")
    var1 = d["trade.process"] == "var1"
    transition = tp.transition_matrix(
        d.scalar("trade.persistence_india_to_japan"), d.scalar("trade.persistence_japan_to_india"),
        d.scalar("trade.spillover_to_india_to_japan") if var1 else 0.0,
        d.scalar("trade.spillover_to_japan_to_india") if var1 else 0.0)
    innovations = tp.scaled_innovations(z_x, z_m,
                                        d.scalar("trade.volatility_india_to_japan"),
                                        d.scalar("trade.volatility_japan_to_india"))
    pair = lambda key: np.stack(np.broadcast_arrays(*(np.asarray(d.scalar(f"trade.{key}_{f}"))
                                                      for f in flows)), axis=-1)
    gap = tp.gap_from_first_year_growth(pair("trend_growth"), pair("first_year_growth"), transition)
    growth = tp.trend_reverting_growth(pair("trend_growth"), gap, transition, innovations)
    picked = growth[:, np.asarray(since_start) - 1]  # the horizon years among base+1 .. last
    return (np.asarray(x0)[..., None] * picked[..., 0],
            np.asarray(m0)[..., None] * picked[..., 1])


def _fdi_bases(d: DrawnParameters, investment: Block) -> tuple[np.ndarray, np.ndarray]:
    """What the FDI linkage compares with the starting figure K_0, for exports and for imports.

    stock: the FDI stock K_t for both. excess: K_0 plus the accumulated investment above business
    as usual, e_t = I_t + b_t - B_t; for exports it wears down with the stock's rate delta (the
    affiliates stay), for imports with 1 - persistence (the tranche's purchase of machinery and
    inputs is done). A pledge at the business-as-usual rate leaves both at K_0: no trade effect.
    """
    if d["trade.fdi_linkage"] == "stock":
        stock = investment["investment.fdi_stock"]
        return stock, stock
    k0 = np.asarray(d.scalar("investment.fdi_stock_start_usd_bn"))[..., None]
    excess = (investment["investment.disbursed"] + d.over_years("investment.other_inflows_usd_bn")
              - d.over_years("investment.bau_inflows_usd_bn"))
    floor = 1e-6 * k0  # a pledge far below business as usual cannot take trade below zero
    exports = np.maximum(k0 + inv.fdi_stock(excess, 0.0, d.scalar("investment.depreciation_rate")), floor)
    fade = 1.0 - np.asarray(d.scalar("trade.fdi_import_persistence"))
    imports = np.maximum(k0 + inv.fdi_stock(excess, 0.0, fade), floor)
    return exports, imports


def _macro_drivers(d: DrawnParameters, exports, imports, start: int):
    """GDP of importer and exporter, and the yen (core.trade_drivers), from the year after the start;
    each skipped where its elasticity is exactly 0.

    The yen acts through the scenario's level path of the rate (`investment.fx_jpy_per_usd`), not
    through the drawn random walk around it: the flows' own shocks were estimated on a history that
    already contains the yen's year-to-year moves, so adding the walk's draws would count that
    uncertainty twice (docs/model.md 2.2). The pledge's dollar value still uses the drawn rate.
    """
    years = d.scenario.years
    after_start = np.arange(start + 1, years[-1] + 1)
    pick = years - start - 1  # horizon years among the years after the start

    def income(country: str, elasticity: str) -> np.ndarray | float:
        if _is_zero(d.scenario.params[elasticity]):
            return 1.0
        return td.income_multiplier(d.over_years(f"macro.gdp_growth_{country}", after_start),
                                    d.over_years(f"macro.gdp_reference_growth_{country}", after_start),
                                    d.scalar(elasticity))[..., pick]

    def yen(elasticity: str, sign: float) -> np.ndarray | float:
        if _is_zero(d.scenario.params[elasticity]):
            return 1.0
        return td.exchange_rate_multiplier(d.over_years("investment.fx_jpy_per_usd"),
                                           d.scalar("trade.fx_reference_jpy_per_usd"),
                                           sign * np.asarray(d.scalar(elasticity)))
    return (exports * income("japan", "trade.income_elasticity_india_to_japan")
            * income("india", "trade.exporter_income_elasticity_india_to_japan")
            * yen("trade.fx_elasticity_india_to_japan", -1.0),
            imports * income("india", "trade.income_elasticity_japan_to_india")
            * income("japan", "trade.exporter_income_elasticity_japan_to_india")
            * yen("trade.fx_elasticity_japan_to_india", +1.0))


def _is_zero(value) -> bool:
    return isinstance(value, Fixed) and value.value == 0


def _exchange(d: DrawnParameters) -> Block:
    scenario, n = d.scenario, d.n
    years = scenario.years
    T, M = len(years), ex.MONTHS_PER_YEAR * len(years)
    names = scenario.names("exchange.streams")
    if not names:
        zeros = np.zeros((n, T))
        return {v: zeros.copy() for v in ("exchange.arrivals_total", "exchange.cumulative_total",
                                          "exchange.counted_cumulative",
                                          "exchange.skilled_arrivals", "exchange.skilled_cumulative",
                                          "exchange.skilled_stock", "exchange.remittances",
                                          "exchange.workers_cumulative", "exchange.counted_plan_window",
                                          "exchange.skilled_plan_window", "exchange.workers_plan_window",
                                          "exchange.indian_residents_japan")}
    p = scenario.params
    if "exchange" not in scenario.derived:
        scenario.derived["exchange"] = _exchange_layout(scenario)
    order, stages, stay_kernels = scenario.derived["exchange"]
    levels = [stream_level(d, j) for j in names]
    streams, stays = [], []
    for j, (s_base, s_renew), level in zip(names, stay_kernels, levels):
        path = f"exchange.streams.{j}"
        route = p[f"{path}.stages"]
        rates = tuple(d.scalar(f"{path}.pass_rates.{k}") if f"{path}.pass_rates.{k}" in p else 1.0 for k in route)
        if level.initial_stock_left is None:  # a path of entrants times the draw's uptake
            monthly = np.repeat(level.entrants[0], ex.MONTHS_PER_YEAR) / ex.MONTHS_PER_YEAR
            scale = level.uptake
        else:  # calibrated: a level of its own in every draw and year
            monthly = np.full(M, 1.0 / ex.MONTHS_PER_YEAR)
            scale = level.entrants * level.uptake[:, None]
        streams.append(pl.Stream(j, monthly, tuple(order.index(k) for k in route), rates, scale=scale))
        stays.append(pl.Stay(s_base, s_renew, d.scalar(f"{path}.renewal_share")))
    if any(level.stay_scale is not None for level in levels):
        flows = _flows_with_drawn_stays(d, stages, streams, stays, levels, M)
    else:
        flows = pl.pipeline_by_year(stages, range(len(stages)), streams, stays, n, M)
    # Sums over streams as einsum: one C loop each, in a fixed order (no BLAS, so bit-reproducible).
    usd_per_year = np.column_stack([np.broadcast_to(d.scalar(f"exchange.streams.{j}.remittance_usd_per_year"), (n,))
                                    for j in names])
    yearly = flows.arrivals  # (n, T, J)
    everyone = np.ones(len(names))
    skilled = np.array([float(bool(p[f"exchange.streams.{j}.skilled"])) for j in names])
    counted = counting_weights(scenario)
    # The subscripts once (left unmutated: [tool.mutmut] do_not_mutate_patterns in pyproject.toml).
    weighted, weighted_per_draw = "ntj,j->nt", "ntj,nj->nt"
    total = np.einsum(weighted, yearly, everyone)
    skilled_arrivals = np.einsum(weighted, yearly, skilled)
    workers = np.array([float(bool(p[f"exchange.streams.{j}.worker"])) for j in names])
    worker_arrivals = np.einsum(weighted, yearly, workers)
    counted_arrivals = np.einsum(weighted, yearly, counted)
    window = plan_window_weights(scenario)
    by_stage = {"exchange.backlog_by_stage": flows.backlog} if order else {}
    return {**by_stage,
        "exchange.arrivals_total": total,
        "exchange.cumulative_total": np.cumsum(total, axis=1),
        "exchange.counted_cumulative": np.cumsum(counted_arrivals, axis=1),
        "exchange.skilled_arrivals": skilled_arrivals,
        "exchange.skilled_cumulative": np.cumsum(skilled_arrivals, axis=1),
        "exchange.skilled_stock": np.einsum(weighted, flows.stock_end, skilled),
        "exchange.workers_cumulative": np.cumsum(worker_arrivals, axis=1),
        "exchange.counted_plan_window": np.cumsum(counted_arrivals * window, axis=1),
        "exchange.skilled_plan_window": np.cumsum(skilled_arrivals * window, axis=1),
        "exchange.workers_plan_window": np.cumsum(worker_arrivals * window, axis=1),
        "exchange.remittances": np.einsum(weighted_per_draw, flows.stock_mean, usd_per_year) / 1e9,
        "exchange.arrivals_by_stream": yearly,
        "exchange.stock_by_stream": flows.stock_end,
        "exchange.indian_residents_japan": _indian_residents(d, names, levels, flows.stock_end),
    }


def _flows_with_drawn_stays(d: DrawnParameters, stages, streams, stays, levels, months: int) -> pl.YearlyFlows:
    """The pipeline when some stream's stays differ between draws: the streams with one stay kernel for
    all draws get their stocks inside the pipeline kernel; the others' monthly arrivals are kept and
    convolved with each draw's own survival kernel."""
    p, n = d.scenario.params, d.n
    scaled = [level.stay_scale is not None for level in levels]
    no_stay = np.zeros(months)
    shared = [pl.Stay(no_stay, no_stay, 0.0) if drawn else stay for stay, drawn in zip(stays, scaled)]
    kept = [j for j, drawn in enumerate(scaled) if drawn]
    flows, arrivals = pl.pipeline_by_year_with_arrivals(stages, range(len(stages)), streams, shared, n, months, kept)
    names = d.scenario.names("exchange.streams")
    for column, j in enumerate(kept):
        name = names[j]
        path, stay, lam = f"exchange.streams.{name}", stays[j], levels[j].stay_scale
        cap, exit_rate = p[f"{path}.max_stay_years"].value, p[f"{path}.renewed_exit_rate"].value
        table = _stay_cdf_table(d.scenario, name)
        if table is None:  # a fixed stay: its CDF is a step, evaluated in numpy
            base, renew = sc.scaled_survival(_tabulated_cdf(d.scenario, name), lam, cap, exit_rate, months)
            end, mean = sc.stock_by_year_per_draw(np.ascontiguousarray(arrivals[:, :, column]), base, renew,
                                                  stay.renewal_share)
        else:
            end, mean = sc.stock_by_year_scaled(arrivals[:, :, column], lam, stay.renewal_share, *table, cap, exit_rate)
        flows.stock_end[:, :, j], flows.stock_mean[:, :, j] = end, mean
    return flows


def _stay_cdf_table(scenario, stream: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The CDF of a stream's person-to-person stay tabulated once per scenario: 16,385 even points up to
    its 1 - 1e-12 quantile and the CDF there, read by linear interpolation (None for a fixed stay)."""
    cache = scenario.derived.setdefault("stay_cdf_table", {})
    if stream not in cache:
        stay = scenario.params[f"exchange.streams.{stream}.stay_years"]
        if not hasattr(stay, "ppf"):
            cache[stream] = None
        else:
            z = np.linspace(0.0, float(stay.ppf(np.array([1 - 1e-12]))[0]), 16385)
            cache[stream] = (z, np.asarray(stay.cdf(z), dtype=float))
    return cache[stream]


def _tabulated_cdf(scenario, stream: str):
    """The CDF of a stream's person-to-person stay as a function: `_stay_cdf_table` read by linear
    interpolation (per-draw kernels evaluate it millions of times a block, where scipy's CDF would
    cost more than the pipeline), or the exact step of a fixed stay."""
    table = _stay_cdf_table(scenario, stream)
    if table is None:
        return scenario.params[f"exchange.streams.{stream}.stay_years"].cdf
    z, f = table
    return lambda x: np.interp(x, z, f, left=0.0, right=1.0)


def _indian_residents(d: DrawnParameters, names, levels, stock_end: np.ndarray) -> np.ndarray:
    """Indian nationals residing in Japan at each year's end (n, T): the observed stock of each calibrated
    stream still present, plus its arrivals since the horizon start still present, plus the other
    residents (dependants, permanent residents, statuses no stream models) at the draw's trend."""
    calibrated = [j for j, level in enumerate(levels) if level.initial_stock_left is not None]
    observed = sum(d.scenario.params[f"exchange.streams.{names[j]}.observed_stock"].value for j in calibrated)
    total = other_residents(d, observed)
    for j in calibrated:
        total = total + levels[j].initial_stock_left + stock_end[:, :, j]
    return total


def plan_window_weights(scenario) -> np.ndarray:
    """The share of each year's arrivals inside the plan's window, (T,): `target_years` from
    `exchange.plan_start` (the horizon start when unset), months of a partial year pro rata (arrivals
    spread evenly over the year). August 2025 for five years: 5/12 of 2025, 2026-2029, 7/12 of 2030."""
    p, years = scenario.params, np.asarray(scenario.years, dtype=float)
    start = (float(p["exchange.plan_start"][:4]) + (int(p["exchange.plan_start"][5:]) - 1) / 12
             if "exchange.plan_start" in p else float(years[0]))
    end = start + float(p["exchange.target_years"])
    return np.clip(np.minimum(years + 1, end) - np.maximum(years, start), 0.0, 1.0)


def counting_weights(scenario) -> np.ndarray:
    """Each stream's weight in the count against the people target (the Action Plan's counting rule,
    `exchange.streams.<name>.counts_toward_people`), in the order of the scenario's streams."""
    p = scenario.params
    return np.array([float(p[f"exchange.streams.{j}.counts_toward_people"].value)
                     for j in scenario.names("exchange.streams")])


def _exchange_layout(scenario) -> tuple[list[str], list, list]:
    """What the pipeline needs that depends on the scenario alone: the stage order, the stages
    (capacities and service kernels) and each stream's stay kernels (base, renew)."""
    p, T = scenario.params, len(scenario.years)
    M = ex.MONTHS_PER_YEAR * T
    order = exchange_stages(scenario)
    stages = []
    for k in order:
        service = p[f"exchange.stages.{k}.service_months"]
        servers = p[f"exchange.stages.{k}.servers"]
        servers = servers.at(scenario.years) if hasattr(servers, "at") else np.full(T, servers.value)
        capacity = np.repeat(servers, ex.MONTHS_PER_YEAR) / service.mean()
        if getattr(service, "family", None) == "exponential":  # closed form, no kernel needed
            # The kernel never reads a stage's name, nor the kernel array of a stage in closed form
            # (the line is left unmutated: [tool.mutmut] in pyproject.toml).
            stages.append(pl.Stage(k, capacity, np.zeros(0), ex.exponential_kernel(service.mean())))
        else:
            stages.append(pl.Stage(k, capacity, ex.service_kernel(service.cdf, service.mean())[:M]))
    stays = [ex.survival_kernels(p[f"exchange.streams.{j}.stay_years"].cdf, p[f"exchange.streams.{j}.max_stay_years"].value,
                                 p[f"exchange.streams.{j}.renewed_exit_rate"].value, M)
             for j in scenario.names("exchange.streams")]
    return order, stages, stays
