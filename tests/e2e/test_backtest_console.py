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
    end = next(i for i, line in enumerate(lines) if line.startswith("above median:"))
    table = lines[start:end]
    assert table[1].startswith("from 7 origins (2016-2022), 1-5 years ahead, 50 values scored per model")
    assert max(len(line.rstrip()) for line in lines[start:end + 7]) <= 80 and "…" not in "".join(table)
    folder = tmp_path / "bt"
    hindcasts = pd.read_csv(folder / "backtest.csv")
    rows = {line.split()[0]: line.split()[1:] for line in table if line.strip()
            and line.split()[0] in set(hindcasts.model)}
    assert {"no_change", "random_walk", "ar1", "var1", "scenario"} <= set(rows)
    flows = hindcasts[(hindcasts.model == "scenario") & (hindcasts.variable != "trade.balance")]
    # 50% cover, 90% cover, interval score, CRPS, above median, p, vs random walk, p
    assert rows["scenario"][3] == f"{flows.crps.mean():.3f}"
    assert rows["scenario"][4] == f"{(flows.actual > flows.p50).mean():.0%}"
    dm = pd.read_csv(folder / "diebold_mariano.csv", dtype={"horizon": str})
    dm = dm.set_index(["model", "benchmark", "horizon"])
    assert rows["scenario"][6] == f"{dm.loc[('scenario', 'random_walk', 'all'), 'statistic']:+.2f}"
    assert rows["random_walk"][-2:] == ["-", "-"]
    assert "no_change" in set(dm.index.get_level_values("benchmark"))
    assert (folder / "plots" / "pit.png").is_file()
