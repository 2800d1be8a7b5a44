"""Peak resident memory of whole `ijsim run` processes, by draws and --ensemble (make bench).

The peak is the largest sum of resident memory over the process and its children (Dask workers
included), polled every 20 ms with psutil: what the machine must have free for the run.
`IJSIM_BENCH_DRAWS` sets the baseline size (10,000,000 by default: about 17 GB of disk for
float32; the benchmark skips a size the disk cannot hold); the 4x size runs with --ensemble none
only when float32 would not fit.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
DRAWS = int(os.environ.get("IJSIM_BENCH_DRAWS", 10_000_000))
GIB = 2**30


def bytes_per_draw_float32() -> int:
    """ensemble.nc's bytes per draw in float32: the baseline's outputs and inputs, half their float64 size."""
    import simulator
    from simulator.montecarlo import engine

    return engine.bytes_per_draw(simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")) // 2


def peak_rss(command: list[str], cwd: Path) -> tuple[int, float, int]:
    """(peak resident bytes of the process tree, wall seconds, exit code)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            total = root.memory_info().rss + sum(c.memory_info().rss for c in root.children(recursive=True))
        except psutil.Error:
            total = 0
        peak = max(peak, total)
        time.sleep(0.02)
    return peak, time.perf_counter() - started, proc.returncode


def ijsim_run(tmp_path: Path, draws: int, ensemble: str) -> tuple[int, float]:
    out = tmp_path / f"run-{ensemble}-{draws}"
    command = [sys.executable, "-m", "simulator", "run", str(ROOT / "scenarios" / "baseline.toml"), "--draws",
               str(draws), "--ensemble", ensemble, "--no-plots", "--quiet", "--out", str(out)]
    peak, seconds, code = peak_rss(command, tmp_path)
    assert code == 0
    shutil.rmtree(out)
    return peak, seconds


def fits(tmp_path: Path, draws: int, ensemble: str) -> bool:
    return ensemble == "none" or bytes_per_draw_float32() * draws < 0.9 * shutil.disk_usage(tmp_path).free


@pytest.mark.parametrize("ensemble", ["none", "float32"])
def test_peak_memory_bounded_in_draws(benchmark, tmp_path, ensemble):
    """Under 2 GiB at DRAWS, and at most 1.3 times the peak at a quarter of the draws."""
    small, large = DRAWS // 4, DRAWS
    if not fits(tmp_path, large, ensemble):
        pytest.skip(f"{large:,} float32 draws do not fit on this disk")

    def both():
        return ijsim_run(tmp_path, small, ensemble), ijsim_run(tmp_path, large, ensemble)

    (p1, s1), (p4, s4) = benchmark.pedantic(both, rounds=1, iterations=1)
    benchmark.extra_info.update(draws=[small, large], ensemble=ensemble, peak_rss_gib=[p1 / GIB, p4 / GIB],
                                ratio=p4 / p1, seconds=[s1, s4])
    print(f"\n{ensemble}: {small:,} draws {p1 / GIB:.3f} GiB in {s1:.0f} s; {large:,} draws {p4 / GIB:.3f} GiB "
          f"in {s4:.0f} s; ratio {p4 / p1:.2f}")
    assert p4 < 2 * GIB
    assert p4 <= 1.3 * p1
