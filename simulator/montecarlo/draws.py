"""From a scenario and a block's uniforms to parameter values the core can use.

Fixed values stay scalars (cheap broadcasting), distributions become (n,) arrays through their
inverse CDF, paths become (T,) arrays over the years asked for. Also lists the named uniform
inputs ("dimensions") a scenario needs, which the sampler turns into streams.
"""
from __future__ import annotations

import functools

import numpy as np
from scipy import special

from simulator.scenario import Distribution, Fixed, Path, Scenario
from simulator.scenario.families import Gamma
from simulator.scenario.inverse_cdf import TabulatedInverse

# Yearly standard-normal shocks: (parameter whose non-zero value switches them on, dimension prefix).
SHOCKS = {
    "investment.fx_shock": "investment.fx_log_volatility",
    "trade.shock_india_to_japan": "trade.volatility_india_to_japan",
    "trade.shock_japan_to_india": "trade.volatility_japan_to_india",
}


def trade_years(scenario: Scenario) -> np.ndarray:
    """Years from the trade base year to the end of the horizon."""
    return np.arange(scenario.params["trade.base_year"], scenario.years[-1] + 1)


def trade_start_year(scenario: Scenario) -> int:
    """The year the trade projection starts from: trade.start_year if set (or resolved from the
    history), else the base year."""
    return int(scenario.params.get("trade.start_year", scenario.params["trade.base_year"]))


def shock_years(scenario: Scenario, prefix: str) -> np.ndarray:
    if prefix == "investment.fx_shock":
        return scenario.years[1:]  # the exchange-rate walk starts at its level in the first year
    return np.arange(trade_start_year(scenario) + 1, scenario.years[-1] + 1)  # trade grows from its start


def _is_zero(value) -> bool:
    return isinstance(value, Fixed) and value.value == 0


def sampling_dimensions(scenario: Scenario) -> list[str]:
    """The named uniform inputs a block needs: one per distribution, plus Dirichlet and shock inputs."""
    p = scenario.params
    dims = scenario.uncertain()
    if p["investment.sector_concentration"].value > 0:
        dims += [f"investment.sector_shares.{k}" for k, s in p["investment.sector_shares"].items() if s > 0]
    for prefix, switch in SHOCKS.items():
        if not _is_zero(p[switch]):
            dims += [f"{prefix}.{y}" for y in shock_years(scenario, prefix)]
    return dims


@functools.lru_cache(maxsize=256)
def _gamma_inverse(shape: float) -> TabulatedInverse:
    return TabulatedInverse(Gamma(shape), log_scale=True)  # shares are ratios: relative accuracy


class DrawnParameters:
    """Parameter values for one block of n draws."""

    def __init__(self, scenario: Scenario, uniforms: dict[str, np.ndarray], n: int):
        self.scenario, self.u, self.n = scenario, uniforms, n
        # Each inverse CDF runs once per block, however often the core asks for its parameter.
        self._drawn: dict[str, np.ndarray] = {}
        self._shocks: dict[str, np.ndarray | None] = {}
        self._shares: np.ndarray | None = None

    def draw_all(self) -> "DrawnParameters":
        """Apply every inverse CDF now (the sampler's share of the work), so what follows is the core alone."""
        for path, value in self.scenario.params.items():
            if isinstance(value, Distribution) and path in self.u:  # others describe a spread, not a draw
                self.scalar(path)
        self._shares = self.sector_shares()
        for prefix in SHOCKS:
            self.shocks(prefix)
        return self

    def inputs(self) -> dict[str, np.ndarray]:
        """Every sampled input's value per draw, one (n,) array per sampling dimension, under the
        dimension's name: a distribution's drawn value, a sector's Dirichlet share, a yearly shock's
        standard normal. Kept with the results so that outputs can be related to inputs."""
        out: dict[str, np.ndarray] = {}
        for path in sampling_dimensions(self.scenario):
            if path in self.scenario.params:
                out[path] = np.broadcast_to(np.asarray(self.scalar(path), dtype=float), (self.n,))
        shares = self.sector_shares()
        if shares.ndim == 2:
            for j, key in enumerate(self.scenario.params["investment.sector_shares"]):
                if f"investment.sector_shares.{key}" in self.u:
                    out[f"investment.sector_shares.{key}"] = shares[:, j]
        for prefix in SHOCKS:
            z = self.shocks(prefix)
            if z is not None:
                for t, year in enumerate(shock_years(self.scenario, prefix)):
                    out[f"{prefix}.{year}"] = z[:, t]
        return {k: np.ascontiguousarray(v) for k, v in out.items()}

    def __getitem__(self, path: str):
        """Settings that are never uncertain (integers, choices, shares): as written."""
        return self.scenario.params[path]

    def scalar(self, path: str) -> float | np.ndarray:
        value = self.scenario.params[path]
        if isinstance(value, Distribution):
            if path not in self._drawn:
                self._drawn[path] = value.ppf(self.u[path])
            return self._drawn[path]
        return value.value

    def over_years(self, path: str, years: np.ndarray | None = None) -> np.ndarray:
        """Shape (T,) for fixed values and paths, (n, T) for distributions (constant over years)."""
        value = self.scenario.params[path]
        years = self.scenario.years if years is None else years
        if isinstance(value, Path):
            return value.at(years)
        return np.multiply.outer(np.asarray(self.scalar(path)), np.ones(len(years)))

    def shocks(self, prefix: str) -> np.ndarray | None:
        """Standard normals (n, years) for a shock series, or None when its volatility is zero."""
        if prefix not in self._shocks:
            years = shock_years(self.scenario, prefix)
            self._shocks[prefix] = (None if len(years) == 0 or f"{prefix}.{years[0]}" not in self.u else
                                    special.ndtri(np.stack([self.u[f"{prefix}.{y}"] for y in years], axis=-1)))
        return self._shocks[prefix]

    def sector_shares(self) -> np.ndarray:
        """Fixed shares (S,), or Dirichlet(c * s) draws (n, S) from Gamma inverse CDFs (any sampler)."""
        if self._shares is not None:
            return self._shares
        table = self.scenario.params["investment.sector_shares"]
        shares = np.array(list(table.values()))
        c = self.scenario.params["investment.sector_concentration"].value
        if c == 0:
            return shares
        # In logs: for a small c * s_k the Gamma draws underflow (x ~ u^(1 / (c s_k))), their ratios do not.
        log_gammas = np.full((self.n, len(shares)), -np.inf)
        for j, key in enumerate(table):
            if shares[j] > 0:
                a, u = c * shares[j], self.u[f"investment.sector_shares.{key}"]
                log_x = _gamma_inverse(a).log(u)
                # Where even scipy's inverse underflows, x is tiny and P(a, x) ~ x^a / Gamma(a + 1).
                log_gammas[:, j] = np.where(np.isfinite(log_x), log_x, (np.log(u) + special.gammaln(a + 1)) / a)
        weights = np.exp(log_gammas - log_gammas.max(axis=1, keepdims=True))
        return weights / weights.sum(axis=1, keepdims=True)
