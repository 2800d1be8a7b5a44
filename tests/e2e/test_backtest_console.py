"""`ijsim backtest` as a user runs it in an 80-column terminal: the pooled table is whole (no column
cut or wrapped), its numbers are the files', and the folder has the evaluation's files."""
import os
import subprocess
import sys

import pandas as pd

from tests.conftest import SCENARIOS


def test_backtest_console_in_an_80_column_terminal(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "simulator", "backtest", str(SCENARIOS / "baseline.toml"),
                           "--draws", "300", "--out", "bt"], cwd=tmp_path, env={**os.environ, "COLUMNS": "80"},
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "hindcasts of both flows" in line)
    table = lines[start:start + 13]
    assert table[1].startswith("from 7 origins (2016-2022), 1-5 years ahead")
    assert max(len(line.rstrip()) for line in table) <= 80 and "…" not in "".join(table)
    rows = {line.split()[0]: line.split()[1:] for line in table if line.strip() and line.split()[0] in
            {"random_walk", "ar1", "var1", "scenario", "scenario_drivers"}}
    assert len(rows) == 5
    folder = tmp_path / "bt"
    hindcasts = pd.read_csv(folder / "backtest.csv")
    flows = hindcasts[(hindcasts.model == "scenario") & (hindcasts.variable != "trade.balance")]
    assert rows["scenario"][5] == f"{(flows.actual > flows.p50).mean():.0%}"  # above median
    assert rows["scenario"][4] == f"{flows.crps.mean():.3f}"
    dm = pd.read_csv(folder / "diebold_mariano.csv", dtype={"horizon": str}).set_index(["model", "benchmark", "horizon"])
    assert rows["scenario"][7] == f"{dm.loc[('scenario', 'random_walk', 'all'), 'statistic']:+.2f}"
    assert rows["random_walk"][7:] == ["-", "-"]
    assert (folder / "plots" / "pit.png").is_file()
