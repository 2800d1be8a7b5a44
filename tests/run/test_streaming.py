"""Streaming runs: the ensemble written block by block, summaries from the file identical to the
in-memory path, the streaming-quantile bound, identical files for any number of threads."""
import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import simulator
from simulator.montecarlo import engine
from simulator.output import run_folder as streaming
from simulator.montecarlo.summaries import QUANTILES
from simulator.montecarlo.quantile_sketch import RELATIVE_ERROR, TINY, LogHistogram

from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def scenario():
    # Blocks of 256 with a short last one: the slabs and chunks do not line up with the draws.
    return engine.configure(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=3000, block_size=256)


@pytest.fixture(scope="module")
def in_memory(scenario):
    return engine.run(scenario)


def test_streamed_summaries_are_the_in_memory_ones_bit_for_bit(scenario, in_memory, tmp_path):
    streamed = streaming.run_into(scenario, tmp_path, ensemble="full", threads=2)
    pd.testing.assert_frame_equal(streamed.summary(), in_memory.summary(), check_exact=True)
    pd.testing.assert_frame_equal(streamed.headline(), in_memory.headline(), check_exact=True)
    pd.testing.assert_frame_equal(streamed.probabilities(), in_memory.probabilities(), check_exact=True)
    with xr.open_dataset(tmp_path / "ensemble.nc") as ds:
        assert ds["investment.disbursed_by_sector"].dims == ("draw", "year", "sector")
        assert ds.sizes["draw"] == 3000
        xr.testing.assert_identical(ds.load(), in_memory.dataset)


def test_streamed_events_on_entries_and_drawn_thresholds_are_counted_as_in_memory(scenario, tmp_path):
    """Blocks are labelled with only what the events read: an entry of a 3-D output and a threshold
    drawn per draw ('base' of a trade flow whose base value is uncertain) must still count the same."""
    def event(variable, op, threshold, **when):
        return {"title": variable, "variable": variable, "op": op, "threshold": threshold, **when}
    with_events = scenario.with_params({
        "scenario.draws": 700,
        "trade.exports_india_to_japan_base_usd_bn": {"dist": "uniform", "min": 4.5, "max": 6.0},
        "events.auto": event("investment.disbursed_by_sector.automotive_manufacturing", ">", 0.9, year=2027),
        "events.exports_up": event("trade.exports_india_to_japan", ">", "base", by=2028)})
    streamed = streaming.run_into(with_events, tmp_path, ensemble="none", threads=2)
    in_memory = engine.run(with_events)
    pd.testing.assert_frame_equal(streamed.events(), in_memory.events(), check_exact=True)
    table = in_memory.events().set_index("event")
    assert 0 < table.loc["auto", "probability"] < 1 and 0 < table.loc["exports_up", "probability"] < 1


def test_float32_ensemble_holds_float32_and_its_exact_summaries(scenario, in_memory, tmp_path):
    streamed = streaming.run_into(scenario, tmp_path, ensemble="float32")
    with xr.open_dataset(tmp_path / "ensemble.nc") as ds:
        assert ds["trade.balance"].dtype == np.float32
        values = ds["trade.balance"].sel(year=2030).values.astype(np.float64)
        expected = np.asarray(in_memory["trade.balance"].sel(year=2030).values, dtype=np.float32)
        np.testing.assert_array_equal(values, expected)
    row = streamed.summary().set_index(["variable", "year"]).loc[("trade.balance", 2030)]
    assert row["p50"] == np.quantile(values, 0.5) and row["mean"] == values.reshape(-1, 1).mean(axis=0)[0]


def test_no_ensemble_quantiles_within_the_stated_bound(scenario, in_memory, tmp_path):
    streamed = streaming.run_into(scenario, tmp_path, ensemble="none", threads=2)
    assert not (tmp_path / "ensemble.nc").exists()
    got = streamed.summary()
    exact = in_memory.summary()
    assert list(got["variable"]) == list(exact["variable"])
    columns = {name: da.transpose("draw", "year").values for name, _, da in in_memory.flat()}
    checked = 0
    for i, row in got.iterrows():
        values = np.sort(columns[row["variable"]][:, list(in_memory.dataset["year"].values).index(row["year"])])
        for col, q in QUANTILES.items():
            k = int(np.floor((len(values) - 1) * q))
            bound = RELATIVE_ERROR * max(abs(values[k]), abs(values[min(k + 1, len(values) - 1)])) + TINY
            assert abs(row[col] - exact.loc[i, col]) <= bound, (row["variable"], row["year"], col)
            checked += 1
    assert checked == 5 * len(got)
    np.testing.assert_allclose(got["mean"], exact["mean"], rtol=1e-12, atol=1e-12)
    # sd: exact up to rounding, relative to the values' size (a constant column's sd is rounding noise)
    assert (np.abs(got["sd"] - exact["sd"]) <= 1e-9 * (exact["sd"] + exact["mean"].abs()) + 1e-12).all()
    pd.testing.assert_frame_equal(streamed.probabilities(), in_memory.probabilities(), check_exact=True)


@pytest.mark.parametrize("ensemble", ["full", "none"])
def test_files_identical_for_any_number_of_threads(scenario, tmp_path, ensemble):
    (tmp_path / "1").mkdir()
    (tmp_path / "3").mkdir()
    one = streaming.run_into(scenario, tmp_path / "1", ensemble=ensemble, threads=1)
    three = streaming.run_into(scenario, tmp_path / "3", ensemble=ensemble, threads=3)
    pd.testing.assert_frame_equal(one.summary(), three.summary(), check_exact=True)
    if ensemble == "full":
        assert (tmp_path / "1" / "ensemble.nc").read_bytes() == (tmp_path / "3" / "ensemble.nc").read_bytes()


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=400), st.integers(1, 50), st.randoms(use_true_random=False))
def test_sketch_bound_and_order_independence(values, block, rnd):
    x = np.array(values)
    probabilities = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0]
    forward, shuffled = LogHistogram(1), LogHistogram(1)
    blocks = [x[i:i + block] for i in range(0, len(x), block)]
    for b in blocks:
        forward.add(b[:, None])
    rnd.shuffle(blocks)
    for b in blocks:
        shuffled.add(b[:, None])
    estimate = forward.quantiles(probabilities)[:, 0]
    np.testing.assert_array_equal(estimate, shuffled.quantiles(probabilities)[:, 0])
    s = np.sort(x)
    for p, q in zip(probabilities, estimate):
        k = int(np.floor((len(s) - 1) * p))
        bound = RELATIVE_ERROR * max(abs(s[k]), abs(s[min(k + 1, len(s) - 1)])) + TINY
        assert abs(q - np.quantile(x, p)) <= bound


def test_sketch_exact_on_values_at_bin_midpoints_and_zero():
    h = LogHistogram(2)
    h.add(np.array([[0.0, -3.0], [0.0, -3.0], [1e-9, -3.0]]))
    q = h.quantiles([0.5])
    assert q[0, 0] == 0.0 and abs(q[0, 1] + 3.0) <= 3.0 * RELATIVE_ERROR


def test_cli_ensemble_choices(cli, tmp_path):
    for mode in ("float32", "none"):
        code, _, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "300", "--no-plots", "--quiet",
                           "--ensemble", mode, "--out", mode, "--seed", str(2**63 - 1))
        assert code == 0, err
        manifest = json.loads((tmp_path / mode / "manifest.json").read_text())
        assert manifest["ensemble"] == {"storage": mode,
                                        "quantiles": "exact" if mode == "float32" else "log-histogram"}
        assert ("ensemble.nc" in manifest["files"]) == (mode != "none")
    with xr.open_dataset(tmp_path / "float32" / "ensemble.nc") as ds:
        assert int(ds.attrs["seed"]) == 2**63 - 1
        assert ds["input.investment.realisation_rate"].dims == ("draw",)
    # float32 draws are enough to discover from; no draws are not, and the message says what to do
    code, _, err = cli("discover", "float32", "--event", "deficit_narrower_2030", "--out", "found32")
    assert code == 0, err
    code, _, err = cli("discover", "none", "--event", "deficit_narrower_2030", "--out", "found")
    assert code == 2 and "--ensemble none" in err and "Traceback" not in err
    assert not (tmp_path / "found").exists()


def test_not_enough_disk_is_refused_before_work(cli, tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 10**6, 10**6))
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "2000000", "--out", "big")
    assert code == 2 and "2,000,000 draws need about" in err and "--ensemble none" in err
    assert not (tmp_path / "big").exists()
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "200", "--out", "small", "--quiet",
                       "--no-plots", "--ensemble", "none")
    assert code == 0, err


@pytest.mark.parametrize("ensemble", ["full", "float32"])
def test_disk_refusal_on_a_small_disk_shows_the_numbers_and_only_other_settings(cli, tmp_path, monkeypatch, ensemble):
    """Issue 33, point 8: a 600 KiB disk was "about 0.0 GiB ... (0.0 GiB)", and float32 was told to use float32."""
    import shutil
    from collections import namedtuple

    from simulator.montecarlo.engine import bytes_per_draw, configure
    from simulator.scenario import load_scenario

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 600 * 1024, 600 * 1024))
    needed = bytes_per_draw(configure(load_scenario(SCENARIOS / "baseline.toml"), draws=2000)) * 2000
    needed = needed // 2 if ensemble == "float32" else needed
    code, out, err = cli("run", SCENARIOS / "baseline.toml", "--draws", "2000", "--out", "big", "--ensemble", ensemble)
    assert (code, out) == (2, "")
    assert err.strip().replace("\n", " ") == (
        f"ijsim: 2,000 draws need about {needed / 2**20:.1f} MiB for ensemble.nc ({ensemble}), more than the disk of "
        f". has free (600.0 KiB); use {'--ensemble float32 (half the size) or ' if ensemble == 'full' else ''}"
        "--ensemble none (no ensemble, quantiles within 0.05%), or fewer --draws")
    assert not (tmp_path / "big").exists()


WRITE_INPUTS = """
import resource, sys, tempfile
from pathlib import Path
import numpy as np
import simulator
from simulator.montecarlo import engine
from simulator.output.ensemble_file import EnsembleWriter
n = int(sys.argv[1])
scenario = engine.configure(simulator.load_scenario(sys.argv[2]), draws=n)
example = {k: v for k, v in engine.simulate_block(scenario, 0, 1).items() if k.startswith("input.")}
writer = EnsembleWriter(Path(tempfile.mkdtemp()) / "e.nc", scenario, example, {}, np.float32)
block = {k: np.repeat(v, scenario.block_size, axis=0) for k, v in example.items()}
for lo in range(0, n, scenario.block_size):
    writer.write(lo, {k: v[:min(scenario.block_size, n - lo)] for k, v in block.items()})
writer.close()
print(len(example), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


@pytest.mark.e2e  # peak memory of subprocesses
def test_writing_the_inputs_per_draw_does_not_grow_memory_with_the_draws(tmp_path):
    """The inputs are one-dimensional: through HDF5's chunk cache they stayed in memory until the file
    closed (4 bytes per input and draw: 0.6 GB for 2,000,000 draws). Peak resident memory of a
    process writing them for 250,000 and for 1,000,000 draws, in the same run."""
    import subprocess
    import sys

    def peak(n):
        done = subprocess.run([sys.executable, "-c", WRITE_INPUTS, str(n), str(SCENARIOS / "baseline.toml")],
                              capture_output=True, text=True, check=True, cwd=tmp_path)
        inputs, rss = done.stdout.split()
        return int(inputs), int(rss)

    (inputs, small), (_, large) = peak(250_000), peak(1_000_000)
    grown_if_kept = inputs * 750_000 * 4
    assert inputs > 40 and large - small < 0.25 * grown_if_kept, (small, large, grown_if_kept)
