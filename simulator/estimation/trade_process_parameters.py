"""The trade process in a scenario's terms: from a fit to `[trade]` parameters, and back to draws.

A fit's joint parameter draws (`trade_process_fit.ProcessFit.draw`) are summarised per parameter as the
scenario format can hold them, one distribution each: a normal truncated to the parameter's allowed
range (for persistence, the stationary range), and the innovations' correlation as a number. Centre
and spread are the median and the half distance between the 16th and 84th percentiles, which a few
near-unit-root draws cannot inflate; the upper tail of a volatility's skewed posterior is thinner
this way. What this loses is the correlation between parameters; the backtest scores
the scenario's process as written (`backtest` model ``scenario``) beside the joint one.
"""
from __future__ import annotations

import numpy as np

from simulator.estimation.trade_process_fit import FLOWS, ProcessDraws, ProcessFit
from simulator.core import trade_process as tp
from simulator.scenario.parameters import SPECS

SHORT = {"exports_india_to_japan": "india_to_japan", "exports_japan_to_india": "japan_to_india"}


def _centre_spread(x: np.ndarray) -> tuple[float, float]:
    lo, mid, hi = np.percentile(x, [15.865, 50, 84.135])
    return float(mid), float((hi - lo) / 2)


def _bounded_normal(x: np.ndarray, path: str, digits: int = 4) -> dict:
    """Normal with the draws' centre and spread, truncated to the parameter's allowed range."""
    mid, sd = _centre_spread(x)
    spec = SPECS[path]
    return {"dist": "truncnormal", "mean": round(mid, digits), "sd": round(max(sd, 10.0**-digits), digits),
            "min": spec.low, "max": spec.high}


def scenario_parameters(fitted: ProcessFit, draws: ProcessDraws, base_year: int) -> dict[str, object]:
    """`trade.*` values (numbers or distribution tables) for the fitted process, gaps at `base_year`."""
    out: dict[str, object] = {"trade.process": fitted.process}
    sigma = np.einsum("nij,nkj->nik", draws.chol_sigma, draws.chol_sigma)
    sd = np.sqrt(np.stack([sigma[:, 0, 0], sigma[:, 1, 1]], axis=-1))
    corr = sigma[:, 0, 1] / (sd[:, 0] * sd[:, 1])
    if fitted.process != "random_walk":
        # mu_1 = beta - (I - A) u_b: what the scenario states instead of the gap (core.trade_process)
        gaps = fitted.gap_in(draws, base_year)
        first_year = draws.trend_growth - gaps + np.einsum("nij,nj->ni", draws.transition, gaps)
    for i, flow in enumerate(FLOWS):
        short = SHORT[flow]
        if fitted.process == "random_walk":
            out[f"trade.growth_{short}"] = _bounded_normal(np.expm1(draws.drift[:, i]), f"trade.growth_{short}")
        else:
            out[f"trade.trend_growth_{short}"] = _bounded_normal(draws.trend_growth[:, i], f"trade.trend_growth_{short}")
            out[f"trade.first_year_growth_{short}"] = _bounded_normal(first_year[:, i], f"trade.first_year_growth_{short}")
            out[f"trade.persistence_{short}"] = _bounded_normal(draws.transition[:, i, i], f"trade.persistence_{short}")
        if fitted.volatility_discount is not None:  # a plug-in: the same in every draw
            out[f"trade.volatility_{short}"] = round(float(np.median(sd[:, i])), 4)
        else:
            out[f"trade.volatility_{short}"] = _bounded_normal(sd[:, i], f"trade.volatility_{short}")
    if fitted.process == "var1":
        for path, entry in (("trade.spillover_to_india_to_japan", (0, 1)), ("trade.spillover_to_japan_to_india", (1, 0))):
            out[path] = _bounded_normal(draws.transition[:, entry[0], entry[1]], path)
    out["trade.shock_correlation"] = round(float(np.median(corr)), 3)
    if fitted.volatility_discount is not None:
        out["trade.volatility_discount"] = fitted.volatility_discount
    return out


def draws_from_scenario(params: dict, u: dict[str, np.ndarray], n: int, anchor_year: int) -> ProcessDraws:
    """ProcessDraws from scenario values (`Fixed` or `Distribution`, by `trade.*` path) and uniforms
    per path, drawn independently: what a scenario run does with the same file."""
    process = params["trade.process"]

    def value(path: str) -> np.ndarray:
        v = params[path]
        return np.broadcast_to(v.ppf(u[path]) if hasattr(v, "ppf") else v.value, (n,))  # Fixed holds a float

    def pair(key: str) -> np.ndarray:
        return np.column_stack([value(f"trade.{key}_{SHORT[f]}") for f in FLOWS])

    sd, corr = pair("volatility"), value("trade.shock_correlation")
    chol = np.zeros((n, 2, 2))
    chol[:, 0, 0] = sd[:, 0]
    chol[:, 1, 0] = corr * sd[:, 1]
    chol[:, 1, 1] = np.sqrt(1 - corr**2) * sd[:, 1]
    if process == "random_walk":
        return ProcessDraws(process, chol, drift=np.log1p(pair("growth")), anchor_year=anchor_year)
    var1 = process == "var1"
    A = tp.transition_matrix(value("trade.persistence_india_to_japan"), value("trade.persistence_japan_to_india"),
                             value("trade.spillover_to_india_to_japan") if var1 else 0.0,
                             value("trade.spillover_to_japan_to_india") if var1 else 0.0)
    beta = pair("trend_growth")
    return ProcessDraws(process, chol, trend_growth=beta, transition=A, anchor_year=anchor_year,
                        gap=tp.gap_from_first_year_growth(beta, pair("first_year_growth"), A))


def process_paths(process: str) -> list[str]:
    """The `trade.*` parameters a process reads."""
    keys = ["volatility", "growth"] if process == "random_walk" else ["volatility", "trend_growth",
                                                                       "first_year_growth", "persistence"]
    paths = [f"trade.{k}_{SHORT[f]}" for k in keys for f in FLOWS] + ["trade.shock_correlation"]
    if process == "var1":
        paths += ["trade.spillover_to_india_to_japan", "trade.spillover_to_japan_to_india"]
    return paths
