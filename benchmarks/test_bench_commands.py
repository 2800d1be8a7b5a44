"""What a user waits for: `ijsim run` of the baseline and `ijsim compare` of two scenarios at
10,000 draws, start to finish in a fresh process (imports, computation, files, plots), and five
baseline `ijsim flows` replications. Targets of issue 18 on the 2-core machine: 3 s, 6 s, 2 min.
The estimation verbs, `ijsim backtest` of the baseline and `ijsim calibrate` with their defaults:
issue 31's target is 10 s each (docs/performance.md, "Estimation verbs").
Report the median and range of the rounds (`--benchmark-columns=min,median,max,rounds`)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IJSIM = str(Path(sys.executable).with_name("ijsim"))
SCENARIOS = ROOT / "scenarios"
COMMANDS = {
    "run": ([IJSIM, "run", str(SCENARIOS / "baseline.toml"), "--out", "{out}", "--force", "--quiet"], 5),
    # the same without plots: what start-up, computation and files take, the rest being the figures
    "run_no_plots": ([IJSIM, "run", str(SCENARIOS / "baseline.toml"), "--out", "{out}", "--force", "--quiet",
                      "--no-plots"], 5),
    "version": ([IJSIM, "--version"], 5),  # the interpreter and the command-line layer alone
    "compare": ([IJSIM, "compare", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "us-tariffs-persist.toml"),
                 "--draws", "10000", "--out", "{out}", "--force", "--quiet"], 3),
    "flows": ([IJSIM, "flows", str(SCENARIOS / "baseline.toml"), "--replications", "5", "--out", "{out}",
               "--force", "--quiet"], 1),
    # every model re-estimated at each of 7 origins with its bootstrap bias correction, 10,000 draws, plots
    "backtest": ([IJSIM, "backtest", str(SCENARIOS / "baseline.toml"), "--out", "{out}", "--force", "--quiet"], 3),
    "calibrate": ([IJSIM, "calibrate", "--out", "{out}", "--force", "--quiet"], 3),
    # bad input answered before the model's imports (issue 31: within 0.5 s): exit 2, nothing written
    "missing_file": ([IJSIM, "run", "missing.toml", "--out", "{out}"], 5),
    "bad_toml": ([IJSIM, "run", "bad.toml", "--out", "{out}"], 5),
}
EXIT_CODES = {"missing_file": 2, "bad_toml": 2}


@pytest.mark.parametrize("name", COMMANDS)
def test_whole_command(benchmark, name, tmp_path):
    command, rounds = COMMANDS[name]
    command = [part.replace("{out}", str(tmp_path / "out")) for part in command]

    (tmp_path / "bad.toml").write_text("[scenario\n", encoding="utf-8")

    def once():
        done = subprocess.run(command, capture_output=True, cwd=tmp_path)
        assert done.returncode == EXIT_CODES.get(name, 0), done.stderr
    benchmark.pedantic(once, rounds=rounds, iterations=1, warmup_rounds=1 if name != "flows" else 0)
