"""Trade: closed forms, the tariff phase-in, diversion, identities and directions."""
import numpy as np
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

import simulator
from simulator.core import tariffs, trade

from tests.conftest import SCENARIOS

FIXED_TRADE = """
[scenario]
name = "trade-fixed"
horizon_start = 2025
horizon_years = 6
draws = 4

[trade]
base_year = 2023
exports_india_to_japan_base_usd_bn = 5.15
exports_japan_to_india_base_usd_bn = 17.69
growth_india_to_japan = 0.06
growth_japan_to_india = 0.03
"""


def test_fixed_growth_without_linkage_or_tariff_change_is_compound_growth(write):
    result = simulator.run(simulator.load_scenario(write("t.toml", FIXED_TRADE)))
    t = np.arange(2025, 2031) - 2023
    X = 5.15 * 1.06 ** t
    M = 17.69 * 1.03 ** t
    for draw in range(4):
        np.testing.assert_allclose(result["trade.exports_india_to_japan"].values[draw], X, rtol=1e-14)
        np.testing.assert_allclose(result["trade.exports_japan_to_india"].values[draw], M, rtol=1e-14)
    np.testing.assert_allclose(result["trade.balance"].values[0], X - M, rtol=1e-14)
    np.testing.assert_allclose(result["trade.cover_ratio"].values[0], X / M, rtol=1e-14)
    np.testing.assert_allclose(result["trade.balance_change"].values[0], (X - M) - (5.15 - 17.69), rtol=1e-12)


def test_single_tariff_change_hand_computed_with_phase_in(write):
    # Japan raises its tariff on Indian goods from 2% to 10% in 2026; elasticity 0.76 in 2026,
    # rising linearly to 2.0 over 4 years, then flat.
    text = FIXED_TRADE.replace("growth_india_to_japan = 0.06", "growth_india_to_japan = 0.0") + """
[tariffs]
japan_on_india = { 2023 = 0.02, 2026 = 0.10 }
elasticity_short_run = 0.76
elasticity_long_run = 2.0
years_to_long_run = 4
"""
    result = simulator.run(simulator.load_scenario(write("t.toml", text)))
    X = result["trade.exports_india_to_japan"].values[0]
    ratio = 1.10 / 1.02
    theta = {2026: 0.76, 2027: 0.76 + 1.24 / 4, 2028: 0.76 + 2 * 1.24 / 4, 2029: 0.76 + 3 * 1.24 / 4, 2030: 2.0}
    expected = [5.15] + [5.15 * ratio ** -theta[y] for y in range(2026, 2031)]
    np.testing.assert_allclose(X, expected, rtol=1e-13)
    # Japan's exports to India are untouched by Japan's own tariff.
    np.testing.assert_allclose(result["trade.exports_japan_to_india"].values[0], 17.69 * 1.03 ** np.arange(2, 8))


def test_two_changes_superpose():
    m = tariffs.tariff_multiplier(np.array([0.0, 0.5, 0.5, 0.25, 0.25]), 1.0, 3.0, 2.0)
    step1, step2 = np.log(1.5), np.log(1.25) - np.log(1.5)
    theta = lambda h: 1.0 + 2.0 * min(h / 2, 1)  # noqa: E731
    expected = [0, -theta(0) * step1, -theta(1) * step1,
                -theta(2) * step1 - theta(0) * step2, -theta(3) * step1 - theta(1) * step2]
    np.testing.assert_allclose(m, np.exp(expected), rtol=1e-13)


def test_diversion_formula(write):
    text = FIXED_TRADE.replace("growth_india_to_japan = 0.06", "growth_india_to_japan = 0.0") + """
exports_india_to_us_base_usd_bn = 80.0
growth_india_to_us = 0.05
us_tariff_coverage = 0.6
diversion_share_to_japan = 0.02

[tariffs]
us_on_india = { 2023 = 0.0, 2025 = 0.5, 2028 = 0.25 }
elasticity_short_run = 1.0
elasticity_long_run = 1.0
years_to_long_run = 1
"""
    result = simulator.run(simulator.load_scenario(write("t.toml", text)))
    years = np.arange(2025, 2031)
    tau = np.where(years < 2028, 0.5, 0.25)
    E = 80.0 * 1.05 ** (years - 2023)
    D = E * 0.6 * (1 - (1 + tau) ** -1.0)
    np.testing.assert_allclose(result["trade.diverted_to_japan"].values[0], 0.02 * D, rtol=1e-13)
    np.testing.assert_allclose(result["trade.exports_india_to_japan"].values[0], 5.15 + 0.02 * D, rtol=1e-13)
    np.testing.assert_allclose(result["trade.exports_india_to_us"].values[0], E - D, rtol=1e-13)


def test_tariff_falling_below_base_diverts_nothing():
    m = tariffs.tariff_multiplier(np.array([0.2, 0.0, 0.0]), 1.0, 1.0, 1.0)
    assert np.all(m[1:] > 1)
    np.testing.assert_array_equal(tariffs.diverted_exports(np.ones(3) * 10, m, 1.0), [0, 0, 0])


def test_fdi_linkage_closed_form():
    stock = np.array([[50.0, 60.0, 70.0]])
    np.testing.assert_allclose(trade.fdi_linkage(stock, 40.0, 0.5, 0), [np.sqrt([50 / 40, 60 / 40, 70 / 40])])
    np.testing.assert_allclose(trade.fdi_linkage(stock, 40.0, 1.0, 2), [[1.0, 1.0, 50 / 40]])
    np.testing.assert_allclose(trade.fdi_linkage(stock, 40.0, 1.0, 0.5), [[45 / 40, 55 / 40, 65 / 40]])
    np.testing.assert_array_equal(trade.fdi_linkage(stock, 40.0, 0.0, 1.3), np.ones((1, 3)))


def test_correlated_shocks_have_the_asked_correlation():
    rng = np.random.default_rng(0)
    z1, z2 = rng.standard_normal((2, 200_000))
    a, b = trade.correlated_shocks(z1, z2, 0.6)
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(0.6, abs=0.01)
    assert b.std() == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("bad", [dict(growth=-1.0), dict(years_since_base=np.array([0, 1]))])
def test_grown_flow_rejects(bad):
    args = dict(base=1.0, growth=0.0, volatility=0.0, shocks=np.zeros((1, 3)), years_since_base=np.array([1, 2]))
    args.update(bad)
    with pytest.raises(ValueError):
        trade.grown_flow(**args)


@st.composite
def trade_docs(draw):
    f = st.floats
    return {
        "scenario": {"name": "p", "horizon_years": draw(st.integers(1, 15)), "draws": draw(st.integers(1, 40)),
                     "seed": draw(st.integers(0, 10**9))},
        "sampling": {"method": draw(st.sampled_from(["mc", "lhs", "sobol"]))},
        "investment": {"realisation_rate": {"dist": "uniform", "min": 0.0, "max": 1.0},
                       "fx_log_volatility": draw(f(0, 0.3))},
        "trade": {
            "growth_india_to_japan": {"dist": "uniform", "min": -0.1, "max": draw(f(0.0, 0.3))},
            "growth_japan_to_india": draw(f(-0.2, 0.3)),
            "volatility_india_to_japan": draw(f(0, 0.5)), "volatility_japan_to_india": draw(f(0, 0.5)),
            "shock_correlation": draw(f(-1, 1)),
            "fdi_elasticity_imports": draw(f(-2, 3)), "fdi_elasticity_exports": draw(f(-2, 3)),
            "fdi_lag_imports_years": draw(f(0, 20)), "fdi_lag_exports_years": {"dist": "uniform", "min": 0, "max": 8},
            "exports_india_to_us_base_usd_bn": draw(f(0, 200)), "growth_india_to_us": draw(f(-0.2, 0.3)),
            "us_tariff_coverage": draw(f(0, 1)), "diversion_share_to_japan": draw(f(0, 1)),
        },
        "tariffs": {"us_on_india": {"2023": 0.0, "2025": draw(f(0, 10)), "2027": draw(f(0, 10))},
                    "japan_on_india": {"2023": draw(f(0, 1)), "2026": draw(f(0, 10))},
                    "india_on_japan": draw(f(0, 10)),
                    "elasticity_long_run": {"dist": "uniform", "min": 0.0, "max": draw(f(0.1, 8))}},
    }


@given(trade_docs())
def test_trade_identities_hold_in_the_ensemble_file(tmp_path_factory, doc):
    result = simulator.run(simulator.scenario_from_dict(doc))
    path = tmp_path_factory.mktemp("nc") / "ensemble.nc"
    result.dataset.to_netcdf(path, engine="scipy")
    with xr.open_dataset(path, engine="scipy") as ds:
        X, M = ds["trade.exports_india_to_japan"].values, ds["trade.exports_japan_to_india"].values
        for name in result.variables:
            assert np.all(np.isfinite(ds[name].values)), name
        assert np.all(X >= 0) and np.all(M > 0)
        np.testing.assert_array_equal(ds["trade.balance"].values, X - M)
        np.testing.assert_array_equal(ds["trade.total"].values, X + M)
        np.testing.assert_array_equal(ds["trade.cover_ratio"].values, X / M)
        assert np.all(ds["trade.diverted_to_japan"].values >= 0)
        assert np.all(ds["trade.exports_india_to_us"].values >= -1e-9)
    p = result.probabilities()["probability"]
    assert ((p >= 0) & (p <= 1)).all()


def _median(path_or_scenario, variable, year, seed=11, draws=2000):
    s = path_or_scenario if isinstance(path_or_scenario, simulator.Scenario) else simulator.load_scenario(path_or_scenario)
    return float(np.median(simulator.run(s, draws=draws, seed=seed)[variable].sel(year=year).values))


def test_direction_higher_japanese_tariff_lowers_exports_to_japan():
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    higher = base.with_params({"tariffs.japan_on_india": {"2023": 0.02, "2027": 0.10}})
    for year in (2028, 2034):
        assert _median(higher, "trade.exports_india_to_japan", year) < _median(base, "trade.exports_india_to_japan", year)
    # Common random numbers: draw by draw, not only in the median.
    a = simulator.run(base, draws=500, seed=3)["trade.exports_india_to_japan"].sel(year=2030).values
    b = simulator.run(higher, draws=500, seed=3)["trade.exports_india_to_japan"].sel(year=2030).values
    assert np.all(b < a)


def test_direction_stronger_fdi_linkage_raises_imports_from_japan():
    # Investment above business as usual (all of it, with no business-as-usual flow) moves imports.
    base = simulator.load_scenario(SCENARIOS / "baseline.toml").with_params({"investment.bau_inflows_usd_bn": 0.0})
    stronger = base.with_params({"trade.fdi_elasticity_imports": 1.0})
    weaker = base.with_params({"trade.fdi_elasticity_imports": 0.1})
    a = simulator.run(weaker, draws=500, seed=3)["trade.exports_japan_to_india"].sel(year=2032).values
    b = simulator.run(stronger, draws=500, seed=3)["trade.exports_japan_to_india"].sel(year=2032).values
    assert np.all(b >= a) and np.median(b) > np.median(a)


def test_base_year_must_precede_horizon(write):
    with pytest.raises(simulator.ScenarioError, match="trade base year"):
        simulator.load_scenario(write("t.toml", '[scenario]\nname = "x"\nhorizon_start = 2023\n'))
