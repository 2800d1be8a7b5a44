"""The Action Plan's counting rules as data, and the provenance of every stream's entrants."""
import re
import tomllib

import numpy as np
import pytest

import simulator

from tests.conftest import SCENARIOS

PLAN_PAGE = "https://www.narendramodi.in/action-plan-for-india-japan-human-resource-exchange-and-cooperation"


def _run(write, counts: float, draws: int = 60):
    text = (SCENARIOS / "baseline.toml").read_text()
    path = write("base.toml", text)
    child = write("child.toml", f'[scenario]\nname = "child"\nextends = "{path.name}"\n'
                                f"[exchange.streams.business_visitors]\ncounts_toward_people = {counts}\n")
    return simulator.run(simulator.load_scenario(child), draws=draws, seed=11)


def test_a_stream_not_counted_changes_the_count_not_the_arrivals(write):
    counted, not_counted = _run(write, 1.0), _run(write, 0.0)
    # Arrivals are the same, draw by draw: the rule only decides what is counted.
    np.testing.assert_array_equal(counted["exchange.arrivals_total"].values,
                                  not_counted["exchange.arrivals_total"].values)
    visitors = counted["exchange.arrivals_by_stream"].sel(stream="business_visitors").values.cumsum(axis=1)
    np.testing.assert_allclose(counted["exchange.counted_cumulative"].values
                               - not_counted["exchange.counted_cumulative"].values, visitors, rtol=1e-12)
    p_yes = counted.probabilities().set_index("variable")["probability"]
    p_no = not_counted.probabilities().set_index("variable")["probability"]
    assert p_no["exchange.counted_cumulative"] <= p_yes["exchange.counted_cumulative"]
    assert p_no["exchange.skilled_cumulative"] == p_yes["exchange.skilled_cumulative"]


def test_a_stream_not_counted_leaves_the_target_probability_where_it_was(write):
    # Add a stream that is not counted: arrivals rise, the probability of the target does not move.
    # (A target the baseline meets in some draws and not others, so that a move would show.)
    path = write("base.toml", (SCENARIOS / "baseline.toml").read_text())
    middle = write("middle.toml", f'[scenario]\nname = "middle"\nextends = "{path.name}"\n'
                                  "[exchange]\ntarget_people = 400000\ntarget_skilled = 45000\n"
                                      # the probabilities are the scenario's events (issue 17): move their thresholds too
                                      "[events]\npeople_500k_by_2029 = false\nskilled_50k_by_2029 = false\n"
                                      "[events.people_400k]\ntitle = \"400,000 people by 2029\"\n"
                                      "variable = \"exchange.counted_cumulative\"\nby = 2029\nop = \">=\"\n"
                                      "threshold = 400000\n"
                                      "[events.skilled_45k]\ntitle = \"45,000 skilled by 2029\"\n"
                                      "variable = \"exchange.skilled_cumulative\"\nby = 2029\nop = \">=\"\n"
                                      "threshold = 45000\n")

    def with_tourists(counts):
        return write(f"t{counts}.toml", f'[scenario]\nname = "t"\nextends = "{middle.name}"\n'
                                        "[exchange.streams.tourists]\ndirection = \"india_to_japan\"\n"
                                        f"entrants_per_year = 200000\ncounts_toward_people = {counts}\n"
                                        "stay_years = 0.02\n")

    def probabilities(file):
        result = simulator.run(simulator.load_scenario(file), draws=60, seed=5)
        return result, result.probabilities().set_index("variable")["probability"]

    before, p_before = probabilities(middle)
    after, p_after = probabilities(with_tourists(0.0))
    _, p_counted = probabilities(with_tourists(1.0))
    assert 0 < p_before["exchange.counted_cumulative"] < 1
    assert 0 < p_before["exchange.skilled_cumulative"] < 1
    assert float(after["exchange.arrivals_total"].sum()) > float(before["exchange.arrivals_total"].sum()) + 1e6
    assert p_after["exchange.counted_cumulative"] == p_before["exchange.counted_cumulative"]
    assert p_after["exchange.skilled_cumulative"] == p_before["exchange.skilled_cumulative"]
    assert p_counted["exchange.counted_cumulative"] == 1.0  # counted, the same stream would carry the target


def test_the_baseline_cites_the_plan_for_its_counting_rules():
    text = (SCENARIOS / "baseline.toml").read_text()
    assert PLAN_PAGE in text and "in both directions" in text
    doc = tomllib.loads(text)
    streams = doc["exchange"]["streams"]
    # Both directions count towards the people target; only India-to-Japan streams are skilled.
    assert any(s["direction"] == "japan_to_india" for s in streams.values())
    assert all(s.get("counts_toward_people", 1.0) > 0 for s in streams.values())
    assert not any(s.get("skilled") for s in streams.values() if s["direction"] == "japan_to_india")


# Where each stream's level comes from: tests/scenario/test_level_sources.py (structured keys, not comments).


def test_at_trend_is_the_baseline_without_the_plans_multiplier():
    trend = simulator.load_scenario(SCENARIOS / "exchange-at-trend.toml")
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    for stream in ("skilled_workers", "technical_trainees", "students", "engineers"):
        path = f"exchange.streams.{stream}"
        assert trend.params[f"{path}.observed_stock"] == base.params[f"{path}.observed_stock"]
        assert trend.params[f"{path}.plan_multiplier"].value == 1.0
        assert base.params[f"{path}.plan_multiplier"].mean() > 1.0


def test_a_counting_share_outside_0_1_is_refused(cli, write, tmp_path):
    write("s.toml", f'[scenario]\nname = "s"\nextends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n'
                    "[exchange.streams.business_visitors]\ncounts_toward_people = 1.5\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli("run", "s.toml", "--out", "out", "--draws", "5")
    assert code == 2 and "Traceback" not in err
    assert "exchange.streams.business_visitors.counts_toward_people: 1.5 is out of range; allowed [0, 1]" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_plans_window_counts_partial_years_pro_rata():
    # August 2025 for five years: 5/12 of 2025, all of 2026-2029, 7/12 of 2030, nothing after.
    from simulator.montecarlo.projection import plan_window_weights
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    assert plan_window_weights(base).tolist() == pytest.approx([5 / 12, 1, 1, 1, 1, 7 / 12, 0, 0, 0, 0])
    calendar = base.with_params({"exchange.plan_start": "2025-01"})
    assert plan_window_weights(calendar).tolist() == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]


def test_the_readings_count_what_they_say():
    # Workers only: SSW, trainees and engineers; the plan's window weights the same yearly arrivals.
    from simulator.montecarlo import engine
    from simulator.montecarlo.projection import plan_window_weights
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    result = engine.run(base, draws=64, seed=5, block_size=64)
    by_stream = result["exchange.arrivals_by_stream"]
    workers = by_stream.sel(stream=["skilled_workers", "technical_trainees", "engineers"]).sum("stream")
    np.testing.assert_allclose(result["exchange.workers_cumulative"], workers.cumsum("year"), rtol=1e-12)
    skilled = result["exchange.skilled_arrivals"]
    window = plan_window_weights(base)
    np.testing.assert_allclose(result["exchange.skilled_plan_window"], (skilled * window).cumsum("year"), rtol=1e-12)
    assert (result["exchange.workers_cumulative"] < result["exchange.skilled_cumulative"]).all()
