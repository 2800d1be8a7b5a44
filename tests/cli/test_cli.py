"""The ijsim command on good input: files, manifest, IAMC, --force, list, schema, entry points."""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from simulator.output.files import sha256_file
from simulator.montecarlo.summaries import SUMMARY_COLUMNS

from tests.conftest import SCENARIOS, require_module

BASELINE = SCENARIOS / "baseline.toml"


@pytest.fixture
def baseline_run(plotted_run):
    """One real run of the baseline through the CLI, with plots (300 draws), shared by the checks below."""
    return plotted_run[0]


def test_run_writes_every_file(baseline_run):
    names = {p.relative_to(baseline_run).as_posix() for p in baseline_run.rglob("*") if p.is_file()}
    assert {"summary.csv", "iamc.csv", "ensemble.nc", "manifest.json"} <= names
    assert {f"plots/investment.{v}.png" for v in ("disbursed", "cumulative_disbursed", "fdi_stock")} <= names
    assert not [p for p in baseline_run.parent.iterdir() if p.name.startswith(".")]  # no temporary left


def test_run_writes_its_report_and_records_it(baseline_run):
    """The introduction promises an HTML report from a run (issue 32); --force may replace the folder later."""
    from simulator.output import ownership

    html = (baseline_run / "report.html").read_text(encoding="utf-8")
    assert html.count("<img") == len(list((baseline_run / "plots").glob("*.png"))) == 9  # every plot, inside the file
    assert ownership.why_not_ours(baseline_run) is None


def test_no_report_skips_it(cli, tmp_path):
    code, _, err = cli("run", BASELINE, "--draws", "50", "--no-plots", "--quiet", "--no-report", "--out", "r")
    assert code == 0, err
    assert not (tmp_path / "r" / "report.html").exists() and (tmp_path / "r" / "manifest.json").exists()


def test_summary_csv(baseline_run):
    summary = pd.read_csv(baseline_run / "summary.csv")
    assert list(summary.columns) == [*SUMMARY_COLUMNS[:3], "fiscal_year", *SUMMARY_COLUMNS[3:]]
    assert {"investment.disbursed", "investment.cumulative_disbursed", "investment.fdi_stock"} <= set(summary.variable)
    assert set(summary.year) == set(range(2025, 2035))
    stock = summary[summary.variable == "investment.fdi_stock"]
    assert (stock.unit == "usd_bn").all()
    assert (stock.p05 <= stock.p50).all() and (stock.p50 <= stock.p95).all()


def test_ensemble_matches_summary(baseline_run):
    ds = xr.open_dataset(baseline_run / "ensemble.nc")
    assert ds["investment.fdi_stock"].dims == ("draw", "year")
    assert ds.sizes["draw"] == 300
    assert ds["investment.fdi_stock"].attrs["unit"] == "usd_bn"
    summary = pd.read_csv(baseline_run / "summary.csv").set_index(["variable", "year"])
    median = float(np.median(ds["investment.fdi_stock"].sel(year=2030).values))
    assert summary.loc[("investment.fdi_stock", 2030), "p50"] == pytest.approx(median, rel=1e-12)
    ds.close()


def test_manifest(baseline_run):
    m = json.loads((baseline_run / "manifest.json").read_text())
    for key in ("scenario", "scenario_sha256", "seed", "draws", "sampler", "block_size", "version",
                "parameters", "files", "elapsed_s"):
        assert key in m, key
    assert m["scenario"] == "baseline" and m["draws"] == 300 and m["overrides"] == {"draws": 300}
    assert m["scenario_sha256"] == sha256_file(BASELINE)
    for name, digest in m["files"].items():
        assert sha256_file(baseline_run / name) == digest
    stock = m["parameters"]["investment.fdi_stock_start_usd_bn"]
    assert stock["value"] == 43.0 and "fdi_stock_usd_bn" in stock["source"]
    assert m["parameters"]["investment.realisation_rate"]["value"]["dist"] == "pert"


def test_iamc_csv_reads_in_pyam(baseline_run):
    pyam = require_module("pyam")
    df = pyam.IamDataFrame(baseline_run / "iamc.csv")
    assert df.model == ["ijsim"] and df.scenario == ["baseline"] and df.region == ["India"]
    assert df.year == list(range(2025, 2035))
    median = df.filter(variable="Investment|Japan to India|FDI Stock|50.0th Percentile", year=2030)
    summary = pd.read_csv(baseline_run / "summary.csv").set_index(["variable", "year"])
    assert median.timeseries().iloc[0, 0] == pytest.approx(summary.loc[("investment.fdi_stock", 2030), "p50"])


def test_existing_folder_kept_without_force_and_replaced_with_it(cli, tmp_path):
    args = ["run", BASELINE, "--draws", "50", "--no-plots", "--quiet", "--out", "res"]
    assert cli(*args)[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "res").iterdir()}
    code, _, err = cli(*args[:-2], "--seed", "99", "--out", "res")
    assert code == 2 and "already exists" in err and "--force" in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "res").iterdir()} == before
    assert cli(*args[:-2], "--seed", "99", "--out", "res", "--force")[0] == 0
    after = (tmp_path / "res" / "summary.csv").read_bytes()
    assert after != before["summary.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_console_headline(cli):
    code, out, _ = cli("run", BASELINE, "--draws", "200", "--no-plots", "--out", "r")
    assert code == 0
    assert "Japanese FDI in India, cumulative" in out and "2030" in out and "2034" in out and "90% interval" in out


def test_validate_list_schema(cli):
    code, out, _ = cli("validate", *sorted(SCENARIOS.glob("*.toml")))
    assert code == 0 and "ok" in out
    code, out, _ = cli("list")
    assert code == 0 and "baseline.toml" in out and "Baseline" in out
    code, out, _ = cli("schema")
    assert code == 0 and json.loads(out)["title"] == "ijsim scenario file"


def test_internal_error_exit_1_without_traceback(cli, monkeypatch):
    import simulator.output.run_folder
    monkeypatch.setattr(simulator.output.run_folder, "run_into", lambda *a, **k: 1 / 0)
    code, _, err = cli("run", BASELINE, "--draws", "10", "--out", "r")
    assert code == 1 and "internal error" in err and "ZeroDivisionError" in err and "Traceback" not in err


@pytest.mark.e2e  # a subprocess per entry point
@pytest.mark.parametrize("entry", [["-m", "simulator"], ["-c", "from simulator.cli import entry; entry()"]])
def test_entry_points(entry, tmp_path):
    proc = subprocess.run([sys.executable, *entry, "validate", str(BASELINE)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "b"\ndraws = -1\n')
    proc = subprocess.run([sys.executable, *entry, "run", str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and "scenario.draws" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "results").exists()


def test_console_script_installed():
    """`ijsim` is scripts/ijsim (installed as a script with pip's interpreter line), which notes signals
    before any import; a generated console-script wrapper would import `re` and the package first
    (issue 33), and would overwrite it."""
    from importlib.metadata import distribution, entry_points

    assert [e for e in entry_points(group="console_scripts") if e.name == "ijsim"] == []
    installed = [f for f in distribution("ijsim").files if f.name == "ijsim" and f.parent.name in ("bin", "Scripts")]
    assert len(installed) == 1
    text = installed[0].locate().read_text(encoding="utf-8")
    assert text.splitlines()[1:] == (SCENARIOS.parent / "scripts" / "ijsim").read_text(encoding="utf-8").splitlines()[1:]


def test_flows_command_writes_results(cli, tmp_path):
    small = SCENARIOS.parent / "tests" / "scenarios" / "small_exchange.toml"
    code, out, err = cli("flows", small, "--replications", "3", "--out", "fl")
    assert code == 0, err
    names = {p.relative_to(tmp_path / "fl").as_posix() for p in (tmp_path / "fl").rglob("*") if p.is_file()}
    assert {"flows_summary.csv", "stage_stats.csv", "flows.nc", "manifest.json", "plots/backlog.png",
            "plots/arrivals.png", "plots/skilled_stock.png"} <= names
    stats = pd.read_csv(tmp_path / "fl" / "stage_stats.csv")
    assert set(stats.stage) == {"training", "coe", "visa"} and (stats.utilisation.between(0, 1)).all()
    summary = pd.read_csv(tmp_path / "fl" / "flows_summary.csv")
    assert list(summary.columns) == SUMMARY_COLUMNS and "exchange.backlog_by_stage.coe" in set(summary.variable)
    assert "coe" in out and "utilisation" in out
    assert cli("flows", small, "--replications", "3", "--out", "fl")[0] == 2  # exists, no --force


def test_flows_without_streams_is_a_usage_error(cli, write):
    write("s.toml", '[scenario]\nname = "s"\n')
    code, _, err = cli("flows", "s.toml", "--out", "o")
    assert code == 2 and "exchange.streams" in err
