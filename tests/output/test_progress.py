"""Progress a user sees while waiting: within a simpy replication (simulated months), while plots
are written, for the blocks of a run; nothing with --quiet or when stderr is not a terminal."""
import io

import pytest
from rich.console import Console

import simulator
from simulator.people import run_flows
from simulator.output.plots import write_fan_charts

from tests.conftest import ROOT, SCENARIOS

SMALL = ROOT / "tests" / "scenarios" / "small_exchange.toml"


def test_flows_progress_moves_within_a_replication():
    calls = []
    run_flows(simulator.load_scenario(SMALL), 2, progress=lambda done, total: calls.append((done, total)), processes=1)
    within_first = [d for d, _ in calls if 0 < d < 1]
    assert len(within_first) >= 40  # the 4-year horizon's 48 months, not one jump at the end
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)  # never backwards
    assert calls[-1] == (2, 2) and {t for _, t in calls} == {2}


def test_plot_progress_counts_every_plot(tmp_path):
    result = simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=20, seed=1)
    calls = []
    written = write_fan_charts(result, tmp_path, progress=lambda done, total: calls.append((done, total)))
    plots = len(written)  # one PNG each (SVG only with --svg)
    assert {p.suffix for p in written} == {".png"}
    assert calls == [(i, plots) for i in range(1, plots + 1)]


@pytest.fixture
def terminal(monkeypatch):
    """stderr as a terminal 120 columns wide, captured."""
    from simulator.cli import options
    text = io.StringIO()
    monkeypatch.setattr(options, "err", Console(file=text, force_terminal=True, width=120))
    return text


def test_run_shows_the_draws_and_the_plots(cli, terminal):
    code, _, _ = cli("run", SCENARIOS / "baseline.toml", "--draws", "50", "--block-size", "10", "--out", "r")
    shown = terminal.getvalue()
    assert code == 0 and "baseline: 50 draws" in shown and "writing plots" in shown and "100%" in shown


def test_flows_shows_simulated_months(cli, terminal):
    code, _, _ = cli("flows", SMALL, "-r", "2", "--no-plots", "--out", "f")
    shown = terminal.getvalue()
    assert code == 0 and "month" in shown and "of 48" in shown


@pytest.mark.parametrize("args", [["run", SCENARIOS / "baseline.toml", "--draws", "30"],
                                  ["flows", SMALL, "-r", "1"],
                                  ["compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariff-deal.toml", "--draws", "30",
                                   "--no-plots"],
                                  ["sensitivity", SCENARIOS / "baseline.toml", "--method", "oat"]],
                         ids=["run", "flows", "compare", "sensitivity"])
def test_quiet_silences_progress(args, cli, terminal):
    code, out, err = cli(*args, "--quiet", "--out", "q")
    assert code == 0 and terminal.getvalue() == "" and out == "" and err == ""


def test_no_progress_when_stderr_is_not_a_terminal(cli, monkeypatch):
    from simulator.cli import options
    text = io.StringIO()
    monkeypatch.setattr(options, "err", Console(file=text, force_terminal=False))
    assert cli("run", SCENARIOS / "baseline.toml", "--draws", "30", "--no-plots", "--out", "p")[0] == 0
    assert text.getvalue() == ""


def test_backtest_shows_each_model_and_origin_as_it_hindcasts(cli, terminal):
    code, _, err = cli("backtest", SCENARIOS / "baseline.toml", "--origins", "2019:2020", "--horizons", "1:2",
                       "--draws", "200", "--no-plots", "--out", "b")
    shown = terminal.getvalue()
    assert code == 0, err
    # which model and origin the display caught depends on when it refreshed (ten times a second)
    import re
    assert re.search(r"hindcasting \([\w.]+, origin FY20(19-20|20-21)\)", shown) and "100%" in shown


def test_calibration_reports_its_hindcasts_then_its_fits_in_order():
    from simulator.estimation.calibration import calibrate_trade, trade_levels

    calls = []
    calibrate_trade(trade_levels(simulator.load_history()), draws=100, bootstrap=0, origins=[2019, 2020],
                    horizons=[1], progress=lambda done, total, note=None: calls.append((done, total, note)))
    done = [d for d, _, _ in calls]
    assert done == sorted(done) and len({t for _, t, _ in calls}) == 1  # never backwards, one total
    assert calls[-1][:2] == (calls[-1][1], calls[-1][1])
    notes = [n for _, _, n in calls if n]
    assert notes[0].startswith("hindcast: ") and "origin FY2019-20" in notes[0]
    assert [n for n in notes if n.startswith("fitting")] == ["fitting random_walk", "fitting ar1", "fitting var1"]
