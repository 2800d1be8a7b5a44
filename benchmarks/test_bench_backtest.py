"""What a user waits for: `ijsim backtest` and `ijsim calibrate` as whole commands (make bench).

Each round starts a new process, so start-up (imports, statsmodels) is part of the time; the
issue's limit for the baseline backtest is one minute on this machine.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _command(args, tmp_path, counter=iter(range(10**6))):
    out = tmp_path / f"out{next(counter)}"
    subprocess.run([sys.executable, "-m", "simulator", *args, "--out", str(out), "--quiet"], check=True, cwd=tmp_path)


def test_backtest_baseline_command(benchmark, tmp_path):
    benchmark.pedantic(_command, args=(["backtest", str(ROOT / "scenarios" / "baseline.toml")], tmp_path),
                       rounds=3, iterations=1)


def test_calibrate_command(benchmark, tmp_path):
    benchmark.pedantic(_command, args=(["calibrate"], tmp_path), rounds=3, iterations=1)
