"""The trend-reverting trade process: closed forms, the engine's use of it, and files of the earlier format."""
import numpy as np
import pytest

import simulator
from simulator.core import trade_process as tp
from simulator.scenario import load_scenario, scenario_from_dict

from tests.conftest import ROOT

LEGACY = ROOT / "tests" / "scenarios" / "baseline_random_walk_v1.toml"


def test_no_shocks_on_trend_is_exact_exponential_growth():
    g = tp.trend_reverting_growth([0.03, 0.06], [0.0, 0.0], tp.transition_matrix(0.5, 0.7), np.zeros((1, 4, 2)))
    np.testing.assert_allclose(g[0], np.exp(np.outer(np.arange(1, 5), [0.03, 0.06])), rtol=1e-15)


def test_gap_decays_at_the_persistence_rate():
    rho, gap, beta = np.array([0.5, 0.8]), np.array([0.2, -0.1]), np.array([0.01, 0.02])
    g = tp.trend_reverting_growth(beta, gap, tp.transition_matrix(*rho), np.zeros((1, 6, 2)))
    k = np.arange(1, 7)[:, None]
    np.testing.assert_allclose(np.log(g[0]), beta * k + rho**k * gap - gap, rtol=1e-13)


def test_var1_follows_the_matrix_power():
    A = tp.transition_matrix(0.4, 0.3, 0.2, -0.1)
    gap = np.array([0.3, 0.1])
    e = np.zeros((1, 5, 2))
    e[0, 1] = [0.05, -0.02]  # one shock in year 2
    g = tp.trend_reverting_growth([0.0, 0.0], gap, A, e)
    for k in range(1, 6):
        u = np.linalg.matrix_power(A, k) @ gap + (np.linalg.matrix_power(A, k - 2) @ e[0, 1] if k >= 2 else 0)
        np.testing.assert_allclose(np.log(g[0, k - 1]), u - gap, atol=1e-14)


def test_spectral_radius():
    assert tp.spectral_radius(tp.transition_matrix(0.5, 0.2)) == pytest.approx(0.5)
    assert tp.spectral_radius(tp.transition_matrix(0.9, 0.9, 0.5, 0.5)) == pytest.approx(1.4)
    assert tp.spectral_radius(tp.transition_matrix(0.5, 0.5, 0.5, -0.5)) == pytest.approx(np.sqrt(0.5))  # 0.5 +- 0.5i


def test_spectral_radius_is_the_largest_eigenvalue_modulus_real_or_complex():
    A = np.random.default_rng(3).normal(0, 0.7, (20_000, 2, 2))
    expected = np.abs(np.linalg.eigvals(A)).max(axis=-1)
    got = tp.spectral_radius(A)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert 0.2 < np.mean(np.iscomplex(np.linalg.eigvals(A)[:, 0])) < 0.8  # both branches tried
    np.testing.assert_allclose(tp.spectral_radius(A[0]), expected[0], rtol=1e-12)  # one matrix, as (2, 2)


def _ar1_scenario(**trade):
    return scenario_from_dict({
        "scenario": {"name": "ar1", "draws": 8, "horizon_start": 2025, "horizon_years": 6},
        "trade": {"process": "ar1", "exports_india_to_japan_base_usd_bn": 5.0,
                  "exports_japan_to_india_base_usd_bn": 20.0, **trade}})


def test_engine_reproduces_the_closed_form_path():
    s = _ar1_scenario(trend_growth_india_to_japan=0.02, trend_growth_japan_to_india=0.05,
                      first_year_growth_india_to_japan=0.02 - 0.4 * 0.1, first_year_growth_japan_to_india=0.05 - 0.7 * -0.2,
                      persistence_india_to_japan=0.6, persistence_japan_to_india=0.3)
    ds = simulator.run(s, threads=1).dataset
    k = np.arange(2025, 2031) - 2023
    x = 5.0 * np.exp(0.02 * k + 0.6**k * 0.1 - 0.1)
    m = 20.0 * np.exp(0.05 * k + 0.3**k * -0.2 + 0.2)
    np.testing.assert_allclose(ds["trade.exports_india_to_japan"].values, np.broadcast_to(x, (8, 6)), rtol=1e-12)
    np.testing.assert_allclose(ds["trade.exports_japan_to_india"].values, np.broadcast_to(m, (8, 6)), rtol=1e-12)
    np.testing.assert_allclose(ds["trade.balance"].values, np.broadcast_to(x - m, (8, 6)), rtol=1e-12)


def test_stationary_bands_stop_widening_while_a_random_walks_grow():
    shocks = dict(volatility_india_to_japan=0.15, volatility_japan_to_india=0.15)
    rw = scenario_from_dict({"scenario": {"name": "rw", "draws": 8, "horizon_years": 30},
                             "trade": shocks})
    ar1 = scenario_from_dict({
        "scenario": {"name": "ar1", "draws": 8, "horizon_years": 30},
        "trade": {"process": "ar1", "persistence_india_to_japan": 0.5, "persistence_japan_to_india": 0.5, **shocks}})
    spread = {}
    for name, s in (("ar1", ar1), ("rw", rw)):
        x = np.log(simulator.run(s, draws=4000, threads=1).dataset["trade.exports_india_to_japan"].values)
        spread[name] = x.std(axis=0)
    # AR(1): sd -> sigma / sqrt(1 - rho^2) = 0.173; random walk: sigma sqrt(k)
    assert spread["ar1"][-1] == pytest.approx(0.15 / np.sqrt(0.75), rel=0.06)
    assert spread["rw"][-1] == pytest.approx(0.15 * np.sqrt(2054 - 2023), rel=0.06)


# Computed by the code before `trade.process` existed (commit 89249f1), baseline at 500 draws, seed 7.
LEGACY_VALUES = {
    ('trade.exports_india_to_japan', 2025): ['0x1.c4cfcecc13f59p+1', '0x1.528cf8e7ca75ap+2', '0x1.0779005fa9497p+3', '0x1.60c9cc63926cep+2'],
    ('trade.exports_india_to_japan', 2030): ['0x1.6e020848bafb4p+1', '0x1.78ae063a93806p+2', '0x1.8577d8be45f2dp+3', '0x1.9d6584537bf18p+2'],
    ('trade.exports_india_to_japan', 2034): ['0x1.4e170192e25dfp+1', '0x1.97c0853f7d6c2p+2', '0x1.16e1d0a2ed37dp+4', '0x1.e7bb6482516cap+2'],
    ('trade.exports_japan_to_india', 2025): ['0x1.da9677ecff191p+3', '0x1.389c78120d30ap+4', '0x1.9edf124af9e9dp+4', '0x1.3d5e75bb05effp+4'],
    ('trade.exports_japan_to_india', 2030): ['0x1.f5ee26c2b0701p+3', '0x1.a4a70021dbcd4p+4', '0x1.7f51b7a54f259p+5', '0x1.ca4486a75a96ep+4'],
    ('trade.exports_japan_to_india', 2034): ['0x1.0e6713fcc67cbp+4', '0x1.0e8c52d71758ap+5', '0x1.1bf49da00208cp+6', '0x1.2eb565c3c8ec5p+5'],
    ('trade.balance', 2025): ['-0x1.357e15876fb4dp+4', '-0x1.c20238b953e57p+3', '-0x1.44abbe289c19ap+3', '-0x1.ca58054442a9bp+3'],
    ('trade.balance', 2030): ['-0x1.3b773af91e954p+5', '-0x1.46a9c33df9f2ap+4', '-0x1.5ceb3dd40e0b5p+3', '-0x1.62eb25927b9afp+4'],
    ('trade.balance', 2034): ['-0x1.d23e6c108aee4p+5', '-0x1.adfb7f800f500p+4', '-0x1.6154aae93687dp+3', '-0x1.e37bf266fd7dfp+4'],
}


def test_files_of_the_earlier_format_give_the_same_numbers_bit_for_bit():
    """Quantiles bit for bit (order statistics: the same on every processor); the mean to the last
    bits only, since numpy sums with the SIMD width the processor offers (AVX2 and AVX-512 moved
    the 2030 balance's mean by one ulp, with every version the same)."""
    summary = simulator.run(load_scenario(LEGACY), draws=500, seed=7, threads=1).summary().set_index(["variable", "year"])
    for key, expected in LEGACY_VALUES.items():
        got = [float(summary.loc[key, c]).hex() for c in ("p05", "p50", "p95")]
        assert got == expected[:3], key
        assert float(summary.loc[key, "mean"]) == pytest.approx(float.fromhex(expected[3]), rel=1e-14, abs=0), key


def test_process_keys_for_another_process_are_reported(cli, write):
    write("s.toml", """
        [scenario]
        name = "x"
        [trade]
        persistence_india_to_japan = 0.5
        """)
    code, _, err = cli("validate", "s.toml")
    assert code == 2
    assert "trade.persistence_india_to_japan" in err and "only used with process = 'ar1' or 'var1'" in err


def test_a_child_may_switch_process_under_a_random_walk_parent(cli, write):
    write("parent.toml", '[scenario]\nname = "p"\n[trade]\ngrowth_india_to_japan = 0.02\n')
    write("child.toml", '[scenario]\nname = "c"\nextends = "parent.toml"\n[trade]\nprocess = "ar1"\n')
    assert cli("validate", "child.toml")[0] == 0


def test_scaled_innovations_put_each_flow_in_its_own_column():
    z_x, z_m = np.ones((2, 3)), np.full((2, 3), 2.0)
    e = tp.scaled_innovations(z_x, z_m, np.array([0.1, 0.3]), 0.5)
    assert e.shape == (2, 3, 2)
    np.testing.assert_array_equal(e[..., 0], [[0.1] * 3, [0.3] * 3])
    np.testing.assert_array_equal(e[..., 1], np.ones((2, 3)))


@pytest.mark.parametrize("batched", ["transition", "growth", "both"])
def test_base_gap_broadcasts_draws_of_either_argument(batched):
    """u_b = (I - A)^-1 (beta - mu_1), known answer with A diagonal: u = (beta - mu_1) / (1 - rho),
    whether the draws vary the transition, the growth rates or both."""
    rho = np.array([[0.5, 0.8], [0.2, 0.6], [0.9, 0.0]])
    beta, mu = np.array([0.03, 0.05]), np.array([[0.01, 0.02], [0.04, 0.0], [0.03, 0.05]])
    A = np.stack([tp.transition_matrix(r[0], r[1]) for r in rho]) if batched != "growth" else tp.transition_matrix(0.5, 0.8)
    first = mu if batched != "transition" else mu[0]
    u = tp.gap_from_first_year_growth(beta, first, A)
    expected = (beta - first) / (1 - (rho if batched != "growth" else rho[0]))
    assert u.shape == (3, 2)
    np.testing.assert_allclose(u, np.broadcast_to(expected, (3, 2)), rtol=1e-14)


@pytest.fixture(scope="module")
def small_baseline():
    from simulator.montecarlo import engine
    return engine.configure(load_scenario(ROOT / "scenarios" / "baseline.toml"), draws=30, seed=4)


def _flows(scenario, **params):
    from simulator.montecarlo import engine
    if params.get("process", "random_walk") != "random_walk":
        params["start"] = "base"  # only a random walk starts from the history's newest year
    r = engine.run(scenario.with_params({f"trade.{k}" if "." not in k else k: v for k, v in params.items()}))
    return r["trade.exports_india_to_japan"].values, r["trade.exports_japan_to_india"].values


def test_the_var1_spillovers_reach_the_run_each_in_its_own_direction(small_baseline):
    """Under var1 without spillovers the two flows are the ar1 run's two AR(1)s; each spillover moves
    only the flow it names (the other flow's gap drives it). (Spillovers with ar1 are refused.)"""
    x, m = _flows(small_baseline, process="ar1")
    x_var, m_var = _flows(small_baseline, process="var1", spillover_to_india_to_japan=0.0,
                          spillover_to_japan_to_india=0.0)
    np.testing.assert_allclose(x_var, x, rtol=1e-12) and np.testing.assert_allclose(m_var, m, rtol=1e-12)
    x_to, m_to = _flows(small_baseline, process="var1", spillover_to_india_to_japan=0.3,
                        spillover_to_japan_to_india=0.0)
    assert np.abs(x_to / x - 1).max() > 1e-3
    np.testing.assert_allclose(m_to, m, rtol=1e-12)
    x_from, m_from = _flows(small_baseline, process="var1", spillover_to_india_to_japan=0.0,
                            spillover_to_japan_to_india=0.3)
    assert np.abs(m_from / m - 1).max() > 1e-3
    np.testing.assert_allclose(x_from, x, rtol=1e-12)


def test_india_tariff_on_japan_and_other_inflows_move_the_run_their_own_way(small_baseline):
    """A tariff India puts on Japanese goods lowers Japan's exports to India in every draw; other
    FDI inflows add to the investment that moves trade (fdi_linkage = 'excess'), so they raise it."""
    x, m = _flows(small_baseline)
    _, m_tariff = _flows(small_baseline, **{"tariffs.india_on_japan": {"2025": 0.0, "2027": 0.1}})
    assert np.all(m_tariff[:, -1] < m[:, -1])
    x_more, m_more = _flows(small_baseline, **{"investment.other_inflows_usd_bn": 3.0})
    assert np.all(m_more[:, -1] > m[:, -1]) and np.all(x_more[:, -1] >= x[:, -1])


def test_one_flow_without_shocks_beside_one_with_them(small_baseline):
    """A volatility of 0 for one direction only (its shocks are not drawn): that flow keeps the path it
    has with both volatilities at 0, the other keeps its shocks."""
    x_none, m_none = _flows(small_baseline, volatility_india_to_japan=0.0, volatility_japan_to_india=0.0)
    x_calm, m_shocked = _flows(small_baseline, volatility_india_to_japan=0.0)
    np.testing.assert_allclose(x_calm, x_none, rtol=1e-12)
    assert np.abs(m_shocked / m_none - 1).max() > 1e-2
    x_shocked, m_calm = _flows(small_baseline, volatility_japan_to_india=0.0)
    np.testing.assert_allclose(m_calm, m_none, rtol=1e-12)
    assert np.abs(x_shocked / x_none - 1).max() > 1e-2
