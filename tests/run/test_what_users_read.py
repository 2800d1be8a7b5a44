"""The numbers users read, checked against the ensemble they come from.

Each test reads what a user reads (summary.csv, iamc.csv, probabilities.csv, the console's headline
table, a comparison's P(B > A)) and recomputes it independently from ensemble.nc or by hand, so a
wrong quantile level, a swapped label or a sign error fails here even when every file is well formed.
"""
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import simulator
from simulator.cli import main
from simulator.montecarlo.comparison import Comparison
from simulator.montecarlo.result import Result

from tests.conftest import SCENARIOS

DRAWS = 400
# What a statistic label promises, independently of the code that writes it.
LEVELS = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
IAMC_LEVELS = {"5.0th Percentile": 0.05, "50.0th Percentile": 0.50, "95.0th Percentile": 0.95}
# IAMC names of the two trade flows and of the pledge, written out here (not read from
# simulator.variables), so that swapping them there fails this test.
IAMC_NAMES = {
    "Trade|Exports|India to Japan": "trade.exports_india_to_japan",
    "Trade|Exports|Japan to India": "trade.exports_japan_to_india",
    "Trade|Balance|India with Japan": "trade.balance",
    "Investment|Japan to India|FDI Stock": "investment.fdi_stock",
    "Migration|Exchange|India-Japan|Cumulative Arrivals": "exchange.cumulative_total",
    "Migration|Exchange|India to Japan|Skilled Workers|Cumulative Arrivals": "exchange.skilled_cumulative",
}


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("users") / "baseline"
    assert main(["run", str(SCENARIOS / "baseline.toml"), "--draws", str(DRAWS), "--seed", "11",
                 "--no-plots", "--quiet", "--out", str(out)]) == 0
    with xr.open_dataset(out / "ensemble.nc") as ds:
        ensemble = ds.load()
    return out, ensemble


def flat_ensemble(ensemble: xr.Dataset) -> dict[str, np.ndarray]:
    """draw x year arrays keyed as summary.csv names them (<variable>.<entry> for a third dimension)."""
    out = {}
    for name, da in ensemble.data_vars.items():
        if name.startswith("input."):  # the sampled inputs, not in summary.csv
            continue
        extra = [d for d in da.dims if d not in ("draw", "year")]
        if extra:
            for label in da[extra[0]].values:
                out[f"{name}.{label}"] = da.sel({extra[0]: label}).transpose("draw", "year").values
        else:
            out[name] = da.transpose("draw", "year").values
    return out


def test_summary_quantiles_are_the_levels_their_columns_name(run_folder):
    out, ensemble = run_folder
    summary = pd.read_csv(out / "summary.csv")
    arrays = flat_ensemble(ensemble)
    assert set(summary.variable) == set(arrays)
    years = list(ensemble["year"].values)
    for name, block in summary.groupby("variable"):
        values = arrays[name]
        block = block.set_index("year").loc[years]
        for column, level in LEVELS.items():
            np.testing.assert_allclose(block[column].values, np.quantile(values, level, axis=0),
                                       rtol=1e-12, atol=1e-12, err_msg=f"{name} {column}")
        np.testing.assert_allclose(block["mean"].values, values.mean(axis=0), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(block["sd"].values, values.std(axis=0, ddof=1), rtol=1e-9, atol=1e-12)
    # the spread is real: the 5th and 95th percentiles differ for an uncertain flow
    x = summary[summary.variable == "trade.exports_india_to_japan"]
    assert (x.p05 < x.p50).all() and (x.p50 < x.p95).all()


def test_console_headline_quantiles(run_folder):
    _, ensemble = run_folder
    result = simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=DRAWS, seed=11)
    table = result.headline()
    assert len(table) > 0
    for row in table.itertuples():
        values = ensemble[row.variable].sel(year=row.year).values
        assert (row.p05, row.p50, row.p95) == pytest.approx(tuple(np.quantile(values, [0.05, 0.5, 0.95])), rel=1e-12)


def test_iamc_percentile_labels_carry_their_percentiles(run_folder):
    out, ensemble = run_folder
    iamc = pd.read_csv(out / "iamc.csv")
    years = [str(y) for y in ensemble["year"].values]
    arrays = flat_ensemble(ensemble)
    checked = 0
    for name, variable in IAMC_NAMES.items():
        values = arrays[variable]
        rows = iamc.set_index("Variable")
        for label, level in IAMC_LEVELS.items():
            np.testing.assert_allclose(rows.loc[f"{name}|{label}", years].values.astype(float),
                                       np.quantile(values, level, axis=0), rtol=1e-12, atol=1e-12,
                                       err_msg=f"{name}|{label}")
            checked += 1
        np.testing.assert_allclose(rows.loc[f"{name}|Mean", years].values.astype(float), values.mean(axis=0),
                                   rtol=1e-12)
    assert checked == 3 * len(IAMC_NAMES)
    # every percentile triple is ordered 5th <= median <= 95th, strictly where draws differ
    stats = iamc.Variable.str.rsplit("|", n=1, expand=True)
    iamc = iamc.assign(base=stats[0], stat=stats[1])
    wide = {stat: iamc[iamc.stat == stat].set_index("base")[years].astype(float) for stat in IAMC_LEVELS}
    assert (wide["5.0th Percentile"] <= wide["50.0th Percentile"]).all().all()
    assert (wide["50.0th Percentile"] <= wide["95.0th Percentile"]).all().all()
    flow = "Trade|Exports|India to Japan"
    assert (wide["5.0th Percentile"].loc[flow] < wide["95.0th Percentile"].loc[flow]).all()


def test_the_two_trade_directions_carry_their_own_flows(run_folder):
    """India sold Japan US$5.15 bn and bought US$17.69 bn in FY2023-24 (seeds/article_figures.toml):
    the series named India -> Japan must be the one that starts near 5.15, in every file."""
    out, ensemble = run_folder
    first = int(ensemble["year"].values[0])
    x = ensemble["trade.exports_india_to_japan"].sel(year=first).values
    m = ensemble["trade.exports_japan_to_india"].sel(year=first).values
    assert 3.0 < np.median(x) < 8.0 and 12.0 < np.median(m) < 26.0
    np.testing.assert_allclose(ensemble["trade.balance"].values,
                               ensemble["trade.exports_india_to_japan"].values
                               - ensemble["trade.exports_japan_to_india"].values, rtol=1e-12, atol=1e-12)
    iamc = pd.read_csv(out / "iamc.csv").set_index("Variable")
    assert 3.0 < iamc.loc["Trade|Exports|India to Japan|50.0th Percentile", str(first)] < 8.0
    assert 12.0 < iamc.loc["Trade|Exports|Japan to India|50.0th Percentile", str(first)] < 26.0
    assert iamc.loc["Trade|Exports|India to Japan|Mean", "Unit"] == "billion USD/yr"
    labels = {v: ensemble[v].attrs["long_name"] for v in ("trade.exports_india_to_japan", "trade.exports_japan_to_india")}
    assert labels == {"trade.exports_india_to_japan": "India's exports to Japan",
                      "trade.exports_japan_to_india": "Japan's exports to India"}


def test_headline_probabilities_are_counts_over_the_ensemble(run_folder):
    """events.csv against counting by hand, with the baseline's definitions written out here (so a
    wrong sign, threshold or year in the scenario file or the code is caught, not copied)."""
    out, ensemble = run_folder
    events = pd.read_csv(out / "events.csv").set_index("event")
    n = ensemble.sizes["draw"]
    base_balance = 5.15 - 17.69  # FY2023-24, the baseline's base year (seeds/article_figures.toml)
    for year in (2030, 2034):
        row = events.loc[f"deficit_narrower_{year}"]
        balance = ensemble["trade.balance"].sel(year=year).values
        narrower = int(np.sum(balance > base_balance + 1e-9))  # balance is negative: narrower is larger
        assert 0 < narrower < n  # the test means something only if both outcomes occur
        assert row.year == year and row.probability == narrower / n
        assert "narrower" in row.title and "FY2023-24" in row.title
    for name, variable, target in (("people_500k_by_2029", "exchange.counted_cumulative", 500_000),
                                   ("skilled_50k_by_2029", "exchange.skilled_cumulative", 50_000)):
        row = events.loc[name]
        by_2029 = ensemble[variable].sel(year=slice(None, 2029)).max("year").values  # "by": in any year up to
        assert row.year == 2029 and f"{target:,}" in row.title
        assert row.probability == np.sum(by_2029 >= target) / n
        assert row.se == pytest.approx(np.sqrt(row.probability * (1 - row.probability) / n))


def test_p_greater_does_not_count_ties():
    a = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0], [4.0, 5.0]])
    b = np.array([[2.0, 5.0], [2.0, 5.0], [2.0, 5.0], [4.0, 6.0]])  # year 1: one greater, two ties, one less
    baseline = simulator.load_scenario(SCENARIOS / "baseline.toml")
    scenario = baseline.with_params({"scenario.draws": 4, "scenario.horizon_years": 2,  # its events lie beyond
                                     **{f"events.{name}": False for name in baseline.names("events")}})
    other = scenario.with_params({"scenario.name": "other"})
    comparison = Comparison((Result.from_arrays(scenario, {"trade.balance": a}, {}),
                             Result.from_arrays(other, {"trade.balance": b}, {})))
    table = comparison.table().set_index(["scenario", "year"])
    assert table.loc[("other", 2025), "p_greater"] == 0.25  # ties count as not greater
    assert table.loc[("other", 2026), "p_greater"] == 0.25
    assert table.loc[("other", 2025), "diff_mean"] == pytest.approx(0.0)
    assert table.loc[("other", 2026), "diff_p50"] == 0.0
    assert np.isnan(table.loc[("baseline", 2025), "p_greater"])
    np.testing.assert_array_equal(comparison.difference("trade.balance", "other").values, b - a)


ONE_STREAM = """
[scenario]
name = "one-stream"
horizon_start = 2025
horizon_years = 3
draws = 2
seed = 1

[exchange.stages.visa]
servers = 1000000
service_months = {{ dist = "exponential", mean = 0.01 }}

[exchange.streams.workers]
skilled = true
entrants_per_year = 1200
stages = ["visa"]
stay_years = 50.0
max_stay_years = 60.0
remittance_usd_per_year = {usd}
"""


def test_remittances_by_hand_on_one_stream(write):
    """1,200 arrive a year, 100 a month (the visa takes a third of a day, the shortest allowed: 1% of a
    month's entrants arrive in the next month, inside the tolerances), nobody leaves: at the end of month m
    of year k, 1200 (k - 1) + 100 m people are there, so the year's mean over its twelve month ends is
    1200 (k - 1) + 650, each sending US$6,000 a year: 3.9, 11.1 and 18.3 US$ million."""
    result = simulator.run(simulator.load_scenario(write("one.toml", ONE_STREAM.format(usd=6000))))
    stock_mean = np.array([650.0, 1850.0, 3050.0])
    arrivals = result["exchange.arrivals_total"].values[0]
    np.testing.assert_allclose(arrivals, [1200, 1200, 1200], rtol=1e-3)
    np.testing.assert_allclose(result["exchange.remittances"].values[0], stock_mean * 6000 / 1e9, rtol=2e-3)
    np.testing.assert_allclose(result["exchange.skilled_stock"].values[0], [1200, 2400, 3600], rtol=2e-3)


def test_an_unknown_variable_names_the_known_ones():
    from simulator.variables import VARIABLES, variable
    assert variable("trade.balance") is VARIABLES["trade.balance"]
    with pytest.raises(KeyError, match="unknown variable 'trade.balanse'; known: investment.disbursed, "):
        variable("trade.balanse")


NO_STAGES = """
[scenario]
name = "no-stages"
horizon_start = 2025
horizon_years = 3
draws = 2
seed = 1

[exchange.streams.workers]
skilled = true
entrants_per_year = 1200
stay_years = 50.0
max_stay_years = 60.0
remittance_usd_per_year = 6000
"""


def test_a_stream_without_stages_arrives_as_it_enters(write):
    """No stage to pass: the 100 entrants of each month arrive in that month, so the year's arrivals
    are exactly 1,200 and the stock at the end of year k is 1,200 k; no stage, so no backlog by stage
    among the results (an empty stage axis would only puzzle a reader of the files)."""
    result = simulator.run(simulator.load_scenario(write("nostages.toml", NO_STAGES)))
    np.testing.assert_allclose(result["exchange.arrivals_total"].values, 1200.0, rtol=1e-12)
    np.testing.assert_allclose(result["exchange.skilled_stock"].values[1], [1200, 2400, 3600], rtol=1e-12)
    np.testing.assert_allclose(result["exchange.remittances"].values[0],
                               np.array([650.0, 1850.0, 3050.0]) * 6000 / 1e9, rtol=1e-12)
    assert "exchange.backlog_by_stage" not in result.dataset
