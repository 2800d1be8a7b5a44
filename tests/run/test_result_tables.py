"""Result and Comparison tables on hand-built ensembles: which variables and years they show, and
the numbers in them, without running the model (fast enough to run for every mutant)."""
import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.montecarlo.comparison import Comparison, check_labels, common_settings
from simulator.montecarlo.result import Result
from simulator.montecarlo.summaries import headline_years, summarise

from tests.conftest import SCENARIOS, no_events

X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [5.0, 50.0]])  # 5 draws x 2025, 2026


@pytest.fixture(scope="module")
def scenario():
    baseline = simulator.load_scenario(SCENARIOS / "baseline.toml")
    return baseline.with_params({"scenario.draws": 5, "scenario.horizon_years": 2, **no_events(baseline)})


def result(scenario, name="baseline", **arrays):
    s = scenario if name == "baseline" else scenario.with_params({"scenario.name": name})
    labels = {"sector": [f"s{i}" for i in range(2)]}
    return Result.from_arrays(s, {k.replace("__", "."): v for k, v in arrays.items()}, labels)


def test_a_result_without_variables_still_has_the_scenario_s_draws_and_years(scenario):
    empty = Result.from_arrays(scenario, {}, {})
    assert empty.variables == [] and list(empty.dataset["draw"].values) == [0, 1, 2, 3, 4]
    assert list(empty.dataset["year"].values) == list(scenario.years)


def test_headline_years():
    assert headline_years(range(2025, 2035)) == [2030, 2034]
    assert headline_years([2025, 2026]) == [2026]
    assert headline_years([2030]) == [2030]
    assert headline_years([]) == []


def test_summarise_known_answers():
    import xarray as xr
    da = xr.DataArray(X, dims=("draw", "year"), coords={"year": [2025, 2026]})
    frame = summarise("v", "usd_bn", da).set_index("year")
    assert list(frame.columns) == ["variable", "unit", "mean", "sd", "p05", "p25", "p50", "p75", "p95"]
    assert frame.loc[2025, "mean"] == 3.0 and frame.loc[2026, "p50"] == 30.0
    assert frame.loc[2025, "sd"] == pytest.approx(np.sqrt(2.5))  # sample sd, ddof = 1
    assert (frame.loc[2025, "p05"], frame.loc[2025, "p25"], frame.loc[2025, "p75"], frame.loc[2025, "p95"]) == \
        pytest.approx((1.2, 2.0, 4.0, 4.8))
    assert set(frame.variable) == {"v"} and set(frame.unit) == {"usd_bn"}
    one = summarise("v", "usd_bn", da.isel(draw=[0]))
    assert list(one.sd) == [0.0, 0.0] and list(one.p95) == [1.0, 10.0]
    # years first (as a user's own DataArray may come): the same table
    pd.testing.assert_frame_equal(summarise("v", "usd_bn", da.transpose("year", "draw")), summarise("v", "usd_bn", da))


def test_result_dataset_flat_and_summary(scenario):
    r = result(scenario, trade__balance=X, investment__disbursed_by_sector=np.stack([X, 2 * X], axis=-1))
    assert r.variables == ["trade.balance", "investment.disbursed_by_sector"]
    assert r["trade.balance"].attrs["unit"] == "usd_bn" and r["trade.balance"].attrs["long_name"].startswith("India")
    # the run settings every ensemble file carries, each under its own name (ncdump shows them)
    assert r.dataset.attrs == {"scenario": "baseline", "title": scenario.title, "seed": scenario.seed, "draws": 5,
                               "sampler": scenario.sampler, "block_size": scenario.block_size,
                               "ijsim_version": simulator.__version__}
    assert r["investment.disbursed_by_sector"].dims == ("draw", "year", "sector")
    flat = {name: (unit, da.values) for name, unit, da in r.flat()}
    assert list(flat) == ["trade.balance", "investment.disbursed_by_sector.s0", "investment.disbursed_by_sector.s1"]
    np.testing.assert_array_equal(flat["investment.disbursed_by_sector.s1"][1], 2 * X)
    summary = r.summary().set_index(["variable", "year"])
    assert summary.loc[("investment.disbursed_by_sector.s1", 2026), "mean"] == 60.0
    assert summary.loc[("trade.balance", 2025), "unit"] == "usd_bn"


def test_headline_shows_headline_variables_only(scenario):
    r = result(scenario, trade__balance=X, trade__total=X + 1)  # total is not a headline variable
    table = r.headline()
    assert list(table.variable) == ["trade.balance"] and list(table.year) == [2026]
    row = table.iloc[0]
    assert (row.p05, row.p50, row.p95) == pytest.approx((12.0, 30.0, 48.0))
    assert row.label == "India's trade balance with Japan" and row.unit == "usd_bn"
    both = r.headline(years=[2025, 2026])
    assert list(both.year) == [2025, 2026] and both.iloc[0].p50 == 3.0
    later = result(scenario, trade__total=X + 1, trade__balance=X)  # a non-headline variable first
    assert list(later.headline().variable) == ["trade.balance"]


def test_probabilities_by_counting(scenario):
    """Event probabilities (events.csv) are counts over the draws: strict > does not count ties, 'by'
    means in any year up to it, and se is the binomial standard error."""
    change = np.array([[-1.0, 0.0], [0.0, 1.0], [2.0, 3.0], [-3.0, -1.0], [0.5, 0.0]])
    n = 5
    cumulative = np.array([[4e5, 5e5], [5e5, 6e5], [6e5, 7e5], [1e5, 2e5], [4.99e5, 5e5]])
    skilled = np.array([[4e4, 5e4], [6e4, 6e4], [1e4, 2e4], [5e4, 5e4], [7e4, 7e4]])

    def event(variable, op, threshold, **when):
        return {"title": variable, "variable": variable, "op": op, "threshold": threshold, **when}
    with_events = scenario.with_params({
        "events.narrower_2025": event("trade.balance_change", ">", 0, year=2025),
        "events.narrower_2026": event("trade.balance_change", ">", 0, year=2026),
        "events.people": event("exchange.counted_cumulative", ">=", 500_000, by=2026),
        "events.skilled": event("exchange.skilled_cumulative", ">=", 50_000, by=2026)})
    r = result(with_events, trade__balance_change=change, exchange__counted_cumulative=cumulative,
               exchange__skilled_cumulative=skilled)
    table = r.events().set_index("event")
    assert table.loc["narrower_2025", "probability"] == 2 / n  # 0 is not narrower
    assert table.loc["narrower_2026", "probability"] == 2 / n
    assert table.loc["people", "probability"] == 4 / n  # reaching 500,000 counts
    assert table.loc["skilled", "probability"] == 4 / n
    assert table.loc["people", "se"] == pytest.approx(np.sqrt(0.8 * 0.2 / n))
    assert list(table.year) == [2025, 2026, 2026, 2026]


def test_comparison_keeps_variables_every_scenario_has(scenario):
    a = result(scenario, trade__balance=X)
    b = result(scenario, "b", trade__balance=X + 1, trade__total=X)
    c = result(scenario, "c", trade__balance=X - 1, trade__total=X)
    assert set(Comparison((a, b, c)).table().variable) == {"trade.balance"}
    a2 = result(scenario, trade__balance=X, trade__total=X)
    b2 = result(scenario, "b", trade__balance=X)
    assert set(Comparison((a2, b2, c)).table().variable) == {"trade.balance"}


def test_comparison_table_numbers(scenario):
    a = result(scenario, trade__balance=X)
    diff = np.array([[1.0, -1.0], [2.0, 0.0], [3.0, 1.0], [4.0, 2.0], [5.0, 3.0]])
    b = result(scenario, "b", trade__balance=X + diff)
    cmp = Comparison((a, b), ("Today", "Later"))
    assert cmp.labels == ("Today", "Later") and cmp.names == ["baseline", "b"] and cmp.reference is a
    table = cmp.table()
    assert table.year.dtype.kind == "i" and list(table.year) == [2025, 2026, 2025, 2026]
    table = table.set_index(["scenario", "year"])
    row = table.loc[("b", 2025)]
    assert row.reference == "baseline" and row.unit == "usd_bn"
    assert (row["mean"], row.diff_mean, row.diff_sd) == pytest.approx((6.0, 3.0, np.sqrt(2.5)))
    assert (row.diff_p05, row.diff_p25, row.diff_p50, row.diff_p75, row.diff_p95) == pytest.approx((1.2, 2, 3, 4, 4.8))
    assert (row.p05, row.p95, row.sd) == pytest.approx((2.4, 9.6, np.sqrt(10.0)))
    assert table.loc[("b", 2026), "p_greater"] == 0.6
    ref = table.loc[("baseline", 2025)]
    assert ref["mean"] == 3.0 and ref.p50 == 3.0 and np.isnan(ref.diff_p50) and np.isnan(ref.diff_sd)
    headline = cmp.headline()
    assert list(headline.columns) == ["variable", "unit", "year", "scenario", "diff_p50", "diff_p05", "diff_p95",
                                      "p_greater"]
    assert list(headline.year) == [2026] and list(headline.scenario) == ["b"]
    assert headline.iloc[0].diff_p50 == 1.0 and headline.iloc[0].p_greater == 0.6
    with_total = Comparison((result(scenario, trade__balance=X, trade__total=X),
                             result(scenario, "b", trade__balance=X, trade__total=X)))
    assert list(with_total.headline().variable) == ["trade.balance"]  # total is not a headline variable
    assert list(cmp.table().index) == list(range(4))  # one table, numbered once
    same = Comparison((result(scenario, trade__balance=X[:1].repeat(5, 0)), b))
    assert same.table().set_index(["scenario", "year"]).loc[("baseline", 2025), "sd"] == 0.0


@pytest.mark.parametrize("draws", [1, 2])
def test_comparison_sd_of_one_and_two_draws(scenario, draws):
    s = scenario.with_params({"scenario.draws": draws})
    a = Result.from_arrays(s, {"trade.balance": X[:draws]}, {})
    b = Result.from_arrays(s.with_params({"scenario.name": "b"}), {"trade.balance": X[:draws] * 3}, {})
    table = Comparison((a, b)).table().set_index(["scenario", "year"])
    expected = 0.0 if draws == 1 else np.std([1.0, 2.0], ddof=1)  # of draws 1 and 2 in 2025
    assert table.loc[("baseline", 2025), "sd"] == pytest.approx(expected)
    assert table.loc[("b", 2025), "diff_sd"] == pytest.approx(2 * expected)  # differences 2 and 4


def test_labels_and_settings_are_checked(scenario):
    check_labels(["a", "b"], 2)
    for labels, n in ((["a"], 2), (["a", "a"], 2), (["a", " "], 2)):
        with pytest.raises(ValueError):
            check_labels(labels, n)
    with pytest.raises(ValueError, match="2 labels for 3 scenarios"):
        check_labels(["a", "b"], 3)
    other = scenario.with_params({"scenario.name": "other", "scenario.seed": 99, "scenario.draws": 7})
    configured = common_settings([scenario, other], draws=11, seed=3)
    assert [(s.name, s.draws, s.seed, s.sampler, s.block_size) for s in configured] == [
        ("baseline", 11, 3, scenario.sampler, scenario.block_size), ("other", 11, 3, scenario.sampler, scenario.block_size)]
    assert [s.seed for s in common_settings([other, scenario])] == [99, 99]


def test_compare_passes_its_settings_and_labels_on(scenario):
    from simulator.montecarlo.comparison import compare
    other = scenario.with_params({"scenario.name": "other", "investment.realisation_rate": 0.3})
    with pytest.raises(ValueError, match="1 labels for 2 scenarios"):
        compare([scenario, other], labels=["only one"])
    done = []
    # not the baseline's own sampler and block size, so that dropping either is seen
    assert (scenario.sampler, scenario.block_size) != ("mc", 4)
    c = compare([scenario, other], draws=8, seed=2, sampler="mc", block_size=4, labels=["A", "B"],
                progress=lambda i, n: done.append((i, n)))
    assert c.labels == ("A", "B") and done == [(1, 2), (2, 2)]
    assert [(r.scenario.draws, r.scenario.seed, r.scenario.sampler, r.scenario.block_size) for r in c.results] == \
        [(8, 2, "mc", 4)] * 2
    assert compare([scenario, other], draws=2).labels == (scenario.name, "other")  # names when not labelled


def test_compare_hands_its_cluster_and_threads_on(scenario, monkeypatch):
    """workers, scheduler and client go to the one cluster all scenarios share; its client and the
    thread count to every run (the results are the same either way, so only this shows them)."""
    import contextlib

    from simulator.montecarlo import comparison as compare_module

    from simulator.montecarlo import engine

    seen, runs, real_run = {}, [], engine.run

    @contextlib.contextmanager
    def cluster(workers, scheduler, client):
        seen["cluster"] = (workers, scheduler, client)
        yield "the cluster's client"

    def run(s, client=None, threads=1):
        runs.append((client, threads))
        return real_run(s, threads=1)
    monkeypatch.setattr("simulator.parallel.dask_client", cluster)
    monkeypatch.setattr(engine, "run", run)
    other = scenario.with_params({"scenario.name": "other"})
    compare_module.compare([scenario, other], draws=4, workers=3, scheduler="tcp://host:8786", client="given",
                           threads=2)
    assert seen["cluster"] == (3, "tcp://host:8786", "given")
    assert runs == [("the cluster's client", 2)] * 2


def test_sample_sd_of_values_whose_squares_overflow():
    """Above about 1e154 the squares are infinite: such columns are computed scaled by their largest
    value. Known answer: 1e200 x (1, -1, 3) has mean 1e200 and sample sd 2e200; the column beside
    it is ordinary and must be left as numpy computes it."""
    from simulator.montecarlo.summaries import sample_sd

    values = np.array([[1e200, 1.0], [-1e200, 2.0], [3e200, 6.0]])
    sd = sample_sd(values)
    assert sd[0] == pytest.approx(2e200, rel=1e-15) and sd[1] == np.std([1.0, 2.0, 6.0], ddof=1)
    assert sample_sd(values[:1]).tolist() == [0.0, 0.0]
    assert sample_sd(np.zeros((1, 2, 3))).shape == (2, 3)
    with np.errstate(all="raise"):  # the overflow is expected and silenced, not an error or a warning
        assert np.isfinite(sample_sd(values)).all()
    # two such columns with different spreads: each gets its own; a non-finite column beside them
    # (inf, and nan) is left non-finite, silently, and does not stop the others being redone
    wide = np.array([[1e200, 1e199, np.inf, 1.0], [-1e200, -1e199, 2.0, np.nan], [3e200, 3e199, 3.0, 2.0]])
    with np.errstate(all="raise"):
        sd = sample_sd(wide)
    assert sd[0] == pytest.approx(2e200, rel=1e-15) and sd[1] == pytest.approx(2e199, rel=1e-15)
    assert np.isnan(sd[2]) and np.isnan(sd[3])


def test_event_differences_every_column(scenario):
    """The paired event table on hand-built draws: each column checked, events the reference lacks
    left out, and se 0 for one draw."""
    def event(title, op, threshold, **when):
        return {"title": title, "variable": "trade.balance_change", "op": op, "threshold": threshold, **when}
    shared = {"events.up": event("Narrower", ">", 0, year=2026), "events.any": event("Ever wider", "<", -2, by=2026)}
    a_s = scenario.with_params(shared)
    # 'own' comes first: events the reference lacks are skipped, not where the pairing stops
    b_s = scenario.with_params({"scenario.name": "b", "events.own": event("Own", ">", 0, year=2025), **shared})
    a_change = np.array([[-1.0, 1.0], [0.0, -1.0], [1.0, 2.0], [-3.0, 0.0], [0.5, 0.5]])
    b_change = np.array([[-1.0, 1.0], [2.0, 1.0], [1.0, -2.0], [-1.0, 3.0], [0.5, 0.5]])
    a = result(a_s, trade__balance_change=a_change)
    b = Result.from_arrays(b_s, {"trade.balance_change": b_change}, {"sector": ["s0", "s1"]})
    table = Comparison((a, b)).event_differences()
    assert list(table.columns) == ["event", "title", "year", "variable", "by", "scenario", "reference",
                                   "probability", "reference_probability", "difference", "se"]
    assert list(table.event) == ["up", "any"]  # 'own' is not in the reference: nothing to pair it with
    up, ever = table.iloc[0], table.iloc[1]
    assert (up.title, up.year, up.variable, up.scenario, up.reference) == (
        "Narrower", 2026, "trade.balance_change", "b", "baseline")
    assert not up.by and ever.by and ever.year == 2026  # 'by 2026': in any year up to it
    # up: a = [1, 0, 1, 0, 1], b = [1, 1, 0, 1, 1] -> d = [0, 1, -1, 1, 0]
    d = np.array([0.0, 1.0, -1.0, 1.0, 0.0])
    assert (up.probability, up.reference_probability, up.difference) == (0.8, 0.6, 0.2)
    assert up.se == pytest.approx(np.std(d, ddof=1) / np.sqrt(5), rel=1e-15)
    # ever below -2 by 2026: a only draw 4 (-3), b none -> d = [0, 0, 0, -1, 0]
    assert (ever.probability, ever.reference_probability, ever.difference) == (0.0, 0.2, -0.2)
    assert ever.se == pytest.approx(np.std([0, 0, 0, -1.0, 0], ddof=1) / np.sqrt(5), rel=1e-15)
    one = scenario.with_params({"scenario.draws": 1, **shared})
    single = Comparison((Result.from_arrays(one, {"trade.balance_change": a_change[:1]}, {}),
                         Result.from_arrays(one.with_params({"scenario.name": "b"}),
                                            {"trade.balance_change": b_change[1:2]}, {})))
    assert list(single.event_differences().se) == [0.0, 0.0]
    assert list(single.event_differences().difference) == [0.0, 0.0]
    two = scenario.with_params({"scenario.draws": 2, **shared})
    pair = Comparison((Result.from_arrays(two, {"trade.balance_change": a_change[:2]}, {}),
                       Result.from_arrays(two.with_params({"scenario.name": "b"}),
                                          {"trade.balance_change": b_change[:2]}, {})))
    assert pair.event_differences().se.iloc[0] == pytest.approx(np.std([0.0, 1.0], ddof=1) / np.sqrt(2))
    none = Comparison((a, result(scenario, "c", trade__balance_change=a_change))).event_differences()
    assert none.empty and list(none.columns) == list(table.columns)
