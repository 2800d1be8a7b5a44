"""Dask: identical results for any number of workers, worker failure, memory guard, no Dask when serial."""
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import simulator
from simulator.montecarlo import engine
from simulator.analysis import sensitivity
from simulator.people import run_flows
from simulator.output.files import write_results

from tests.conftest import SCENARIOS, require_module

distributed = require_module("distributed")

SMALL_EXCHANGE = SCENARIOS.parent / "tests" / "scenarios" / "small_exchange.toml"


@pytest.fixture(scope="module")
def scenario():
    # Many small blocks, so that work really is spread over the workers.
    return engine.configure(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=3000, block_size=250)


@pytest.fixture(scope="module", params=[False, True], ids=["threads", "processes"])
def client(request):
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=request.param,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _files(result, folder):
    write_results(result, folder, plots=False)
    return {name: (folder / name).read_bytes() for name in ("summary.csv", "ensemble.nc", "iamc.csv")}


def test_run_on_dask_writes_identical_files(scenario, client, tmp_path):
    serial = _files(engine.run(scenario), tmp_path / "serial")
    calls = []
    parallel = _files(engine.run(scenario, client=client, progress=lambda d, t: calls.append((d, t))),
                      tmp_path / "dask")
    assert serial == parallel
    assert calls[-1] == (12, 12) and len(calls) == 12  # progress counts blocks as they complete


@pytest.mark.parametrize("threads", [2, 3])
def test_run_on_threads_writes_identical_files(threads, tmp_path):
    # 3,000 draws in blocks of 256: 12 blocks, the last one short, more blocks than tasks in flight.
    scenario = engine.configure(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=3000, block_size=256)
    serial = _files(engine.run(scenario), tmp_path / "serial")
    calls = []
    threaded = _files(engine.run(scenario, threads=threads, progress=lambda d, t: calls.append((d, t))),
                      tmp_path / "threads")
    assert serial == threaded
    assert calls == [(d, 12) for d in range(1, 13)]


def test_an_error_in_a_thread_reaches_the_caller():
    from simulator.parallel import map_indexed

    def task(i):
        if i == 5:
            raise ValueError("block 5 failed")
        return i

    with pytest.raises(ValueError, match="block 5 failed"):
        map_indexed(task, range(10), threads=2)
    assert map_indexed(lambda i: i * i, range(7), threads=3) == {i: i * i for i in range(7)}


def test_simpy_replications_identical_on_one_and_two_workers(client):
    small = simulator.load_scenario(SMALL_EXCHANGE)
    serial = run_flows(small, replications=4)
    on_dask = run_flows(small, replications=4, client=client)
    assert serial.dataset.equals(on_dask.dataset)
    assert serial.stage_stats.equals(on_dask.stage_stats)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as one, \
            distributed.Client(one) as c1:
        assert run_flows(small, replications=4, client=c1).dataset.equals(on_dask.dataset)


def test_sensitivity_on_dask_matches_serial(scenario, client):
    a = sensitivity(scenario, "trade.balance", 2030, "sobol", n=64, seed=3)
    b = sensitivity(scenario, "trade.balance", 2030, "sobol", n=64, seed=3, client=client)
    assert a.equals(b)


def test_killed_worker_is_retried_with_the_same_numbers(scenario):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        pids = c.run(os.getpid)
        killed = []

        def kill_one(done, total):
            if not killed and done == 2:
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        long = engine.configure(scenario, draws=6000, block_size=250)
        result = engine.run(long, client=c, progress=kill_one)
    assert killed
    expected = engine.run(long)
    for name in expected.variables:
        np.testing.assert_array_equal(result[name].values, expected[name].values)


def test_serial_run_does_not_import_dask_distributed(tmp_path):
    # (xarray itself imports dask.config when dask is installed; no scheduler, client or cluster is.)
    code = ("import sys, simulator; s = simulator.load_scenario(sys.argv[1]); simulator.run(s, draws=50); "
            "print('distributed' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(SCENARIOS / "baseline.toml")], capture_output=True, text=True)
    assert out.stdout.split() == ["False"], out.stderr




def test_workers_and_scheduler_are_exclusive(cli):
    code, _, err = cli("run", SCENARIOS / "baseline.toml", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1",
                       "--out", "x")
    assert code == 2 and "not both" in err


def test_streamed_run_on_dask_writes_identical_files(scenario, client, tmp_path):
    from simulator.output import run_folder as streaming

    (tmp_path / "serial").mkdir()
    (tmp_path / "dask").mkdir()
    serial = streaming.run_into(scenario, tmp_path / "serial")
    on_dask = streaming.run_into(scenario, tmp_path / "dask", client=client)
    assert serial.summary().equals(on_dask.summary())
    assert (tmp_path / "serial" / "ensemble.nc").read_bytes() == (tmp_path / "dask" / "ensemble.nc").read_bytes()


def test_simpy_replications_on_processes_match_one_process():
    small = simulator.load_scenario(SMALL_EXCHANGE)
    calls = []
    one = run_flows(small, replications=3, processes=1)
    two = run_flows(small, replications=3, processes=2, progress=lambda d, t: calls.append((d, t)))
    assert one.dataset.equals(two.dataset)
    assert one.stage_stats.equals(two.stage_stats)
    assert calls[-1] == (3.0, 3) and all(b[0] >= a[0] for a, b in zip(calls, calls[1:]))


def test_available_memory_counts_what_the_kernel_can_free():
    """MemAvailable (free pages plus reclaimable cache), never less than the free pages alone: a large
    file cache must not make a run look too big for the machine."""
    from simulator.montecarlo.engine import available_memory

    available = available_memory()
    assert available is not None and available > 0
    if os.path.exists("/proc/meminfo"):
        assert available >= os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") * 0.9


def test_comparison_too_large_for_memory_is_refused_before_work(cli, tmp_path, monkeypatch):
    """A comparison keeps every scenario's draws in memory (to pair them): refused before any work,
    naming a number of draws that fits, and nothing written."""
    from simulator.montecarlo import engine

    monkeypatch.setattr(engine, "available_memory", lambda: 2**30)
    code, _, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml",
                       "--draws", "2000000", "--out", "big")
    assert code == 2 and "2,000,000 draws need about" in err and "the outputs of 2 scenarios" in err, err
    most = int(err.split("--draws ")[1].split(" or fewer")[0].replace(",", ""))
    assert 0 < most < 2_000_000
    assert not (tmp_path / "big").exists()
    code, _, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml",
                       "--draws", str(min(most, 50)), "--no-plots", "--quiet", "--out", "fits")
    assert code == 0, err
