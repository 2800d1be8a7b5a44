"""Scaling: simpy replications on 1 and 2 Dask workers (speed-up), and peak memory of a
2,000,000-draw baseline run (make bench; both slow, so not in make test)."""
import resource
import subprocess
import sys
import time
from pathlib import Path

import distributed

import simulator
from simulator.people import run_flows

ROOT = Path(__file__).resolve().parents[1]
REPLICATIONS = 4
SCENARIO = {  # 50,000 people a year for four years through two stages: a few seconds per replication
    "scenario": {"name": "scaling", "horizon_years": 4, "seed": 3},
    "exchange": {
        "stages": {"coe": {"servers": 8000, "service_months": {"dist": "exponential", "mean": 1.5}},
                   "visa": {"servers": 1500, "service_months": {"dist": "exponential", "mean": 0.25}}},
        "streams": {"workers": {"entrants_per_year": 50_000, "stages": ["coe", "visa"], "stay_years": 3.0,
                                "skilled": True}},
    },
}


def _flows_on(workers: int) -> float:
    scenario = simulator.scenario_from_dict(SCENARIO)
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        client.run(lambda: __import__("simulator.people"))  # warm the workers' imports outside the timing
        started = time.perf_counter()
        run_flows(scenario, REPLICATIONS, client=client)
        return time.perf_counter() - started


def test_flows_speedup_two_workers(benchmark):
    one = _flows_on(1)
    two = benchmark.pedantic(_flows_on, args=(2,), rounds=1, iterations=1)
    benchmark.extra_info.update(replications=REPLICATIONS, seconds_1_worker=one, seconds_2_workers=two,
                                speedup=one / two)


def test_peak_memory_two_million_draws(benchmark, tmp_path):
    def run():
        subprocess.run([sys.executable, "-m", "simulator", "run", str(ROOT / "scenarios" / "baseline.toml"),
                        "--draws", "2000000", "--no-plots", "--quiet", "--out", str(tmp_path / "big"), "--force"],
                       check=True)
    benchmark.pedantic(run, rounds=1, iterations=1)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    benchmark.extra_info.update(draws=2_000_000, peak_rss_gib=peak_kib / 2**20,
                                ensemble_gib=(tmp_path / "big" / "ensemble.nc").stat().st_size / 2**30)
