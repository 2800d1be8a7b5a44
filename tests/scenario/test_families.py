"""The scenario families on scipy.special (simulator/scenario/families.py) against scipy.stats, their
oracle: the same numbers, bit for bit, at the points a run evaluates them and beyond; and a run never
imports scipy.stats (its import was the largest single cost of starting one)."""
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator.scenario.families import distribution
from simulator.scenario.values import EXTREME_U, parse_distribution

Q = np.concatenate([[0.0, EXTREME_U, 1e-12, 2.0 ** -20], np.linspace(1e-6, 1 - 1e-6, 2001),
                    [1 - 2.0 ** -20, 1 - 1e-12, 1 - EXTREME_U, 1.0]])

CASES = {
    "normal": ({"mean": 3.0, "sd": 2.5}, stats.norm(3.0, 2.5)),
    "exponential": ({"mean": 2.0}, stats.expon(scale=2.0)),
    "truncnormal": ({"mean": 0.07, "sd": 0.03, "min": 0.0, "max": 0.2},
                    stats.truncnorm((0.0 - 0.07) / 0.03, (0.2 - 0.07) / 0.03, 0.07, 0.03)),
    "truncnormal-right-tail": ({"mean": 0.0, "sd": 1.0, "min": 2.0, "max": 9.0}, stats.truncnorm(2.0, 9.0)),
    "truncnormal-left-tail": ({"mean": 0.0, "sd": 1.0, "min": -12.0, "max": -3.0}, stats.truncnorm(-12.0, -3.0)),
    "lognormal": ({"median": 1.5, "sigma": 0.4}, stats.lognorm(s=0.4, scale=1.5)),
    "uniform": ({"min": -1.0, "max": 4.0}, stats.uniform(-1.0, 5.0)),
    "triangular": ({"min": 1.0, "mode": 2.0, "max": 5.0}, stats.triang(0.25, loc=1.0, scale=4.0)),
    "triangular-mode-at-min": ({"min": 1.0, "mode": 1.0, "max": 5.0}, stats.triang(0.0, loc=1.0, scale=4.0)),
    "triangular-mode-at-max": ({"min": 1.0, "mode": 5.0, "max": 5.0}, stats.triang(1.0, loc=1.0, scale=4.0)),
    # shapes 1 + lambda (mode - min) / width and 1 + lambda (max - mode) / width (Vose 2008)
    "pert": ({"min": 0.3, "mode": 0.8, "max": 1.0, "lambda": 4.0},
             stats.beta(1 + 4.0 * (0.8 - 0.3) / (1.0 - 0.3), 1 + 4.0 * (1.0 - 0.8) / (1.0 - 0.3), loc=0.3, scale=1.0 - 0.3)),
    "beta": ({"alpha": 0.05, "beta": 1e4, "min": 0.0, "max": 1.0}, stats.beta(0.05, 1e4)),
}


def _family(case: str) -> str:
    return case.split("-")[0]


@pytest.mark.parametrize("case", CASES)
def test_quantiles_densities_and_cdfs_are_scipys(case):
    params, oracle = CASES[case]
    ours = distribution(_family(case), params)
    np.testing.assert_array_equal(ours.ppf(Q), oracle.ppf(Q))
    x = oracle.ppf(Q)
    x = np.concatenate([x[np.isfinite(x)], [x[1] - 1.0, x[-2] + 1.0, np.nan]])  # beyond the support too
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(ours.pdf(x), oracle.pdf(x))
        np.testing.assert_array_equal(ours.cdf(x), oracle.cdf(x))
    np.testing.assert_allclose(ours.mean(), oracle.mean(), rtol=1e-14)
    assert np.ndim(ours.ppf(0.5)) == 0 and np.ndim(ours.cdf(float(x[5]))) == 0


def test_the_gamma_of_the_sector_shares_is_scipys():
    from simulator.scenario.families import Gamma

    for shape in (1e-4, 0.05, 1.0, 5.0, 300.0):
        ours, oracle = Gamma(shape), stats.gamma(shape)
        np.testing.assert_array_equal(ours.ppf(Q), oracle.ppf(Q))
        x = oracle.ppf(Q[1:-1])
        with np.errstate(over="ignore"):  # scipy's own density overflows to inf near 0 for tiny shapes
            np.testing.assert_array_equal(ours.pdf(x), oracle.pdf(x))
        np.testing.assert_array_equal(ours.cdf(x), oracle.cdf(x))


finite = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(mean=finite, sd=st.floats(0.01, 20), lo=st.floats(-8, 8), width=st.floats(0.01, 16))
def test_any_truncated_normal_a_scenario_may_name_is_scipys(mean, sd, lo, width):
    """The truncated normal has the most branches (left tail, right tail, mass across zero)."""
    params = {"mean": mean, "sd": sd, "min": mean + lo * sd, "max": mean + (lo + width) * sd}
    dist, errors = parse_distribution({"dist": "truncnormal", **params})
    if errors:
        return
    p = dict(dist.params)
    a, b = (p["min"] - p["mean"]) / p["sd"], (p["max"] - p["mean"]) / p["sd"]
    oracle = stats.truncnorm(a, b, loc=p["mean"], scale=p["sd"])
    ours = distribution("truncnormal", p)
    np.testing.assert_array_equal(ours.ppf(Q), oracle.ppf(Q))
    x = np.linspace(p["min"], p["max"], 101)
    np.testing.assert_array_equal(ours.cdf(x), oracle.cdf(x))
    np.testing.assert_array_equal(ours.pdf(x), oracle.pdf(x))


@settings(max_examples=60, deadline=None)
@given(lo=finite, mode=st.floats(0, 1), width=st.floats(0.01, 100), lam=st.floats(0.1, 10))
def test_any_pert_a_scenario_may_name_is_scipys(lo, mode, width, lam):
    params = {"min": lo, "mode": lo + mode * width, "max": lo + width, "lambda": lam}
    dist, errors = parse_distribution({"dist": "pert", **params})
    if errors:
        return
    p = dict(dist.params)
    w = p["max"] - p["min"]
    oracle = stats.beta(1 + p["lambda"] * (p["mode"] - p["min"]) / w, 1 + p["lambda"] * (p["max"] - p["mode"]) / w,
                        loc=p["min"], scale=w)
    np.testing.assert_array_equal(distribution("pert", p).ppf(Q), oracle.ppf(Q))
    x = oracle.ppf(Q[1:-1])
    np.testing.assert_array_equal(distribution("pert", p).pdf(x), oracle.pdf(x))


@pytest.mark.e2e  # a run in a fresh interpreter
def test_a_run_never_imports_scipy_stats(tmp_path):
    """Through the command a user types: the baseline's truncated normals, PERTs and Dirichlet shares
    are all drawn without it."""
    code = ("import sys; from simulator.cli import entry; sys.argv = ['ijsim', 'run', sys.argv[1], '--draws', '200',"
            " '--no-plots', '--quiet', '--out', sys.argv[2]]\n"
            "try:\n    entry()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print('scipy.stats' in sys.modules)")
    from pathlib import Path

    baseline = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
    out = subprocess.run([sys.executable, "-c", code, str(baseline), str(tmp_path / "run")], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr
    assert (tmp_path / "run" / "summary.csv").exists()
