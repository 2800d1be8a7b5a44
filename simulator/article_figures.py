"""The source article's figures, read from ``seeds/article_figures.toml``.

Parameter defaults that come from the article name a figure here (``seed = "fdi_stock_usd_bn"``),
so every baseline number can be traced to the sentence it was taken from.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Mapping

from simulator.shipped import seeds_dir

SEED_FILE = "article_figures.toml"


@dataclass(frozen=True)
class SeedFigure:
    id: str
    value: float
    unit: str
    period: str
    measures: str
    where: str

    def citation(self) -> str:
        return f"source article ({self.where}): {self.measures}, {self.period}"


@cache
def _load() -> tuple[Mapping[str, SeedFigure], Mapping[str, str]]:
    with open(seeds_dir() / SEED_FILE, "rb") as fh:
        doc = tomllib.load(fh)
    figures = {
        key: SeedFigure(id=key, value=float(t["value"]), unit=t["unit"], period=t["period"],
                        measures=t["measures"], where=t["where"])
        for key, t in doc["figures"].items()
    }
    sectors = {k: v for k, v in doc["sectors"].items() if k != "where"}
    return MappingProxyType(figures), MappingProxyType(sectors)


def seed_figures() -> Mapping[str, SeedFigure]:
    """All figures, by id."""
    return _load()[0]


def seed_figure(figure_id: str) -> SeedFigure:
    return _load()[0][figure_id]


def sectors() -> Mapping[str, str]:
    """Investment sectors named in the article: key -> label, in the article's order."""
    return _load()[1]
