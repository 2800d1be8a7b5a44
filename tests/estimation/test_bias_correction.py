"""Kilian's bias correction with every replication at once gives what refitting each replication with
statsmodels gave (the loop it replaced, kept here as the reference), and the batched least squares
is statsmodels' OLS."""
import numpy as np
import pandas as pd
import pytest
from statsmodels.regression.linear_model import OLS

from simulator.core import trade_process as tp
from simulator.estimation import bias_correction as bc
from simulator.estimation import trade_process_fit as pf


def _history(process: str, years: int = 22, missing: tuple[int, ...] = ()) -> pd.DataFrame:
    rng = np.random.default_rng(8)
    A = np.array([[0.6, 0.15], [0.1, 0.5]]) if process == "var1" else np.diag([0.7, 0.4])
    u, rows = np.zeros(2), []
    for k in range(years):
        u = A @ u + rng.normal(0, [0.08, 0.05])
        rows.append(np.log([5.0, 9.0]) + np.array([0.06, 0.04]) * k + u)
    frame = pd.DataFrame(np.exp(rows), columns=list(pf.FLOWS), index=range(2000, 2000 + years))
    return frame.drop(index=list(missing))


def _reference_bias(fitted: pf.ProcessFit, rng: np.random.Generator, replications: int) -> np.ndarray:
    """The former loop: simulate one replication, refit it with statsmodels, accumulate."""
    coef = np.stack([np.asarray(r.params) for r in fitted.results], axis=-1)
    e = fitted.residuals - fitted.residuals.mean(axis=0)
    years, y = fitted.years, fitted.log_levels
    t = (years[1:] - years[-1]).astype(float)
    A = fitted._transition(coef[None])[0]
    total = np.zeros_like(coef)
    for _ in range(replications):
        shocks = e[rng.integers(0, len(e), len(t))]
        sim = np.empty_like(y)
        sim[0] = y[0]
        for j in range(len(t)):
            sim[j + 1] = coef[0] + coef[1] * t[j] + A @ sim[j] + shocks[j]
        sim[np.isnan(y)] = np.nan
        total += np.stack([np.asarray(r.params) for r in pf._regress(fitted.process, years, sim)], axis=-1)
    bias = total / replications - coef
    for _ in range(100):
        if tp.spectral_radius(fitted._transition((coef - bias)[None]))[0] < 1:
            return bias
        bias = bias * 0.99
    return np.zeros_like(coef)


@pytest.mark.parametrize("process, missing", [("ar1", ()), ("var1", ()), ("ar1", (2009,)), ("var1", (2005, 2014))])
def test_the_batched_bias_is_the_one_replication_at_a_time_bias(process, missing):
    fitted = pf.fit(process, _history(process, missing=missing), bootstrap=0)
    reference = _reference_bias(fitted, np.random.default_rng(3), 150)
    coef = np.stack([np.asarray(r.params) for r in fitted.results], axis=-1)
    got = bc.kilian_bias(process, fitted.years, fitted.log_levels, coef, fitted.residuals, fitted._transition,
                         np.random.default_rng(3), 150)
    np.testing.assert_allclose(got, reference, rtol=1e-9, atol=1e-12)
    assert np.abs(got).max() > 1e-4  # a bias was estimated, not a zero by default
    assert (pf.fit(process, _history(process, missing=missing), bootstrap=150, bootstrap_seed=3).bias == got).all()


def test_persistence_is_biased_down_and_the_correction_raises_it():
    # least squares underestimates an AR(1)'s persistence in short samples (Marriott & Pope 1954)
    fitted = pf.fit("ar1", _history("ar1", years=18), bootstrap=400, bootstrap_seed=1)
    raw = np.stack([np.asarray(r.params) for r in fitted.results], axis=-1)
    assert (fitted.bias[2] < 0).all() and (fitted.coefficients[2] > raw[2]).all()
    assert (tp.spectral_radius(fitted._transition(fitted.coefficients[None])) < 1).all()


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")  # statsmodels', on purpose below
def test_least_squares_is_statsmodels_ols_on_every_stack():
    rng = np.random.default_rng(4)
    exog = np.concatenate([np.ones((30, 17, 1)), rng.normal(size=(30, 17, 3))], axis=-1)
    endog = exog @ np.array([0.5, -1.0, 2.0, 0.1]) + rng.normal(0, 0.3, (30, 17))
    got = bc.least_squares(exog, endog)
    expected = np.stack([OLS(endog[i], exog[i]).fit().params for i in range(30)])
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-13)
    # collinear regressors: the pseudo-inverse's minimum-norm solution, as statsmodels gives
    doubled = np.concatenate([exog[:1], exog[:1, :, -1:]], axis=-1)
    np.testing.assert_allclose(bc.least_squares(doubled, endog[:1])[0], OLS(endog[0], doubled[0]).fit().params,
                               rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("process, k", [("random_walk", 1), ("ar1", 3), ("var1", 4)])
def test_design_rows_are_the_equations_of_the_module_docstring(process, k):
    years = np.arange(2000, 2006)
    y = np.log(np.arange(1.0, 13.0)).reshape(6, 2)
    equations = bc.design(process, years, y)
    for i, (exog, endog) in enumerate(equations):
        assert exog.shape == (5, k) and endog.shape == (5,)
        if process == "random_walk":
            np.testing.assert_array_equal(endog, np.diff(y[:, i]))
            continue
        np.testing.assert_array_equal(endog, y[1:, i])
        np.testing.assert_array_equal(exog[:, :2], np.column_stack([np.ones(5), np.arange(-4.0, 1.0)]))
        lags = y[:-1, [i]] if process == "ar1" else y[:-1]
        np.testing.assert_array_equal(exog[:, 2:], lags)


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")
def test_least_squares_cuts_each_stacks_singular_values_at_its_own_scale():
    """Two regressions stacked, one in units 1e20 times the other's: each gets statsmodels' answer, as
    the cut-off (1e-15 of the largest singular value) is each stack's own; and one regression alone
    (exog (n, k)) is one stack."""
    rng = np.random.default_rng(6)
    exog = np.concatenate([np.ones((2, 12, 1)), rng.normal(size=(2, 12, 2))], axis=-1)
    exog[1] *= 1e20
    endog = rng.normal(size=(2, 12))
    expected = np.stack([OLS(endog[i], exog[i]).fit().params for i in range(2)])
    np.testing.assert_allclose(bc.least_squares(exog, endog), expected, rtol=1e-10)
    np.testing.assert_allclose(bc.least_squares(exog[0], endog[0]), expected[0], rtol=1e-10)
    # collinear columns in a single regression: the minimum-norm solution, the doubled column's weight split
    doubled = np.column_stack([exog[0], exog[0][:, -1]])
    np.testing.assert_allclose(bc.least_squares(doubled, endog[0]), OLS(endog[0], doubled).fit().params,
                               rtol=1e-8, atol=1e-12)


def test_a_correction_that_leaves_a_nonstationary_transition_is_shrunk_by_1_percent_steps_at_most_100_times():
    """The correction is multiplied by 0.99 until the corrected A has spectral radius below 1, at most
    100 times (then none is applied). A transition that makes the simulation's A diag(0.5) and the
    corrected A's radius 0.5 + 0.5 share / 0.99^(k - 0.5), share the correction left after k shrinks
    (0.99^k): stationary from the k-th shrink on. A unit root (radius exactly 1) is not stationary."""
    fitted = pf.fit("ar1", _history("ar1"), bootstrap=0)
    coef = np.stack([np.asarray(r.params) for r in fitted.results], axis=-1)

    def bias_with(transition):
        return bc.kilian_bias("ar1", fitted.years, fitted.log_levels, coef, fitted.residuals, transition,
                              np.random.default_rng(3), 40)
    full = bias_with(lambda c: np.broadcast_to(0.5 * np.eye(2), (len(c), 2, 2)))  # stationary at once

    def stationary_after(k):
        def transition(c):
            share = np.abs(coef - c[0]).max() / np.abs(full).max()
            return np.broadcast_to((0.5 + 0.5 * share / 0.99 ** (k - 0.5)) * np.eye(2), (len(c), 2, 2))
        return transition
    shrunk = full.copy()
    for _ in range(10):
        shrunk = shrunk * 0.99
    np.testing.assert_array_equal(bias_with(stationary_after(10)), shrunk)
    assert (bias_with(stationary_after(100)) == 0).all() and np.abs(full).max() > 1e-3  # the 101st shrink is not made
    np.testing.assert_array_equal(bias_with(stationary_after(0)), full)
    assert (bias_with(lambda c: np.broadcast_to(np.eye(2), (len(c), 2, 2))) == 0).all()  # a unit root throughout
