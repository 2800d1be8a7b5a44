"""How the backtest's forecasts are judged: calibration (PIT, the share above the median) and
Diebold-Mariano tests of CRPS against the benchmarks.

Works on a backtest table (`simulator.estimation.backtest.COLUMNS`: one row per model, variable,
origin and horizon with its quantiles, scores and PIT), so it can be applied to a ``backtest.csv``
read back from disk. Rows of one origin overlap (a 3-year-ahead and a 4-year-ahead forecast from
neighbouring origins are scored against partly the same years), so the tests here treat origins, not
rows, as the observations where they can; the binomial test of the median cannot and says so.

References
----------
Dawid, A. P. (1984). Statistical theory: the prequential approach. *JRSS A*, 147(2), 278-292.
Gneiting, T., Balabdaoui, F. & Raftery, A. E. (2007). Probabilistic forecasts, calibration and
sharpness. *JRSS B*, 69(2), 243-268.
Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and estimation.
*JASA*, 102(477), 359-378.
Diebold, F. X. & Mariano, R. S. (1995). Comparing predictive accuracy. *JBES*, 13(3), 253-263.
Harvey, D., Leybourne, S. & Newbold, P. (1997). Testing the equality of prediction mean squared
errors. *International Journal of Forecasting*, 13(2), 281-291.
Newey, W. K. & West, K. D. (1987). A simple, positive semi-definite, heteroskedasticity and
autocorrelation consistent covariance matrix. *Econometrica*, 55(3), 703-708.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FLOWS = ("trade.exports_india_to_japan", "trade.exports_japan_to_india")
# no_change: a driftless random walk; random_walk: with drift (the benchmark the console shows)
BENCHMARKS = ("no_change", "random_walk", "ar1", "var1")
SUMMARY_COLUMNS = ["n", "coverage_50", "coverage_90", "interval_score", "crps", "bias_p50", "above_median",
                   "above_median_p", "pit_mean", "pit_sd"]


def pit(ensemble: np.ndarray, actual: float) -> float:
    """Probability integral transform of an ensemble forecast: the share of draws below the actual
    value, ties counted half (mid-rank; deterministic). Uniform on [0, 1] for a calibrated forecast
    (Dawid 1984); piled near 1 when outcomes fall above the forecasts."""
    ensemble = np.asarray(ensemble, dtype=float)
    return float((np.sum(ensemble < actual) + 0.5 * np.sum(ensemble == actual)) / ensemble.size)


def above_median(actual, median) -> tuple[float, int, float]:
    """Share of outcomes above the forecast median, the number of outcomes that were not equal to it,
    and the two-sided exact binomial p-value of the share against 1/2 (a sign test: ties left out).
    NaN share and p-value without outcomes. The test treats the outcomes as independent."""
    from scipy.stats import binomtest

    actual, median = np.asarray(actual, dtype=float), np.asarray(median, dtype=float)
    above, below = int(np.sum(actual > median)), int(np.sum(actual < median))
    n = above + below
    if n == 0:
        return np.nan, 0, np.nan
    return above / n, n, float(binomtest(above, n).pvalue)  # binomtest tests p = 1/2 unless told


def summary(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group of `by`: rows scored (`n`), coverage of the 50% and 90% intervals, mean interval
    score and CRPS, the median's mean error (`bias_p50`, actual units), the share of outcomes above
    the median with its binomial p-value, and the PIT's mean and standard deviation (1/2 and
    1/sqrt(12) = 0.289 if calibrated; a larger sd means too narrow, a smaller one too wide)."""
    def one(g: pd.DataFrame) -> pd.Series:
        share, _, p = above_median(g.actual, g.p50)
        return pd.Series([len(g), g.in_50.mean(), g.in_90.mean(), g.interval_score.mean(), g.crps.mean(),
                          (g.p50 - g.actual).mean(), share, p, g.pit.mean(), g.pit.std(ddof=0)],
                         index=SUMMARY_COLUMNS)
    if table.empty:
        return pd.DataFrame(columns=[*by, *SUMMARY_COLUMNS])
    out = table.groupby(by, sort=False)[list(table.columns.difference(by))].apply(one).reset_index()
    out["n"] = out["n"].astype(int)
    return out


def pit_histogram(values, bins: int = 10, level: float = 0.9) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Counts of PIT values in `bins` equal bins of [0, 1], the edges, and the central `level` range of
    a bin's count if the PIT were uniform and the values independent (Binomial(n, 1/bins))."""
    from scipy.stats import binom

    values = np.asarray(values, dtype=float)
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    lo, hi = binom.ppf([(1 - level) / 2, (1 + level) / 2], values.size, 1 / bins)
    return counts, edges, (float(lo), float(hi))


@dataclass(frozen=True)
class DieboldMariano:
    """One test: mean loss differential, the HLN-corrected statistic, its two-sided p-value
    (Student t, n - 1 degrees of freedom), the number of observations and the HAC lag."""

    mean_difference: float
    statistic: float
    p_value: float
    n: int
    lag: int


def dm_test(differential, horizon: int) -> DieboldMariano:
    """Diebold-Mariano test that a loss differential has mean zero, with the Harvey-Leybourne-Newbold
    small-sample correction.

    The long-run variance is Newey-West's (Bartlett weights, lag ``horizon - 1``; statsmodels'
    `S_hac_simple`): forecasts ``horizon`` steps ahead from consecutive origins overlap, so their
    differentials are MA(horizon - 1) under the null. Bartlett weights keep the variance positive,
    where Diebold & Mariano's rectangular weights can make it negative in short series.

    ``DM = d̄ / sqrt(S / n²)`` with ``S = Σ_k w_k Σ_t (d_t − d̄)(d_{t−k} − d̄)`` (k = −(h−1)..h−1), then
    ``DM* = DM · sqrt((n + 1 − 2h + h(h − 1)/n) / n)`` compared with Student's t(n − 1) (HLN 1997).
    NaN statistic and p-value when n <= h or the differential does not vary.

    References
    ----------
    Diebold & Mariano (1995); Harvey, Leybourne & Newbold (1997); Newey & West (1987): see the module.
    """
    from scipy.stats import t
    from statsmodels.stats.sandwich_covariance import S_hac_simple

    d = np.asarray(differential, dtype=float)
    n, h = d.size, int(horizon)
    mean = float(d.mean()) if n else np.nan
    nan = DieboldMariano(mean, np.nan, np.nan, n, h - 1)
    if n <= h:
        return nan
    s = float(S_hac_simple(d - mean, nlags=h - 1)[0, 0])  # Bartlett weights: its default
    if not s > 1e-12 * max(1.0, float(np.sum(d * d))):
        return nan
    statistic = mean / np.sqrt(s / n**2) * np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    return DieboldMariano(mean, float(statistic), float(2 * t.sf(abs(statistic), n - 1)), n, h - 1)


def independent_origins(origins, horizon: int) -> int:
    """How many of the origins are at least `horizon` years apart (counted from the first): the
    forecasts of those share no scored year."""
    count, last = 0, None
    for o in sorted(origins):
        if last is None or o - last >= horizon:
            count, last = count + 1, o
    return count


def _pairs(crps: dict[str, pd.Series], model: str, benchmark: str) -> pd.DataFrame:
    """CRPS of the model (`m`) and the benchmark (`b`) on the rows of both flows both scored, in the
    model's order; `crps`: each model's CRPS of the flows by (variable, origin, horizon) (`_flow_crps`)."""
    return crps[model].rename("m").to_frame().join(crps[benchmark].rename("b"), how="inner")


def _flow_crps(table: pd.DataFrame) -> dict[str, pd.Series]:
    """Each model's CRPS of the two flows by (variable, origin, horizon): split once, where filtering
    the whole table for every pair of models and horizons was most of a backtest's file writing."""
    flows = table[table.variable.isin(FLOWS)]
    return {model: rows.set_index(["variable", "origin", "horizon"]).crps
            for model, rows in flows.groupby("model")}


def _per_origin(pair: pd.DataFrame) -> pd.Series:
    """Per origin, the mean over both flows and the horizons of the model's CRPS minus the
    benchmark's. Averaging within an origin makes the origins the observations: the two flows of one
    origin and year are scored on correlated outcomes."""
    return (pair.m - pair.b).groupby(level="origin").mean().sort_index()


def diebold_mariano(table: pd.DataFrame, benchmarks=BENCHMARKS) -> pd.DataFrame:
    """Every model's CRPS against every benchmark present in the table (not against itself), pooled
    over both flows and all horizons (``horizon = "all"``, HAC lag = longest horizon − 1) and per
    horizon (lag h − 1). `mean_difference` < 0: the model's CRPS is lower (better) than the benchmark's.

    Columns: model, benchmark, horizon, origins (the observations), independent_origins (origins
    sharing no scored year), hac_lag, crps_model, crps_benchmark (over the rows both scored),
    mean_difference (mean over origins of their average differential), statistic, p_value."""
    models = list(dict.fromkeys(table.model))
    present = [b for b in benchmarks if b in models]
    horizons = sorted(int(h) for h in table.horizon.unique())
    rows, crps = [], _flow_crps(table)
    for model in (m for m in models if m in crps):
        for bench in (b for b in present if b != model and b in crps):
            both = _pairs(crps, model, bench)  # joined once; each horizon's rows are a subset, in order
            for label, hs in [("all", horizons), *((str(h), [h]) for h in horizons)]:
                pair = both if label == "all" else both[both.index.get_level_values("horizon") == hs[0]]
                if pair.empty:
                    continue
                d = _per_origin(pair)
                test = dm_test(d.to_numpy(), max(hs))
                rows.append([model, bench, label, test.n, independent_origins(d.index, max(hs)), test.lag,
                             pair.m.mean(), pair.b.mean(), test.mean_difference, test.statistic, test.p_value])
    return pd.DataFrame(rows, columns=["model", "benchmark", "horizon", "origins", "independent_origins", "hac_lag",
                                       "crps_model", "crps_benchmark", "mean_difference", "statistic", "p_value"])
