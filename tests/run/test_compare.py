"""Scenario comparison with common random numbers."""
import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.montecarlo.comparison import COMPARISON_COLUMNS, compare

from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def pair():
    return [simulator.load_scenario(SCENARIOS / f) for f in ("baseline.toml", "us-tariffs-persist.toml")]


def test_paired_difference_is_far_less_noisy_than_independent_runs(pair):
    base, persist = pair
    paired = compare([base, persist], draws=2000, seed=1).difference("trade.balance", "us-tariffs-persist")
    independent = (simulator.run(persist, draws=2000, seed=2)["trade.balance"]
                   - simulator.run(base, draws=2000, seed=1)["trade.balance"])
    for year in (2027, 2030, 2034):
        sd_paired = float(paired.sel(year=year).std())
        sd_independent = float(independent.sel(year=year).std())
        assert sd_paired < 0.1 * sd_independent, (year, sd_paired, sd_independent)


def test_comparison_matches_single_runs_with_the_same_seed(pair):
    base, persist = pair
    c = compare([base, persist], draws=500, seed=4)
    for scenario, result in zip(pair, c.results):
        single = simulator.run(scenario, draws=500, seed=4)
        for name in single.variables:
            np.testing.assert_array_equal(single[name].values, result[name].values)


def test_comparison_table(pair):
    table = compare(pair, draws=400, seed=4).table()
    assert list(table.columns) == COMPARISON_COLUMNS
    ref = table[table.scenario == "baseline"]
    assert ref["diff_mean"].isna().all()
    other = table[(table.scenario == "us-tariffs-persist") & (table.variable == "trade.exports_india_to_japan")]
    assert ((other.p_greater >= 0) & (other.p_greater <= 1)).all()
    assert (other[other.year >= 2026].p_greater == 1.0).all()  # more diversion to Japan in every draw
    unchanged = table[(table.scenario == "us-tariffs-persist") & (table.variable == "investment.fdi_stock")]
    assert (unchanged.diff_p05 == 0).all() and (unchanged.diff_p95 == 0).all()


def test_compare_needs_two_distinct_scenarios_with_one_horizon(pair, write):
    with pytest.raises(ValueError, match="at least two"):
        compare(pair[:1])
    with pytest.raises(ValueError, match="differ"):
        compare([pair[0], pair[0]])
    longer = pair[1].with_params({"scenario.horizon_years": 11})
    with pytest.raises(ValueError, match="same horizon"):
        compare([pair[0], longer])


def test_compare_cli(cli, tmp_path):
    code, out, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml",
                         SCENARIOS / "pledge-front-loaded.toml", "--draws", "300", "--out", "c")
    assert code == 0, err
    assert "us-tariffs-persist minus baseline" in out and "pledge-front-loaded minus baseline" in out
    table = pd.read_csv(tmp_path / "c" / "comparison.csv")
    assert set(table.scenario) == {"baseline", "us-tariffs-persist", "pledge-front-loaded"}
    plots = {p.name for p in (tmp_path / "c" / "plots").iterdir()}
    assert "compare_trade.balance.png" in plots and not any(p.endswith(".svg") for p in plots)  # PNG only by default
    assert "difference_us-tariffs-persist_trade.balance.png" in plots


def test_compare_cli_reports_every_bad_file(cli, write):
    write("a.toml", '[scenario]\nname = "a"\ndraws = -1\n')
    write("b.toml", '[scenario]\nname = "b"\nseed = "x"\n')
    code, _, err = cli("compare", "a.toml", "b.toml")
    assert code == 2 and "a.toml: scenario.draws" in err and "b.toml: scenario.seed" in err
    code, _, err = cli("compare", SCENARIOS / "baseline.toml")
    assert code == 2 and "at least two" in err


def test_writing_a_comparison_sorts_each_scenario_once(pair, tmp_path, monkeypatch):
    """The comparison's table and each scenario's summary sort every variable's draws: writing the
    folder computes each once (headline and IAMC reuse them), and the files are what the tables say."""
    from simulator.montecarlo.comparison import Comparison
    from simulator.output.compare_files import write_comparison
    from simulator.montecarlo.result import Result

    calls = {"table": 0, "summary": 0}
    table, summary = Comparison.table, Result.summary

    def counted(name, method):
        def wrapper(self, *a, **k):
            calls[name] += 1
            return method(self, *a, **k)
        return wrapper
    comparison = compare(pair, draws=60, seed=4)
    monkeypatch.setattr(Comparison, "table", counted("table", table))
    monkeypatch.setattr(Result, "summary", counted("summary", summary))
    out = write_comparison(comparison, tmp_path / "c", plots=False)
    assert calls == {"table": 1, "summary": 2}
    monkeypatch.undo()
    # the headline rows, ordered by the size of the paired effect (simulator.output.shown.effect_order)
    written = pd.read_csv(out / "headline_differences.csv").drop(columns=["label", "fiscal_year"])
    key = ["scenario", "variable", "year"]
    pd.testing.assert_frame_equal(written.sort_values(key).reset_index(drop=True),
                                  comparison.headline().sort_values(key).reset_index(drop=True), check_dtype=False)
    from simulator.output.shown import default_shown, effect_order
    order = list(effect_order(comparison, comparison.table(), default_shown()).variable)
    assert list(dict.fromkeys(written.variable)) == order
