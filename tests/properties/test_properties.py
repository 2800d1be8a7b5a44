"""Invariants of the investment projection under random valid parameters (hypothesis)."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import simulator

unit = st.floats(0.0, 1.0)
positive_fx = st.floats(20.0, 400.0)


@st.composite
def scenarios(draw):
    fx_lo = draw(positive_fx)
    fx_hi = draw(st.floats(fx_lo + 1.0, 500.0))
    r_lo = draw(st.floats(0.0, 0.9))
    profile = draw(st.sampled_from(["uniform", "front_loaded", "back_loaded", "s_curve"]))
    pledge_years = draw(st.integers(1, 15))
    doc = {
        "scenario": {"name": "prop", "horizon_start": 2025, "horizon_years": draw(st.integers(1, 20)),
                     "draws": draw(st.integers(1, 60)), "seed": draw(st.integers(0, 2**32))},
        "sampling": {"method": draw(st.sampled_from(["mc", "lhs", "sobol"])),
                     "block_size": draw(st.integers(1, 64))},
        "investment": {
            "pledge_jpy_tn": draw(st.floats(0.0, 50.0)),
            "pledge_start_year": draw(st.integers(2020, 2030)),
            "pledge_years": pledge_years,
            "fx_jpy_per_usd": {"dist": "uniform", "min": fx_lo, "max": fx_hi},
            "fx_log_volatility": draw(st.floats(0.0, 0.3)),
            "realisation_rate": {"dist": "uniform", "min": r_lo, "max": draw(st.floats(r_lo + 0.01, 1.0))},
            "depreciation_rate": draw(st.floats(0.0, 0.5)),  # beyond 0.5 the stock can vanish (ParamSpec.limits)
            "fdi_stock_start_usd_bn": draw(st.floats(0.1, 200.0)),
            "other_inflows_usd_bn": draw(st.floats(0.0, 10.0)),
            "sector_concentration": draw(st.sampled_from([0.0, 0.5, 50.0])),
            "disbursement": {"profile": profile},
        },
    }
    if profile == "s_curve":
        doc["investment"]["disbursement"]["midpoint_years"] = draw(st.floats(0.0, float(pledge_years)))
        doc["investment"]["disbursement"]["steepness"] = draw(st.floats(0.05, 5.0))
    return doc


@given(scenarios())
def test_projection_invariants(doc):
    scenario = simulator.scenario_from_dict(doc)
    result = simulator.run(scenario)
    ds = result.dataset
    for name in result.variables:
        assert np.all(np.isfinite(ds[name].values)), name
    disbursed = ds["investment.disbursed"].values
    stock = ds["investment.fdi_stock"].values
    cumulative = ds["investment.cumulative_disbursed"].values
    assert np.all(disbursed >= 0)
    assert np.all(stock >= 0)
    np.testing.assert_allclose(cumulative, np.cumsum(disbursed, axis=1), rtol=1e-12, atol=1e-12)
    # Never more than the whole pledge at the most favourable exchange rate the run drew.
    best_fx = ds["investment.fx_jpy_per_usd"].values.min()
    ceiling = doc["investment"]["pledge_jpy_tn"] * 1000 / best_fx
    assert np.all(cumulative <= ceiling * (1 + 1e-12) + 1e-12)
    np.testing.assert_allclose(ds["investment.disbursed_by_sector"].values.sum(axis=-1), disbursed,
                               rtol=1e-10, atol=1e-12)
    summary = result.summary()
    q = summary[["p05", "p25", "p50", "p75", "p95"]].values
    assert np.all(np.diff(q, axis=1) >= -1e-9 * (1 + np.abs(q[:, 1:])))


@given(scenarios())
def test_full_realisation_within_pledge_years_spends_the_pledge(doc):
    # With r = 1, no fx uncertainty and a horizon that covers the pledge, the cumulative dollar
    # flow is exactly the yen pledge converted at the fixed rate.
    doc["investment"].update(realisation_rate=1.0, fx_jpy_per_usd=125.0, fx_log_volatility=0.0,
                             pledge_start_year=2025)
    doc["scenario"]["horizon_years"] = max(doc["scenario"]["horizon_years"], doc["investment"]["pledge_years"])
    result = simulator.run(simulator.scenario_from_dict(doc))
    total = result["investment.cumulative_disbursed"].values[:, -1]
    np.testing.assert_allclose(total, doc["investment"]["pledge_jpy_tn"] * 1000 / 125.0, rtol=1e-10, atol=1e-10)
