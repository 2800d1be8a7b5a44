"""event_drivers.csv: the probability of each event at the low and the high end of each assumption's
range, as conditional shares of the same draws, with standard errors; the same streamed or in memory."""
import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.montecarlo import engine
from simulator.montecarlo.event_drivers import HIGH, LOW, driver_table, count_block
from simulator.output import run_folder as streaming

from tests.conftest import SCENARIOS


def one_stream(uptake, threshold):
    """One stream with no stage: its arrivals are 1,000 x uptake a year, so 'arrivals in 2026 >= threshold'
    happens exactly when uptake >= threshold / 1,000; a second drawn input moves nothing."""
    return simulator.scenario_from_dict({
        "scenario": {"name": "drivers", "horizon_years": 3, "draws": 2000, "seed": 4},
        "sampling": {"block_size": 300},
        "exchange": {"resident_growth": {"dist": "uniform", "min": 0.0, "max": 0.1},
                     "streams": {"x": {"entrants_per_year": 1000, "uptake": uptake}}},
        "events": {"many": {"title": "Many arrive", "variable": "exchange.arrivals_total", "year": 2026,
                            "op": ">=", "threshold": threshold}}})


def test_known_answer_at_both_ends():
    # uptake ~ uniform(0, 1); the event is uptake >= 0.5: never in the lowest fifth, always in the highest.
    result = engine.run(one_stream({"dist": "uniform", "min": 0.0, "max": 1.0}, 500.0))
    table = result.event_drivers()
    assert list(table.assumption) == ["exchange.streams.x.uptake"]  # growth moves nothing: not listed
    row = table.iloc[0]
    assert (row.p_low, row.p_high, row.se_low, row.se_high) == (0.0, 1.0, 0.0, 0.0)
    u = result["input.exchange.streams.x.uptake"].values
    assert row.draws_low == np.count_nonzero(u <= LOW) and row.draws_high == np.count_nonzero(u >= HIGH)
    assert row.low_end == "0 to 0.2 share" and row.high_end == "0.8 to 1 share"


def test_conditional_shares_and_their_errors_by_hand():
    # Event: uptake >= 0.9 of uniform(0, 1). High end (u >= 0.8): half of those draws; error sqrt(p(1-p)/m).
    result = engine.run(one_stream({"dist": "uniform", "min": 0.0, "max": 1.0}, 900.0))
    row = result.event_drivers().iloc[0]
    u = result["input.exchange.streams.x.uptake"].values
    high = u >= 0.8
    p = np.count_nonzero(u[high] >= 0.9) / np.count_nonzero(high)
    assert row.p_high == p and row.p_low == 0.0
    assert row.se_high == pytest.approx(np.sqrt(p * (1 - p) / np.count_nonzero(high)), rel=1e-12)
    assert row.difference == row.p_high - row.p_low


def test_streamed_and_in_memory_tables_are_identical(tmp_path):
    scenario = engine.configure(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=1500, block_size=256)
    streamed = streaming.run_into(scenario, tmp_path, ensemble="none", threads=2)
    pd.testing.assert_frame_equal(streamed.event_drivers(), engine.run(scenario).event_drivers(), check_exact=True)


def test_the_skilled_target_lists_the_engineers_stay(tmp_path, cli):
    code, out, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "2000", "--no-plots", "--out", "r")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "r" / "event_drivers.csv")
    events = pd.read_csv(tmp_path / "r" / "events.csv")
    assert set(table.event) == set(events.event)  # every event of the baseline has its drivers
    skilled = table[table.event == "skilled_50k_by_2029"].set_index("assumption")
    stay = skilled.loc["exchange.streams.engineers.mean_stay_years"]
    assert stay.low_end.startswith("3 to ") and stay.high_end.endswith(" to 7 years")
    assert stay.p_low > stay.p_high + 3 * np.hypot(stay.se_low, stay.se_high)  # short stays: more arrivals
    # The console states what the ± is and where to look.
    assert "not the uncertainty of the answer" in out and "event_drivers.csv" in out
    assert "Mean stay in Japan (engineers)" in out


def test_counts_ignore_what_was_not_drawn():
    scenario = one_stream({"dist": "uniform", "min": 0.0, "max": 1.0}, 500.0)
    counts = count_block(scenario, [np.array([True, False])], {})  # no inputs in the block
    assert counts.sum() == 0
    assert driver_table(scenario, counts).empty
