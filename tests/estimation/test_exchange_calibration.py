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
    # 38,558 (Dec 2020) to 53,974 (Dec 2024): (53974/38558)^(1/4) - 1.
    assert cal.growth_rate(TOTAL, 2020, 2024) == pytest.approx(0.087721, abs=1e-6)
    with pytest.raises(ValueError, match="2014"):
        cal.growth_rate(TOTAL, 2014, 2024)  # unverified: not used
    with pytest.raises(ValueError, match="2019"):
        cal.growth_rate(TOTAL, 2019, 2024)  # 37,933 is the end-June 2019 count: not a year-end value


def test_the_2019_count_is_dated_june():
    june = HISTORY["indian_residents_japan_total_june"]
    assert june.values()[2019] == 37933
    assert 2019 not in TOTAL.table.year.tolist()
    assert TOTAL.values()[2020] == 38558  # IPSS table 10-4
    assert 56686 not in june.values().tolist()  # end-June 2025: no stored page confirms it
    assert june.values(verified_only=False)[2025] == 56686


def test_resident_growth_fits_every_verified_count():
    # OLS of log count on the date: June 2019, Dec 2020, June and Dec 2023, Dec 2024 (5 counts, 3 df).
    g = cal.resident_growth(HISTORY)
    assert g.dates == (2019.5, 2021.0, 2023.5, 2024.0, 2025.0)
    import numpy as np
    t, y = np.array(g.dates), np.log(g.counts)
    slope = np.polyfit(t, y, 1)[0]  # the same line by another route
    assert g.log_rate == pytest.approx(slope, rel=1e-10)
    assert g.rate == pytest.approx(math.expm1(slope))
    assert g.rate == pytest.approx(0.0675, abs=5e-5)
    assert g.df == 3
    assert g.sd == pytest.approx(math.exp(g.log_rate) * g.log_se * math.sqrt(3), rel=1e-12)
    import dataclasses
    two = dataclasses.replace(TOTAL, table=TOTAL.table[TOTAL.table.year != 2020])  # 2023 and 2024 verified
    with pytest.raises(ValueError, match="three verified counts"):
        cal.resident_growth({"indian_residents_japan_total": two})


@pytest.mark.parametrize("name", ["baseline.toml", "exchange-at-trend.toml"])
def test_shipped_growth_is_the_estimate(name):
    # The scenario carries the estimate (rounded to 0.0005), not a number worked out by hand.
    g = cal.resident_growth(HISTORY)
    drawn = simulator.load_scenario(SCENARIOS / name).params["exchange.resident_growth"]
    params = dict(drawn.params)
    assert params["mean"] == pytest.approx(g.rate, abs=5e-4)
    assert params["sd"] == pytest.approx(g.sd, abs=5e-4)


@pytest.mark.parametrize("stream, series, year", [
    ("skilled_workers", "indian_residents_japan_specified_skilled", 2024),
    ("technical_trainees", "indian_residents_japan_technical_intern", 2024),
    ("students", "indian_students_japan", 2024),
    ("engineers", "indian_residents_japan_engineer_humanities", 2024),
])
def test_calibrated_streams_carry_the_history_count_and_its_page(stream, series, year):
    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    p = scenario.params
    row = HISTORY[series].table.set_index("year").loc[year]
    assert p[f"exchange.streams.{stream}.observed_stock"].value == row.value
    assert p[f"exchange.streams.{stream}.observed_stock_source"] == row.source
    assert f"exchange.streams.{stream}.entrants_per_year" not in scenario.explicit  # no hand-worked entrants


def test_the_resident_total_is_the_history_count():
    p = simulator.load_scenario(SCENARIOS / "baseline.toml").params
    assert p["exchange.resident_total"].value == TOTAL.values()[2024]
    assert p["exchange.resident_total_source"] == TOTAL.table.set_index("year").loc[2024].source


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


def test_hindcast_of_indian_residents_2024():
    # From 2023 at the 2020-2023 growth (8.19% a year): 52,837 against 53,974 observed, 2.1% short.
    h = cal.hindcast_stock(TOTAL, 2020, 2023, 2024, growth_sd=0.05)
    assert h.projected == pytest.approx(52836.8, abs=1)
    assert h.error == pytest.approx(-0.0211, abs=5e-4)
    assert h.covered
    tight = cal.hindcast_stock(TOTAL, 2020, 2023, 2024, growth_sd=0.01)
    assert not tight.covered  # the interval is what decides coverage, not a constant


def test_hindcast_table_scores_every_pair_the_record_allows():
    table = cal.hindcast_table(HISTORY)
    assert list(zip(table.origin, table.target)) == [(2023, 2024)]  # verified year ends: 2020, 2023, 2024
    assert table.error.iloc[0] == pytest.approx(-0.0211, abs=5e-4)
    assert cal.hindcast_table({}).empty
