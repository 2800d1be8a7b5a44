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


def _series(name, values, unverified=()):
    """A year-end series `name` with these verified {year: value} (and unverified years)."""
    import dataclasses

    import pandas as pd
    years = sorted({**values, **dict.fromkeys(unverified, 1.0)})
    table = pd.DataFrame({"year": years, "value": [float(values.get(y, 1.0)) for y in years],
                          "verified": [y in values for y in years], "source": "test", "note": "",
                          "months": 12})
    return dataclasses.replace(TOTAL, name=name, table=table)


def test_resident_growth_from_three_counts_of_a_clean_exponential_path():
    # 1,000, 1,100, 1,210 at the ends of 2021-2023 (dated 2022.0, 2023.0, 2024.0): 10% a year exactly,
    # log slope ln 1.1, residuals zero. Three counts are enough (one residual degree of freedom; with
    # one the t spread has no finite sd, so a path that is not exact gets sd = inf). The fit is centred on the mean date, so
    # the slope is ln 1.1 to rounding (uncentred dates near 2023 lose about three digits).
    g = cal.resident_growth({cal.RESIDENT_SERIES: _series(cal.RESIDENT_SERIES, {2021: 1000, 2022: 1100, 2023: 1210})})
    assert g.dates == (2022.0, 2023.0, 2024.0)
    assert g.counts == (1000.0, 1100.0, 1210.0)
    assert g.df == 1
    assert g.log_rate == pytest.approx(math.log(1.1), rel=1e-13)
    assert g.rate == pytest.approx(0.1, rel=1e-13)
    assert g.log_se == pytest.approx(0.0, abs=1e-13)
    noisy = cal.resident_growth({cal.RESIDENT_SERIES: _series(cal.RESIDENT_SERIES, {2021: 1000, 2022: 1100, 2023: 1200})})
    assert noisy.df == 1 and noisy.log_se > 0 and noisy.sd == math.inf


def test_resident_growth_from_the_june_counts_alone():
    # No year-end series: the end-June counts are still used (dated y + 0.5), e.g. for a user's history.
    june = _series(cal.RESIDENT_SERIES_JUNE, {2020: 1000, 2021: 1100, 2022: 1210})
    g = cal.resident_growth({cal.RESIDENT_SERIES_JUNE: june})
    assert g.dates == (2020.5, 2021.5, 2022.5)
    assert g.rate == pytest.approx(0.1, rel=1e-12)


def test_growth_rate_needs_two_different_years():
    with pytest.raises(ValueError, match="need verified values for 2020 < 2020"):
        cal.growth_rate(TOTAL, 2020, 2020)


def test_arrivals_for_stock_bounds():
    assert cal.arrivals_for_stock(0.0, 4.0, 0.05) == 0.0  # an empty stock needs no arrivals
    assert cal.arrivals_for_stock(0.5, 2.0, 0.0) == 0.25  # half a person (a share of a stock) is a stock
    with pytest.raises(ValueError, match="need stock >= 0 and mean stay > 0, got -1.0, 4.0"):
        cal.arrivals_for_stock(-1.0, 4.0, 0.05)
    with pytest.raises(ValueError, match="need stock >= 0 and mean stay > 0, got 1000, 0.0"):
        cal.arrivals_for_stock(1000, 0.0, 0.05)


def test_entrants_for_stock_pass_rates_bounds():
    # Every stage passes everyone: the entrants are the arrivals (1,000 / 4 + 0.05 x 1,000 = 300).
    assert cal.entrants_for_stock(1000, 4.0, 0.05, (1.0, 1.0)) == pytest.approx(300.0)
    for rates in [(0.0, 0.5), (1.5,)]:  # nobody passes; more pass than enter
        with pytest.raises(ValueError, match="pass rates must multiply to a share in"):
            cal.entrants_for_stock(1000, 4.0, 0.05, rates)


def test_hindcast_two_years_ahead_widens_with_the_square_root_of_the_horizon():
    # 1,000 (2000) to 1,100 (2001): 10% a year; from 2001 to 2003: 1,100 x 1.1^2 = 1,331. Spread of the
    # log: 1.6449 x 0.05 x sqrt(2) = 0.11631, so 1,331 e^-0.11631 = 1,184.86 and 1,331 e^0.11631 = 1,495.17.
    # 2002 is not verified (its value is not used) and 2004 has no verified value to score on.
    series = _series("s", {2000: 1000, 2001: 1100, 2003: 1471}, unverified=(2002, 2004))
    h = cal.hindcast_stock(series, 2000, 2001, 2003, growth_sd=0.05)
    assert (h.origin, h.target) == (2001, 2003)
    assert h.projected == pytest.approx(1331.0, rel=1e-12)
    assert h.low == pytest.approx(1184.8567, abs=1e-3)
    assert h.high == pytest.approx(1495.1690, abs=1e-3)
    assert h.observed == 1471.0
    assert h.covered  # 1,471 is inside; with a spread that shrank with the horizon (1,410.8) it would not be
    with pytest.raises(ValueError, match="s: no verified value for 2004 to score the hindcast on"):
        cal.hindcast_stock(series, 2000, 2001, 2004, growth_sd=0.05)


HINDCAST_COLUMNS = ["series", "first_year", "origin", "target", "projected", "p05", "p95", "observed", "error",
                    "in_90", "growth_sd"]


def test_hindcast_table_rows_as_users_read_them():
    # Verified year ends 38,558 (2020), 48,835 (2023), 53,974 (2024): growth 2020-2023 (48835/38558)^(1/3) - 1
    # = 8.1946%, projected 48,835 x 1.081946 = 52,836.83; 90% interval x e^(-/+1.6449 x 0.05) = 48,665.28 to
    # 57,365.96; error (52836.83 - 53974) / 53974 = -2.1069%.
    table = cal.hindcast_table(HISTORY)
    assert list(table.columns) == HINDCAST_COLUMNS
    row = table.iloc[0].to_dict()
    assert row["series"] == "indian_residents_japan_total"
    assert (row["first_year"], row["origin"], row["target"]) == (2020, 2023, 2024)
    assert row["projected"] == pytest.approx(52836.83, abs=0.01)
    assert row["p05"] == pytest.approx(48665.28, abs=0.01)
    assert row["p95"] == pytest.approx(57365.96, abs=0.01)
    assert row["observed"] == 53974.0
    assert row["error"] == pytest.approx(-0.021069, abs=1e-6)
    assert table.in_90.tolist() == [True]
    assert row["growth_sd"] == 0.05
    empty = cal.hindcast_table({})  # no resident series: no rows, the same columns (the CSV's header)
    assert list(empty.columns) == HINDCAST_COLUMNS and empty.empty
