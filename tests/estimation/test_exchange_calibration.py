"""The exchange's calibration: entrants from observed stocks, the shipped scenarios' numbers, and
the hindcast of Indian residents in Japan."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import simulator
from simulator.estimation import exchange_calibration as cal
from simulator.history.series import load_history

from tests.conftest import SCENARIOS

HISTORY = load_history()
TOTAL = HISTORY["indian_residents_japan_total"]


def test_growth_of_indian_residents_by_hand():
    # 37,933 (Dec 2019) to 53,974 (Dec 2024): (53974/37933)^(1/5) - 1.
    assert cal.growth_rate(TOTAL, 2019, 2024) == pytest.approx(0.073083, abs=1e-6)
    with pytest.raises(ValueError, match="2014"):
        cal.growth_rate(TOTAL, 2014, 2024)  # unverified: not used


def test_arrivals_for_a_stock_by_hand():
    # 1,000 people staying 4 years on average, growing 5%: 250 replace leavers, 50 are growth.
    assert cal.arrivals_for_stock(1000, 4.0, 0.05) == pytest.approx(300.0)
    assert cal.entrants_for_stock(1000, 4.0, 0.05, (0.5, 0.6)) == pytest.approx(1000.0)


@given(stock=st.floats(1, 1e6), stay=st.floats(0.1, 20), growth=st.floats(-0.05, 0.3))
def test_a_steady_growth_path_is_reproduced(stock, stay, growth):
    # Exponential stays with mean L and arrivals growing at g: the stock S(t) with dS/dt = A - S/L
    # stays on the path S e^{gt} exactly when A = S (1/L + g) (continuous-time form of the rule).
    # Compared as a whole, not as a difference: arrivals - S/L cancels and loses the digits that a
    # fixed absolute tolerance would need (growth 0 and S/L near 1e7 left 2e-9 of rounding).
    arrivals = cal.arrivals_for_stock(stock, stay, growth)
    scale = stock * (1 / stay + abs(growth))  # 1/L + g can itself cancel (L = 20, g = -0.05)
    assert arrivals == pytest.approx(stock / stay + growth * stock, rel=0, abs=1e-12 * scale)


@pytest.mark.parametrize("stream, series, stay, rates", [
    ("technical_trainees", "indian_residents_japan_technical_intern", 3.0, (0.7, 0.9, 0.95, 0.98)),
    ("students", "indian_students_japan", 2.0, (0.95, 0.98)),
    ("engineers", "indian_residents_japan_engineer_humanities", 5.0, (0.95, 0.98)),
])
def test_shipped_trend_entrants_follow_from_the_history(stream, series, stay, rates):
    growth = cal.growth_rate(TOTAL, 2019, 2024)
    stock = float(HISTORY[series].values()[2024])
    expected = cal.entrants_for_stock(stock, stay, growth, rates)
    for name in ("baseline.toml", "exchange-at-trend.toml"):
        scenario = simulator.load_scenario(SCENARIOS / name)
        p = scenario.params
        assert p[f"exchange.streams.{stream}.entrants_per_year"].at([2025])[0] == pytest.approx(expected, rel=0.01)
        modes = [p[f"exchange.streams.{stream}.pass_rates.{k}"] for k in p[f"exchange.streams.{stream}.stages"]]
        assert math.prod(getattr(m, "mode", None) or m.mean() for m in modes) == pytest.approx(math.prod(rates), rel=1e-9)
    trend = simulator.load_scenario(SCENARIOS / "exchange-at-trend.toml").params
    path = trend[f"exchange.streams.{stream}.entrants_per_year"].at([2025, 2034])
    assert path[1] / path[0] == pytest.approx((1 + growth) ** 9, rel=0.01)


def test_ssw_entrants_follow_from_the_404_holders():
    # 404 SSW holders (Dec 2024) arrived over 2022-2024: 134.7 a year; 0.356 pass every stage.
    stock = float(HISTORY["indian_residents_japan_specified_skilled"].values()[2024])
    expected = stock / 3 / (0.6 * 0.75 * 0.85 * 0.95 * 0.98)
    p = simulator.load_scenario(SCENARIOS / "baseline.toml").params
    assert p["exchange.streams.skilled_workers.entrants_per_year"].at([2025])[0] == pytest.approx(expected, rel=0.01)


def test_hindcast_of_indian_residents_2024():
    # From 2023 at the 2019-2023 growth (6.52% a year): 52,019 against 53,974 observed, 3.6% short.
    h = cal.hindcast_stock(TOTAL, 2019, 2023, 2024, growth_sd=0.05)
    assert h.projected == pytest.approx(52018.7, abs=1)
    assert h.error == pytest.approx(-0.0362, abs=5e-4)
    assert h.covered
    tight = cal.hindcast_stock(TOTAL, 2019, 2023, 2024, growth_sd=0.01)
    assert not tight.covered  # the interval is what decides coverage, not a constant


def test_hindcast_table_scores_every_pair_the_record_allows():
    table = cal.hindcast_table(HISTORY)
    assert list(zip(table.origin, table.target)) == [(2023, 2024)]  # verified year ends: 2019, 2023, 2024
    assert table.error.iloc[0] == pytest.approx(-0.0362, abs=5e-4)
    assert cal.hindcast_table({}).empty
