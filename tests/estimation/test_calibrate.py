"""Known answers for the trade-process estimation: synthetic histories with known parameters."""
import numpy as np
import pandas as pd
import pytest

from simulator.estimation import trade_process_fit as pf
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
