"""Interrupted runs, unwritable outputs, numerical edge cases and escaping of scenario text."""
import errno
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import simulator

from tests.conftest import SCENARIOS

BASELINE = SCENARIOS / "baseline.toml"


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def _start(args, tmp_path, **env):
    """`python -m simulator ARGS` in tmp_path/work; it marks the points it reaches in tmp_path/marks
    (simulator/_testhooks.py), so a test can signal it at a known stage instead of after a sleep."""
    (tmp_path / "work").mkdir()
    (tmp_path / "marks").mkdir()
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], cwd=tmp_path / "work",
                            env={**os.environ, "IJSIM_TEST_MARKS": str(tmp_path / "marks"), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(mark, proc, timeout=120):
    deadline = time.monotonic() + timeout
    while not mark.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{mark.name} not reached in {timeout} s"
        time.sleep(0.02)


SIGNALS = [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]


@pytest.mark.parametrize("sig,code,word", SIGNALS)
def test_signal_during_run_leaves_nothing(sig, code, word, tmp_path):
    proc = _start(["run", str(BASELINE), "--draws", "400000", "--no-plots", "--out", "out"], tmp_path)
    _wait_for(tmp_path / "marks" / "compute", proc)  # the computation has begun
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert f"{word}; no results were written" in err and "Traceback" not in err
    assert _leftovers(tmp_path / "work") == []


@pytest.mark.parametrize("sig,code,word", SIGNALS)
def test_signal_during_start_up_exits_quietly(sig, code, word, tmp_path):
    """Sent from outside as soon as the command's first code runs, i.e. during the imports (numpy,
    scipy, numba: a second or more), or injected at that very point."""
    proc = _start(["run", str(BASELINE), "--draws", "400000", "--no-plots", "--out", "out"], tmp_path)
    _wait_for(tmp_path / "marks" / "start", proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.strip() == f"ijsim: {word}; no results were written"
    assert _leftovers(tmp_path / "work") == []


@pytest.mark.parametrize("sig,code,word", SIGNALS)
def test_signal_injected_before_the_imports_exits_quietly(sig, code, word, tmp_path):
    proc = _start(["validate", str(BASELINE)], tmp_path, IJSIM_TEST_SIGNAL=f"start@{sig.name[3:]}")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code and out == ""
    assert err.strip() == f"ijsim: {word}; no results were written"


def test_interrupt_while_writing_removes_the_partial_folder(cli, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    code, _, err = cli("run", BASELINE, "--draws", "20", "--no-plots", "--out", "out")
    assert code == 130 and "interrupted" in err
    assert _leftovers(tmp_path) == []


def test_disk_full_gives_a_clear_error_and_keeps_earlier_results(cli, tmp_path, monkeypatch):
    assert cli("run", BASELINE, "--draws", "20", "--no-plots", "--quiet", "--out", "out")[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    code, _, err = cli("run", BASELINE, "--draws", "30", "--no-plots", "--out", "out", "--force")
    assert code == 2 and "No space left on device" in err and "out" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    assert _leftovers(tmp_path) == ["out"]


def test_output_below_a_file_is_a_clear_error(cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, _, err = cli("run", BASELINE, "--draws", "10", "--no-plots", "--out", "afile/out")
    assert code == 2 and "afile/out" in err and "afile is a file, not a folder" in err and "Traceback" not in err
    code, _, err = cli("run", BASELINE, "--draws", "10", "--no-plots", "--out", "afile")
    assert code == 2 and "already exists" in err


EDGE_CASES = {
    "zero pledge": {"investment": {"pledge_jpy_tn": 0.0}},
    "zero growth": {"trade": {"growth_india_to_japan": 0.0, "growth_japan_to_india": 0.0}},
    "full realisation": {"investment": {"realisation_rate": 1.0}},
    "tariffs of 0": {"tariffs": {"japan_on_india": 0.0, "india_on_japan": 0.0, "us_on_india": 0.0}},
    "tariffs of 1000%": {"tariffs": {"japan_on_india": {"2023": 0.0, "2026": 10.0},
                                     "us_on_india": {"2023": 0.0, "2025": 10.0}}},
    "capacity zero at a stage": {"exchange": {"stages": {"visa_japan": {"servers": 0}}}},
    "one draw": {"scenario": {"draws": 1}},
    "one year": {"scenario": {"horizon_years": 1}},
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_numerical_edge_cases_run_with_sensible_output(case, write):
    from simulator.scenario.loader import merge
    import tomllib
    with open(BASELINE, "rb") as fh:
        doc = tomllib.load(fh)
    doc = merge(doc, EDGE_CASES[case])
    doc["scenario"].pop("extends", None)
    if case == "one year":  # the baseline's events ask about 2029-2034, outside a one-year horizon
        doc.pop("events", None)
    scenario = simulator.scenario_from_dict(doc)
    result = simulator.run(scenario, draws=min(scenario.draws, 50))
    for name in result.variables:
        assert np.all(np.isfinite(result[name].values)), name
    summary = result.summary()
    assert np.all(np.diff(summary[["p05", "p25", "p50", "p75", "p95"]].values, axis=1) >= -1e-9)
    ds = result.dataset
    if case == "zero pledge":
        assert float(ds["investment.cumulative_disbursed"].max()) == 0.0
    if case == "tariffs of 1000%":
        x = ds["trade.exports_india_to_japan"].sel(year=2030).values
        assert np.all(x >= 0) and np.all(ds["trade.diverted_to_japan"].values >= 0)
    if case == "capacity zero at a stage":
        assert float(ds["exchange.backlog_by_stage"].sel(stage="visa_japan").min()) > 0
        skilled = ds["exchange.arrivals_by_stream"].sel(stream="skilled_workers")
        assert float(skilled.max()) == 0.0  # their pipeline ends at the closed visa stage
    if case == "one draw":
        assert (summary["sd"] == 0).all()


def test_scenario_text_is_escaped_on_the_console_and_in_plots(cli, write, tmp_path):
    write("odd.toml", f'''
        [scenario]
        name = "odd"
        extends = "{BASELINE.as_posix()}"
        title = "[bold red]Alarm[/bold red] costs $5 and $\\\\alpha$ <b>x</b> ✓ 日本"
        draws = 50
        ''')
    code, out, err = cli("run", "odd.toml", "--out", "o")
    assert code == 0, err
    assert "[bold red]Alarm[/bold red]" in out  # shown as written, not as markup
    assert any(p.suffix == ".png" for p in (tmp_path / "o" / "plots").iterdir())
    code, out, _ = cli("validate", "odd.toml")
    assert code == 0 and "[bold red]" in out


@pytest.mark.parametrize("place", ["cwd", "scenario-folder", "results-with-notes"])
def test_force_never_deletes_a_folder_ijsim_did_not_write(cli, tmp_path, place):
    """--force may replace only an empty folder or one whose every file ijsim's manifest lists."""
    scenario = tmp_path / "scen" / "mine.toml"
    scenario.parent.mkdir()
    scenario.write_text(BASELINE.read_text(encoding="utf-8").replace('name = "baseline"', 'name = "mine"'))
    (tmp_path / "scen" / "extra.toml").write_text("# the user's other file\n")
    (tmp_path / "notes.txt").write_text("keep me\n")
    out = {"cwd": tmp_path, "scenario-folder": tmp_path / "scen", "results-with-notes": tmp_path / "res"}[place]
    if place == "results-with-notes":
        assert cli("run", scenario, "--draws", "20", "--no-plots", "--quiet", "--out", out)[0] == 0
        (out / "my-notes.txt").write_text("analysis notes\n")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    code, _, err = cli("run", scenario, "--draws", "20", "--no-plots", "--quiet", "--out", out, "--force")
    assert code == 2 and ("nothing was changed" in err or "will not replace it" in err) and "Traceback" not in err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_force_replaces_what_ijsim_wrote_and_an_empty_folder(cli, tmp_path):
    scenario = BASELINE
    assert cli("run", scenario, "--draws", "20", "--no-plots", "--quiet", "--out", "r")[0] == 0
    assert cli("report", tmp_path / "r")[0] == 0  # report.html joins the folder after the manifest
    assert cli("run", scenario, "--draws", "30", "--no-plots", "--quiet", "--out", "r", "--force")[0] == 0
    (tmp_path / "empty").mkdir()
    assert cli("run", scenario, "--draws", "20", "--no-plots", "--quiet", "--out", "empty", "--force")[0] == 0
    assert (tmp_path / "empty" / "manifest.json").is_file()
