"""Known answers for the trade-process estimation: synthetic histories with known parameters."""
from datetime import date

import numpy as np
import pandas as pd
import pytest

from simulator.estimation import trade_process_fit as pf
from simulator.estimation.calibration import calibrate_trade, trade_levels
from simulator.history.series import load_history
from simulator.estimation.trade_process_parameters import draws_from_scenario, process_paths, scenario_parameters
from simulator.scenario.values import Fixed, parse_distribution

RHO, BETA, SD, CORR = np.array([0.6, 0.5]), np.array([0.03, 0.06]), np.array([0.10, 0.08]), 0.5


def synthetic(rng, years: int, process: str) -> np.ndarray:
    """Log levels of the two flows, (years, 2): AR(1) around a linear trend (started in its stationary
    distribution) or a random walk with drift, correlated shocks."""
    chol = np.linalg.cholesky(np.array([[SD[0] ** 2, CORR * SD[0] * SD[1]], [CORR * SD[0] * SD[1], SD[1] ** 2]]))
    e = rng.standard_normal((years + 50, 2)) @ chol.T
    if process == "random_walk":
        return np.log([1.5, 2.5]) + np.cumsum(BETA + e[50:], axis=0)
    u = np.zeros(2)
    gaps = []
    for t in range(years + 50):
        u = RHO * u + e[t]
        gaps.append(u)
    return np.array([1.5, 2.5]) + BETA * np.arange(years)[:, None] + np.array(gaps[50:])


def levels(y: np.ndarray, first: int = 1990) -> pd.DataFrame:
    return pd.DataFrame(np.exp(y), index=np.arange(first, first + len(y)), columns=pf.FLOWS)


@pytest.mark.slow
@pytest.mark.parametrize("process", ["ar1", "random_walk"])
def test_estimates_unbiased_and_intervals_cover_nominally(process):
    """200 replications of 30 years; then the next 1-5 years are held out."""
    rng = np.random.default_rng(2025)
    reps, hits, rhos, sds = 200, np.zeros((5, 2)), [], []
    for r in range(reps):
        y = synthetic(rng, 35, process)
        fitted = pf.fit(process, levels(y[:30]), bootstrap=60, bootstrap_seed=r)
        if process == "ar1":
            rhos.append(fitted.coefficients[2])
        sds.append(np.sqrt(np.diag(fitted.sigma)))
        paths = y[29] + np.log(fitted.draw(rng, 600).growth_factors(rng, 5))
        lo, hi = np.percentile(paths, [5, 95], axis=0)
        hits += (y[30:] >= lo) & (y[30:] <= hi)
    coverage = hits / reps
    assert np.all((coverage >= 0.85) & (coverage <= 0.95)), coverage
    np.testing.assert_allclose(np.mean(sds, axis=0), SD, rtol=0.06)
    if process == "ar1":
        # Least squares alone would give about rho - (2 + 4 rho) / 29 = 0.45 and 0.36.
        np.testing.assert_allclose(np.mean(rhos, axis=0), RHO, atol=0.05)


def test_least_squares_values_come_from_statsmodels():
    import statsmodels.api as sm
    y = synthetic(np.random.default_rng(1), 25, "ar1")
    fitted = pf.fit("ar1", levels(y), bootstrap=0)
    t = np.arange(1, 25) - 24.0
    direct = sm.OLS(y[1:, 0], np.column_stack([np.ones(24), t, y[:-1, 0]])).fit()
    np.testing.assert_allclose(fitted.coefficients[:, 0], direct.params, rtol=1e-12)
    rw = pf.fit("random_walk", levels(y))
    np.testing.assert_allclose(rw.coefficients[0], np.diff(y, axis=0).mean(axis=0), rtol=1e-12)


def test_a_missing_year_drops_exactly_the_two_equations_it_is_in():
    y = synthetic(np.random.default_rng(3), 25, "ar1")
    data = levels(y).drop(index=2000)
    fitted = pf.fit("var1", data, bootstrap=0)
    assert fitted.n_obs == 24 - 2
    full = pf.fit("var1", levels(y), bootstrap=0)
    assert not np.allclose(fitted.coefficients, full.coefficients)


def test_trend_form_reproduces_the_regression_form():
    """beta = (I - A)^-1 d and a = (I - A)^-1 (c - A beta): both forms give the same one-step forecast."""
    y = synthetic(np.random.default_rng(4), 30, "ar1")
    fitted = pf.fit("var1", levels(y), bootstrap=0)
    point = fitted.point()
    c, d = fitted.coefficients[0], fitted.coefficients[1]
    A = point.transition[0]
    regression_form = c + d * 1.0 + A @ y[-1]  # t = 1 in the year after the last
    trend_form = y[-1] + np.log(tp_growth(point))
    np.testing.assert_allclose(trend_form, regression_form, rtol=1e-12)


def tp_growth(point):
    from simulator.core import trade_process as tp
    return tp.trend_reverting_growth(point.trend_growth, point.gap, point.transition, np.zeros((1, 1, 2)))[0, 0]


def test_gap_in_another_year_is_consistent_with_the_anchor():
    y = synthetic(np.random.default_rng(5), 30, "ar1")
    fitted = pf.fit("ar1", levels(y), bootstrap=0)
    point = fitted.point()
    np.testing.assert_allclose(fitted.gap_in(point, 2019), point.gap, rtol=1e-12)  # 2019 is the last year
    with pytest.raises(ValueError, match="not an observed year"):
        fitted.gap_in(point, 2040)


def test_too_short_a_history_is_refused():
    with pytest.raises(ValueError, match="at least"):
        pf.fit("var1", levels(synthetic(np.random.default_rng(6), 6, "ar1")))


def test_scenario_parameters_draw_back_to_the_estimates():
    """The fragment's marginal distributions, drawn as a scenario run would, centre on the joint draws."""
    rng = np.random.default_rng(8)
    y = synthetic(rng, 30, "ar1")
    fitted = pf.fit("ar1", levels(y), bootstrap=50)
    joint = fitted.draw(rng, 4000)
    values = scenario_parameters(fitted, joint, 2019)
    parsed = {k: (parse_distribution(v)[0] if isinstance(v, dict) else Fixed(v)) for k, v in values.items()
              if k != "trade.process"} | {"trade.process": "ar1"}
    u = {p: rng.random(4000) for p in process_paths("ar1")}
    marginal = draws_from_scenario(parsed, u, 4000, 2019)
    np.testing.assert_allclose(np.median(marginal.trend_growth, 0), np.median(joint.trend_growth, 0), atol=0.003)
    np.testing.assert_allclose(np.median(marginal.transition[:, [0, 1], [0, 1]], 0),
                               np.median(joint.transition[:, [0, 1], [0, 1]], 0), atol=0.03)
    assert values["trade.process"] == "ar1" and -1 <= values["trade.shock_correlation"] <= 1


def test_driver_regressions_recover_a_known_elasticity():
    """A flow built as trend-stationary AR(1) plus 1.5 x log income: the long-run elasticity comes back."""
    from simulator.estimation.channel_regressions import driver_regressions

    class Series:  # the part of history.Series the regressions use
        def __init__(self, values):
            self._values = values

        def values(self, verified_only=True):
            return self._values

    rng = np.random.default_rng(9)
    years = np.arange(1990, 2030)
    growth = pd.Series(rng.normal(3.0, 2.5, len(years)), index=years)  # percent, far from a straight line
    ln_income = np.log1p(growth / 100).cumsum()
    fx = pd.Series(np.exp(4.8 + 0.1 * rng.standard_normal(len(years))), index=years)
    u = np.zeros(2)
    y = []
    for t in range(len(years)):
        u = 0.5 * u + 0.03 * rng.standard_normal(2)
        y.append(1.0 + 0.01 * t + 1.5 * ln_income.iloc[t] - 0.5 * np.log(fx.iloc[t]) + u)
    data = levels(np.array(y), first=1990)
    history = {"gdp_growth_india": Series(growth), "gdp_growth_japan": Series(growth), "jpy_per_usd": Series(fx)}
    table = driver_regressions(data, history).set_index(["flow", "driver"])
    for flow in pf.FLOWS:
        row = table.loc[(flow, "income")]
        assert abs(row.long_run_elasticity - 1.5) < 3 * row.long_run_se and row.long_run_se < 0.5
        assert table.loc[(flow, "yen_per_dollar")].long_run_elasticity == pytest.approx(-0.5, abs=0.3)


def _scenario_values(process, **values):
    """`trade.*` scenario values as a run holds them (Fixed numbers), plus the process."""
    return {f"trade.{k}": Fixed(float(v)) for k, v in values.items()} | {"trade.process": process}


# Volatilities 0.1 and 0.2, shock correlation 0.6: the Cholesky factor of [[0.01, 0.012], [0.012, 0.04]]
# is [[0.1, 0], [0.6 x 0.2, sqrt(1 - 0.36) x 0.2]] = [[0.1, 0], [0.12, 0.16]].
SHOCKS = {"volatility_india_to_japan": 0.1, "volatility_japan_to_india": 0.2, "shock_correlation": 0.6}
CHOL = np.array([[0.1, 0.0], [0.12, 0.16]])


def test_draws_from_scenario_random_walk_by_hand():
    params = _scenario_values("random_walk", growth_india_to_japan=0.05, growth_japan_to_india=0.1, **SHOCKS)
    draws = draws_from_scenario(params, {}, 3, 2023)
    assert (draws.process, draws.anchor_year, draws.n) == ("random_walk", 2023, 3)
    assert draws.chol_sigma.shape == (3, 2, 2)
    np.testing.assert_allclose(draws.chol_sigma, np.broadcast_to(CHOL, (3, 2, 2)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(draws.drift, np.log([[1.05, 1.1]] * 3), rtol=1e-12)  # growth = e^drift - 1


def test_draws_from_scenario_ar1_by_hand():
    # Per flow, u_b = (beta - mu_1) / (1 - rho): (0.03 - 0.05) / 0.5 = -0.04, (0.06 - 0.02) / 0.6 = 1/15.
    # The India-to-Japan persistence is a uniform(0.4, 0.6) drawn at u = 0.5 and 0.75: 0.5 and 0.55
    # (the second draw's gap (0.03 - 0.05) / 0.45 = -2/45).
    params = _scenario_values("ar1", trend_growth_india_to_japan=0.03, trend_growth_japan_to_india=0.06,
                              first_year_growth_india_to_japan=0.05, first_year_growth_japan_to_india=0.02,
                              persistence_japan_to_india=0.4, **SHOCKS)
    params["trade.persistence_india_to_japan"] = parse_distribution({"dist": "uniform", "min": 0.4, "max": 0.6})[0]
    draws = draws_from_scenario(params, {"trade.persistence_india_to_japan": np.array([0.5, 0.75])}, 2, 2019)
    assert (draws.process, draws.anchor_year) == ("ar1", 2019)
    np.testing.assert_allclose(draws.chol_sigma, np.broadcast_to(CHOL, (2, 2, 2)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(draws.trend_growth, [[0.03, 0.06]] * 2, rtol=1e-12)
    np.testing.assert_allclose(draws.transition, [[[0.5, 0.0], [0.0, 0.4]], [[0.55, 0.0], [0.0, 0.4]]], rtol=1e-12)
    np.testing.assert_allclose(draws.gap, [[-0.04, 1 / 15], [-2 / 45, 1 / 15]], rtol=1e-12)


def test_draws_from_scenario_var1_by_hand():
    # A = [[0.5, 0.1], [0.2, 0.4]] (spillover to India-to-Japan in the first row); I - A has determinant
    # 0.5 x 0.6 - 0.1 x 0.2 = 0.28, so u_b = (I - A)^-1 (beta - mu_1) = [[0.6, 0.1], [0.2, 0.5]] / 0.28
    # x (-0.02, 0.04) = (-0.008, 0.016) / 0.28 = (-1/35, 2/35).
    params = _scenario_values("var1", trend_growth_india_to_japan=0.03, trend_growth_japan_to_india=0.06,
                              first_year_growth_india_to_japan=0.05, first_year_growth_japan_to_india=0.02,
                              persistence_india_to_japan=0.5, persistence_japan_to_india=0.4,
                              spillover_to_india_to_japan=0.1, spillover_to_japan_to_india=0.2, **SHOCKS)
    draws = draws_from_scenario(params, {}, 1, 2019)
    assert (draws.process, draws.anchor_year) == ("var1", 2019)
    np.testing.assert_allclose(draws.chol_sigma, [CHOL], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(draws.transition, [[[0.5, 0.1], [0.2, 0.4]]], rtol=1e-12)
    np.testing.assert_allclose(draws.gap, [[-1 / 35, 2 / 35]], rtol=1e-12)


def test_process_paths_name_every_parameter_each_process_reads():
    shocks = ["trade.volatility_india_to_japan", "trade.volatility_japan_to_india"]
    assert process_paths("random_walk") == shocks + ["trade.growth_india_to_japan", "trade.growth_japan_to_india",
                                                     "trade.shock_correlation"]
    trend = shocks + ["trade.trend_growth_india_to_japan", "trade.trend_growth_japan_to_india",
                      "trade.first_year_growth_india_to_japan", "trade.first_year_growth_japan_to_india",
                      "trade.persistence_india_to_japan", "trade.persistence_japan_to_india", "trade.shock_correlation"]
    assert process_paths("ar1") == trend
    assert process_paths("var1") == trend + ["trade.spillover_to_india_to_japan", "trade.spillover_to_japan_to_india"]



def test_criteria_are_the_gaussian_likelihood_and_its_penalties():
    # At the maximum-likelihood Sigma = E'E / n the Gaussian log likelihood of n residual pairs is
    # -n (ln 2 pi + 1) - n/2 ln det Sigma (the quadratic terms sum to n x 2). Parameters: two equations'
    # coefficients and Sigma's three entries, k = 2 x 1 + 3 = 5 (random walk), 2 x 3 + 3 = 9 (ar1),
    # 2 x 4 + 3 = 11 (var1); AIC = -2 ll + 2k, BIC = -2 ll + k ln n.
    y = synthetic(np.random.default_rng(11), 20, "ar1")
    for process, k in (("random_walk", 5), ("ar1", 9), ("var1", 11)):
        fitted = pf.fit(process, levels(y), bootstrap=0)
        e = fitted.residuals
        n = len(e)
        assert n == fitted.n_obs == 19
        ll = -n * (np.log(2 * np.pi) + 1) - n / 2 * np.log(np.linalg.det(e.T @ e / n))
        c = fitted.criteria()
        assert list(c) == ["n_obs", "loglik", "aic", "bic"]
        assert c["n_obs"] == 19
        assert c["loglik"] == pytest.approx(ll, rel=1e-10)
        assert c["aic"] == pytest.approx(-2 * ll + 2 * k, rel=1e-10)
        assert c["bic"] == pytest.approx(-2 * ll + k * np.log(19), rel=1e-10)


def test_point_estimate_carries_the_residual_covariance():
    y = synthetic(np.random.default_rng(12), 20, "ar1")
    fitted = pf.fit("ar1", levels(y), bootstrap=0)
    point = fitted.point()
    assert point.chol_sigma.shape == (1, 2, 2)
    np.testing.assert_allclose(point.chol_sigma[0] @ point.chol_sigma[0].T, fitted.sigma, rtol=1e-12)
    assert fitted.standard_errors().shape == (3, 2)  # (coefficient, flow), as the estimates table reads it
    np.testing.assert_allclose(fitted.standard_errors()[:, 1], fitted.results[1].bse, rtol=0)


def test_gap_in_an_earlier_year_by_hand():
    # Log levels 2000-2003 (2002 missing); anchored at 2003 with gap (0.05, -0.05) and trend growth
    # (0.1, 0.1): the trend line passes 2003 at y - u = (1.25, 2.55), so 2000 at (0.95, 2.25) and 2001 at
    # (1.05, 2.35); gaps: 2000 (1.0 - 0.95, 2.0 - 2.25) = (0.05, -0.25), 2001 (1.1 - 1.05, 2.1 - 2.35) = (0.05, -0.25).
    fitted = pf.ProcessFit("ar1", np.arange(2000, 2004),
                           np.array([[1.0, 2.0], [1.1, 2.1], [np.nan, np.nan], [1.3, 2.5]]), results=[])
    draws = pf.ProcessDraws("ar1", np.zeros((1, 2, 2)), trend_growth=np.array([[0.1, 0.1]]),
                            gap=np.array([[0.05, -0.05]]), transition=np.zeros((1, 2, 2)), anchor_year=2003)
    np.testing.assert_allclose(fitted.gap_in(draws, 2000), [[0.05, -0.25]], atol=1e-12)
    np.testing.assert_allclose(fitted.gap_in(draws, 2001), [[0.05, -0.25]], atol=1e-12)
    np.testing.assert_allclose(fitted.gap_in(draws, 2003), [[0.05, -0.05]], atol=1e-12)
    for year in (1999, 2002, 2004):
        with pytest.raises(ValueError, match=f"{year} is not an observed year of the history \\(2000-2003\\)"):
            fitted.gap_in(draws, year)
    walk = pf.ProcessDraws("random_walk", np.zeros((1, 2, 2)), drift=np.zeros((1, 2)), anchor_year=2003)
    with pytest.raises(ValueError, match="a random walk has no trend to measure a gap from"):
        fitted.gap_in(walk, 2001)


# ---- calibrate_trade on the shipped history: one origin, one horizon, a small bootstrap (0.2 s) ----
# Fiscal years 2008-2023 have both flows: 16 years, 15 consecutive pairs.
CAL = dict(draws=100, bootstrap=5, origins=[2020], horizons=[1])


@pytest.fixture(scope="module")
def trade():
    return trade_levels(load_history())


@pytest.fixture(scope="module")
def calibrated(trade):
    """seed 1, with a progress recorder; and the defaults (seed 0, base year 2023, source seeds/history)."""
    calls = []
    seeded = calibrate_trade(trade, seed=1, progress=lambda *args: calls.append(args), **CAL)
    return seeded, calls, calibrate_trade(trade, **CAL)


def test_calibrate_reports_each_hindcast_then_each_fit(calibrated):
    # 6 hindcasts (3 processes and 3 discounts, one origin), then 4 fits: 10 steps.
    _, calls, _ = calibrated
    assert calls == [
        (0, 10, "hindcast: random_walk, origin FY2020-21"), (1, 10, "hindcast: ar1, origin FY2020-21"),
        (2, 10, "hindcast: var1, origin FY2020-21"), (3, 10, "hindcast: random_walk_discount_1, origin FY2020-21"),
        (4, 10, "hindcast: random_walk_discount_0.9, origin FY2020-21"),
        (5, 10, "hindcast: random_walk_discount_0.8, origin FY2020-21"), (6, 10, "hindcasts done"),
        (6, 10, "fitting random_walk"), (7, 10, "fitting ar1 (bootstrap bias correction)"),
        (8, 10, "fitting var1 (bootstrap bias correction)"), (10, 10, None)]


def test_calibration_criteria_and_span(calibrated, trade):
    seeded, _, default = calibrated
    assert (seeded.years, seeded.n_years, seeded.base_year, seeded.source) == ((2008, 2023), 16, 2023, "seeds/history")
    c = seeded.criteria
    assert list(c.columns) == ["process", "n_obs", "loglik", "aic", "bic", "scored", "coverage_50", "coverage_90",
                               "interval_score", "crps"]
    assert list(c.process) == ["random_walk", "ar1", "var1", "random_walk_discounted"]
    assert list(c.n_obs) == [15] * 4
    assert list(c.scored) == [2] * 4  # two flows, one origin, one horizon
    # The in-sample criteria are the fits' (the random walk's and the discounted one's least squares agree)
    for process, fitted in (("random_walk", "random_walk"), ("ar1", "ar1"), ("var1", "var1"),
                            ("random_walk_discounted", "random_walk")):
        row = c.set_index("process").loc[process]
        assert row.aic == pytest.approx(pf.fit(fitted, trade, bootstrap=0).criteria()["aic"], rel=1e-12)


def test_calibration_estimates_table(calibrated, trade):
    seeded, _, _ = calibrated
    est = seeded.estimates
    assert list(est.columns) == ["process", "terms", "parameter", "estimate", "se", "least_squares"]
    assert list(dict.fromkeys(est.process)) == ["random_walk", "ar1", "var1", "random_walk_discounted"]
    names = {"random_walk": ["drift"], "random_walk_discounted": ["drift"], "ar1": ["const", "trend", "lag_own"],
             "var1": ["const", "trend", "lag_india_to_japan", "lag_japan_to_india"]}
    for process, terms in names.items():
        rows = est[(est.process == process) & (est.terms == "regression")]
        assert list(rows.parameter) == [f"{flow}.{name}" for flow in pf.FLOWS for name in terms]
        kind = "random_walk" if process == "random_walk_discounted" else process
        # estimates bias-corrected by the calibration's bootstrap (5 replications, seed 1), least squares raw
        corrected = pf.fit(kind, trade, bootstrap=5, bootstrap_seed=1)
        raw = pf.fit(kind, trade, bootstrap=0)
        np.testing.assert_allclose(rows.estimate, corrected.coefficients.T.ravel(), rtol=1e-12)
        np.testing.assert_allclose(rows.least_squares, raw.coefficients.T.ravel(), rtol=1e-12)
        np.testing.assert_allclose(rows.se, raw.standard_errors().T.ravel(), rtol=1e-12)
        if kind != "random_walk":  # the correction moved them
            assert not np.allclose(rows.estimate, rows.least_squares)
        scenario = est[(est.process == process) & (est.terms == "scenario")].set_index("parameter")
        params = seeded.parameters[process]
        assert list(scenario.index) == [p for p in params if p != "trade.process"]
        for path, value in params.items():
            if path == "trade.process":
                continue
            centre, spread = (value["mean"], value["sd"]) if isinstance(value, dict) else (value, 0.0)
            assert (scenario.estimate[path], scenario.se[path]) == (centre, spread)
        assert scenario.least_squares.isna().all()
    assert seeded.parameters["random_walk_discounted"]["trade.volatility_discount"] == 1.0  # one origin: no discount wins


def test_calibration_is_reproducible_and_seeded_by_default(calibrated, trade):
    _, _, default = calibrated
    again = calibrate_trade(trade, seed=0, **CAL)
    assert again.parameters == default.parameters
    pd.testing.assert_frame_equal(again.estimates, default.estimates)
    pd.testing.assert_frame_equal(again.criteria, default.criteria)


def _header(fragment):
    return fragment.split("[trade]")[0].splitlines()


def test_fragment_headers_say_how_each_process_was_estimated(calibrated):
    _, _, default = calibrated
    today = date.today().isoformat()
    data = ("# Data: seeds/history, fiscal years 2008-2023 (16 years with both flows; 15 consecutive pairs), "
            "verified values only unless stated.")
    posterior = "each distribution summarises the estimates' posterior (median, 16-84% spread)."
    for process in ("ar1", "var1"):
        lines = _header(default.fragment(process))
        assert lines[:4] == [
            f"# Trade process '{process}' estimated by `ijsim calibrate` on {today}", data,
            "# Method: least squares (statsmodels) equation by equation, bootstrap bias correction (Kilian 1998); "
            + posterior,
            "# First-year growth is for the year after the base year FY2023-24."]
        assert default.fragment(process).split("[trade]\n")[1].startswith(f'start = "base"\nprocess = "{process}"\n')
    lines = _header(default.fragment("random_walk"))
    assert lines[1:4] == [data, "# Method: least squares (statsmodels) equation by equation; " + posterior,
                          "# Random walk with drift: growth is exp(drift) - 1."]
    assert default.fragment("random_walk").split("[trade]\n")[1].startswith('process = "random_walk"\n')
    lines = _header(default.fragment("random_walk_discounted"))
    assert lines[2:4] == ["# Method: least squares (statsmodels) equation by equation; volatility weighted 1^age, "
                          "the discount the backtest's out-of-sample selection picks; " + posterior,
                          "# Random walk with drift: growth is exp(drift) - 1."]


def test_fragment_numbers_are_toml_as_written():
    # Whole numbers stay whole (the bounds of a first-year growth, -1 and 1), floats keep their digits.
    from simulator.estimation.calibration import Calibration
    criteria = pd.DataFrame([{"process": "ar1", "n_obs": 15, "coverage_90": 0.5, "interval_score": 9.17, "crps": 1.58}])
    params = {"ar1": {"trade.process": "ar1", "trade.first_year_growth_india_to_japan":
                      {"dist": "truncnormal", "mean": 0.0253, "sd": 0.0907, "min": -1, "max": 1},
                      "trade.shock_correlation": 0.565, "trade.volatility_india_to_japan": 0.1}}
    cal = Calibration(pd.DataFrame(), criteria, params, (2008, 2023), 16, 2099, "my.csv")
    text = cal.fragment("ar1")
    assert "# Data: my.csv, fiscal years 2008-2023 (16 years with both flows; 15 consecutive pairs)" in text
    assert "base year FY2099-00." in text
    assert ("90% interval coverage 50%, mean interval score 9.17, mean CRPS 1.58 (US$ bn)." in text)
    assert text.split("[trade]\n")[1] == (
        'start = "base"\nprocess = "ar1"\n'
        'first_year_growth_india_to_japan = { dist = "truncnormal", mean = 0.0253, sd = 0.0907, min = -1, max = 1 }\n'
        "shock_correlation = 0.565\nvolatility_india_to_japan = 0.1\n")


class _Recorded:
    """The part of history.Series the regressions read: values(verified_only), verified or all."""

    def __init__(self, verified: dict, unverified: dict | None = None):
        self.verified = pd.Series(verified, dtype=float)
        self.every = pd.Series({**verified, **(unverified or {})}, dtype=float).sort_index()

    def values(self, verified_only=True):
        return self.verified if verified_only else self.every


def _driver_data():
    """Flows 1998-2016; yen per dollar verified 1998-2014 (2015-16 unverified), Japan's growth verified
    1998-2016, India's verified 2000-2016 (1998-99 unverified)."""
    rng = np.random.default_rng(21)
    years = np.arange(1998, 2017)
    flows = pd.DataFrame(np.exp(rng.normal([1.0, 2.0], 0.3, (len(years), 2)).cumsum(axis=0) * 0.3),
                         index=years, columns=pf.FLOWS)
    g = {name: dict(zip(years.tolist(), rng.normal(2.0, 2.0, len(years)))) for name in ("japan", "india")}
    fx = dict(zip(years.tolist(), np.exp(rng.normal(4.7, 0.2, len(years)))))
    history = {"jpy_per_usd": _Recorded({y: v for y, v in fx.items() if y <= 2014},
                                        {y: v for y, v in fx.items() if y > 2014}),
               "gdp_growth_japan": _Recorded(g["japan"]),
               "gdp_growth_india": _Recorded({y: v for y, v in g["india"].items() if y >= 2000},
                                             {y: v for y, v in g["india"].items() if y < 2000})}
    return flows, history, g, fx


def test_driver_regressions_by_least_squares_on_the_verified_years():
    """Each flow's row against least squares done by hand (numpy), on the years a flow, its lag and
    the verified drivers all have: India's exports to Japan 1999-2014 (16), Japan's to India 2000-2014 (15)."""
    from scipy import stats

    from simulator.estimation.channel_regressions import driver_regressions
    flows, history, g, fx = _driver_data()
    table = driver_regressions(flows, history)
    assert list(table.columns) == ["flow", "driver", "n_obs", "coefficient", "se", "p_value", "long_run_elasticity",
                                   "long_run_se", "corr_with_trend"]
    assert list(zip(table.flow, table.driver)) == [(f, d) for f in pf.FLOWS for d in ("income", "yen_per_dollar")]
    for flow, importer, first in (("exports_india_to_japan", "japan", 1999), ("exports_japan_to_india", "india", 2000)):
        years = np.arange(first, 2015)
        start = 1998 if importer == "japan" else 2000  # the importer's income is cumulated from its first verified year
        ln_income = np.array([sum(np.log1p(g[importer][s] / 100) for s in range(start, t + 1)) for t in years])
        ln_fx = np.log([fx[t] for t in years])
        y, y_lag = np.log(flows[flow].loc[years].to_numpy()), np.log(flows[flow].loc[years - 1].to_numpy())
        X = np.column_stack([np.ones(len(years)), years - 2014.0, y_lag, ln_income, ln_fx])
        b = np.linalg.lstsq(X, y, rcond=None)[0]
        resid = y - X @ b
        df = len(years) - 5
        cov = resid @ resid / df * np.linalg.inv(X.T @ X)
        rows = table[table.flow == flow].set_index("driver")
        for j, driver, x in ((3, "income", ln_income), (4, "yen_per_dollar", ln_fx)):
            row = rows.loc[driver]
            se = np.sqrt(cov[j, j])
            long_run = lambda p: p[j] / (1 - p[2])  # noqa: E731
            # delta method with the gradient by central differences (not the closed form the code uses)
            grad = np.array([(long_run(b + h) - long_run(b - h)) / 2e-6 for h in np.eye(5) * 1e-6])
            assert row.n_obs == len(years)
            assert row.coefficient == pytest.approx(b[j], rel=1e-8)
            assert row.se == pytest.approx(se, rel=1e-8)
            assert row.p_value == pytest.approx(2 * stats.t.sf(abs(b[j] / se), df), rel=1e-6)
            assert row.long_run_elasticity == pytest.approx(b[j] / (1 - b[2]), rel=1e-8)
            assert row.long_run_se == pytest.approx(np.sqrt(grad @ cov @ grad), rel=1e-6)
            assert row.corr_with_trend == pytest.approx(np.corrcoef(years, x)[0, 1], rel=1e-10)
    with_unverified = driver_regressions(flows, history, verified_only=False)
    assert list(with_unverified.n_obs) == [18, 18, 18, 18]  # 1999-2016: unverified years of both drivers in


def test_driver_regressions_need_two_more_years_than_coefficients():
    # Five coefficients: six usable years are too few (skipped), seven are enough. India's exports to
    # Japan 2000-2006 give six (2001-2006, each with the year before), Japan's to India 2000-2007 seven.
    from simulator.estimation.channel_regressions import driver_regressions
    flows, history, _, _ = _driver_data()
    flows = flows.loc[2000:2007].copy()
    flows.loc[2007, "exports_india_to_japan"] = np.nan
    table = driver_regressions(flows, history)
    assert list(table.flow) == ["exports_japan_to_india"] * 2
    assert list(table.n_obs) == [7, 7]


def test_out_of_sample_scores_are_the_backtests_of_the_candidates(calibrated, trade):
    # The same hindcasts run directly: candidates with the calibration's bootstrap (5), in the same
    # order (the random numbers depend on the model's place), seed 1, origin FY2020, one year ahead.
    from simulator.estimation import backtest as bt
    from simulator.estimation import hindcast_models as hm
    seeded, _, _ = calibrated
    direct = bt.run_backtest(trade, {p: hm.candidate(p, 5) for p in pf.PROCESSES}, [2020], [1], seed=1).table
    direct = direct[direct.variable.isin([bt.VARIABLES[f] for f in pf.FLOWS])].groupby("model").crps.mean()
    c = seeded.criteria.set_index("process")
    for p in pf.PROCESSES:
        assert c.crps[p] == pytest.approx(direct[p], rel=1e-12)


def test_a_missing_year_of_income_growth_is_not_skipped():
    """A gap in the importer's growth (or an unverified year left out) ends the cumulated income there:
    after it the level is unknown, not short of the missing year's growth (found by the mutation
    review, 2026-12-08)."""
    from simulator.estimation.channel_regressions import _log_income

    income = _log_income(pd.Series({2000: 10.0, 2002: 10.0, 2003: 5.0}))
    assert income[2000] == pytest.approx(np.log(1.1))
    assert list(income.index) == [2000, 2001, 2002, 2003] and income.loc[2001:].isna().all()
    whole = _log_income(pd.Series({2000: 10.0, 2001: 0.0, 2002: 10.0}))
    assert whole[2002] == pytest.approx(2 * np.log(1.1))  # 0% growth in 2001 is a value, not a gap
