"""The exchange's entrants from observed stocks, and a hindcast of Indian residents in Japan.

The observed record (seeds/history) gives stocks, not flows: people of each status present at the
end of a year. With a stock S that grows at rate g and a mean stay L (years), the yearly arrivals
that keep it on that path are, in a steady state of growth,

    A = S * (1/L + g)                      (leavers S/L replaced, plus the growth g S)

and the entrants at the first stage of a stream whose stages pass shares p_1..p_k are
E = A / (p_1 ... p_k). Runs do this inside every draw (simulator.core.stock_calibration, with the
draw's stay, pass rates and growth); the functions here are the hand-checkable form of the rule.

The growth g of all Indian residents is estimated from every verified count, year-end and
end-June (`resident_growth`): a least-squares line through the log counts against their dates
(statsmodels OLS), whose slope's standard error is its uncertainty. The 2020-21 border closures
fall inside the record (verified counts: June 2019, December 2020, June and December 2023,
December 2024), so g is an average over the break, not a pre-2020 rate; docs/model.md 3.5 says
what that means for the projections.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.history.series import Series

__all__ = ["growth_rate", "arrivals_for_stock", "entrants_for_stock", "Hindcast", "hindcast_stock",
           "hindcast_table", "HINDCAST_GROWTH_SD", "GrowthEstimate", "resident_growth", "RESIDENT_SERIES",
           "RESIDENT_SERIES_JUNE"]

# ASSUMPTION: standard deviation of the yearly growth of a resident stock, for the hindcast's 90%
# interval; three verified year-end totals cannot estimate it (docs/model.md 3.5).
HINDCAST_GROWTH_SD = 0.05
RESIDENT_SERIES = "indian_residents_japan_total"  # end of December
RESIDENT_SERIES_JUNE = "indian_residents_japan_total_june"  # end of June: the same count half a year apart
# When in the year each series counts, as a fraction of the year: a year-end count of year y is
# dated y + 1.0 (= 1 January of y + 1), an end-June count y + 0.5.
COUNT_DATES = {RESIDENT_SERIES: 1.0, RESIDENT_SERIES_JUNE: 0.5}


@dataclass(frozen=True)
class GrowthEstimate:
    """The yearly growth of a stock fitted to its dated counts: log S(t) = a + b t (OLS).

    `rate` = e^b - 1 (per year); `log_rate` = b and `log_se` its standard error; `sd` the standard
    deviation of the rate for draws: e^b times the spread of b under a Student t with the fit's
    residual degrees of freedom (se * sqrt(df / (df - 2))), because a handful of counts around a
    break say less than a normal error with the same standard error would.
    """
    rate: float
    log_rate: float
    log_se: float
    df: int
    dates: tuple[float, ...]
    counts: tuple[float, ...]

    @property
    def sd(self) -> float:
        inflation = math.sqrt(self.df / (self.df - 2)) if self.df > 2 else float("inf")
        return math.exp(self.log_rate) * self.log_se * inflation


def resident_growth(history: dict[str, Series]) -> GrowthEstimate:
    """Growth of all Indian residents in Japan from every verified count (year-end and end-June).

    Ordinary least squares of the log count on its date (statsmodels); the dates are in
    `COUNT_DATES`. With the shipped record (June 2019 to December 2024, five counts): about 6.8% a
    year, standard error of the log slope about 0.009 on 3 degrees of freedom.

    References
    ----------
    Seabold, S. & Perktold, J. (2010). statsmodels: Econometric and statistical modeling with
    Python. *Proceedings of the 9th Python in Science Conference*.
    """
    import numpy as np
    from statsmodels.regression.linear_model import OLS  # not statsmodels.api, which imports every model
    from statsmodels.tools.tools import add_constant

    dates, counts = [], []
    for name, offset in COUNT_DATES.items():
        if name not in history:
            continue
        values = history[name].values(verified_only=True)
        dates += [float(y) + offset for y in values.index]
        counts += [float(v) for v in values]
    if len(dates) < 3:
        raise ValueError(f"need at least three verified counts of Indian residents to estimate a growth with "
                         f"its uncertainty, found {len(dates)}")
    order = np.argsort(dates)  # no ties: year-end dates are whole, end-June ones halves
    t, s = np.asarray(dates)[order], np.asarray(counts)[order]
    fit = OLS(np.log(s), add_constant(t - t.mean())).fit()
    b, se = float(fit.params[1]), float(fit.bse[1])
    return GrowthEstimate(math.expm1(b), b, se, int(fit.df_resid), tuple(t), tuple(s))


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
    observed = series.values()  # verified only
    start = float(observed[origin])
    years = target - origin
    centre = math.log(start) + years * math.log1p(g)
    spread = 1.6448536269514722 * growth_sd * math.sqrt(years)
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
