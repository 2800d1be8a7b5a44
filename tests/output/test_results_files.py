"""simulator.output.files in process and fast: which folders --force may replace, the atomic folder,
the IAMC table's rows and values, the manifest, and the files a run writes (no plots)."""
import hashlib
import json
import os
import time

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.montecarlo import engine
from simulator.montecarlo.inputs import flatten_inputs
from simulator.errors import OutputExistsError, UserError
from simulator.output import files
from simulator.montecarlo.result import Result

from tests.conftest import SCENARIOS, no_events


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario(SCENARIOS / "baseline.toml")


def _checked(path, force):
    """check_target reserves the folder for the run it starts; release it as a run's end would."""
    from simulator.output import commit
    try:
        files.check_target(path, force=force)
    finally:
        commit.release(path)


def test_check_target(tmp_path):
    _checked(tmp_path / "new", force=False)
    _checked(tmp_path / "new", force=True)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "mine.txt").write_text("x")
    with pytest.raises(OutputExistsError):
        _checked(tmp_path / "d", force=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="not a folder"):
        _checked(tmp_path / "file", force=True)
    with pytest.raises(UserError, match="nothing was changed"):
        _checked(tmp_path / "d", force=True)
    assert (tmp_path / "d" / "mine.txt").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "file"]


def test_atomic_folder_appears_whole_or_not_at_all(tmp_path):
    out = tmp_path / "sub" / "res"
    with files.atomic_folder(out, force=False) as tmp:
        (tmp / "a.csv").write_text("1")
        assert not out.exists() and tmp.parent == out.parent
    assert (out / "a.csv").read_text() == "1"
    (out / "a.csv").unlink()  # an empty folder: --force may replace it
    with pytest.raises(RuntimeError):
        with files.atomic_folder(out, force=True) as tmp:
            (tmp / "b.csv").write_text("2")
            raise RuntimeError("interrupted")
    assert out.is_dir() and list(out.iterdir()) == []  # the earlier folder kept as it was
    with files.atomic_folder(out, force=True) as tmp:
        (tmp / "b.csv").write_text("2")
    assert sorted(p.name for p in out.iterdir()) == ["b.csv"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["res"]  # no temporary folders left
    with pytest.raises(OutputExistsError):
        with files.atomic_folder(out, force=False):
            pass


def test_atomic_folder_turns_os_errors_into_one_message(tmp_path):
    out = tmp_path / "res"
    with pytest.raises(UserError, match="cannot write the results.*nothing was written"):
        with files.atomic_folder(out, force=False) as tmp:
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_sha256_file(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    assert files.sha256_file(tmp_path / "abc") == hashlib.sha256(b"abc").hexdigest()
    big = bytes(range(256)) * 20_000  # 5 MB: several chunks
    (tmp_path / "big").write_bytes(big)
    assert files.sha256_file(tmp_path / "big") == hashlib.sha256(big).hexdigest()


def test_iamc_table_rows_names_and_values(baseline):
    scenario = baseline.with_params({"scenario.draws": 5, "scenario.horizon_years": 2, **no_events(baseline)})
    x = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [5.0, 50.0]])
    sectors = ["a", "b"]
    by_sector = np.stack([x, 2 * x], axis=-1)
    result = Result.from_arrays(scenario, {"trade.exports_india_to_japan": x,
                                           "investment.disbursed_by_sector": by_sector}, {"sector": sectors})
    table = files.iamc_table(result)
    assert list(table.columns) == ["Model", "Scenario", "Region", "Variable", "Unit", "Year basis", "2025", "2026"]
    basis = table.set_index("Variable")["Year basis"]
    assert basis.filter(like="Trade|").str.startswith("Indian fiscal year").all()
    assert (basis.filter(like="Investment|") == "calendar year").all()
    assert set(table.Model) == {"ijsim"} and set(table.Scenario) == {"baseline"} and set(table.Region) == {"India"}
    rows = table.set_index("Variable")
    base = "Trade|Exports|India to Japan"
    assert list(rows.loc[f"{base}|Mean", ["2025", "2026"]]) == [3.0, 30.0]
    assert list(rows.loc[f"{base}|5.0th Percentile", ["2025", "2026"]]) == pytest.approx([1.2, 12.0])
    assert list(rows.loc[f"{base}|50.0th Percentile", ["2025", "2026"]]) == [3.0, 30.0]
    assert list(rows.loc[f"{base}|95.0th Percentile", ["2025", "2026"]]) == pytest.approx([4.8, 48.0])
    assert rows.loc[f"{base}|Mean", "Unit"] == "billion USD/yr"
    sector_b = "Investment|Japan to India|Pledge|Disbursed|b"
    assert list(rows.loc[f"{sector_b}|Mean", ["2025", "2026"]]) == [6.0, 60.0]
    assert list(rows.loc[f"{base}|25.0th Percentile", ["2025", "2026"]]) == [2.0, 20.0]
    assert list(rows.loc[f"{base}|75.0th Percentile", ["2025", "2026"]]) == [4.0, 40.0]
    assert len(table) == 3 * 6  # three series, six statistics each


def test_write_results_files_and_manifest(baseline, tmp_path):
    result = engine.run(baseline, draws=60, seed=5)
    out = files.write_results(result, tmp_path / "res", elapsed_s=1.23456, overrides={"draws": 60})
    names = sorted(p.name for p in out.iterdir())
    assert names == [".ijsim-owner.json", "ensemble.nc", "event_drivers.csv", "events.csv", "iamc.csv", "manifest.json",
                     "summary.csv"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == {n: files.sha256_file(out / n) for n in names if n not in ("manifest.json", ".ijsim-owner.json")}
    owner = json.loads((out / ".ijsim-owner.json").read_text(encoding="utf-8"))  # what --force checks (ownership.py)
    assert owner["manifest_sha256"] == files.sha256_file(out / "manifest.json")
    assert (owner["device"], owner["inode"]) == (out.stat().st_dev, out.stat().st_ino)
    assert (manifest["kind"], manifest["scenario"], manifest["seed"], manifest["draws"]) == ("run", "baseline", 5, 60)
    assert manifest["horizon"] == [2025, 2034] and manifest["elapsed_s"] == 1.235
    assert manifest["overrides"] == {"draws": 60} and manifest["sampler"] == result.scenario.sampler
    assert manifest["scenario_sha256"] == files.sha256_file(SCENARIOS / "baseline.toml")
    assert manifest["versions"]["numpy"] == np.__version__ and "python" in manifest["versions"]
    assert manifest["block_size"] == result.scenario.block_size and manifest["title"] == baseline.title
    assert manifest["parameters"]["investment.pledge_jpy_tn"]["value"] == 10.0
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    trade = summary.variable.str.startswith("trade.")
    assert (summary.fiscal_year[trade] == [f"FY{y}-{(y + 1) % 100:02d}" for y in summary.year[trade]]).all()
    assert (summary.fiscal_year[~trade] == "").all()
    pd.testing.assert_frame_equal(summary.drop(columns="fiscal_year"), result.summary(), check_dtype=False)
    events = pd.read_csv(out / "events.csv")
    assert list(events.probability) == pytest.approx(list(result.events().probability), abs=1e-10)  # CSV: 10 digits
    iamc = pd.read_csv(out / "iamc.csv")
    assert len(iamc) == len(files.iamc_table(result))
    written = []
    files.write_results(result, tmp_path / "plotted", plot_writer=lambda r, p: written.append((r, p)) or [])
    assert len(written) == 1 and written[0][0] is result and written[0][1].name == "plots"
    files.write_results(result, tmp_path / "none", plots=False, plot_writer=lambda r, p: written.append((r, p)))
    assert len(written) == 1  # --no-plots: the writer is not called


def test_versions_name_every_package_that_decides_the_numbers():
    from importlib.metadata import version
    v = files.versions()
    assert list(v) == ["ijsim", "python", "numpy", "scipy", "pandas", "xarray", "h5netcdf", "h5py", "matplotlib",
                       "numba", "simpy", "SALib", "dask", "scikit-learn"]
    assert v["ijsim"] == simulator.__version__ and v["python"].count(".") == 2
    assert all(v[p] == version(p) for p in list(v)[2:])


def test_manifest_fields(baseline):
    from datetime import datetime, timedelta, timezone
    result = Result.from_arrays(baseline.with_params({"scenario.draws": 2, "scenario.horizon_years": 2, **no_events(baseline)}),
                                {"trade.balance": np.zeros((2, 2))}, {})
    doc = files.manifest(result, {"summary.csv": "abc"}, 2.0004, {"seed": 3})
    assert doc["description"] == baseline.description and doc["title"] == baseline.title
    assert doc["scenario_file"] == str(baseline.files[0]) and doc["scenario_file"].endswith("baseline.toml")
    assert doc["scenario_files"] == dict(baseline.sha256) and len(doc["scenario_files"]) == len(baseline.files)
    assert doc["version"] == simulator.__version__ and doc["files"] == {"summary.csv": "abc"}
    assert doc["elapsed_s"] == 2.0 and doc["overrides"] == {"seed": 3} and doc["horizon"] == [2025, 2026]
    created = datetime.fromisoformat(doc["created_utc"])
    assert created.utcoffset() == timedelta(0) and created.microsecond == 0
    assert abs(datetime.now(timezone.utc) - created) < timedelta(minutes=5)
    from simulator.scenario.model import scenario_from_dict
    unsaved = scenario_from_dict({"scenario": {"name": "mine", "draws": 2, "horizon_years": 2}})
    doc = files.manifest(Result.from_arrays(unsaved, {"trade.balance": np.zeros((2, 2))}, {}), {}, 0.0, {})
    assert doc["scenario_file"] is None and doc["scenario_sha256"] is None and doc["scenario_files"] == {}


def test_write_results_defaults_and_force(baseline, tmp_path):
    result = engine.run(baseline, draws=20, seed=5, block_size=20)
    out = files.write_results(result, tmp_path / "res", plots=False)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"] == 0.0
    assert (out / "manifest.json").read_text(encoding="utf-8").startswith('{\n  "kind": "run",\n  "scenario": ')
    assert (out / "summary.csv").read_bytes().startswith(b"variable,unit,year,fiscal_year,mean,sd,p05,")
    assert b"\r" not in (out / "summary.csv").read_bytes()
    assert (out / "iamc.csv").read_bytes().startswith(b"Model,Scenario,Region,Variable,Unit,Year basis,2025,")
    assert (out / "events.csv").read_bytes().startswith(b"event,title,year,probability,se\n")
    started = time.perf_counter() - 2.0  # the work began two seconds ago
    timed = files.write_results(result, tmp_path / "timed", plots=False, elapsed_s=99.0, started=started)
    assert 2.0 <= json.loads((timed / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"] < 60.0
    with pytest.raises(OutputExistsError):
        files.write_results(result, out, plots=False)  # not replaced without force
    files.write_results(result, out, force=True, plots=False, elapsed_s=5.0)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"] == 5.0


@pytest.fixture(scope="module")
def small_result(baseline):
    return engine.run(baseline, draws=40, seed=11)


@pytest.mark.parametrize("ensemble", ["full", "float32", "none"])
def test_in_memory_results_say_how_their_ensemble_was_kept(small_result, tmp_path, ensemble):
    import xarray as xr

    out = files.write_results(small_result, tmp_path / "r", plots=False, ensemble=ensemble)
    text = (out / "manifest.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    # summaries of a result in memory are exact whatever is kept on disk
    assert doc["ensemble"] == {"storage": ensemble, "quantiles": "exact"}
    assert ("ensemble.nc" in doc["files"]) == (ensemble != "none") == (out / "ensemble.nc").exists()
    if ensemble != "none":
        with xr.open_dataset(out / "ensemble.nc") as ds:
            assert ds["trade.balance"].dtype == (np.float32 if ensemble == "float32" else np.float64)
            assert ds["input.investment.realisation_rate"].dims == ("draw",)
    # the files a user opens: no index column, Unix line ends, events as defined, the manifest readable
    for name in ("summary.csv", "iamc.csv", "events.csv"):
        raw = (out / name).read_bytes()
        assert b"\r" not in raw and not raw.startswith(b","), name
    assert (out / "summary.csv").read_text().startswith("variable,unit,year,fiscal_year,mean,sd,p05,p25,p50,p75,p95\n")
    assert (out / "iamc.csv").read_text().startswith("Model,Scenario,Region,Variable,Unit,")
    assert text.endswith("}\n") and doc["files"]["summary.csv"] == hashlib.sha256(
        (out / "summary.csv").read_bytes()).hexdigest()


def test_files_have_unix_line_ends_on_every_platform(small_result, tmp_path, monkeypatch):
    """pandas ends lines with os.linesep unless told otherwise: on Windows the csv files, and with them
    the manifest's hashes, would differ from the same run elsewhere."""
    import os

    monkeypatch.setattr(os, "linesep", "\r\n")
    out = files.write_results(small_result, tmp_path / "r", plots=False, ensemble="none")
    for name in ("summary.csv", "iamc.csv", "events.csv"):
        raw = (out / name).read_bytes()
        assert raw.count(b"\n") > 1 and b"\r" not in raw, name


def test_manifest_keeps_text_as_written(small_result, tmp_path):
    """A title with non-ASCII characters (a scenario in Hindi or Japanese) stays readable in manifest.json."""
    titled = Result(small_result.scenario.with_params({}), small_result.dataset)
    object.__setattr__(titled.scenario, "title", "भारत–日本 基準")
    out = files.write_results(titled, tmp_path / "t", plots=False, ensemble="none")
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert "भारत–日本 基準" in text and json.loads(text)["title"] == "भारत–日本 基準"


def test_bands_are_the_quantiles_of_the_draws_by_year(small_result):
    from simulator.montecarlo.summaries import QUANTILES

    bands = small_result.bands("trade.balance")
    values = small_result["trade.balance"].transpose("draw", "year").values
    assert list(bands.columns) == list(QUANTILES) and list(bands.index) == list(small_result.scenario.years)
    np.testing.assert_array_equal(bands.to_numpy(), np.quantile(values, list(QUANTILES.values()), axis=0).T)
    sector = small_result.labels("sector")[1]
    entry = small_result["investment.disbursed_by_sector"].sel(sector=sector).transpose("draw", "year").values
    np.testing.assert_array_equal(small_result.bands(f"investment.disbursed_by_sector.{sector}").to_numpy(),
                                  np.quantile(entry, list(QUANTILES.values()), axis=0).T)


def test_base_balance_is_the_median_base_year_balance(small_result):
    """The level line of the balance chart: FY2023-24's 5.15 - 17.69 = -12.54 USD bn (seeds/), fixed
    in the baseline, so every draw's base-year balance and their median are that."""
    assert small_result.base_balance() == pytest.approx(5.15 - 17.69, abs=1e-12)


def test_netcdf3_copy_stores_the_seed_as_text_and_leaves_the_original():
    import xarray as xr

    ds = xr.Dataset({"v": ("draw", np.arange(3.0))}, attrs={"seed": 2**63 - 1, "scenario": "s"})
    out = files.for_netcdf3(ds)
    assert out.attrs == {"seed": str(2**63 - 1), "scenario": "s"}
    assert ds.attrs["seed"] == 2**63 - 1 and out["v"].equals(ds["v"])
    plain = xr.Dataset(attrs={"scenario": "s"})
    assert files.for_netcdf3(plain) is plain


@pytest.mark.parametrize("inside", [False, True])
def test_force_never_replaces_the_current_folder_even_if_ijsim_wrote_it(small_result, tmp_path, monkeypatch, inside):
    out = files.write_results(small_result, tmp_path / "r", plots=False, ensemble="none")
    (out / "sub").mkdir() if inside else None
    monkeypatch.chdir(out / "sub" if inside else out)
    with pytest.raises(UserError, match="is the current folder or contains it"):
        _checked(out, force=True)
    assert (out / "manifest.json").exists()


def test_in_memory_results_that_are_not_finite_are_refused_naming_the_file(small_result, tmp_path):
    arrays = {k: small_result[k].values.copy() for k in small_result.variables}
    arrays.update(flatten_inputs(small_result.dataset))  # from_arrays takes the inputs as the sampler names them
    arrays["trade.cover_ratio"][1, -1] = np.inf
    labels = {d: small_result.labels(d) for d in ("sector", "stream", "stage")}
    bad = Result.from_arrays(small_result.scenario, arrays, labels)
    with pytest.raises(UserError) as caught:
        files.write_results(bad, tmp_path / "bad", plots=False)
    message = str(caught.value)
    import re
    assert re.match(r"\S*baseline\.toml: the results are not finite \(trade\.cover_ratio is inf for draw 1, year 2034\)",
                    message), message
    assert not (tmp_path / "bad").exists()
    # a NaN in a variable with a third dimension is located by its label, after finite variables
    arrays["trade.cover_ratio"][1, -1] = 1.0
    arrays["investment.disbursed_by_sector"][0, 2, 1] = np.nan
    bad = Result.from_arrays(small_result.scenario, arrays, labels)
    with pytest.raises(UserError, match=rf"is nan for draw 0, year 2027, sector {labels['sector'][1]}\)"):
        files.write_results(bad, tmp_path / "bad", plots=False)
    # finite draws whose mean overflows: the summary is refused, naming the file
    arrays["investment.disbursed_by_sector"][0, 2, 1] = 1.0
    arrays["trade.cover_ratio"][:, 0] = 1.5e308
    import warnings
    with pytest.raises(UserError) as caught, warnings.catch_warnings():
        warnings.simplefilter("error")  # the message, not a numpy overflow warning before it
        files.write_results(Result.from_arrays(small_result.scenario, arrays, labels), tmp_path / "bad", plots=False)
    assert re.match(r"\S*baseline\.toml: the results are not finite \(mean is inf ", str(caught.value)), str(caught.value)
    assert not (tmp_path / "bad").exists()
    # a scenario built in code has no file: the message names the scenario
    import dataclasses
    in_code = dataclasses.replace(small_result.scenario, files=())
    with pytest.raises(UserError, match=r"^baseline: the results are not finite"):
        files.write_results(Result.from_arrays(in_code, arrays, labels), tmp_path / "bad", plots=False)


def test_events_file_numbers_and_columns(tmp_path):
    table = pd.DataFrame({"event": ["e"], "title": ["T"], "year": [2030], "probability": [1 / 3], "se": [2.5e-12],
                          "variable": ["trade.balance"], "by": [False], "scenario": ["s"]})
    files.write_events(table, tmp_path / "events.csv", extra=("scenario",))
    assert (tmp_path / "events.csv").read_text() == "scenario,event,title,year,probability,se\ns,e,T,2030,0.3333333333,2.5e-12\n"


def test_manifest_records_the_events_as_defined(small_result):
    doc = files.manifest(small_result, {}, 0.0, {})
    assert doc["events"] == {e.name: e.to_dict() for e in small_result.scenario.events}
    assert set(doc["events"]) == {"deficit_narrower_2030", "deficit_narrower_2034", "people_500k_by_2029",
                                  "people_500k_plan_window", "skilled_50k_by_2029", "skilled_50k_plan_window",
                                  "workers_50k_by_2029", "workers_50k_plan_window"}
