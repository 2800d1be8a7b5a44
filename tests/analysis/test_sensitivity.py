"""Sensitivity analysis: known answers (Ishigami, Sobol' G), Morris ranking, seeding, contracts,
and the scenario wrapper and command."""
import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.analysis import morris, one_at_a_time, sensitivity, sobol_indices
from simulator.analysis.test_functions import ishigami, ishigami_indices, sobol_g, sobol_g_indices
from simulator.montecarlo.draws import sampling_dimensions

from tests.conftest import SCENARIOS

ISHIGAMI_BOUNDS = {f"x{i}": (-np.pi, np.pi) for i in (1, 2, 3)}
G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0])
G_BOUNDS = {f"x{i}": (0.0, 1.0) for i in range(len(G_A))}


def test_ishigami_indices_within_0_02_at_n_8192():
    # n = 8192 (n (d + 2) = 40,960 evaluations) is the documented size for this accuracy.
    table = sobol_indices(ishigami, ISHIGAMI_BOUNDS, n=8192, seed=1)
    exact = ishigami_indices(7.0, 0.1)
    np.testing.assert_allclose(table["S1"], exact["S1"], atol=0.02)
    np.testing.assert_allclose(table["ST"], exact["ST"], atol=0.02)
    assert list(table.columns) == ["S1", "S1_conf", "ST", "ST_conf"] and list(table.index) == list(ISHIGAMI_BOUNDS)
    assert (table["S1_conf"] > 0).all() and (table["S1_conf"] < 0.05).all()
    assert table.attrs["evaluations"] == 8192 * 5


def test_sobol_g_indices():
    table = sobol_indices(lambda X: sobol_g(X, G_A), G_BOUNDS, n=4096, seed=2)
    exact = sobol_g_indices(G_A)
    np.testing.assert_allclose(table["S1"], exact["S1"], atol=0.03)
    np.testing.assert_allclose(table["ST"], exact["ST"], atol=0.03)


def test_morris_ranks_the_g_function_inputs():
    table = morris(lambda X: sobol_g(X, G_A), G_BOUNDS, trajectories=50, seed=3)
    assert list(table.columns) == ["mu_star", "mu_star_conf", "sigma"]
    ranked = list(table.sort_values("mu_star", ascending=False).index)
    assert ranked[:4] == ["x0", "x1", "x2", "x3"]  # a = 0, 1, 4.5, 9: most to least influential
    assert table.loc["x4", "mu_star"] < 0.1 * table.loc["x0", "mu_star"]


def test_seeded_results_are_reproducible():
    a = sobol_indices(ishigami, ISHIGAMI_BOUNDS, n=256, seed=5)
    pd.testing.assert_frame_equal(a, sobol_indices(ishigami, ISHIGAMI_BOUNDS, n=256, seed=5))
    assert not a.equals(sobol_indices(ishigami, ISHIGAMI_BOUNDS, n=256, seed=6))
    m = morris(ishigami, ISHIGAMI_BOUNDS, trajectories=10, seed=5)
    pd.testing.assert_frame_equal(m, morris(ishigami, ISHIGAMI_BOUNDS, trajectories=10, seed=5))


def test_one_at_a_time_on_a_linear_function():
    table = one_at_a_time(lambda X: 2 * X[:, 0] - 5 * X[:, 1], low={"a": 0, "b": 0}, high={"a": 1, "b": 1},
                          base={"a": 0.5, "b": 0.5})
    assert list(table.index) == ["b", "a"]  # sorted by swing
    assert table.loc["a", "low"] == pytest.approx(-2.5) and table.loc["a", "high"] == pytest.approx(-0.5)
    assert table.loc["b", "swing"] == pytest.approx(5.0)


@pytest.mark.parametrize("call,match", [
    (lambda: sobol_indices(ishigami, ISHIGAMI_BOUNDS, n=1000, seed=1), "power of two"),
    (lambda: sobol_indices(ishigami, {"x": (1.0, 0.0)}, n=64, seed=1), "low < high"),
    (lambda: sobol_indices(lambda X: X, ISHIGAMI_BOUNDS, n=64, seed=1), r"shape \(n,\)"),
    (lambda: morris(ishigami, ISHIGAMI_BOUNDS, trajectories=1, seed=1), "trajectories"),
    (lambda: sobol_indices(lambda X: X[:, 0] / 0.0, {"x": (0.0, 1.0)}, n=64, seed=1), "non-finite"),
])
def test_method_contracts(call, match):
    with pytest.raises(ValueError, match=match):
        with np.errstate(divide="ignore", invalid="ignore"):
            call()


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario(SCENARIOS / "baseline.toml")


@pytest.fixture(scope="module")
def two_inputs(baseline):
    """The baseline with two uncertain inputs left, the pledge's realisation and the FDI stock's
    depreciation (every other at its median, no shocks): each method's defaults cost little here."""
    keep = {"investment.realisation_rate", "investment.depreciation_rate"}
    fixed = {p: float(baseline.params[p].ppf(0.5)) for p in baseline.uncertain() if p not in keep}
    fixed.update({"investment.fx_log_volatility": 0.0, "investment.sector_concentration": 0.0,
                  "trade.volatility_japan_to_india": 0.0, "trade.volatility_india_to_japan": 0.0})
    scenario = baseline.with_params(fixed)
    assert sampling_dimensions(scenario) == ["investment.realisation_rate", "investment.depreciation_rate"]
    return scenario


def test_sensitivity_defaults(two_inputs):
    """Sobol' indices of the trade balance in the last year, n = 1024, by named group, the scenario's seed."""
    table = sensitivity(two_inputs)
    assert table.attrs == {"evaluations": 1024 * (2 + 2), "method": "sobol", "output": "trade.balance", "year": 2034,
                           "seed": two_inputs.seed, "by": "group"}
    assert list(table.columns) == ["label", "inputs", "S1", "S1_conf", "ST", "ST_conf"]
    assert list(table.index) == ["pledge realisation and timing", "investment beside the pledge"]
    assert list(table["inputs"]) == [1, 1] and list(table["label"]) == list(table.index)
    pd.testing.assert_frame_equal(table, sensitivity(two_inputs, "trade.balance", 2034, "sobol", n=1024,
                                                     seed=two_inputs.seed, by="group"))
    other = sensitivity(two_inputs, seed=5)
    assert other.attrs["seed"] == 5 and not other["ST_conf"].equals(table["ST_conf"])


def test_morris_on_the_scenario_walks_the_0_5_to_99_5_percent_quantile_grid(two_inputs, monkeypatch):
    """40 trajectories by default on Morris' 4 levels, mapped to the 0.5% .. 99.5% quantiles:
    0.005 + 0.99 k / 3. The depreciation of the FDI stock cannot move the money disbursed, so all
    its elementary effects are exactly 0; the table lists the larger mu* first."""
    from simulator.analysis import scenario_sensitivity

    points = []
    batch = scenario_sensitivity._batch_task
    monkeypatch.setattr(scenario_sensitivity, "_batch_task",
                        lambda scenario, pairs, part: points.append(part) or batch(scenario, pairs, part))
    table = sensitivity(two_inputs, "investment.cumulative_disbursed", method="morris", by="input")
    assert table.attrs["evaluations"] == 40 * (2 + 1) == sum(len(p) for p in points)
    assert table.attrs["method"] == "morris" and table.attrs["year"] == 2034
    np.testing.assert_allclose(np.unique(np.concatenate(points)), 0.005 + 0.99 * np.arange(4) / 3)
    assert list(table.columns) == ["label", "group", "mu_star", "mu_star_conf", "sigma"]
    assert list(table.index) == ["investment.realisation_rate", "investment.depreciation_rate"]
    assert table.loc["investment.realisation_rate", "mu_star"] > 0
    assert table.loc["investment.depreciation_rate", ["mu_star", "sigma"]].tolist() == [0.0, 0.0]
    assert list(table["group"]) == ["pledge realisation and timing", "investment beside the pledge"]
    assert table.attrs["seed"] == two_inputs.seed  # the scenario's seed chose the trajectories: the same table again
    pd.testing.assert_frame_equal(table, sensitivity(two_inputs, "investment.cumulative_disbursed", method="morris",
                                                     by="input"))


def test_trees_on_the_scenario(two_inputs, monkeypatch):
    """Extra-trees scores beside the Sobol' indices of the same n (1024 by default) and seed."""
    from simulator.analysis import scenario_sensitivity

    monkeypatch.setattr(scenario_sensitivity, "TREES_POINTS", 256)  # fast; the count is read at call time
    table = sensitivity(two_inputs, "investment.cumulative_disbursed", method="trees")
    assert table.attrs == {"evaluations": 1024 * (2 + 2) + 256, "method": "trees",
                           "output": "investment.cumulative_disbursed", "year": 2034, "seed": two_inputs.seed,
                           "by": "group"}
    assert list(table.columns) == ["label", "inputs", "importance", "ST", "ST_conf", "S1", "S1_conf"]
    # The depreciation (group "investment beside the pledge") cannot move the money disbursed.
    assert list(table.index) == ["pledge realisation and timing", "investment beside the pledge"]
    assert table.loc["investment beside the pledge", "importance"] < 0.01
    sobol = sensitivity(two_inputs, "investment.cumulative_disbursed", method="sobol")
    pd.testing.assert_frame_equal(table[["ST", "ST_conf", "S1", "S1_conf"]], sobol[["ST", "ST_conf", "S1", "S1_conf"]])
    assert table.loc["investment beside the pledge", "ST"] == 0.0


def test_a_list_of_outputs_or_of_years_gives_one_table_with_output_and_year_columns(two_inputs):
    """Only one output named as a string and one year (or none) give the bare table; a list, even
    of one, gives output and year columns, and attrs list the outputs and years."""
    one = sensitivity(two_inputs, "investment.fdi_stock", 2030, "oat")
    assert "output" not in one.columns and one.attrs["output"] == "investment.fdi_stock"
    listed = sensitivity(two_inputs, ["investment.fdi_stock"], 2030, "oat")
    pd.testing.assert_frame_equal(listed.drop(columns=["output", "year"]), one)
    assert list(listed.columns[:2]) == ["output", "year"] and set(listed["year"]) == {2030}
    assert listed.attrs == {"evaluations": 5, "method": "oat", "output": ["investment.fdi_stock"], "year": [2030],
                            "seed": two_inputs.seed, "by": "input"}
    both = sensitivity(two_inputs, ["investment.fdi_stock", "investment.cumulative_disbursed"], 2030, "oat")
    assert both.attrs["output"] == ["investment.fdi_stock", "investment.cumulative_disbursed"]
    assert list(both["output"]) == ["investment.fdi_stock"] * 2 + ["investment.cumulative_disbursed"] * 2
    years = sensitivity(two_inputs, "investment.fdi_stock", [2030, 2034], "oat")
    assert years.attrs["output"] == ["investment.fdi_stock"] and years.attrs["year"] == [2030, 2034]
    assert list(years["year"]) == [2030, 2030, 2034, 2034]


def test_batches_report_progress_and_run_on_threads_without_changing_the_numbers(two_inputs, monkeypatch):
    """256 Sobol' points in blocks of 100: three batches, counted for progress; on two threads the
    batches run off the main thread; the table is the one of a single block on one thread."""
    import threading

    from simulator.analysis import scenario_sensitivity
    from simulator.montecarlo import engine

    threads = []
    batch = scenario_sensitivity._batch_task
    monkeypatch.setattr(scenario_sensitivity, "_batch_task", lambda scenario, pairs, part: threads.append(
        threading.current_thread() is threading.main_thread()) or batch(scenario, pairs, part))
    small = engine.configure(two_inputs, block_size=100)
    calls = []
    table = sensitivity(small, "investment.fdi_stock", 2030, n=64, seed=1, threads=2,
                        progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)] and len(threads) == 3 and not any(threads)
    pd.testing.assert_frame_equal(table, sensitivity(two_inputs, "investment.fdi_stock", 2030, n=64, seed=1))
    assert len(threads) == 4 and threads[-1]  # one block, on this thread


def test_batches_run_on_the_cluster_asked_for(two_inputs, monkeypatch):
    """workers, scheduler and client go to the one cluster, and every batch is mapped on its client."""
    import contextlib

    from simulator import parallel

    seen, clients = {}, []

    @contextlib.contextmanager
    def cluster(workers, scheduler, client):
        seen["cluster"] = (workers, scheduler, client)
        yield "the cluster's client"

    real = parallel.map_indexed

    def map_indexed(fn, indices, client=None, progress=None, **kwargs):
        clients.append(client)
        return real(fn, indices, None, progress, **kwargs)

    monkeypatch.setattr(parallel, "dask_client", cluster)
    monkeypatch.setattr(parallel, "map_indexed", map_indexed)
    table = sensitivity(two_inputs, "investment.fdi_stock", 2030, "oat", workers=3, scheduler="tcp://host:8786",
                        client="given")
    assert seen["cluster"] == (3, "tcp://host:8786", "given") and clients == ["the cluster's client"]
    assert table.attrs["evaluations"] == 5


def test_scenario_sobol_covers_every_uncertain_input(baseline):
    table = sensitivity(baseline, "trade.balance", 2034, "sobol", n=128, seed=1, by="input")
    factors = set(table.index)
    assert set(baseline.uncertain()) <= factors
    assert {"trade.shock_japan_to_india", "investment.fx_shock", "investment.sector_shares"} <= factors
    assert table.attrs["evaluations"] == 128 * (len(factors) + 2)
    # Inputs the trade balance cannot depend on have (near) zero total index.
    assert table.loc["exchange.streams.researchers.uptake", "ST"] == pytest.approx(0.0, abs=1e-12)
    # Japan's exports to India, the larger flow, carry most of the balance's uncertainty.
    assert table.index[0] in ("trade.shock_japan_to_india", "trade.trend_growth_japan_to_india",
                              "trade.first_year_growth_japan_to_india")


def test_scenario_oat_base_is_the_all_medians_point(baseline):
    table = sensitivity(baseline, "investment.cumulative_disbursed", 2034, "oat")
    medians = baseline
    for path in baseline.uncertain():
        value = baseline.params[path]
        medians = medians.with_params({path: float(value.ppf(0.5))})
    medians = medians.with_params({"investment.fx_log_volatility": 0.0, "investment.sector_concentration": 0.0})
    expected = float(simulator.run(medians, draws=1)["investment.cumulative_disbursed"].sel(year=2034)[0])
    assert table["base"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert table.index[0] == "investment.realisation_rate"
    assert table.loc["investment.realisation_rate", "high"] > table.loc["investment.realisation_rate", "low"]
    # A shock series moves as a whole to its 5% / 95% sum: a swing of the same order as the
    # ensemble's spread, not a compounding extreme.
    run = simulator.run(baseline, draws=4000, seed=1)["investment.cumulative_disbursed"].sel(year=2034)
    assert table.loc["investment.fx_shock", "swing"] < float(run.quantile(0.95) - run.quantile(0.05))


def test_scenario_output_entries_and_errors(baseline):
    table = sensitivity(baseline, "exchange.backlog_by_stage.visa_india", 2030, "morris", n=4, seed=2)
    assert len(table) > 10
    with pytest.raises(simulator.UserError, match="did you mean 'trade.balance'"):
        sensitivity(baseline, "trade.balanse", 2030)
    with pytest.raises(simulator.UserError, match="outside the scenario's horizon"):
        sensitivity(baseline, "trade.balance", 2050)
    with pytest.raises(simulator.UserError, match="unknown method"):
        sensitivity(baseline, "trade.balance", 2030, "fast")
    for output, year in (([], 2030), ("trade.balance", [])):
        with pytest.raises(simulator.UserError, match="^name at least one output and one year$"):
            sensitivity(baseline, output, year)


def test_sensitivity_cli(cli, tmp_path):
    code, out, err = cli("sensitivity", SCENARIOS / "baseline.toml", "--output", "investment.fdi_stock",
                         "--year", "2030", "--method", "sobol", "--n", "64", "--by", "input", "--out", "s")
    assert code == 0, err
    assert "Share of the pledge that arrives" in out and "model evaluations" in out
    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv", index_col=0)
    assert table.index[0] == "investment.realisation_rate"
    assert (table["output"] == "investment.fdi_stock").all() and (table["year"] == 2030).all()
    assert (tmp_path / "s" / "plots" / "sobol_indices.png").exists()
    code, _, err = cli("sensitivity", SCENARIOS / "baseline.toml", "--method", "oat", "--out", "t")
    assert code == 0 and (tmp_path / "t" / "plots" / "tornado.png").exists()
    for args, fragment in ((["--n", "100"], "power of two"), (["--output", "trade.nope"], "unknown output"),
                           (["--year", "1999"], "outside")):
        code, _, err = cli("sensitivity", SCENARIOS / "baseline.toml", *args, "--out", "x")
        assert code == 2 and fragment in err and not (tmp_path / "x").exists()


@pytest.mark.slow  # 4,096 Sobol' evaluations, a command and a report
def test_trees_rank_beside_sobol(baseline, cli, tmp_path):
    """Extra-trees importance on the scenario: the pledge's realisation rate drives the FDI stock,
    inputs of the exchange cannot matter, and the Sobol' total index stands beside each score."""
    table = sensitivity(baseline, "investment.fdi_stock", 2030, "trees", n=64, seed=1, by="input")
    assert table.index[0] == "investment.realisation_rate"
    assert table["importance"].sum() == pytest.approx(1)
    exchange = [name for name in table.index if name.startswith("exchange.")]
    assert exchange and all(table.loc[name, "importance"] < 0.01 for name in exchange)
    assert {"ST", "ST_conf", "S1"} <= set(table.columns)
    assert table.attrs["evaluations"] == 64 * (len(table) + 2) + 4096
    code, out, err = cli("sensitivity", SCENARIOS / "baseline.toml", "--output", "investment.fdi_stock",
                         "--year", "2030", "--method", "trees", "--n", "64", "--by", "input", "--out", "tr")
    assert code == 0, err
    assert "importance" in out and "Share of the pledge that arrives" in out and "ST" in out
    assert (tmp_path / "tr" / "plots" / "feature_scores.png").exists()
    code, _, err = cli("report", "tr")
    assert code == 0 and "extra-trees" in (tmp_path / "tr" / "report.html").read_text()


def test_trees_beside_sobol_on_a_known_function(monkeypatch):
    """The "trees" method's table on a function with known indices, each output apart: extra-trees
    importance (sums to 1, largest first) joined with the Sobol' indices of that output."""
    from simulator.analysis import scenario_sensitivity
    from simulator.analysis.methods import sobol_tables

    monkeypatch.setattr(scenario_sensitivity, "TREES_POINTS", 512)  # fast; the count is read at call time
    groups = {"x": "a", "y": "a", "z": "b"}

    def f(U):
        return np.column_stack([U[:, 0] + U[:, 1] + 3 * U[:, 2] ** 2, U[:, 0] > 0.5])

    first, second = scenario_sensitivity._trees_beside_sobol(f, ["x", "y", "z"], groups, 256, seed=7)
    # x + y + 3 z^2 on U(0, 1): var x = var y = 1/12, var 3 z^2 = 9 (1/5 - 1/9) = 4/5, total 29/30, so
    # group a = {x, y} explains 5/29, b = {z} 24/29 (additive: S1 = ST). 1[x > 0.5] is all a's.
    assert list(first.columns) == ["importance", "ST", "ST_conf", "S1", "S1_conf"]
    assert list(first.index) == ["b", "a"] and list(second.index) == ["a", "b"] and first.index.name == "input"
    np.testing.assert_allclose(first.loc[["a", "b"], ["S1", "ST"]], [[5 / 29] * 2, [24 / 29] * 2], atol=0.02)
    np.testing.assert_allclose(second.loc[["a", "b"], ["S1", "ST"]], [[1, 1], [0, 0]], atol=0.02)
    assert first["importance"].sum() == pytest.approx(1) and second.loc["a", "importance"] > 0.99
    # The Sobol' columns are those of the "sobol" method at the same n and seed.
    sobol = sobol_tables(f, {d: (0.0, 1.0) for d in groups}, 256, 7, groups=groups)
    for table, indices in zip((first, second), sobol):
        pd.testing.assert_frame_equal(table[["ST", "ST_conf", "S1", "S1_conf"]],
                                      indices.loc[table.index, ["ST", "ST_conf", "S1", "S1_conf"]])
    assert first.attrs == second.attrs == {"evaluations": 256 * (2 + 2) + 512}
    # One output alone gives the same table as beside another (one sample for all, the same seed).
    alone, = scenario_sensitivity._trees_beside_sobol(lambda U: f(U)[:, :1], ["x", "y", "z"], groups, 256, seed=7)
    pd.testing.assert_frame_equal(alone, first)


def test_oat_ends_move_a_shock_series_by_its_sum():
    """Four yearly shocks each at Phi(+-z), z = Phi^-1(0.95) / sqrt(4) = 1.644854 / 2 = 0.822427: their
    sum, 4 z = 1.644854 sqrt(4), sits at the 5% / 95% quantile of a sum of four standard normals;
    Phi(0.822427) = 0.794583. Any other input moves from its 5% to its 95% quantile."""
    from simulator.analysis.factors import input_of
    from simulator.analysis.scenario_sensitivity import _oat_ends

    dims = [f"trade.shock_japan_to_india.{y}" for y in range(2025, 2029)] + ["investment.realisation_rate"]
    low, high = _oat_ends(dims, {d: input_of(d) for d in dims})
    assert low["investment.realisation_rate"] == 0.05 and high["investment.realisation_rate"] == 0.95
    for d in dims[:4]:
        assert low[d] == pytest.approx(0.205417, abs=1e-6) and high[d] == pytest.approx(0.794583, abs=1e-6)


def test_model_function_for_one_output_and_at_the_ends_of_quantile_space(baseline):
    """f of one (output, year) returns shape (n,), the column of the same pair among several; quantiles
    0 and 1 (where a normal shock's inverse CDF is infinite) are read as 1e-9 and 1 - 1e-9."""
    from simulator.analysis.scenario_sensitivity import model_function

    f, dims = model_function(baseline, "trade.balance", 2030)
    g, same = model_function(baseline, [("investment.fdi_stock", 2034), ("trade.balance", 2030)])
    assert dims == same == sampling_dimensions(baseline)
    U = np.array([[0.5], [0.0], [1e-9], [1.0], [1 - 1e-9]]) * np.ones(len(dims))
    y = f(U)
    assert y.shape == (5,) and np.isfinite(y).all()
    assert y[1] == y[2] and y[3] == y[4] and y[1] != y[0] != y[3]
    np.testing.assert_array_equal(g(U)[:, 1], y)
    assert f(U[:0]).shape == (0,) and g(U[:0]).shape == (0, 2)  # no points, no values


def test_a_trade_output_skips_the_people_exchange_pipeline(baseline, monkeypatch):
    """docs/sensitivity.md: only the model blocks an output needs are evaluated."""
    from simulator.analysis.scenario_sensitivity import model_function
    from simulator.montecarlo import projection

    def refuse(*args, **kwargs):
        raise AssertionError("the people-exchange pipeline ran")

    monkeypatch.setattr(projection, "_exchange", refuse)
    U = np.full((2, len(sampling_dimensions(baseline))), 0.5)
    assert np.isfinite(model_function(baseline, [("trade.balance", 2030), ("investment.fdi_stock", 2030)])[0](U)).all()
    with pytest.raises(AssertionError, match="people-exchange pipeline ran"):
        model_function(baseline, "exchange.arrivals_total", 2030)[0](U)
