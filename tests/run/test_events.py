"""Events in scenario files: probabilities equal counting over the ensemble, with their Monte
Carlo standard errors; bad definitions refused like any scenario error."""
import json

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.montecarlo import engine
from simulator.montecarlo.comparison import compare

from tests.conftest import SCENARIOS

BASE = """
[scenario]
name = "ev"
draws = 10
horizon_start = 2025
horizon_years = 5
"""


@pytest.fixture(scope="module")
def result():
    return engine.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=800, seed=2, block_size=256)


def test_baseline_has_the_headline_events_under_each_reading(result):
    # Each exchange target under two windows (calendar 2025-2029, the plan's Aug 2025-Jul 2030) and the
    # skilled one also under two counting readings (broad, workers only).
    assert [e.name for e in result.scenario.events] == [
        "deficit_narrower_2030", "deficit_narrower_2034", "people_500k_by_2029", "people_500k_plan_window",
        "skilled_50k_by_2029", "skilled_50k_plan_window", "workers_50k_by_2029", "workers_50k_plan_window"]


def test_probabilities_equal_counting_over_the_ensemble(result):
    table = result.events().set_index("event")
    ds, n = result.dataset, 800
    x0 = result.scenario.params["trade.exports_india_to_japan_base_usd_bn"].value
    m0 = result.scenario.params["trade.exports_japan_to_india_base_usd_bn"].value
    counts = {
        "deficit_narrower_2030": (ds["trade.balance"].sel(year=2030).values > x0 - m0).sum(),
        "deficit_narrower_2034": (ds["trade.balance"].sel(year=2034).values > x0 - m0).sum(),
        "people_500k_by_2029": (ds["exchange.counted_cumulative"].sel(year=slice(2025, 2029)).values >= 500_000).any(1).sum(),
        "skilled_50k_by_2029": (ds["exchange.skilled_cumulative"].sel(year=slice(2025, 2029)).values >= 50_000).any(1).sum(),
        "workers_50k_by_2029": (ds["exchange.workers_cumulative"].sel(year=slice(2025, 2029)).values >= 50_000).any(1).sum(),
        "workers_50k_plan_window": (ds["exchange.workers_plan_window"].sel(year=2030).values >= 50_000).sum(),
        "people_500k_plan_window": (ds["exchange.counted_plan_window"].sel(year=2030).values >= 500_000).sum(),
    }
    for name, count in counts.items():
        p = count / n
        assert table.loc[name, "probability"] == p, name
        assert table.loc[name, "se"] == pytest.approx(np.sqrt(p * (1 - p) / n), rel=1e-12), name
    # The deficit event is the earlier built-in one: the balance change from the base year above 0.
    assert table.loc["deficit_narrower_2030", "probability"] == (ds["trade.balance_change"].sel(year=2030) > 0).mean()
    assert 0 < table.loc["deficit_narrower_2030", "probability"] < 1


def test_event_gives_the_draws_behind_the_probability(result):
    happened = result.event("people_500k_by_2029")
    assert happened.dtype == bool and happened.shape == (800,)
    assert happened.mean() == result.events().set_index("event").loc["people_500k_by_2029", "probability"]
    with pytest.raises(KeyError, match="no event 'nope'"):
        result.event("nope")


def test_by_means_in_any_year_up_to_it(write):
    """Disbursement is front-loaded: above a level early, below it later, so 'by' and 'year' differ."""
    path = write("s.toml", BASE + """
        [investment]
        realisation_rate = { dist = "uniform", min = 0.5, max = 1.0 }
        [investment.disbursement]
        profile = "front_loaded"
        [events.early]
        variable = "investment.disbursed"
        by = 2029
        op = ">="
        threshold = 5.0
        [events.late]
        variable = "investment.disbursed"
        year = 2029
        op = ">="
        threshold = 5.0
    """)
    r = engine.run(simulator.load_scenario(path), draws=400)
    d = r["investment.disbursed"].values
    t = r.events().set_index("event")
    assert t.loc["early", "probability"] == (d >= 5.0).any(axis=1).mean()
    assert t.loc["late", "probability"] == (d[:, -1] >= 5.0).mean()
    assert t.loc["early", "probability"] > t.loc["late", "probability"]
    assert t.loc["early", "title"] == "investment.disbursed >= 5.0 by 2029"  # no title: the definition


def test_base_threshold_follows_uncertain_base_year_values(write):
    path = write("s.toml", BASE + """
        [trade]
        exports_india_to_japan_base_usd_bn = { dist = "uniform", min = 4.0, max = 6.0 }
        [events.exports_up]
        title = "Exports above the base year's"
        variable = "trade.exports_india_to_japan"
        year = 2027
        op = ">"
        threshold = "base"
    """)
    r = engine.run(simulator.load_scenario(path), draws=300)
    x0 = r.inputs["trade.exports_india_to_japan_base_usd_bn"].to_numpy()
    expected = (r["trade.exports_india_to_japan"].sel(year=2027).values > x0).mean()
    assert r.events().loc[0, "probability"] == expected


def test_events_csv_and_manifest(cli, tmp_path):
    code, out, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "300", "--no-plots", "--out", "r")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "r" / "events.csv")
    assert list(table.columns) == ["event", "title", "year", "probability", "se"]
    assert len(table) == 8 and table["probability"].between(0, 1).all()
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["events"]["people_500k_by_2029"] == {
        "title": "500,000 people exchanged (broad reading, 2025-2029)", "variable": "exchange.counted_cumulative",
        "by": 2029, "op": ">=", "threshold": 500000.0}
    assert "500,000 people exchanged (broad" in out and "by 2029" in out and "±" in out
    code, _, err = cli("report", "r")
    html = (tmp_path / "r" / "report.html").read_text()
    assert code == 0 and "<h2>Events</h2>" in html
    # The readings side by side, and what each depends on.
    for title in ("50,000 skilled personnel to Japan (broad reading, 2025-2029)",
                  "50,000 skilled personnel to Japan (workers only, 2025-2029)",
                  "500,000 people exchanged (broad reading, Aug 2025-Jul 2030)"):
        assert title in html
    assert "<h2>What each event depends on</h2>" in html and "Mean stay in Japan (engineers)" in html


def test_compare_shows_events_per_scenario_and_paired(cli, tmp_path):
    a = simulator.load_scenario(SCENARIOS / "baseline.toml")
    b = simulator.load_scenario(SCENARIOS / "talent-bottleneck.toml")
    c = compare([a, b], draws=400, seed=5)
    diff = c.event_differences().set_index("event")
    for name in ("people_500k_by_2029", "deficit_narrower_2030"):
        da, db = c.results[0].event(name).astype(float), c.results[1].event(name).astype(float)
        assert diff.loc[name, "difference"] == pytest.approx(db.mean() - da.mean())
        assert diff.loc[name, "se"] == pytest.approx((db - da).std(ddof=1) / np.sqrt(400))
    # The bottleneck leaves trade alone: with common draws the deficit event does not move at all.
    assert diff.loc["deficit_narrower_2030", "difference"] == 0 and diff.loc["deficit_narrower_2030", "se"] == 0
    code, out, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "talent-bottleneck.toml",
                         "--draws", "300", "--no-plots", "--out", "c")
    assert code == 0, err
    assert "event probabilities, paired" in out and " pp" in out
    events = pd.read_csv(tmp_path / "c" / "events.csv")
    assert list(events.columns) == ["scenario", "label", "event", "title", "year", "probability", "se"]
    assert set(events.scenario) == {"baseline", "talent-bottleneck"}
    assert len(pd.read_csv(tmp_path / "c" / "event_differences.csv")) == 8
    code, _, err = cli("report", "c")
    assert code == 0 and "Paired differences" in (tmp_path / "c" / "report.html").read_text()


EVENT = '[events.e]\nvariable = "trade.balance"\nyear = 2027\nop = ">"\nthreshold = "base"\n'
BAD = {
    # id: (text replacing or added to EVENT, fragments the message must show)
    "unknown-variable": (EVENT.replace("trade.balance", "trade.balanse"),
                         ["s.toml", "events.e.variable", "did you mean 'trade.balance'"]),
    "year-outside-horizon": (EVENT.replace("2027", "2035"), ["s.toml", "events.e.year", "outside", "2025-2029"]),
    "unknown-op": (EVENT.replace('">"', '"=>"'), ["s.toml", "events.e.op", "'=>'", "<, <=, >, >="]),
    "missing-threshold": (EVENT.replace('threshold = "base"\n', ""), ["s.toml", "events.e.threshold", "missing"]),
    "text-threshold": (EVENT.replace('"base"', '"high"'), ["s.toml", "events.e.threshold", "'high'"]),
    "base-without-base": (EVENT.replace("trade.balance", "exchange.cumulative_total"),
                          ["s.toml", "events.e.threshold", "\"base\" is defined only for"]),
    "year-and-by": (EVENT + "by = 2028\n", ["s.toml", "events.e.by", "not both"]),
    "no-year": (EVENT.replace("year = 2027\n", ""), ["s.toml", "events.e.year", "missing"]),
    "unknown-key": (EVENT + "when = 2027\n", ["s.toml", "events.e.when", "unknown key"]),
    "whole-3d-variable": (EVENT.replace("trade.balance", "exchange.arrivals_by_stream").replace('"base"', "5"),
                          ["s.toml", "events.e.variable", "one series per stream"]),
    "bad-name": (EVENT.replace("[events.e]", '[events."a b"]'), ["s.toml", "events.a b", "not a valid name"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_event_exits_2_naming_file_and_key(case, command, cli, write, tmp_path):
    text, fragments = BAD[case]
    write("s.toml", BASE + text)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = cli(command, "s.toml", *(["--out", "out"] if command == "run" else []))
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert any(all(f in line for f in fragments) for line in err.splitlines()), err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_child_that_shortens_the_horizon_is_blamed(cli, write):
    write("p.toml", BASE.replace("horizon_years = 5", "horizon_years = 10") + EVENT.replace("2027", "2033"))
    write("c.toml", '[scenario]\nname = "c"\nextends = "p.toml"\nhorizon_years = 5\n')
    code, _, err = cli("validate", "c.toml")
    assert code == 2 and "c.toml: events.e.year: 2033 is outside the scenario's horizon 2025-2029" in err, err
    assert "write e = false under [events]" in err
    write("c.toml", '[scenario]\nname = "c"\nextends = "p.toml"\nhorizon_years = 5\n[events]\ne = false\n')
    code, _, err = cli("validate", "c.toml")
    assert code == 0, err
    # An event's own mistake is the file's that defined it.
    write("p2.toml", BASE + EVENT.replace('">"', '"!="'))
    write("c2.toml", '[scenario]\nname = "c2"\nextends = "p2.toml"\n')
    code, _, err = cli("validate", "c2.toml")
    assert code == 2 and "p2.toml: events.e.op" in err, err


def test_child_inherits_and_may_redefine_events(write):
    write("p.toml", BASE + EVENT)
    child = write("c.toml", '[scenario]\nname = "c"\nextends = "p.toml"\n[events.e]\nvariable = "trade.total"\n'
                            'year = 2026\nop = "<"\nthreshold = 10\n[events.f]\nvariable = "trade.balance"\n'
                            'by = 2028\nop = "<="\nthreshold = -20\n')
    events = {e.name: e for e in simulator.load_scenario(child).events}
    assert events["e"].variable == "trade.total" and events["e"].threshold == 10  # replaced whole
    assert events["f"].by and events["f"].year == 2028


def test_schema_describes_events():
    import jsonschema

    from simulator.scenario.schema import scenario_schema

    schema = scenario_schema()
    good = {"scenario": {"name": "x"}, "events": {"e": {"variable": "trade.balance", "by": 2030, "op": ">=",
                                                        "threshold": "base"}, "dropped": False}}
    jsonschema.validate(good, schema)
    for bad in ({"variable": "trade.balance", "year": 2030, "op": "=>", "threshold": 1},
                {"variable": "trade.balance", "year": 2030, "by": 2031, "op": ">", "threshold": 1},
                {"variable": "trade.balance", "year": 2030, "op": ">", "threshold": "high"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"scenario": {"name": "x"}, "events": {"e": bad}}, schema)
