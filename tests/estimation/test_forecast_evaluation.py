"""Known answers for the backtest's evaluation: CRPS, interval score, PIT, the share above the
median and the Diebold-Mariano test (issues 28 and 34). Each fails if a level, a sign or a scale
changes."""
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom, norm, t

from simulator.estimation import backtest as bt

from simulator.estimation import hindcast_models as hm
from simulator.estimation import forecast_evaluation as fe

X, M = fe.FLOWS


def flat_history(last_x: float = 10.0, last_m: float = 20.0, years=range(2000, 2013)) -> pd.DataFrame:
    years = list(years)
    data = pd.DataFrame({"exports_india_to_japan": np.full(len(years), last_x),
                         "exports_japan_to_india": np.full(len(years), last_m)}, index=years)
    return data


def test_crps_of_a_normal_ensemble_is_the_closed_form():
    """CRPS(N(mu, sigma), y) = sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)] (Gneiting & Raftery 2007)."""
    mu, sigma = 10.0, 1.5
    history = flat_history(mu, mu)
    history.loc[2012] = [13.0, 9.0]  # the actual values one year after the 2011 origin

    def normal(h, rng, n, horizon):  # draws of N(mu, sigma) from an origin value of mu
        return (mu + sigma * norm.ppf((np.arange(n) + 0.5) / n))[:, None, None].repeat(horizon, 1).repeat(2, 2) / mu
    table = bt.run_backtest(history, {"normal": normal}, [2011], [1], draws=20000).table.set_index("variable")
    for var, y in ((X, 13.0), (M, 9.0)):
        z = (y - mu) / sigma
        closed = sigma * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / np.sqrt(np.pi))
        assert table.loc[var, "crps"] == pytest.approx(closed, rel=2e-3)
        assert table.loc[var, "pit"] == pytest.approx(norm.cdf(z), abs=1e-4)
    # z = 2: 1.5 [2 (0.95450) + 2 (0.05399) - 0.56419] = 2.1792
    assert table.loc[X, "crps"] == pytest.approx(2.1792, rel=2e-3)


def test_interval_score_pit_and_coverage_by_hand():
    """101 equally spaced draws 5..15: p05 = 5.5, p95 = 14.5 (linear interpolation), width 9;
    interval score = width + (2 / 0.1) * distance outside."""
    history = flat_history(10.0, 10.0)
    history.loc[2012] = [16.0, 10.0]

    def spread(h, rng, n, horizon):
        return np.linspace(0.5, 1.5, n)[:, None, None].repeat(horizon, 1).repeat(2, 2)
    table = bt.run_backtest(history, {"spread": spread}, [2011], [1], draws=101).table.set_index("variable")
    assert list(table.loc[X, ["p05", "p50", "p95"]]) == pytest.approx([5.5, 10.0, 14.5])
    assert table.loc[X, "interval_score"] == pytest.approx(9 + 20 * 1.5)   # 16 is 1.5 above p95
    assert table.loc[M, "interval_score"] == pytest.approx(9.0)            # 10 is inside
    assert table.loc[X, "pit"] == 1.0                                      # every draw below 16
    assert table.loc[M, "pit"] == pytest.approx(50.5 / 101)                # 50 below, one tie
    assert not table.loc[X, "in_90"] and table.loc[M, "in_50"]
    # the balance, 6 against draws of X - M from the same draws: all 0
    assert table.loc["trade.balance", "pit"] == 1.0


def test_share_above_median_and_its_binomial_p_value():
    actual = [1, 2, 3, 4, 5, 7]
    median = [0, 0, 0, 10, 3, 7]  # above, above, above, below, above, tie (left out)
    share, n, p = fe.above_median(actual, median)
    assert (share, n) == (0.8, 5)
    assert p == pytest.approx(2 * (5 + 1) / 32)  # two-sided: 2 P(B(5, 1/2) >= 4)
    assert fe.above_median(median[:5], actual[:5])[0] == pytest.approx(0.2)  # the other side
    share, n, p = fe.above_median([1.0], [1.0])  # every outcome on the median: nothing to test
    assert np.isnan(share) and n == 0 and np.isnan(p)


def _rows(model, actual, draws_of):
    rows = []
    for i, (y, ens) in enumerate(zip(actual, draws_of)):
        q = np.quantile(ens, [0.05, 0.25, 0.5, 0.75, 0.95])
        rows.append([model, X, 2000 + i, 1, y, *q, q[1] <= y <= q[3], q[0] <= y <= q[4], 0.0, 0.0, fe.pit(ens, y)])
    return pd.DataFrame(rows, columns=bt.COLUMNS)


def test_pit_of_a_calibrated_forecast_is_uniform_and_of_a_biased_one_is_skewed():
    rng = np.random.default_rng(5)
    actual = rng.standard_normal(2000)
    calibrated = _rows("calibrated", actual, rng.standard_normal((2000, 400)))
    low = _rows("low", actual, rng.standard_normal((2000, 400)) - 1.0)  # forecasts 1 sd too low
    s = fe.summary(pd.concat([calibrated, low]), ["model"]).set_index("model")
    assert s.loc["calibrated", "pit_mean"] == pytest.approx(0.5, abs=0.02)
    assert s.loc["calibrated", "pit_sd"] == pytest.approx(1 / np.sqrt(12), abs=0.01)
    assert s.loc["calibrated", "above_median"] == pytest.approx(0.5, abs=0.03)
    assert s.loc["calibrated", "coverage_90"] == pytest.approx(0.9, abs=0.02)
    # PIT = Phi(y + 1) for y ~ N(0, 1): mean P(N(-1, 1) < N(0, 1)) = Phi(1 / sqrt 2); above the median Phi(1)
    assert s.loc["low", "pit_mean"] == pytest.approx(norm.cdf(1 / np.sqrt(2)), abs=0.02)
    assert s.loc["low", "above_median"] == pytest.approx(norm.cdf(1), abs=0.02)
    assert s.loc["low", "above_median_p"] < 1e-10 < s.loc["calibrated", "above_median_p"]
    counts, edges, (lo, hi) = fe.pit_histogram(low.pit)
    assert counts.sum() == 2000 and list(edges[[0, -1]]) == [0, 1]
    assert counts[-1] > hi and counts[0] < lo  # piled at the top: outcomes above the forecasts
    counts, _, (lo, hi) = fe.pit_histogram(calibrated.pit)
    assert lo < 200 < hi and ((counts >= lo) & (counts <= hi)).mean() >= 0.7


def test_diebold_mariano_statistic_worked_by_hand():
    d = np.array([1.0, -1.0, 2.0, 0.0, 3.0])  # mean 1; deviations 0, -2, 1, -1, 2
    # h = 1: S = sum of squares = 10; DM = 1 / sqrt(10 / 25); HLN factor sqrt((5 + 1 - 2) / 5)
    one = fe.dm_test(d, 1)
    assert one.statistic == pytest.approx(1 / np.sqrt(0.4) * np.sqrt(0.8))  # 1.41421
    assert one.p_value == pytest.approx(2 * t.sf(1.41421356, 4))
    assert (one.n, one.lag, one.mean_difference) == (5, 0, 1.0)
    # h = 2: lag-1 products 0*-2 + -2*1 + 1*-1 + -1*2 = -5, Bartlett weight 1/2 on both sides:
    # S = 10 + 2 (1/2)(-5) = 5; DM = 1 / sqrt(5 / 25) = 2.23607; HLN (5 + 1 - 4 + 2 * 1 / 5) / 5 = 0.48
    two = fe.dm_test(d, 2)
    assert two.statistic == pytest.approx(np.sqrt(5) * np.sqrt(0.48))  # 1.54919
    assert two.p_value == pytest.approx(2 * t.sf(1.5491933, 4))
    assert fe.dm_test(-d, 2).statistic == pytest.approx(-two.statistic)
    assert fe.dm_test(3 * d, 2).statistic == pytest.approx(two.statistic)  # scale-free
    assert np.isnan(fe.dm_test(d[:2], 2).statistic) and np.isnan(fe.dm_test(np.ones(6), 1).p_value)


def _crps_table(values: dict) -> pd.DataFrame:
    """Rows with the given CRPS: {(model, variable, origin, horizon): crps}."""
    rows = [[m, v, o, h, 0.0, 0, 0, 0, 0, 0, True, True, 0.0, c, 0.5] for (m, v, o, h), c in values.items()]
    return pd.DataFrame(rows, columns=bt.COLUMNS)


def test_diebold_mariano_table_averages_the_flows_per_origin_and_skips_missing_benchmarks():
    d = [1.0, -1.0, 2.0, 0.0, 3.0]
    values = {}
    for i, di in enumerate(d):
        o = 2010 + i
        values |= {("random_walk", X, o, 1): 2.0, ("random_walk", M, o, 1): 4.0,
                   ("scenario", X, o, 1): 2.0 + di - 0.5, ("scenario", M, o, 1): 4.0 + di + 0.5,
                   ("scenario", "trade.balance", o, 1): 99.0, ("random_walk", "trade.balance", o, 1): 0.0}
    dm = fe.diebold_mariano(_crps_table(values)).set_index(["model", "benchmark", "horizon"])
    assert list(dm.index) == [("scenario", "random_walk", "all"), ("scenario", "random_walk", "1")]  # no no_change
    row = dm.loc[("scenario", "random_walk", "all")]
    assert row.statistic == pytest.approx(np.sqrt(2.5) * np.sqrt(0.8))  # as worked above, h = 1
    assert (row.origins, row.independent_origins, row.hac_lag) == (5, 5, 0)
    assert (row.mean_difference, row.crps_model, row.crps_benchmark) == pytest.approx((1.0, 4.0, 3.0))


def test_pooled_diebold_mariano_uses_origins_as_observations_with_the_longest_horizons_lag():
    d = {2010: 1.0, 2011: -1.0, 2012: 2.0, 2013: 0.0, 2014: 3.0}
    values = {}
    for o, di in d.items():
        for h, extra in ((1, -0.4), (2, 0.4)):  # per origin, the two horizons average to d
            for v in (X, M):
                values |= {("random_walk", v, o, h): 1.0, ("ar1", v, o, h): 1.0 + di + extra}
    dm = fe.diebold_mariano(_crps_table(values)).set_index(["model", "benchmark", "horizon"])
    pooled = dm.loc[("ar1", "random_walk", "all")]
    assert (pooled.origins, pooled.hac_lag, pooled.independent_origins) == (5, 1, 3)  # 2010, 2012, 2014
    assert pooled.statistic == pytest.approx(fe.dm_test(list(d.values()), 2).statistic)
    assert pooled.statistic == pytest.approx(1.5491933)
    per_h2 = dm.loc[("ar1", "random_walk", "2")]
    assert per_h2.mean_difference == pytest.approx(1.4) and per_h2.hac_lag == 1
    # random_walk is a benchmark and a model: it is tested against ar1 too, never against itself
    assert ("random_walk", "ar1", "all") in dm.index and ("random_walk", "random_walk", "all") not in dm.index
    # with a driftless random walk present, every model is tested against it as well, first
    values |= {("no_change", v, o, h): 1.0 for v in (X, M) for o in d for h in (1, 2)}
    dm = fe.diebold_mariano(_crps_table(values))
    assert list(dm[(dm.model == "ar1") & (dm.horizon == "all")].benchmark) == ["no_change", "random_walk"]
    assert dm[(dm.model == "ar1") & (dm.benchmark == "no_change") & (dm.horizon == "all")].statistic.iloc[0] \
        == pytest.approx(1.5491933)


def test_same_seed_same_pit():
    history = flat_history() * np.exp(np.random.default_rng(2).normal(0, 0.1, (13, 2)))
    models = {"random_walk": hm.candidate("random_walk")}
    a, b = (bt.run_backtest(history, models, [2011], [1], draws=300, seed=3).table for _ in range(2))
    pd.testing.assert_frame_equal(a, b)


def test_pit_histogram_bins_and_band_by_hand():
    """20 values in 5 bins of [0, 1]; the band is the 5% and 95% quantiles of Binomial(20, 1/5)."""
    values = [0.0, 0.1, 0.19, 0.2, 0.39, 0.5, 0.5, 0.55, 0.59, 0.61, 0.7, 0.75, 0.79, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0, 0.3]
    counts, edges, band = fe.pit_histogram(values, bins=5)
    assert list(counts) == [3, 3, 4, 4, 6] and list(edges) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1])
    assert band == (1.0, 7.0) == tuple(binom.ppf([0.05, 0.95], 20, 0.2))
    assert fe.pit_histogram(values, bins=5, level=0.5)[2] == (3.0, 5.0)  # the quartiles
    assert len(fe.pit_histogram(values)[0]) == 10  # ten bins unless told


def test_diebold_mariano_without_enough_origins_keeps_the_mean_and_lag_and_warns_nothing():
    short = fe.dm_test([3.0, 1.0], 2)  # n <= h: no test, but the mean and the lag are still reported
    assert (short.mean_difference, short.n, short.lag) == (2.0, 2, 1)
    assert np.isnan(short.statistic) and np.isnan(short.p_value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice" on the console
        empty = fe.dm_test([], 3)
    assert np.isnan(empty.mean_difference) and (empty.n, empty.lag) == (0, 2)


def test_diebold_mariano_table_uses_rows_both_scored_and_goes_on_past_a_horizon_without_pairs():
    d = [1.0, -1.0, 2.0, 0.0, 3.0]
    values = {}
    for i, di in enumerate(d):
        o = 2010 + i
        values |= {("random_walk", X, o, 2): 1.0, ("scenario", X, o, 2): 1.0 + di,
                   ("scenario", X, o, 1): 50.0}  # horizon 1: the benchmark was not scored
    values[("scenario", M, 2010, 2)] = 70.0  # no benchmark row either: left out of the pairs
    dm = fe.diebold_mariano(_crps_table(values)).set_index(["model", "benchmark", "horizon"])
    assert ("scenario", "random_walk", "2") in dm.index and ("scenario", "random_walk", "1") not in dm.index
    row = dm.loc[("scenario", "random_walk", "all")]
    assert (row.crps_model, row.crps_benchmark, row.mean_difference) == pytest.approx((2.0, 1.0, 1.0))


def test_summary_by_hand_in_the_order_the_models_came():
    """Two rows of model "b", then one of "a": every column worked by hand; groups keep their order."""
    rows = [["b", X, 2010, 1, 10.0, 7, 8, 9, 11, 12, True, True, 4.0, 1.0, 0.9],
            ["b", X, 2011, 1, 10.0, 7, 8, 13, 14, 15, False, True, 6.0, 3.0, 0.1],
            ["a", X, 2010, 1, 10.0, 9, 9, 10, 10, 10, False, False, 8.0, 2.0, 0.5]]
    s = fe.summary(pd.DataFrame(rows, columns=bt.COLUMNS), ["model"])
    assert list(s.model) == ["b", "a"] and list(s.n) == [2, 1] and s.n.dtype.kind == "i"
    b = s.iloc[0]
    assert (b.coverage_50, b.coverage_90, b.interval_score, b.crps) == (0.5, 1.0, 5.0, 2.0)
    assert b.bias_p50 == 1.0   # medians 9 and 13 against 10: (-1 + 3) / 2, positive = forecast too high
    assert (b.above_median, b.above_median_p) == (0.5, 1.0)
    assert b.pit_mean == pytest.approx(0.5) and b.pit_sd == pytest.approx(0.4)  # population sd of 0.9, 0.1
    assert np.isnan(s.iloc[1].above_median)  # the only outcome equals the median
    empty = fe.summary(pd.DataFrame(columns=bt.COLUMNS), ["model", "variable"])
    assert empty.empty and list(empty.columns) == ["model", "variable", *fe.SUMMARY_COLUMNS]


def test_a_constant_differential_gives_no_statistic_of_rounding_errors():
    """123456.7 seven times: the mean's rounding leaves deviations of ~1e-11, a variance of ~1e-21
    that is noise against the scale (sum of squares 1e11), so no test rather than a huge statistic."""
    test = fe.dm_test(np.full(7, 123456.7), 1)
    assert test.mean_difference == pytest.approx(123456.7) and np.isnan(test.statistic) and np.isnan(test.p_value)


def test_bands_include_their_edges_and_the_balance_is_scored_from_the_draws():
    """X spread over 5..15 (101 draws), M fixed at 10: the balance's draws are X - 10 = -5..5.
    X comes in at exactly p25 = 7.5 (inside the 50% band); the balance at -2.5."""
    history = flat_history(10.0, 10.0)
    history.loc[2012] = [7.5, 10.0]

    def spread_x(h, rng, n, horizon):
        out = np.ones((n, horizon, 2))
        out[..., 0] = np.linspace(0.5, 1.5, n)[:, None]
        return out
    table = bt.run_backtest(history, {"m": spread_x}, [2011], [1], draws=101).table.set_index("variable")
    assert table.loc[X, "in_50"] and table.loc[X, "p25"] == 7.5
    balance = table.loc["trade.balance"]
    assert list(balance[["p05", "p25", "p50", "p75", "p95"]]) == pytest.approx([-4.5, -2.5, 0.0, 2.5, 4.5])
    assert balance.in_50 and balance.pit == pytest.approx(25.5 / 101)  # 25 draws below -2.5, one tie
    p05, p25, p75, p95 = table.loc[X, ["p05", "p25", "p75", "p95"]]  # as computed, to the last bit
    for x, in_50, in_90 in ((p25, True, True), (p75, True, True), (13.0, False, True), (p05, False, True),
                            (p95, False, True), (14.6, False, False)):  # the edges, between, beyond
        history.loc[2012] = [x, 10.0]
        row = bt.run_backtest(history, {"m": spread_x}, [2011], [1], draws=101).table.iloc[0]
        assert (row.in_50, row.in_90) == (in_50, in_90), x


def test_horizons_in_any_order_and_a_flow_the_model_cannot_project():
    """An unobserved horizon listed first, and a model without a forecast of X (NaN): what can be
    scored still is."""
    history = flat_history(10.0, 20.0)

    def no_x(h, rng, n, horizon):
        out = np.ones((n, horizon, 2))
        out[..., 0] = np.nan
        return out
    table = bt.run_backtest(history, {"no_x": no_x}, [2011], [2, 1], draws=10).table
    assert list(zip(table.variable, table.horizon)) == [(M, 1)]
    assert table.crps.iloc[0] == 0.0  # a point forecast of 20 against 20


def test_the_default_seed_is_0():
    history = flat_history() * np.exp(np.random.default_rng(2).normal(0, 0.1, (13, 2)))
    models = {"no_change": hm.no_change()}
    pd.testing.assert_frame_equal(bt.run_backtest(history, models, [2011], [1], draws=50).table,
                                  bt.run_backtest(history, models, [2011], [1], draws=50, seed=0).table)


def test_a_model_that_cannot_be_fitted_at_an_origin_is_noted_and_the_run_records_its_settings():
    history = flat_history(10.0, 20.0, years=range(2000, 2014))

    def late(h, rng, n, horizon):  # cannot be fitted before 2011
        if h.index[-1] < 2011:
            raise ValueError("too short")
        return np.ones((n, horizon, 2))
    run = bt.run_backtest(history, {"late": late}, [2010, 2011, 2012], [1], draws=7, seed=5)
    assert run.notes == ("late, origin 2010: not scored (too short)",)
    assert sorted(set(run.table.origin)) == [2011, 2012]  # the origins after it are scored
    assert (run.origins, run.horizons, run.draws, run.seed, run.history_years) == ((2010, 2011, 2012), (1,), 7, 5,
                                                                                     (2000, 2013))
    for horizons in ([], [0, 1]):
        with pytest.raises(ValueError, match="horizons must be whole years >= 1"):
            bt.run_backtest(history, {"late": late}, [2012], horizons)


def test_tiny_differentials_that_vary_are_still_tested():
    """The 'does not vary' floor is 1e-12 of the sum of squares, and never below 1e-12 itself: c (1,
    -1, 2, 0, 3) with c^2 = 1.5e-13 has S = 10 c^2 = 1.5e-12 above it (sum of squares 15 c^2 < 1), so
    it is tested, with the statistic of any scale of that series (1.41421, as worked above)."""
    c = np.sqrt(1.5e-13)
    tiny = fe.dm_test(c * np.array([1.0, -1.0, 2.0, 0.0, 3.0]), 1)
    assert tiny.statistic == pytest.approx(1 / np.sqrt(0.4) * np.sqrt(0.8))
    assert np.isnan(fe.dm_test(c / 2 * np.array([1.0, -1.0, 2.0, 0.0, 3.0]), 1).statistic)  # S = 3.75e-13


def test_progress_default_origins_and_each_models_random_numbers():
    """13 years 2000-2012. Progress: one call per model and origin before its hindcast, (done, total,
    "model, origin FY...") in order, then (total, total, None). Default origins: every year with at
    least `min_years` (9) years up to it and one after: 2008-2011. Each model's generator is
    default_rng([seed, origin, the model's position]), whatever the data after the origin."""
    history = flat_history(10.0, 20.0, years=range(2000, 2013))
    seen, calls = {}, []

    def recording(name):
        def model(h, rng, n, horizon):
            seen[name, int(h.index[-1])] = (rng.random(), len(h))
            return np.ones((n, horizon, 2))
        return model
    run = bt.run_backtest(history, {"a": recording("a"), "b": recording("b")}, [2010, 2011], [1], draws=5, seed=7,
                          progress=lambda *args: calls.append(args))
    assert calls == [(0, 4, "a, origin FY2010-11"), (1, 4, "a, origin FY2011-12"), (2, 4, "b, origin FY2010-11"),
                     (3, 4, "b, origin FY2011-12"), (4, 4, None)]
    assert seen == {("a", 2010): (np.random.default_rng([7, 2010, 0]).random(), 11),
                    ("a", 2011): (np.random.default_rng([7, 2011, 0]).random(), 12),
                    ("b", 2010): (np.random.default_rng([7, 2010, 1]).random(), 11),
                    ("b", 2011): (np.random.default_rng([7, 2011, 1]).random(), 12)}
    assert len(run.table) == 2 * 2 * 3
    flat = {"a": recording("a")}
    assert bt.run_backtest(history, flat, horizons=[1], draws=5).origins == (2008, 2009, 2010, 2011)
    assert bt.run_backtest(history, flat, horizons=[1], draws=5, min_years=12).origins == (2011,)
    # the forecast starts from the origin's values (2011: X 10 + 11, M 20 + 11), whatever the order the history came in
    rising = history + np.arange(13.0)[:, None]
    run = bt.run_backtest(rising.iloc[::-1], flat, [2011], [1], draws=5)
    assert list(run.table.p50) == [21.0, 31.0, -10.0]


def test_origins_outside_the_history_or_at_its_end_are_refused():
    history = flat_history(10.0, 20.0, years=range(2000, 2013))
    for origins, named in (([1999, 2005], "1999"), ([2012], "2012"), ([2005, 2013], "2013")):
        with pytest.raises(ValueError, match=rf"^origin\(s\) {named} need history up to them and at least one "
                                             r"year after \(history: 2000-2012\)$"):
            bt.run_backtest(history, {}, origins, [1])
    assert bt.run_backtest(history, {}, [2011], [1]).origins == (2011,)  # the year before the last: fine
