"""A whole year from its first months: the nowcast a projection can start from.

Ministries publish a fiscal year's trade month by month ("April-January"), so for most of a year the
newest information is a partial figure. With ``v`` the value of the year's first ``k`` months and
``s_k`` the share of a whole year that falls in those months, the year is ``F = v / s_k``. The
share is estimated from earlier years that have both a ``k``-month figure and the whole year,

    log s_k ~ N(m, sd^2),   m = mean_j log(v_j / F_j),   sd = max(sample sd, floor),

a fixed seasonal share (one ratio a year, no trend in the seasonal pattern), so that

    log F ~ N(log v - m, sd^2)

(a lognormal, drawn as one uncertain input of every run). With fewer than two such years the sample
spread is unknown and ``floor`` alone is the spread; with none, ``s_k = k/12`` (no seasonality), an
**assumption** whose spread must then say so. ``floor`` is an assumption either way (docs/model.md
2.1 gives the values the shipped baseline uses and why).
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from simulator.history.files import FULL_YEAR

__all__ = ["Nowcast", "nowcast", "latest_start", "months_label"]

# ASSUMPTION (docs/model.md 2.1): the spread of log s_k when the history cannot estimate it.
SHARE_LOG_SD_FLOOR = 0.03  # one or more years of the same months observed: +-3% on the year
SHARE_LOG_SD_UNSEASONAL = 0.08  # none: s_k = k/12, +-8% on the year
_FISCAL_MONTHS = ("April", "May", "June", "July", "August", "September", "October", "November",
                  "December", "January", "February", "March")
_CALENDAR_MONTHS = _FISCAL_MONTHS[9:] + _FISCAL_MONTHS[:9]


def months_label(period: str, months: int) -> str:
    """'April-January' for the first ten months of a fiscal year, 'January-June' for half a calendar year."""
    names = _FISCAL_MONTHS if period == "fiscal_year_april" else _CALENDAR_MONTHS
    return names[0] if months == 1 else f"{names[0]}-{names[months - 1]}"


@dataclass(frozen=True)
class Nowcast:
    """A year's value from its first months: log F ~ N(log_median, log_sd)."""

    year: int
    months: int
    partial: float  # the first months' value
    log_median: float
    log_sd: float
    share_years: tuple[int, ...]  # the earlier years the seasonal share was estimated from
    source: str  # the page of the partial value

    @property
    def median(self) -> float:
        return math.exp(self.log_median)

    def quantile(self, q) -> list[float]:
        normal = statistics.NormalDist(self.log_median, self.log_sd)
        return [math.exp(normal.inv_cdf(p)) for p in q]


def _rows(series, verified_only: bool) -> list[tuple[int, int, float, str]]:
    """(year, months, value, source) of a `Series` (its table) or of a CSV's checked `Rows`
    (`files.read_series_csv`, which a scenario reads without pandas), verified ones only if asked."""
    table = getattr(series, "table", None)
    if table is not None:
        columns = zip(table["year"], table["months"], table["value"], table["verified"], table["source"])
    else:
        columns = zip(series.year, series.months, series.value, series.verified, series.source)
    return [(int(y), int(k), float(v), str(src)) for y, k, v, ok, src in columns if ok or not verified_only]


def nowcast(series, year: int | None = None, verified_only: bool = True,
            sd_floor: float = SHARE_LOG_SD_FLOOR, sd_unseasonal: float = SHARE_LOG_SD_UNSEASONAL) -> Nowcast:
    """The whole-year nowcast of `series` for `year`.

    Parameters
    ----------
    series : Series or files.Rows
        A `simulator.history.Series` or the checked rows of its CSV, with a partial value
        (``months`` < 12) for `year`.
    year : int, optional
        Default: the newest year with a partial value and no whole-year value.
    verified_only : bool, default True
        Use only values a page confirms (the partial value and the shares' years).
    sd_floor, sd_unseasonal : float
        Spread of the log seasonal share: its floor when earlier years give it, and its value when
        none do (then the share is months / 12).

    Raises
    ------
    ValueError
        No partial value for that year, or the year already has its whole-year value.

    Examples
    --------
    >>> import pandas as pd
    >>> from simulator.history.series import Series
    >>> table = pd.DataFrame({"year": [2022, 2022, 2023], "value": [12.0, 10.0, 11.0],
    ...                       "verified": True, "source": "https://example.org", "note": "",
    ...                       "months": [12, 10, 10]})
    >>> s = Series("x", "x", "usd_bn", "fiscal_year_april", "", "", table)
    >>> round(nowcast(s).median, 3)   # 11 / (10 / 12): the share of 2022's first ten months
    13.2
    """
    rows = _rows(series, verified_only)
    name = getattr(series, "name", "the series")
    full = {y: v for y, k, v, _ in rows if k == FULL_YEAR}
    candidates = [r for r in rows if r[1] < FULL_YEAR and r[0] not in full]
    if year is None:
        if not candidates:
            raise ValueError(f"{name}: no partial-year value after the last whole year")
        year = max(r[0] for r in candidates)
    mine = [r for r in candidates if r[0] == year]
    if not mine:
        raise ValueError(f"{name}: no partial-year value for {year} without a whole-year value")
    _, k, v, source = max(mine)  # one year's rows: the most months published (each count once, files.py)
    same = [(y, value) for y, months, value, _ in rows if months == k and y in full]
    shares = [math.log(value / full[y]) for y, value in same]
    if not shares:
        m, sd = math.log(k / FULL_YEAR), sd_unseasonal
    else:
        m = statistics.fmean(shares)
        sd = max(statistics.stdev(shares) if len(shares) > 1 else 0.0, sd_floor)
    return Nowcast(year, k, v, math.log(v) - m, sd, tuple(y for y, _ in same), source)


def latest_start(series, verified_only: bool = True) -> tuple[int, float | Nowcast]:
    """Where a projection starts: the newest year, as its whole-year value or, if only its first
    months are published, as their nowcast. Returns (year, value or Nowcast)."""
    rows = _rows(series, verified_only)
    full = {y: v for y, k, v, _ in rows if k == FULL_YEAR}
    newer = [y for y, k, _, _ in rows if k < FULL_YEAR and y not in full]
    if newer and (not full or max(newer) > max(full)):
        cast = nowcast(series, verified_only=verified_only)  # its default year: max(newer)
        return cast.year, cast
    if not full:
        raise ValueError(f"{getattr(series, 'name', 'the series')}: no values")
    return max(full), full[max(full)]
