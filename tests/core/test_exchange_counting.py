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


def _entrants_provenance(path):
    """For each stream table of a scenario file: the text that documents its entrants_per_year (the
    comment lines just above it and the line itself) and whether its uptake is a range."""
    found, table, comments = {}, None, []
    for line in path.read_text().splitlines():
        header = re.match(r"\[exchange\.streams\.([A-Za-z0-9_-]+)\]", line.strip())
        if header:
            table, comments = header.group(1), []
            continue
        if line.startswith("["):
            table = None
        if table is None:
            continue
        if line.lstrip().startswith("#"):
            comments.append(line)
            continue
        if line.startswith("entrants_per_year"):
            found[table] = "\n".join(comments + [line])
        if not line.startswith("uptake"):
            comments = [] if not line.strip() == "" else comments
    return found


@pytest.mark.parametrize("name", ["baseline.toml", "exchange-at-trend.toml"])
def test_no_stream_entrants_without_a_source_or_an_assumption_with_its_range(name):
    path = SCENARIOS / name
    doc = tomllib.loads(path.read_text())
    provenance = _entrants_provenance(path)
    assert provenance, f"{name} sets no entrants"
    for stream, text in provenance.items():
        sourced = "https://" in text
        assumed = "ASSUMPTION" in text
        assert sourced or assumed, f"{name}: {stream}.entrants_per_year has neither a page address nor an ASSUMPTION label"
        if assumed and not sourced:
            uptake = doc["exchange"]["streams"][stream].get("uptake")
            assert isinstance(uptake, dict) and uptake["min"] < uptake["max"], \
                f"{name}: {stream} is an assumption without a range (uptake)"


def test_the_provenance_check_catches_an_unlabelled_stream(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[exchange.streams.x]\n# a comment without a label\nentrants_per_year = 5\n')
    text = _entrants_provenance(bad)["x"]
    assert "https://" not in text and "ASSUMPTION" not in text


def test_at_trend_is_the_baseline_without_the_plans_ramp():
    trend = simulator.load_scenario(SCENARIOS / "exchange-at-trend.toml")
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    for stream in ("skilled_workers", "technical_trainees", "students", "engineers"):
        key = f"exchange.streams.{stream}.entrants_per_year"
        assert trend.params[key].at([2025])[0] == base.params[key].at([2025])[0]
        assert trend.params[key].at([2029])[0] < base.params[key].at([2029])[0]


def test_a_counting_share_outside_0_1_is_refused(cli, write, tmp_path):
    write("s.toml", f'[scenario]\nname = "s"\nextends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n'
                    "[exchange.streams.business_visitors]\ncounts_toward_people = 1.5\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli("run", "s.toml", "--out", "out", "--draws", "5")
    assert code == 2 and "Traceback" not in err
    assert "exchange.streams.business_visitors.counts_toward_people: 1.5 is out of range; allowed [0, 1]" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
