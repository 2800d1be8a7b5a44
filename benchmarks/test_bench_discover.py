"""What a user waits for: `ijsim discover` as a whole command (make bench), on the folder of a
10,000-draw baseline run, for the deficit-narrowing event of FY2030-31.

Each round starts a new process, so start-up (imports of xarray, pandas, scikit-learn and
matplotlib), reading ensemble.nc, PRIM with its 20 bootstrap resamples, the extra-trees scores and
both plots are all in the time. The issue's target is under 30 s on this machine.
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench-discover") / "baseline"
    subprocess.run([sys.executable, "-m", "simulator", "run", str(ROOT / "scenarios" / "baseline.toml"),
                    "--draws", "10000", "--no-plots", "--quiet", "--out", str(folder)], check=True)
    return folder


def _discover(folder: Path, method: str, counter=iter(range(10**6))):
    out = folder.parent / f"discover{next(counter)}"
    subprocess.run([sys.executable, "-m", "simulator", "discover", str(folder), "--event", "deficit_narrower_2030",
                    "--method", method, "--out", str(out), "--quiet"], check=True)


@pytest.mark.parametrize("method", ["prim", "cart"])
def test_discover_command_on_10000_draws(benchmark, baseline_run, method):
    benchmark.pedantic(_discover, args=(baseline_run, method), rounds=5, iterations=1)
