"""The exchange's entrants from observed stocks, and a hindcast of Indian residents in Japan.

The observed record (seeds/history) gives stocks, not flows: people of each status present at the
end of a year. With a stock S that grows at rate g and a mean stay L (years), the yearly arrivals
that keep it on that path are, in a steady state of growth,

    A = S * (1/L + g)                      (leavers S/L replaced, plus the growth g S)

and the entrants at the first stage of a stream whose stages pass shares p_1..p_k are
E = A / (p_1 ... p_k). The 2020-21 border closures fall inside every span of the record that is
long enough to give a trend (verified year-end totals: 2019, 2023, 2024), so g is an average over
the break, not a pre-2020 rate; docs/model.md 3.5 says what that means for the projections.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.history.series import Series

__all__ = ["growth_rate", "arrivals_for_stock", "entrants_for_stock", "Hindcast", "hindcast_stock",
           "hindcast_table", "HINDCAST_GROWTH_SD"]

# ASSUMPTION: standard deviation of the yearly growth of a resident stock, for the hindcast's 90%
# interval; three verified year-end totals cannot estimate it (docs/model.md 3.5).
HINDCAST_GROWTH_SD = 0.05
RESIDENT_SERIES = "indian_residents_japan_total"


def growth_rate(series: Series, start: int, end: int) -> float:
    """Average yearly growth of a stock between two verified years: (S_end / S_start)^(1/(end-start)) - 1."""
    values = series.values(verified_only=True)
    missing = [y for y in (start, end) if y not in values.index]
    if missing or end <= start:
        raise ValueError(f"{series.name}: need verified values for {start} < {end}; missing {missing}")
    return (float(values[end]) / float(values[start])) ** (1.0 / (end - start)) - 1.0


def arrivals_for_stock(stock: float, mean_stay_years: float, growth: float) -> float:
    """Yearly arrivals that keep a stock growing at `growth` with stays of `mean_stay_years`."""
    if stock < 0 or mean_stay_years <= 0:
        raise ValueError(f"need stock >= 0 and mean stay > 0, got {stock}, {mean_stay_years}")
    return stock * (1.0 / mean_stay_years + growth)


def entrants_for_stock(stock: float, mean_stay_years: float, growth: float, pass_rates) -> float:
    """First-stage entrants whose survivors through every stage are `arrivals_for_stock`."""
    passing = math.prod(pass_rates)
    if not 0 < passing <= 1:
        raise ValueError(f"pass rates must multiply to a share in (0, 1], got {passing}")
    return arrivals_for_stock(stock, mean_stay_years, growth) / passing


@dataclass(frozen=True)
class Hindcast:
    """A stock projected from an origin year at the growth observed before it, against what happened."""
    origin: int
    target: int
    projected: float
    low: float  # 90% interval
    high: float
    observed: float

    @property
    def error(self) -> float:
        """Relative error of the projection: (projected - observed) / observed."""
        return (self.projected - self.observed) / self.observed

    @property
    def covered(self) -> bool:
        return self.low <= self.observed <= self.high


def hindcast_stock(series: Series, first: int, origin: int, target: int, growth_sd: float) -> Hindcast:
    """Project the stock at `origin` to `target` at the growth between `first` and `origin`; the 90%
    interval treats the yearly growth as uncertain with standard deviation `growth_sd` (normal in
    log growth, independent years: the log stock's spread grows with the square root of the horizon)."""
    g = growth_rate(series, first, origin)
    start = float(series.values(verified_only=True)[origin])
    years = target - origin
    centre = math.log(start) + years * math.log1p(g)
    spread = 1.6448536269514722 * growth_sd * math.sqrt(years)
    observed = series.values(verified_only=True)
    if target not in observed.index:
        raise ValueError(f"{series.name}: no verified value for {target} to score the hindcast on")
    return Hindcast(origin, target, math.exp(centre), math.exp(centre - spread), math.exp(centre + spread),
                    float(observed[target]))


def hindcast_table(history: dict[str, Series], growth_sd: float = HINDCAST_GROWTH_SD):
    """Every hindcast of the resident stock the verified record allows, as a table (one row per
    origin and target year): the growth is taken over the verified years up to the origin (the
    earliest to the origin), the target is every later verified year."""
    import pandas as pd

    rows = []
    series = history.get(RESIDENT_SERIES)
    years = list(series.values(verified_only=True).index) if series is not None else []
    for i, origin in enumerate(years[1:], start=1):
        for target in years[i + 1:]:
            h = hindcast_stock(series, years[0], origin, target, growth_sd)
            rows.append({"series": RESIDENT_SERIES, "first_year": years[0], "origin": origin, "target": target,
                         "projected": h.projected, "p05": h.low, "p95": h.high, "observed": h.observed,
                         "error": h.error, "in_90": h.covered, "growth_sd": growth_sd})
    return pd.DataFrame(rows, columns=["series", "first_year", "origin", "target", "projected", "p05", "p95",
                                       "observed", "error", "in_90", "growth_sd"])
