"""Every default figure is fit to read (issue 32): checked on the figure objects, not on "a file was saved".

Issue 32 found labels given half a chart's width, a legend over the top bars, a title cut at the
figure's edge, Morris' sigma drawn as error bars on mu* reaching below zero, the exchange on a log
axis, code names in a legend ("msmes startups"), a box plot on 0-1 positions without its event,
and hindcast panels of seven overlapping fans on bare years. The writers that make the files are
run as the commands run them, each figure is caught as it is saved, and then

* every piece of text lies inside the canvas (nothing clipped),
* no legend covers the data area of any axes, and tick labels on an axis do not overlap,
* each figure states its units on an axis, trade axes show fiscal years,

plus the specific defects above. `readable_problems` is tested on figures made wrong on purpose.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import simulator
from simulator.labels import unit_label

from tests.conftest import SCENARIOS

BASELINE = SCENARIOS / "baseline.toml"


# ---------------------------------------------------------------- the checks


def _renderer(fig):
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _inside(box, canvas) -> bool:
    return canvas.x0 <= box.x0 and box.x1 <= canvas.x1 and canvas.y0 <= box.y0 and box.y1 <= canvas.y1


def readable_problems(fig) -> list[str]:
    """What makes a drawn figure hard to read: clipped text, legends over data, overlapping ticks."""
    renderer = _renderer(fig)
    canvas = fig.bbox.padded(1.0)
    problems = []
    # each axes with everything it draws (title, labels, the tick labels in view, its legend)
    for ax in fig.axes:
        if ax.get_visible() and not _inside(ax.get_tightbbox(renderer), canvas):
            problems.append(f"text outside the canvas: axes {ax.get_title(loc='left')[:50]!r}")
    for artist in [*fig.texts, *fig.legends]:
        if artist.get_visible() and not _inside(artist.get_window_extent(renderer), canvas):
            problems.append(f"text outside the canvas: {str(getattr(artist, 'get_text', lambda: 'legend')())[:50]!r}")
    data_areas = [ax.bbox for ax in fig.axes if ax.get_visible() and ax.axison and ax.get_label() != "<colorbar>"]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for area in data_areas:
            if box.overlaps(area):
                problems.append(f"legend over the data: {[t.get_text()[:30] for t in legend.get_texts()]}")
                break
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
            for a, b in zip(boxes, boxes[1:]):
                if a.overlaps(b):
                    problems.append(f"tick labels overlap on {axis.axis_name}: {ax.get_title(loc='left')[:40]!r}")
                    break
    return problems


def axis_labels(fig) -> str:
    return " ".join(ax.get_xlabel() + " " + ax.get_ylabel() for ax in fig.axes if ax.get_visible())


# ---------------------------------------------------------------- catching figures as the writers save them


@pytest.fixture
def caught(monkeypatch):
    """{file stem: figure} of every figure saved while the test runs (PNG or SVG alike)."""
    figures: dict[str, Figure] = {}
    original = Figure.savefig

    def record(self, fname, *args, **kwargs):
        original(self, fname, *args, **kwargs)
        name = Path(fname).name
        figures.setdefault(name[: name.rindex(".")], self)

    monkeypatch.setattr(Figure, "savefig", record)
    return figures


@pytest.fixture(scope="module")
def run_result():
    return simulator.run(simulator.load_scenario(BASELINE), draws=400, seed=3)


@pytest.fixture
def run_figures(run_result, caught, tmp_path):
    from simulator.output.plots import write_fan_charts

    write_fan_charts(run_result, tmp_path, processes=1)
    # and the fan charts the panels stand in for by default, which --show draws
    write_fan_charts(run_result, tmp_path / "shown", processes=1, variables=[
        "trade.exports_india_to_japan", "trade.exports_japan_to_india", "trade.balance", "exchange.skilled_cumulative"])
    return caught


# ---------------------------------------------------------------- the checks work


def test_the_check_finds_clipped_text_a_legend_over_bars_and_crowded_ticks():
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.barh([0, 1, 2], [3, 2, 1], label="a bar label")
    ax.legend(loc="upper right")
    ax.set_title("a title much too long for a figure four inches wide, so it runs off the right edge", loc="left")
    ax.set_xticks(range(6), [f"FY20{n}-2{n}" * 2 for n in range(6)])
    found = readable_problems(fig)
    assert any("text outside" in p for p in found)
    assert any("legend over the data" in p for p in found)
    assert any("tick labels overlap" in p for p in found)


def test_the_check_passes_a_readable_figure():
    from simulator.plotting.figure_text import outside_legend

    fig = Figure(figsize=(6, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.barh([0, 1], [3, 2], label="bars")
    ax.set_title("short", loc="left")
    ax.set_xlabel("US$ bn")
    outside_legend(ax)
    assert readable_problems(fig) == []


# ---------------------------------------------------------------- a run's figures


def test_every_figure_of_a_run_is_readable(run_figures):
    assert len(run_figures) >= 13  # ten headline fan charts (four of them on request) and three panels
    problems = {name: readable_problems(fig) for name, fig in run_figures.items()}
    assert not {k: v for k, v in problems.items() if v}


def test_fan_charts_state_their_unit_and_trade_charts_fiscal_years(run_figures):
    from simulator.variables import VARIABLES

    for name, fig in run_figures.items():
        if name in VARIABLES:
            ax = fig.axes[0]
            assert unit_label(VARIABLES[name].unit) in ax.get_ylabel(), name
            ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
            if name.startswith("trade."):
                assert ticks and all(t.startswith("FY") for t in ticks), (name, ticks)
    trade = run_figures["trade"].axes[0]
    assert all(t.get_text().startswith("FY") for t in trade.get_xticklabels() if t.get_text())


def test_the_exchange_chart_is_on_a_linear_axis_in_people(run_figures):
    ax = run_figures["exchange"].axes[0]
    assert ax.get_yscale() == "linear"
    assert "people" in ax.get_ylabel()
    assert ax.get_ylim()[0] == 0


def test_the_sector_legend_names_the_article_sectors(run_figures):
    from simulator.article_figures import sectors

    legend = run_figures["investment_by_sector"].axes[0].get_legend()
    shown = {" ".join(t.get_text().split()) for t in legend.get_texts()}
    assert shown == set(sectors().values())
    assert not any("_" in s or s.islower() for s in shown)


# ---------------------------------------------------------------- a comparison's figures


def test_every_figure_of_a_comparison_is_readable(caught, tmp_path):
    from simulator.montecarlo.comparison import compare
    from simulator.output.compare_files import write_comparison_plots

    scenarios = [simulator.load_scenario(BASELINE), simulator.load_scenario(SCENARIOS / "us-tariffs-persist.toml")]
    write_comparison_plots(compare(scenarios, draws=300, seed=2), tmp_path, processes=1)
    # only what the scenarios change is drawn: here trade (overlays and paired differences)
    assert {"compare_trade.exports_india_to_japan", "difference_us-tariffs-persist_trade.balance"} <= set(caught)
    problems = {name: readable_problems(fig) for name, fig in caught.items()}
    assert not {k: v for k, v in problems.items() if v}
    for name, fig in caught.items():
        if "trade." in name:
            ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
            assert ticks and all(t.startswith("FY") for t in ticks), name


def test_every_sweep_figure_is_readable(caught, tmp_path):
    from simulator.output.sweep_files import write_sweep_plots
    from simulator.sweeping.sweep import sweep

    swept = sweep(simulator.load_scenario(BASELINE), {"tariffs.us_on_india": [0.1, 0.25, 0.5]}, draws=200, seed=1)
    write_sweep_plots(swept, tmp_path, ["trade.exports_india_to_us", "trade.balance"], processes=1)
    assert set(caught) == {"sweep_trade.exports_india_to_us", "sweep_trade.balance"}
    problems = {name: readable_problems(fig) for name, fig in caught.items()}
    assert not {k: v for k, v in problems.items() if v}
    for fig in caught.values():
        assert "US$ bn" in fig.axes[0].get_ylabel()
        assert all(t.get_text().startswith("FY") for t in fig.axes[0].get_xticklabels() if t.get_text())


# ---------------------------------------------------------------- sensitivity


@pytest.mark.parametrize("method,n", [("oat", None), ("morris", 4), ("sobol", 64), ("trees", 64)])
def test_every_sensitivity_figure_is_readable(method, n, caught, tmp_path):
    from simulator.analysis import sensitivity
    from simulator.output.sensitivity_files import write_sensitivity

    scenario = simulator.load_scenario(BASELINE)
    table = sensitivity(scenario, "trade.balance", 2034, method=method, n=n, seed=1)
    write_sensitivity(scenario, table, tmp_path / "out")
    (fig,) = caught.values()
    assert readable_problems(fig) == []
    ax = fig.axes[0]
    assert "FY2034-35" in ax.get_title(loc="left")  # the whole title, not cut
    label = " ".join(ax.get_xlabel().replace("\\$", "$").split())
    assert ("US$ bn" in label) if method in ("oat", "morris") else ("index" in label or "importance" in label)
    # long labels are wrapped, none longer than a line
    assert max(len(line) for t in ax.get_yticklabels() for line in t.get_text().split("\n")) <= 40
    if method == "morris":
        # sigma is its own bar, and no interval reaches below zero (mu* cannot)
        assert any("sigma" in t.get_text() for t in ax.get_legend().get_texts())
        lows = [seg[:, 0].min() for coll in ax.collections for seg in coll.get_segments()]
        assert lows and min(lows) >= 0.0


def test_the_grid_of_several_outputs_and_years_is_readable(caught, tmp_path):
    from simulator.analysis import sensitivity
    from simulator.output.sensitivity_files import write_sensitivity

    scenario = simulator.load_scenario(BASELINE)
    table = sensitivity(scenario, ["trade.balance", "exchange.skilled_cumulative"], [2030, 2034], method="sobol",
                        n=64, seed=1)
    write_sensitivity(scenario, table, tmp_path / "out")
    (fig,) = caught.values()
    assert readable_problems(fig) == []
    ticks = [" ".join(t.get_text().split()) for t in fig.axes[0].get_xticklabels()]
    assert "India's trade balance with Japan in FY2034-35" in ticks  # whole, wrapped over lines


# ---------------------------------------------------------------- discovery


def test_the_discovery_figures_name_the_event_and_draw_limits_in_the_inputs_units(run_result, tmp_path):
    from simulator.analysis import discover_event
    from simulator.plotting.boxes import plot_box, plot_tradeoff
    from simulator.plotting.axes import file_figure, plain_text

    found = discover_event(run_result, "deficit_narrower_2030", seed=1, bootstrap=0)
    fig, ax = file_figure((8, 4.6))
    plot_tradeoff(found, ax=ax)
    assert readable_problems(fig) == []
    assert found.event.title in " ".join(fig.axes[0].get_title(loc="left").split())

    fig, ax = file_figure((8, 1.0 * len(found.discovery.box) + 1.8))
    axes = plot_box(found, ax=ax)
    assert readable_problems(fig) == []
    assert found.event.title in " ".join(axes[0].get_title(loc="left").split())
    assert len(axes) == len(found.discovery.box)
    for row in axes:
        label = " ".join(row.get_xlabel().split())
        name = next(k for k in found.discovery.box.index if plain_text(found.labels[k][0]) in label)
        unit = found.labels[name][1]
        assert not unit or plain_text(unit_label(unit)) in label
        # the axis spans the draws' range in the input's own values, not 0-1
        assert row.get_xlim() == pytest.approx((found.ranges.loc[name, "min"], found.ranges.loc[name, "max"]))


# ---------------------------------------------------------------- backtest


def _backtest():
    from simulator.estimation import backtest as bt

    rng = np.random.default_rng(5)
    rows = []
    for model in ("no_change", "random_walk", "ar1", "scenario"):
        for var in ("trade.exports_india_to_japan", "trade.exports_japan_to_india"):
            for origin in range(2016, 2023):
                for h in range(1, 6):
                    if origin + h > 2024:
                        continue
                    mid = 10 + origin - 2016 + h * rng.normal(0.5, 0.2)
                    q = [mid - 3, mid - 1, mid, mid + 1, mid + 3]
                    actual = mid + rng.normal()
                    rows.append([model, var, origin, h, actual, *q, True, True, 1.0, 0.5, rng.random()])
    table = pd.DataFrame(rows, columns=bt.COLUMNS)
    history = pd.DataFrame({"x": np.linspace(5, 8, 11), "m": np.linspace(10, 18, 11)}, index=range(2014, 2025))
    return bt.Backtest(table, tuple(range(2016, 2023)), tuple(range(1, 6)), 100, 0, (2014, 2024)), history


def test_every_backtest_figure_is_readable_with_fiscal_years(caught, tmp_path, monkeypatch):
    from simulator.output import backtest_files
    from simulator.output.backtest_files import write_backtest

    # drawn in this process, so that the figures can be caught (the command forks one process per CPU)
    monkeypatch.setattr(backtest_files, "draw_all", lambda jobs, render, *a, **k: [p for j in jobs for p in render(j)])
    backtest, history = _backtest()
    write_backtest(backtest, history, tmp_path / "bt", processes=1)  # drawn here, where the figures are caught
    assert set(caught) == {"hindcast_fans", "coverage_by_horizon", "pit"}
    problems = {name: readable_problems(fig) for name, fig in caught.items()}
    assert not {k: v for k, v in problems.items() if v}
    for ax in caught["hindcast_fans"].axes:
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert ticks and all(t.startswith("FY") for t in ticks)
        assert "US$ bn" in ax.get_ylabel()
        assert len(ax.collections) == 1  # one band (the latest origin's), not seven stacked


# ---------------------------------------------------------------- flows


@pytest.mark.slow
def test_every_flows_figure_is_readable(caught, tmp_path):
    from simulator.output.flows_files import write_flow_plots
    from simulator.people.runner import run_flows

    result = run_flows(simulator.load_scenario(SCENARIOS.parent / "tests" / "scenarios" / "small_exchange.toml"),
                       replications=3, processes=1)
    write_flow_plots(result, tmp_path)
    assert len(caught) >= 2
    problems = {name: readable_problems(fig) for name, fig in caught.items()}
    assert not {k: v for k, v in problems.items() if v}
    assert all("people" in axis_labels(fig) for fig in caught.values())
