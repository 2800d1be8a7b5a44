"""Each exchange stream's entrants and stays in one block of draws: where calibration happens.

A stream is either *calibrated* (``observed_stock``: people of its status counted on a date) or
*given* (``entrants_per_year`` times ``uptake``). A calibrated stream's entrants follow, in every
draw, from the observed stock, that draw's stays, pass rates and growth of all Indian residents
(`exchange.resident_growth`), times the plan's factor (`simulator.core.stock_calibration`;
docs/model.md 3.5). A stream with ``mean_stay_years`` has stays that differ between draws: every
person's ``stay_years`` is scaled so that its mean is the draw's value. Used by the vectorised
projection and by the simpy model (one replication = one draw), so both get the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.core import stock_calibration as sc
from simulator.montecarlo.draws import DrawnParameters


def month_end(month: str) -> float:
    """'2024-12' -> 2025.0: the end of that month in decimal years."""
    year, m = month.split("-")
    return int(year) + int(m) / 12


@dataclass(frozen=True)
class StreamLevel:
    """One stream in one block: entrants a year before uptake, (n, T); the per-draw uptake-like factor
    the pipeline multiplies them by, (n,); the stay scale λ, (n,) or None when stays are the same in
    every draw; and, for a calibrated stream, the observed stock still present at each year's end, (n, T)."""
    entrants: np.ndarray
    uptake: np.ndarray
    stay_scale: np.ndarray | None
    initial_stock_left: np.ndarray | None


def is_calibrated(scenario, stream: str) -> bool:
    return f"exchange.streams.{stream}.observed_stock" in scenario.params


def _quantiles(scenario, stream: str) -> np.ndarray:
    """`stay_quantiles` of the stream's person-to-person stay, once per scenario."""
    cache = scenario.derived.setdefault("stay_quantiles", {})
    if stream not in cache:
        stay = scenario.params[f"exchange.streams.{stream}.stay_years"]
        ppf = stay.ppf if hasattr(stay, "ppf") else (lambda u: np.full(np.shape(u), stay.value))
        cache[stream] = sc.stay_quantiles(ppf)
    return cache[stream]


def stay_scale(d: DrawnParameters, stream: str) -> np.ndarray | None:
    """λ = the draw's mean stay / the mean of stay_years, (n,); None without `mean_stay_years`."""
    path = f"exchange.streams.{stream}"
    if f"{path}.mean_stay_years" not in d.scenario.params:
        return None
    base_mean = float(d.scenario.params[f"{path}.stay_years"].mean())
    return np.broadcast_to(np.asarray(d.scalar(f"{path}.mean_stay_years"), dtype=float), (d.n,)) / base_mean


def pass_product(d: DrawnParameters, stream: str) -> np.ndarray:
    """Product of the stream's pass rates in each draw, (n,)."""
    path = f"exchange.streams.{stream}"
    product = np.ones(d.n)
    for k in d.scenario.params[f"{path}.stages"]:
        if f"{path}.pass_rates.{k}" in d.scenario.params:
            product = product * d.scalar(f"{path}.pass_rates.{k}")
    return product


def stream_level(d: DrawnParameters, stream: str) -> StreamLevel:
    scenario, n = d.scenario, d.n
    p, path, years = scenario.params, f"exchange.streams.{stream}", scenario.years
    uptake = np.broadcast_to(np.asarray(d.scalar(f"{path}.uptake"), dtype=float), (n,))
    scale = stay_scale(d, stream)
    if not is_calibrated(scenario, stream):
        entrants = np.broadcast_to(d.over_years(f"{path}.entrants_per_year"), (n, len(years)))
        return StreamLevel(entrants, uptake, scale, None)
    quantiles = _quantiles(scenario, stream)
    lam = 1.0 if scale is None else scale
    cap = p[f"{path}.max_stay_years"].value
    renewal = d.scalar(f"{path}.renewal_share")
    exit_rate = p[f"{path}.renewed_exit_rate"].value
    growth = np.broadcast_to(np.asarray(d.scalar("exchange.resident_growth"), dtype=float), (n,))
    stock, dated = p[f"{path}.observed_stock"].value, month_end(p[f"{path}.observed_stock_date"])
    elapsed = np.maximum(np.asarray(years, dtype=float) + 1.0 - dated, 0.0)  # from the count to each year's end
    discounted, remaining = sc.stay_terms(quantiles, np.broadcast_to(lam, (n,)), cap, renewal, exit_rate, growth,
                                          elapsed)
    arrivals = sc.calibrated_arrivals(stock, dated, years, discounted, growth)
    plan = sc.plan_factor(d.scalar(f"{path}.plan_multiplier"), d.over_years(f"{path}.plan_ramp"))
    entrants = arrivals / pass_product(d, stream)[:, None] * plan
    return StreamLevel(entrants, uptake, scale, stock * remaining)


def other_residents(d: DrawnParameters, calibrated_stock: float) -> np.ndarray:
    """Indian residents no calibrated stream models, continued at the draw's growth to each year's
    end, (n, T): (resident_total - the calibrated streams' observed stocks) (1 + g)^(t + 1 - τ)."""
    p = d.scenario.params
    total = p["exchange.resident_total"].value
    if total <= 0 or "exchange.resident_total_date" not in p:
        return np.zeros((d.n, len(d.scenario.years)))
    since = np.asarray(d.scenario.years, dtype=float) + 1.0 - month_end(p["exchange.resident_total_date"])
    growth = np.broadcast_to(np.asarray(d.scalar("exchange.resident_growth"), dtype=float), (d.n,))
    return max(total - calibrated_stock, 0.0) * np.exp(np.log1p(growth)[:, None] * since)
