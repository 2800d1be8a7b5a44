"""One direction test per trade channel (GDP, yen, tariffs relative to competitors, FDI beyond
business as usual), draw by draw with common random numbers, plus the channels' closed forms."""
import numpy as np
import pytest

import simulator
from simulator.core import tariffs, trade_drivers
from simulator.scenario import scenario_from_dict

from tests.conftest import SCENARIOS


BASE = simulator.load_scenario(SCENARIOS / "baseline.toml")
START = BASE.params["trade.start_year"]  # the baseline starts from the history's newest year (FY2024-25)
YEARS_SINCE_START = np.arange(2025, 2035) - START
# The channels one test does not look at, off, so that each test sees one channel alone.
IMPORTER_ONLY = {"trade.exporter_income_elasticity_india_to_japan": 0.0,
                 "trade.exporter_income_elasticity_japan_to_india": 0.0}


def run(doc: dict, draws: int = 300):
    """A small scenario over the shipped baseline's uncertainties (same seed: common random numbers)."""
    base = BASE
    scenario = base.with_params({"scenario.draws": draws, **doc}) if doc else base.with_params({"scenario.draws": draws})
    return simulator.run(scenario, threads=1).dataset


def test_income_and_yen_multipliers_closed_form():
    g = trade_drivers.income_multiplier([0.08, 0.08], [0.06, 0.06], 1.5)
    np.testing.assert_allclose(g, (1.08 / 1.06) ** (1.5 * np.array([1, 2])), rtol=1e-14)
    r = trade_drivers.exchange_rate_multiplier(np.array([147.06, 176.5]), 147.06, 0.5)
    np.testing.assert_allclose(r, (np.array([147.06, 176.5]) / 147.06) ** 0.5, rtol=1e-14)
    assert np.all(trade_drivers.income_multiplier([0.07, 0.05], [0.07, 0.05], 2.0) == 1.0)


def test_higher_india_growth_raises_imports_from_japan():
    """From the year after the start: the start year's flows are observed (or nowcast), GDP growth
    before them is in them already."""
    elastic = {"trade.income_elasticity_japan_to_india": 1.5, **IMPORTER_ONLY}
    low = run({**elastic, "macro.gdp_growth_india": 0.06})
    high = run({**elastic, "macro.gdp_growth_india": 0.08})
    m_low, m_high = low["trade.exports_japan_to_india"].values, high["trade.exports_japan_to_india"].values
    assert np.all(m_high > m_low)
    np.testing.assert_allclose(m_high / m_low, np.broadcast_to((1.08 / 1.06) ** (1.5 * YEARS_SINCE_START),
                                                               m_low.shape), rtol=1e-12)
    np.testing.assert_array_equal(low["trade.exports_india_to_japan"].values, high["trade.exports_india_to_japan"].values)


def test_higher_japan_growth_raises_india_exports_to_japan_even_at_unit_elasticity():
    """Japan's GDP drives India's exports to Japan (not the other flow). An elasticity of exactly 1 is
    an ordinary value: only an elasticity of exactly 0 skips the channel."""
    years = YEARS_SINCE_START
    for elasticity in (1.0, 1.5):
        elastic = {"trade.income_elasticity_india_to_japan": elasticity, **IMPORTER_ONLY}
        low = run({**elastic, "macro.gdp_growth_japan": 0.01})
        high = run({**elastic, "macro.gdp_growth_japan": 0.03})
        bilateral = [r["trade.exports_india_to_japan"] - r["trade.diverted_to_japan"] for r in (low, high)]
        np.testing.assert_allclose((bilateral[1] / bilateral[0]).values,
                                   np.broadcast_to((1.03 / 1.01) ** (elasticity * years), (300, 10)), rtol=1e-12)
        np.testing.assert_array_equal(low["trade.exports_japan_to_india"].values,
                                      high["trade.exports_japan_to_india"].values)


def test_exporter_income_moves_the_exporters_flow_by_its_closed_form():
    """Gravity's exporter term: India's GDP moves India's exports to Japan, Japan's GDP Japan's exports
    to India, each by ((1 + g) / (1 + g_ref))^elasticity a year from the start."""
    off = {"trade.income_elasticity_india_to_japan": 0.0, "trade.income_elasticity_japan_to_india": 0.0}
    for country, elasticity, flow, other in (
            ("india", "trade.exporter_income_elasticity_india_to_japan", "trade.exports_india_to_japan",
             "trade.exports_japan_to_india"),
            ("japan", "trade.exporter_income_elasticity_japan_to_india", "trade.exports_japan_to_india",
             "trade.exports_india_to_japan")):
        doc = {**off, **IMPORTER_ONLY, elasticity: 0.8}
        low = run({**doc, f"macro.gdp_growth_{country}": 0.03})
        high = run({**doc, f"macro.gdp_growth_{country}": 0.05})
        bilateral = [r[flow] - (r["trade.diverted_to_japan"] if flow.endswith("to_japan") else 0) for r in (low, high)]
        np.testing.assert_allclose((bilateral[1] / bilateral[0]).values,
                                   np.broadcast_to((1.05 / 1.03) ** (0.8 * YEARS_SINCE_START), (300, 10)), rtol=1e-12)
        np.testing.assert_array_equal(low[other].values, high[other].values)


def test_weaker_yen_lowers_india_exports_to_japan_and_with_a_negative_elasticity_its_imports_too():
    """The baseline's signs (docs/model.md 2.2): a weaker yen lowers India's exports to Japan (eta_X > 0)
    and, with eta_M < 0 (valuation of yen-invoiced exports, price-inelastic demand), Japan's exports
    to India in dollars as well; with eta_M > 0 they would rise."""
    weak_path = {"investment.fx_jpy_per_usd": {"2025": 147.06, "2030": 176.5, "interpolation": "linear"}}
    later = slice(1, None)  # 2026 on: the two paths are equal in 2025
    for eta_m, sign in ((-0.3, -1), (0.5, +1)):
        elastic = {"trade.fx_elasticity_japan_to_india": eta_m, "trade.fx_elasticity_india_to_japan": 0.5}
        steady, weak = run(elastic), run({**elastic, **weak_path})
        change = (weak["trade.exports_japan_to_india"] - steady["trade.exports_japan_to_india"]).values[:, later]
        assert np.all(np.sign(change) == sign)
        assert np.all((weak["trade.exports_india_to_japan"] - steady["trade.exports_india_to_japan"]).values[:, later] < 0)


def test_the_yen_moves_trade_through_its_level_path_not_its_yearly_walk():
    """The flows' estimated shocks already hold the yen's year-to-year moves, so the walk drawn
    around the path (investment.fx_log_volatility) moves the pledge's dollar value only (and trade
    through it only by the FDI linkage, off here)."""
    elastic = {"trade.fx_elasticity_japan_to_india": -0.3, "trade.fx_elasticity_india_to_japan": 0.5,
               "trade.fdi_elasticity_imports": 0.0, "trade.fdi_elasticity_exports": 0.0}
    calm, volatile = run({**elastic, "investment.fx_log_volatility": 0.0}), run({**elastic, "investment.fx_log_volatility": 0.3})
    assert not np.array_equal(calm["investment.disbursed"].values, volatile["investment.disbursed"].values)
    for v in ("trade.exports_japan_to_india", "trade.exports_india_to_japan"):
        np.testing.assert_array_equal(calm[v].values, volatile[v].values)


def test_diversion_follows_india_tariff_relative_to_competitors():
    india = {"2023": 0.0, "2025": 0.2747, "2026": 0.25}
    above = run({"tariffs.us_on_india": india, "tariffs.us_on_competitors": {"2023": 0.0, "2025": 0.1}})
    par = run({"tariffs.us_on_india": india, "tariffs.us_on_competitors": india})
    none = run({"tariffs.us_on_india": india, "tariffs.us_on_competitors": 0.0})
    assert np.all(par["trade.diverted_to_japan"].values == 0.0)
    d_above, d_none = above["trade.diverted_to_japan"].values, none["trade.diverted_to_japan"].values
    assert d_above.max() > 0
    assert np.all(d_above <= d_none + 1e-12)  # competitors paying something diverts less than them paying nothing


def test_relative_tariff_multiplier_is_the_absolute_one_when_competitors_pay_nothing():
    path = np.array([0.0, 0.2747, 0.25, 0.25])
    np.testing.assert_array_equal(tariffs.tariff_multiplier(path, 0.76, 2.0, 8.0),
                                  tariffs.tariff_multiplier(path, 0.76, 2.0, 8.0, relative_to=np.zeros(4)))
    assert np.all(tariffs.tariff_multiplier(path, 0.76, 2.0, 8.0, relative_to=path) == 1.0)


def _fixed_pledge(**extra):
    """Everything about the pledge fixed: I_t = 10 trillion yen / 147.06 / 10 years, in US$ bn."""
    return {"investment.realisation_rate": 1.0, "investment.fx_log_volatility": 0.0,
            "trade.fdi_elasticity_imports": 0.4, "trade.fdi_elasticity_exports": 0.4,
            "trade.fdi_lag_imports_years": 0.0, "trade.fdi_lag_exports_years": 2.0, **extra}


def test_a_pledge_at_the_business_as_usual_rate_adds_no_trade():
    run_rate = 10_000 / 147.06 / 10  # US$ bn a year
    at_bau = run(_fixed_pledge(**{"trade.fdi_linkage": "excess", "investment.bau_inflows_usd_bn": run_rate,
                                  "trade.fdi_import_persistence": 0.5}))
    no_link = run(_fixed_pledge(**{"trade.fdi_elasticity_imports": 0.0, "trade.fdi_elasticity_exports": 0.0}))
    for v in ("trade.exports_india_to_japan", "trade.exports_japan_to_india"):
        np.testing.assert_allclose(at_bau[v].values, no_link[v].values, rtol=1e-12)


def test_investment_above_business_as_usual_raises_trade_and_the_import_impulse_fades():
    excess = run(_fixed_pledge(**{"trade.fdi_linkage": "excess", "investment.bau_inflows_usd_bn": 3.0,
                                  "trade.fdi_import_persistence": 0.5}))
    no_link = run(_fixed_pledge(**{"trade.fdi_elasticity_imports": 0.0, "trade.fdi_elasticity_exports": 0.0}))
    ratio_m = (excess["trade.exports_japan_to_india"] / no_link["trade.exports_japan_to_india"]).values[0]
    ratio_x = (excess["trade.exports_india_to_japan"] / no_link["trade.exports_india_to_japan"]).values[0]
    assert np.all(ratio_m > 1) and np.all(ratio_x >= 1) and ratio_x[-1] > 1
    # a constant excess e with persistence 0.5 settles at e / (1 - 0.5) = 2e: the import effect stops growing
    e = 10_000 / 147.06 / 10 - 3.0
    assert ratio_m[-1] == pytest.approx((1 + 2 * e * (1 - 0.5**10) / 43.0) ** 0.4, rel=1e-9)
    assert ratio_x[-1] > ratio_x[-2]  # the export effect keeps building while the excess persists


def test_a_pledge_far_below_business_as_usual_floors_trade_above_zero():
    """Investment 1,000 US$ bn a year below business as usual would take K_0 + e_t below zero; the
    FDI base stops at 10^-6 K_0, so trade falls by (10^-6)^elasticity and stays positive and finite."""
    below = run(_fixed_pledge(**{"trade.fdi_linkage": "excess", "investment.bau_inflows_usd_bn": 1000.0,
                                 "trade.fdi_import_persistence": 0.5}))
    no_link = run(_fixed_pledge(**{"trade.fdi_elasticity_imports": 0.0, "trade.fdi_elasticity_exports": 0.0}))
    ratio_m = (below["trade.exports_japan_to_india"] / no_link["trade.exports_japan_to_india"]).values
    bilateral = [r["trade.exports_india_to_japan"] - r["trade.diverted_to_japan"] for r in (below, no_link)]
    ratio_x = (bilateral[0] / bilateral[1]).values  # the linkage moves the bilateral flow, not what the US diverts
    np.testing.assert_allclose(ratio_m, 1e-6 ** 0.4, rtol=1e-9)  # imports: no lag, floored from the first year
    np.testing.assert_allclose(ratio_x[:, :2], 1.0, rtol=1e-12)  # exports: K_0 during their two-year lag,
    np.testing.assert_allclose(ratio_x[:, 2:], 1e-6 ** 0.4, rtol=1e-9)  # then the floor
    assert np.all(np.isfinite(below["trade.balance"].values))


@pytest.mark.parametrize("growth, reference", [(-1.0, 0.0), (-1.5, 0.0), (0.0, -1.0), (0.0, -2.0)])
def test_income_multiplier_refuses_growth_of_minus_100_percent_or_less(growth, reference):
    with pytest.raises(ValueError):
        trade_drivers.income_multiplier(np.full((2, 3), growth), np.full(3, reference), 1.0)


def test_income_multiplier_just_above_minus_100_percent_is_finite():
    m = trade_drivers.income_multiplier(np.full((1, 2), -0.99), np.zeros(2), 1.0)
    np.testing.assert_allclose(m, [[0.01, 0.0001]], rtol=1e-12)


@pytest.mark.parametrize("fx, reference", [(0.0, 150.0), (-1.0, 150.0), (150.0, 0.0), (150.0, -3.0)])
def test_exchange_rate_multiplier_refuses_rates_that_are_not_positive(fx, reference):
    with pytest.raises(ValueError):
        trade_drivers.exchange_rate_multiplier(np.full((2, 3), fx), reference, 1.0)


def test_exchange_rate_multiplier_with_a_reference_per_draw_or_one_for_all():
    """(fx / reference)^elasticity; rates below 1 yen per dollar are still rates."""
    fx = np.array([[0.5, 1.0], [150.0, 300.0]])
    np.testing.assert_allclose(trade_drivers.exchange_rate_multiplier(fx, 0.5, 1.0), fx / 0.5, rtol=1e-14)
    per_draw = trade_drivers.exchange_rate_multiplier(fx, np.array([0.5, 150.0]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(per_draw, [[1.0, 2.0], [1.0, 4.0]], rtol=1e-14)


@pytest.mark.parametrize("years_since, years_to_long_run", [(-1.0, 3.0), (0.0, 0.0), (1.0, -2.0)])
def test_phase_in_refuses_negative_years_and_no_time_to_the_long_run(years_since, years_to_long_run):
    with pytest.raises(ValueError):
        tariffs.elasticity_phase_in(np.array([years_since]), -1.0, -3.0, years_to_long_run)


def test_income_multiplier_compounds_each_draw_over_its_own_years():
    """exp(eps_i * sum_{s<=t} [ln(1 + g_is) - ln(1 + ref_s)]) with two draws: cumulated along years only."""
    g = np.array([[0.1, 0.1, 0.1], [0.0, 0.0, 0.0]])
    m = trade_drivers.income_multiplier(g, np.zeros(3), np.array([1.0, 2.0]))
    np.testing.assert_allclose(m, [[1.1, 1.21, 1.331], [1.0, 1.0, 1.0]], rtol=1e-14)


def test_the_new_channels_at_zero_change_no_number_bit_for_bit():
    """Issue 28: the exporter's income at elasticity 0, and US tariffs on Japan that Japan and its
    competitors pay alike (the channel computed, diverting exactly nothing), give every trade output
    of a run without them, bit for bit; and each channel does act once it is not zero."""
    without = run({**IMPORTER_ONLY})
    par = {"tariffs.us_on_japan": {"2023": 0.0, "2025": 0.1264, "2026": 0.1},
           "tariffs.us_on_japan_competitors": {"2023": 0.0, "2025": 0.1264, "2026": 0.1},
           "trade.exports_japan_to_us_base_usd_bn": 141.86, "trade.diversion_share_to_india": 0.05}
    at_zero = run({**IMPORTER_ONLY, **par})
    assert np.all(at_zero["trade.diverted_to_india"].values == 0.0)
    for v in ("trade.exports_india_to_japan", "trade.exports_japan_to_india", "trade.balance", "trade.total",
              "trade.balance_change", "trade.cover_ratio"):
        np.testing.assert_array_equal(at_zero[v].values, without[v].values, err_msg=v)
    above = run({**IMPORTER_ONLY, **par, "tariffs.us_on_japan": {"2023": 0.0, "2025": 0.1264, "2026": 0.25}})
    assert above["trade.diverted_to_india"].values[:, 1:].min() > 0
    assert np.all(above["trade.exports_japan_to_india"].values[:, 1:] > without["trade.exports_japan_to_india"].values[:, 1:])
    exporter = run({"trade.exporter_income_elasticity_india_to_japan": 1e-3, "macro.gdp_growth_india": 0.08,
                    "trade.exporter_income_elasticity_japan_to_india": 0.0})
    assert not np.array_equal(exporter["trade.exports_india_to_japan"].values,
                              run({**IMPORTER_ONLY, "macro.gdp_growth_india": 0.08})["trade.exports_india_to_japan"].values)
