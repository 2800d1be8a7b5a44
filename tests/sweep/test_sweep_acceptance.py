"""Issue 30's acceptance for `ijsim sweep`: the US tariff on Indian goods swept at 10%, 25% and 50%
(competitors at the baseline's 10%): India's exports to the US never rise with the tariff and are
lower at 50% than at 25% in every year from FY2027-28; each combination equals `ijsim run` on its
own scenario file, bit for bit."""
import contextlib
import io
import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr

DRAWS = 400


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """`ijsim sweep baseline --lever tariffs.us_on_india=0.1,0.25,0.5` (fewer draws): (folder, console)."""
    from simulator.cli import main

    folder = tmp_path_factory.mktemp("sweep") / "s"
    text = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(text):
        mp.setenv("COLUMNS", "200")
        code = main(["sweep", "baseline", "--lever", "tariffs.us_on_india=0.1,0.25,0.5", "--draws", str(DRAWS),
                     "--out", str(folder), "--show", "trade.exports_india_to_us"])
    assert code == 0
    return folder, text.getvalue()


@pytest.fixture(scope="module")
def own_runs(swept, tmp_path_factory):
    """`ijsim run` on each combination's scenario file: {combination: ensemble dataset}."""
    from simulator.cli import main

    folder, _ = swept
    manifest = json.loads((folder / "manifest.json").read_text())
    out = {}
    for combo in manifest["combinations"]:
        target = tmp_path_factory.mktemp("own") / combo["combination"]
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["run", str(folder / combo["scenario_file"]), "--out", str(target), "--no-plots", "-q"]) == 0
        with xr.open_dataset(target / "ensemble.nc", engine="h5netcdf") as ds:
            out[combo["combination"]] = ds.load()
    return out


def _us(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """India's exports to the US: one column per tariff, one row per year."""
    rows = table[table.variable == "trade.exports_india_to_us"]
    return rows.pivot(index="year", columns="tariffs.us_on_india", values=column)


def test_the_sweep_writes_its_files_and_combinations(swept):
    folder, text = swept
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["kind"] == "sweep" and manifest["common_random_numbers"] is True
    assert [c["values"]["tariffs.us_on_india"] for c in manifest["combinations"]] == [0.1, 0.25, 0.5]
    assert manifest["levers"][0]["from_year"] == 2027  # the year after the baseline's last stated year (2026)
    for name in ("sweep.csv", "sweep_events.csv", "regret.csv", "report.html", "plots/sweep_trade.exports_india_to_us.png"):
        assert (folder / name).is_file(), name
    assert "US tariff on Indian goods" in text and "India's exports to the US" in text


def test_exports_to_the_us_never_rise_with_the_tariff(swept, own_runs):
    folder, _ = swept
    table = pd.read_csv(folder / "sweep.csv")
    for column in ("mean", "p05", "p50", "p95"):
        by_tariff = _us(table, column)[[0.1, 0.25, 0.5]]
        assert (by_tariff.diff(axis=1).iloc[:, 1:] <= 0).all().all(), column
        later = by_tariff.loc[2027:]
        assert (later[0.5] < later[0.25]).all() and (later[0.25] < later[0.1]).all(), column
        assert (by_tariff.loc[:2026].nunique(axis=1) == 1).all(), column  # before 2027 the tariff is the same
    # draw by draw (common random numbers), from each combination's own run
    runs = [own_runs[f"baseline-c{i}"]["trade.exports_india_to_us"].transpose("draw", "year") for i in (1, 2, 3)]
    low, mid, high = (r.values for r in runs)
    assert (mid <= low).all() and (high <= mid).all()
    years = runs[0]["year"].values
    assert (high[:, years >= 2027] < mid[:, years >= 2027]).all()


def test_each_combination_equals_its_own_scenario_file_run_bit_for_bit(swept, own_runs):
    folder, _ = swept
    table = pd.read_csv(folder / "sweep.csv")
    for name, ds in own_runs.items():
        mine = table[table.combination == name]
        for variable in ("trade.exports_india_to_us", "trade.balance", "investment.fdi_stock",
                         "exchange.cumulative_total"):
            values = ds[variable].transpose("draw", "year").values
            rows = mine[mine.variable == variable].set_index("year").loc[ds["year"].values]
            assert np.array_equal(rows["mean"].to_numpy(), values.mean(axis=0)), (name, variable)
            assert np.array_equal(rows["p50"].to_numpy(), np.quantile(values, 0.5, axis=0)), (name, variable)
            assert np.array_equal(rows["p95"].to_numpy(), np.quantile(values, 0.95, axis=0)), (name, variable)


def test_the_python_sweep_holds_the_same_draws_as_the_files(swept):
    """simulator.sweep's results, array for array, are the runs of the files it writes."""
    import simulator

    folder, _ = swept
    s = simulator.sweep(simulator.load_scenario("baseline"), {"tariffs.us_on_india": [0.1, 0.25, 0.5]}, draws=DRAWS)
    for result in s.comparison.results:
        alone = simulator.run(simulator.load_scenario(folder / "scenarios" / f"{result.scenario.name}.toml"))
        for variable in result.variables:
            assert np.array_equal(result[variable].values, alone[variable].values), (result.scenario.name, variable)
    written = pd.read_csv(folder / "sweep.csv", keep_default_na=False, na_values=[""])
    assert set(written[written.variable.str.startswith("trade.")].fiscal_year) >= {"FY2027-28", "FY2034-35"}
    pd.testing.assert_frame_equal(s.table(), written.drop(columns="fiscal_year"), check_dtype=False)
