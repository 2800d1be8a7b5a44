"""The observed series on the trade fan charts (issue 28, item 6): the values a reader sees leading
into the fan are the history's, verified ones filled and joined, unverified ones hollow, and the
base year marked where the scenario puts it. Read from the figures' data, not their pixels."""
import shutil

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import simulator
from simulator.history import history_dir
from simulator import plotting
from simulator.output import plots
from simulator.plotting.history_overlay import HISTORY_YEARS, draw_observed, observed

from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def history():
    return simulator.load_history()


@pytest.fixture(scope="module")
def result():
    return simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=200, seed=1)


def drawn(result, folder, **kwargs) -> dict:
    """The axes of every figure write_fan_charts makes, by file name (drawn in this process)."""
    seen = {}
    finish = plots.finish_figure

    def keep(fig, path, source):
        seen[path.name] = fig.axes[0]
        return finish(fig, path, source)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plots, "finish_figure", keep)
        plots.write_fan_charts(result, folder, processes=1, **kwargs)
    return seen


# The trade flows' own fan charts are drawn on request (--show); by default the trade panel shows them.
TRADE_FANS = ["trade.exports_india_to_japan", "trade.exports_japan_to_india", "trade.balance"]


@pytest.fixture(scope="module")
def axes(result, tmp_path_factory):
    return {**drawn(result, tmp_path_factory.mktemp("plots")),
            **drawn(result, tmp_path_factory.mktemp("shown"), variables=TRADE_FANS)}


def test_the_default_figures_draw_each_trade_series_once(axes, result, tmp_path):
    """The trade panel shows both flows and the balance; their own fan charts are not drawn as well."""
    default = drawn(result, tmp_path)
    assert "trade" in default and not set(TRADE_FANS) & set(default)
    assert "exchange" in default and "exchange.skilled_cumulative" not in default


def lines(ax, label: str) -> list:
    return [line for line in ax.get_lines() if line.get_label() == label]


def points(line) -> dict[int, float]:
    """{year: value} of a line's points, leaving out the breaks (NaN)."""
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    return {int(a): float(b) for a, b in zip(x, y) if np.isfinite(b)}


def base_year_lines(ax) -> list[float]:
    return [float(line.get_xdata()[0]) for line in ax.get_lines() if line.get_label().startswith("base year")]


def legend(ax) -> list[str]:
    """The legend's entries, each on one line (long entries are wrapped in the figure)."""
    return [" ".join(t.get_text().split()) for t in ax.get_legend().get_texts()]


def whole_years(history, name: str) -> pd.DataFrame:
    """The whole-year rows (a year's first months, such as FY2024-25's April-January, are the
    nowcast's input, not the year's level)."""
    t = history[name].table
    return t[t.months == 12]


def expected(history, name: str, verified: bool, first: int) -> dict[int, float]:
    t = whole_years(history, name)
    t = t[(t.year >= first) & (t.verified == verified)]
    return dict(zip(t.year.astype(int), t.value.astype(float)))


@pytest.mark.parametrize("variable, series", [("trade.exports_india_to_japan", "exports_india_to_japan"),
                                              ("trade.exports_japan_to_india", "exports_japan_to_india")])
def test_fan_chart_shows_the_observed_flow(axes, history, variable, series):
    ax = axes[variable]
    first = 2023 - HISTORY_YEARS + 1
    (solid,) = lines(ax, "_observed")
    assert points(solid) == expected(history, series, True, first)  # every verified year of the window
    assert points(solid)[2023] == history[series].values()[2023]  # the base year's value (5.15 for exports)
    assert solid.get_linestyle() == "-" and solid.get_marker() == "o"
    assert solid.get_markerfacecolor() != "none"
    (hollow,) = lines(ax, "_unverified")
    assert points(hollow) == expected(history, series, False, first) and 2024 in points(hollow)
    assert hollow.get_markerfacecolor() == "none" and hollow.get_linestyle() == "None"
    assert base_year_lines(ax) == [2023.0]
    assert "observed (Department of Commerce)" in legend(ax) and "unverified" in legend(ax)
    assert "base year FY2023-24" in legend(ax)
    # the baseline starts from FY2024-25's nowcast: that year is marked too
    assert [float(line.get_xdata()[0]) for line in ax.get_lines()
            if line.get_label().startswith("projection starts")] == [2024.0]
    assert "projection starts FY2024-25" in legend(ax)


def test_balance_is_worked_out_where_both_flows_are_observed(axes, history):
    ax = axes["trade.balance"]
    x, m = whole_years(history, "exports_india_to_japan"), whole_years(history, "exports_japan_to_india")
    both = x.merge(m, on="year")
    both = both[both.year >= 2023 - HISTORY_YEARS + 1]
    verified = both[both.verified_x & both.verified_y]
    assert points(lines(ax, "_observed")[0]) == pytest.approx(
        dict(zip(verified.year, verified.value_x - verified.value_y)))
    assert points(lines(ax, "_observed")[0])[2023] == pytest.approx(5.15 - 17.69)
    # FY2024-25: both flows unverified, so the balance is too
    assert points(lines(ax, "_unverified")[0]) == pytest.approx({2024: 6.24 - 18.91})
    assert "FY2023-24 level" in legend(ax)  # the level line is still there


def test_trade_panel_shows_each_series_history_in_its_colour(axes):
    ax = axes["trade"]
    solid = lines(ax, "_observed")
    assert [line.get_color() for line in solid] == ["C2", "C1", "C3"]
    assert [points(line)[2023] for line in solid] == pytest.approx([5.15, 17.69, 5.15 - 17.69])
    assert all(line.get_markerfacecolor() == "none" for line in lines(ax, "_unverified"))
    assert base_year_lines(ax) == [2023.0]
    assert legend(ax).count("observed (Department of Commerce)") == 1
    assert ax.xaxis.get_major_formatter()(2016, 0) == "FY2016-17"


def test_charts_without_an_observed_series_get_none(axes):
    for name in ("investment.fdi_stock", "exchange.skilled_stock", "exchange", "investment_by_sector"):
        assert not lines(axes[name], "_observed") and not base_year_lines(axes[name]), name


def test_base_year_marker_follows_the_scenario(history):
    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml").with_params({"trade.base_year": 2024})
    moved = simulator.run(scenario, draws=50, seed=1)
    ax = plotting.trade_panel(moved, ax=Figure().add_subplot(), history=history)
    assert base_year_lines(ax) == [2024.0]
    assert "base year FY2024-25" in legend(ax)
    assert min(points(lines(ax, "_observed")[0])) == 2024 - HISTORY_YEARS + 1  # the window moves with it


def test_a_given_history_is_the_one_drawn(result, tmp_path):
    """A user's folder (a newer download, a corrected value) replaces the shipped series."""
    folder = tmp_path / "history"
    shutil.copytree(history_dir(), folder)
    path = folder / "exports_india_to_japan.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table.year == "2023", "value"] = "7.5"
    table.loc[table.year == "2022", ["verified", "source"]] = ["false", "a draft"]
    table.to_csv(path, index=False)
    ax = drawn(result, tmp_path / "plots", history=folder, variables=TRADE_FANS)["trade.exports_india_to_japan"]
    assert points(lines(ax, "_observed")[0])[2023] == 7.5
    assert 2022 not in points(lines(ax, "_observed")[0])  # the line breaks at the unverified year
    assert points(lines(ax, "_unverified")[0]) == {2022: 5.46, 2024: 6.24}
    empty = drawn(result, tmp_path / "none", history={}, variables=TRADE_FANS)["trade.exports_india_to_japan"]
    assert not lines(empty, "_observed") and base_year_lines(empty) == [2023.0]


def test_missing_years_break_the_line(history):
    """India's exports to the US have no FY2016-17 and FY2017-18: no line is drawn across them."""
    table = observed("trade.exports_india_to_us", history, 2023)
    ax = Figure().add_subplot()
    draw_observed(ax, table)
    xs = list(lines(ax, "_observed")[0].get_xdata())
    ys = lines(ax, "_observed")[0].get_ydata()
    assert np.isnan(ys[xs.index(2016)]) and np.isnan(ys[xs.index(2017)])
    assert np.isnan(ys[xs.index(2019)])  # unverified (derived from totals): hollow, not on the line
    assert points(lines(ax, "_unverified")[0]) == {2014: 39.0, 2019: 53.085}
    assert observed("trade.cover_ratio", history, 2023).empty  # no published series


def test_comparison_overlay_shows_history_and_each_base_year(history):
    base = simulator.load_scenario(SCENARIOS / "baseline.toml")
    results = [simulator.run(s, draws=50, seed=1) for s in (base, base.with_params({"trade.base_year": 2022}))]
    ax = plotting.comparison_fan(results, "trade.exports_japan_to_india", ax=Figure().add_subplot(), history=history)
    assert points(lines(ax, "_observed")[0])[2023] == 17.69
    assert sorted(base_year_lines(ax)) == [2022.0, 2023.0]
    assert {"baseline", "observed (Department of Commerce)", "unverified"} <= set(legend(ax))
    diff = plotting.difference_fan(results[1].dataset["trade.balance"] - results[0].dataset["trade.balance"],
                                "trade.balance", "b minus a", ax=Figure().add_subplot())
    assert not lines(diff, "_observed")  # a paired difference has no observed counterpart
    other = plotting.comparison_fan(results, "investment.fdi_stock", ax=Figure().add_subplot(), history=history)
    assert not lines(other, "_observed") and not base_year_lines(other)


def test_save_results_hands_its_history_to_the_plots(result, tmp_path, monkeypatch):
    given = []

    def spy(result, folder, progress=None, processes=None, history=None):
        given.append(history)
        return []
    monkeypatch.setattr(plots, "write_fan_charts", spy)
    simulator.save_results(result, tmp_path / "run", history=tmp_path / "mine", report=False)
    assert given == [tmp_path / "mine"]
