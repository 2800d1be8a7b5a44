"""Fan charts: the median with 50% and 90% bands, units on the axis and a source line.

Data preparation (`fan_bands`) is apart from drawing (`fan_chart`), which takes `ax=None` and
returns the axes, so notebooks can compose figures.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display is assumed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402

from .._version import __version__  # noqa: E402
from ..result import Result  # noqa: E402
from ..variables import VARIABLES  # noqa: E402

UNIT_LABELS = {"usd_bn": "US$ billion (nominal)", "jpy_per_usd": "JPY per USD", "people": "people",
               "ratio": "ratio"}


def plain_text(text: str) -> str:
    """Scenario text shown verbatim: '$' would otherwise start matplotlib's math mode."""
    return text.replace("$", r"\$")


def fan_bands(da: xr.DataArray) -> pd.DataFrame:
    """Quantiles over draws by year: columns p05, p25, p50, p75, p95 indexed by year."""
    values = da.transpose("draw", "year").values
    q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return pd.DataFrame(q.T, index=da["year"].values, columns=["p05", "p25", "p50", "p75", "p95"])


def fan_chart(bands: pd.DataFrame, *, ax=None, label: str = "", unit: str = "", color: str = "C0",
              title: str | None = None):
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    years = bands.index.values
    ax.fill_between(years, bands["p05"], bands["p95"], color=color, alpha=0.18, linewidth=0, label="90% band")
    ax.fill_between(years, bands["p25"], bands["p75"], color=color, alpha=0.38, linewidth=0, label="50% band")
    ax.plot(years, bands["p50"], color=color, linewidth=2, label=f"median{' ' + label if label else ''}")
    ax.set_xlabel("year")
    ax.set_ylabel(UNIT_LABELS.get(unit, unit))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(plain_text(title), fontsize=10, loc="left")
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax


def source_line(result: Result) -> str:
    s = result.scenario
    return plain_text(f"ijsim {__version__} · scenario '{s.name}' · {s.draws:,} draws ({s.sampler}), seed {s.seed} · "
                      "base figures: seeds/article_figures.toml and docs/model.md")


def write_fan_charts(result: Result, folder: Path) -> list[Path]:
    """One PNG fan chart per headline variable."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in result.variables:
        info = VARIABLES[name]
        if not info.headline:
            continue
        fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
        subtitle = textwrap.shorten(result.scenario.title, width=95, placeholder=" …")
        fan_chart(fan_bands(result[name]), ax=ax, unit=info.unit, title=f"{info.label}\n{subtitle}")
        if name == "trade.balance":
            base = result["trade.balance"] - result["trade.balance_change"]
            ax.axhline(float(base.median()), color="0.3", linestyle="--", linewidth=1,
                       label=f"FY{result.scenario.params['trade.base_year']} level")
            ax.axhline(0.0, color="0.6", linewidth=0.8)
            ax.legend(loc="best", fontsize=8, frameon=False)
        fig.text(0.01, 0.005, source_line(result), fontsize=6.5, color="0.35", ha="left", va="bottom")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=110, metadata={"Software": None})
        plt.close(fig)
        written.append(path)
    return written
