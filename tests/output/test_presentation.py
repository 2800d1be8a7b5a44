"""What people read: whole people, fiscal years for trade, readable units, explained Sobol' plots,
and the exchange's stages in the order people pass them."""
import re

import pandas as pd
import pytest

import simulator
from simulator import plotting
from simulator.output import plots
from simulator.labels import fiscal_year, unit_label, year_label
from simulator.montecarlo.projection import exchange_stages

from tests.conftest import ROOT, SCENARIOS


@pytest.fixture(scope="module")
def result():
    return simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=200, seed=1)


def test_labels():
    assert fiscal_year(2030) == "FY2030-31" and fiscal_year(2099) == "FY2099-00"
    assert year_label("trade.balance", 2030) == "FY2030-31" and year_label("exchange.skilled_stock", 2030) == "2030"
    assert unit_label("usd_bn") == "US$ bn" and unit_label("people") == "people"


def test_console_headline(cli):
    code, out, _ = cli("run", SCENARIOS / "baseline.toml", "--draws", "200", "--no-plots", "--out", "r")
    assert code == 0
    rows = [line for line in out.splitlines() if "│" in line]
    people = [r for r in rows if "│ people │" in r]
    trade = [r for r in rows if "India's trade balance with Japan" in r]
    assert people and all(not re.search(r"\d\.\d", r) for r in people), people  # whole numbers
    assert all(re.search(r"\d{1,3},\d{3}", r) for r in people)
    assert {re.search(r"FY\d{4}-\d\d", r).group() for r in trade} == {"FY2030-31", "FY2034-35"}
    assert "usd_bn" not in out and "│ US$ bn │" in out
    events = [line for line in out.splitlines() if "narrower than in FY2023-24" in line]
    assert events and all("FY2030-31" in e or "FY2034-35" in e for e in events)


def _drawn(monkeypatch, result, tmp_path) -> dict:
    """The axes of every figure write_fan_charts makes, by file name."""
    seen = {}
    finish = plots.finish_figure

    def keep(fig, path, source):
        seen[path.name] = fig.axes[0]
        return finish(fig, path, source)
    monkeypatch.setattr(plots, "finish_figure", keep)
    plots.write_fan_charts(result, tmp_path, processes=1)  # in this process, where the axes are kept
    # the trade flows' own fan charts, which the trade panel stands in for by default (--show draws them)
    plots.write_fan_charts(result, tmp_path / "shown", processes=1,
                           variables=["trade.balance", "trade.exports_india_to_japan"])
    return seen


def test_trade_plots_show_fiscal_years_and_readable_units(monkeypatch, result, tmp_path):
    axes = _drawn(monkeypatch, result, tmp_path)
    for name in ("trade.balance", "trade.exports_india_to_japan", "trade"):
        ax = axes[name]
        assert ax.get_xlabel().startswith("fiscal year"), name
        assert ax.xaxis.get_major_formatter()(2030, 0) == "FY2030-31", name
        assert ax.get_ylabel() == "US$ bn (nominal)", name
    for name in ("investment.fdi_stock", "exchange.skilled_stock", "exchange"):
        assert axes[name].get_xlabel() == "year" and axes[name].xaxis.get_major_formatter()(2030, 0) != "FY2030-31"
    assert axes["exchange.skilled_stock"].get_ylabel() == "people"
    assert "FY2023-24 level" in [t.get_text() for t in axes["trade.balance"].get_legend().get_texts()]


def test_sobol_plot_explains_its_indices():
    from matplotlib.figure import Figure
    table = pd.DataFrame({"label": ["a", "b"], "S1": [0.5, 0.1], "S1_conf": [0.01, 0.02], "ST": [0.6, 0.2],
                          "ST_conf": [0.01, 0.02]})
    ax = Figure().add_subplot()
    plotting.index_bars(table, ("S1", "ST"), ax=ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("S1" in t and "alone" in t for t in legend) and any("ST" in t and "interactions" in t for t in legend)


def test_stages_in_the_order_people_pass_them():
    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    order = exchange_stages(scenario)
    assert order == ["language_training", "skills_test", "job_matching", "coe", "visa_japan", "visa_india"]
    for stream in scenario.names("exchange.streams"):  # every route is a subsequence of the order
        route = list(scenario.params[f"exchange.streams.{stream}.stages"])
        assert [s for s in order if s in route] == route


def test_flows_files_follow_the_pipeline(cli, tmp_path):
    code, out, _ = cli("flows", ROOT / "tests" / "scenarios" / "small_exchange.toml", "-r", "2", "--out", "f")
    assert code == 0
    variables = list(dict.fromkeys(v.rsplit(".", 1)[0] if v.count(".") > 1 else v
                                   for v in pd.read_csv(tmp_path / "f" / "flows_summary.csv").variable))
    assert variables[0] == "exchange.backlog_by_stage" and variables[-1] == "exchange.skilled_stock"
    assert list(pd.read_csv(tmp_path / "f" / "stage_stats.csv").stage) == ["training", "coe", "visa"]
    stages = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert stages == ["training", "coe", "visa"]
