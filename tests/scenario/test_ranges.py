"""Every documented value works end to end (issue 14, points 3 and 6).

Each numeric key of the scenario format is run through `ijsim run` at both ends of the range the
reference documents (docs/scenarios.md): the lowest and highest value allowed, the next float
above an open end, the largest float where the range is unbounded. Every run must write results
(exit 0) whose every number is finite. And the limits hold jointly: every parameter at its worst
end at once still gives finite results.

Most ends run with `--ensemble none`: a run checks every draw of every output for finiteness before
it writes anything (exit 2 otherwise, test_results_with_inf_or_nan_are_refused_before_writing), so
exit 0 and a finite summary.csv say what reading ensemble.nc would. Writing ensemble.nc (104 NetCDF
variables, about a second a run) is kept where the file itself is in question: the keys that shape
it (scenario.*), the unbounded ends (the largest float in its attributes), the seeds and the joint
worst ends.
"""
import math
import tomllib

import numpy as np
import pandas as pd
import pytest
import tomli_w
import xarray as xr

from simulator.montecarlo.inputs import flatten_inputs

from simulator.scenario.parameters import PROCESS_ONLY, SPECS

from tests.conftest import SCENARIOS

with open(SCENARIOS / "baseline.toml", "rb") as fh:
    BASE = tomllib.load(fh)
BASE["scenario"].pop("extends", None)

# Keys whose ends need other keys set to be valid at all (cross-key rules).
COMPANIONS = {
    "investment.disbursement.midpoint_years": {"investment.disbursement.profile": "s_curve",
                                               "investment.pledge_years": 50},
    "investment.disbursement.steepness": {"investment.disbursement.profile": "s_curve"},
}
# Trade keys read only by one process: their ends are run with that process.
PROCESS_OF = {**{f"trade.growth_{f}": "random_walk" for f in ("india_to_japan", "japan_to_india")},
              **{f"trade.{k}_{f}": "ar1" for k in ("trend_growth", "first_year_growth", "persistence")
                 for f in ("india_to_japan", "japan_to_india")},
              **{f"trade.spillover_to_{f}": "var1" for f in ("india_to_japan", "japan_to_india")}}
# Ends not run: 10 million draws need tens of GiB (checked by validation and the memory check instead).
NOT_RUN = {("scenario.draws", "high")}


# Keys of streams given by entrants_per_year (not calibrated to an observed stock): run on such a
# stream, since a calibrated one refuses entrants_per_year and needs pass rates above 0.
GIVEN_STREAM_ONLY = {"exchange.streams.*.entrants_per_year", "exchange.streams.*.pass_rates"}


def _concrete(path: str) -> str:
    """A registry path as a key of the baseline: the `coe` stage, the `skilled_workers` stream (the
    `researchers` stream, whose level is given, for GIVEN_STREAM_ONLY)."""
    stream = "researchers" if path in GIVEN_STREAM_ONLY else "skilled_workers"
    return path.replace("stages.*", "stages.coe").replace("streams.*", f"streams.{stream}")


def _ends():
    for path, spec in SPECS.items():
        if spec.kind not in ("number", "integer", "person_time", "rate_table"):
            continue
        low, low_open = spec.lowest
        high = spec.highest
        if low is None:
            low = -1.7976931348623157e308
        elif low_open:
            low = math.nextafter(low, math.inf)
        if high is None:
            high = 1.7976931348623157e308
        for end, value in (("low", low), ("high", high)):
            if spec.kind == "integer":
                value = int(value)
            yield pytest.param(path, end, value, id=f"{path}-{end}",
                               marks=pytest.mark.skip("10 million draws need tens of GiB")
                               if (path, end) in NOT_RUN else ())


def _set(doc: dict, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    doc[last] = value


def _with_process(doc: dict, process: str) -> None:
    """The baseline switched to another trade process, without the keys that process ignores."""
    doc["trade"]["process"] = process
    if process != "random_walk":
        doc["trade"]["start"] = "base"  # only a random walk starts from the history's newest year
    for key, allowed in PROCESS_ONLY.items():
        if process not in allowed:
            doc["trade"].pop(key, None)


def _document(path: str, value) -> dict:
    import copy
    doc = copy.deepcopy(BASE)
    doc["scenario"]["name"] = "ends"
    if path in PROCESS_OF:
        _with_process(doc, PROCESS_OF[path])
    key = _concrete(path)
    if SPECS[path].kind == "rate_table":
        key += ".coe"  # one entry of the skilled workers' pass rates
    for k, v in COMPANIONS.get(path, {}).items():
        _set(doc, k, v)
    if path in ("trade.base_year", "scenario.horizon_start") or path.startswith("trade.start"):
        doc["trade"]["start"] = "base"  # a start from the history needs the history's years inside the range
    if path.startswith("trade.start_"):  # a start by hand: its year and both values together
        for start_key, default in (("start_year", 2024), ("start_exports_india_to_japan_usd_bn", 6.0),
                                   ("start_exports_japan_to_india_usd_bn", 19.0)):
            doc["trade"][start_key] = default
    if path == "trade.start_year":
        _set(doc, "trade.base_year", value)
        _set(doc, "scenario.horizon_start", min(value + 1, 2100))
        doc.pop("events", None)
    if path == "trade.base_year":
        _set(doc, "scenario.horizon_start", min(value + 1, 2100))
    if path == "scenario.horizon_start":
        _set(doc, "trade.base_year", value - 1)
    if path in ("scenario.horizon_start", "scenario.horizon_years", "trade.base_year"):
        doc.pop("events", None)  # the baseline's events ask about 2029-2034: a moved horizon refuses them
    _set(doc, key, value)
    return doc


def _assert_finite_results(folder, ensemble="full"):
    summary = pd.read_csv(folder / "summary.csv")
    numbers = summary.select_dtypes("number").to_numpy()
    assert np.isfinite(numbers).all()
    if ensemble == "none":
        assert not (folder / "ensemble.nc").exists()
        return
    with xr.open_dataset(folder / "ensemble.nc") as ds:
        # the outputs, and the inputs as sampled (a shock series is NaN, by design, in years without a shock)
        arrays = {str(k): v.values for k, v in ds.data_vars.items() if not str(k).startswith("input.")}
        for name, values in {**arrays, **flatten_inputs(ds)}.items():
            assert np.isfinite(values).all(), name


def _ensemble(path: str, value) -> str:
    """Full ensemble for the keys that shape the file and for the largest floats; none elsewhere."""
    return "full" if path.startswith("scenario.") or abs(value) >= 1e300 else "none"


@pytest.mark.parametrize("path,end,value", list(_ends()))
def test_each_documented_end_runs_with_finite_results(path, end, value, cli, tmp_path):
    (tmp_path / "ends.toml").write_text(tomli_w.dumps(_document(path, value)), encoding="utf-8")
    ensemble = _ensemble(path, value)
    code, _, err = cli("run", "ends.toml", "--draws", "3", "--no-plots", "--quiet", "--out", "out",
                       "--ensemble", ensemble)
    assert code == 0, err
    assert "Warning" not in err and "RuntimeWarning" not in err
    _assert_finite_results(tmp_path / "out", ensemble)


@pytest.mark.parametrize("seed", [0, 2**31 - 1, 2**31, 2**63 - 1])
def test_seeds_across_the_documented_range_run_and_write(seed, cli, tmp_path):
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "3", "--no-plots", "--quiet",
                       "--seed", seed, "--out", "out")
    assert code == 0, err
    with xr.open_dataset(tmp_path / "out" / "ensemble.nc") as ds:
        assert int(ds.attrs["seed"]) == seed  # a 64-bit integer in NetCDF4 (text in the NetCDF3 files)


def test_largest_seed_in_the_file_and_in_flows(cli, tmp_path):
    small = SCENARIOS.parent / "tests" / "scenarios" / "small_exchange.toml"
    code, _, err = cli("flows", small, "--replications", "1", "--seed", 2**63 - 1, "--no-plots", "--quiet",
                       "--out", "fl")
    assert code == 0, err
    with xr.open_dataset(tmp_path / "fl" / "flows.nc", engine="scipy") as ds:
        assert ds.attrs["seed"] == str(2**63 - 1)


def test_largest_seed_in_a_comparison(cli, tmp_path):
    code, _, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "exchange-at-trend.toml", "--draws", "3",
                       "--seed", 2**63 - 1, "--no-plots", "--quiet", "--out", "cmp")
    assert code == 0, err
    with xr.open_dataset(tmp_path / "cmp" / "ensemble.nc", engine="scipy") as ds:
        assert ds.attrs["seed"] == str(2**63 - 1)


def test_every_limit_at_its_worst_end_at_once_stays_finite(cli, tmp_path):
    """The limits are chosen jointly: all the ends that push India's cover ratio up, over the longest
    horizon (150 years of growth from a base year of 2000), stay finite."""
    import copy
    doc = copy.deepcopy(BASE)
    doc["scenario"].update(name="worst", horizon_start=2100, horizon_years=50, draws=500)
    doc.pop("events", None)  # the baseline's events ask about 2029-2034, outside this horizon
    _with_process(doc, "random_walk")
    doc["investment"].update(pledge_jpy_tn=1000.0, pledge_start_year=2100, pledge_years=50, fx_jpy_per_usd=1.0,
                             fx_log_volatility=1.0, realisation_rate=1.0, depreciation_rate=0.0,
                             fdi_stock_start_usd_bn=0.01, other_inflows_usd_bn=1e5)
    doc["trade"].update(base_year=2000, exports_india_to_japan_base_usd_bn=1e5,
                        exports_japan_to_india_base_usd_bn=0.001, growth_india_to_japan=1.0,
                        growth_japan_to_india=-0.5, volatility_india_to_japan=1.0, volatility_japan_to_india=1.0,
                        shock_correlation=-1.0, fdi_elasticity_exports=3.0, fdi_elasticity_imports=-2.0,
                        fdi_lag_exports_years=0.0, fdi_lag_imports_years=0.0, exports_india_to_us_base_usd_bn=1e5,
                        growth_india_to_us=1.0, us_tariff_coverage=1.0, diversion_share_to_japan=1.0)
    doc["tariffs"].update(japan_on_india={"2000": 10.0, "2100": 0.0}, india_on_japan={"2000": 0.0, "2100": 10.0},
                          us_on_india={"2000": 0.0, "2100": 10.0}, elasticity_short_run=20.0,
                          elasticity_long_run=20.0, years_to_long_run=50.0)
    (tmp_path / "worst.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    code, _, err = cli("run", "worst.toml", "--no-plots", "--quiet", "--out", "out")
    assert code == 0, err
    _assert_finite_results(tmp_path / "out")


def test_results_with_inf_or_nan_are_refused_before_writing(cli, tmp_path, monkeypatch):
    """The last safeguard behind the limits: a run whose numbers overflow writes nothing, exit 2."""
    from simulator.montecarlo import driver

    original = driver.simulate_block

    def overflowing(scenario, index, n):
        block = original(scenario, index, n)
        if n > 1:  # not the one-draw block a run computes first to learn the variables
            block["trade.cover_ratio"][1, -1] = np.inf
        return block
    monkeypatch.setattr(driver, "simulate_block", overflowing)
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "5", "--no-plots", "--out", "out")
    assert code == 2, err
    assert "the results are not finite (trade.cover_ratio is inf for draw 1, year 2034)" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("process", ["ar1", "var1"])
def test_trend_processes_and_channels_at_their_worst_ends_are_finite_or_refused(process, cli, tmp_path):
    """The trend-reverting processes and the growth and yen channels at their steepest trends, most
    persistent gaps, largest spillovers and elasticities, widest growth and exchange-rate gaps, all at
    once over 150 years from a base year of 2000. Their ranges were set one by one (each end alone runs
    finite, above), not jointly: together they overflow India's cover ratio. What must hold is the last
    safeguard: exit 2 naming the cause, nothing written, never inf or NaN in a file (docs/errors.md)."""
    import copy
    doc = copy.deepcopy(BASE)
    doc["scenario"].update(name="worst", horizon_start=2100, horizon_years=50, draws=500)
    doc.pop("events", None)  # the baseline's events ask about 2029-2034, outside this horizon
    _with_process(doc, process)
    doc["investment"].update(fx_jpy_per_usd=1.0, fx_log_volatility=1.0)
    trade = dict(base_year=2000, exports_india_to_japan_base_usd_bn=1e5, exports_japan_to_india_base_usd_bn=0.001,
                 trend_growth_india_to_japan=0.5, trend_growth_japan_to_india=-0.5,
                 first_year_growth_india_to_japan=1.0, first_year_growth_japan_to_india=-1.0,
                 persistence_india_to_japan=0.99, persistence_japan_to_india=0.99,
                 volatility_india_to_japan=1.0, volatility_japan_to_india=1.0, shock_correlation=-1.0,
                 income_elasticity_india_to_japan=5.0, income_elasticity_japan_to_india=-1.0,
                 exporter_income_elasticity_india_to_japan=-1.0, exporter_income_elasticity_japan_to_india=5.0,
                 fx_elasticity_india_to_japan=-3.0, fx_elasticity_japan_to_india=3.0, fx_reference_jpy_per_usd=1000.0)
    if process == "var1":
        trade.update(spillover_to_india_to_japan=1.0, spillover_to_japan_to_india=-1.0)
    doc["trade"].update(trade)
    doc["macro"] = {"gdp_growth_india": 0.5, "gdp_reference_growth_india": -0.5,
                    "gdp_growth_japan": 0.5, "gdp_reference_growth_japan": -0.5}
    (tmp_path / "worst.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    code, _, err = cli("run", "worst.toml", "--no-plots", "--quiet", "--out", "out")
    assert code == 2 and "Traceback" not in err, err
    assert "worst.toml: the results are not finite" in err and "nothing was written" in err
    assert not (tmp_path / "out").exists()
