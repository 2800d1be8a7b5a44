"""Result.plot and Comparison.plot (issue 32): the figures a notebook user asks for by name, drawn
by the same functions as the results folders' plots, checked on the figure objects."""
import numpy as np
import pytest
from matplotlib.figure import Figure

import simulator
from simulator import plotting
from simulator.montecarlo.comparison import compare

from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def result():
    return simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=300, seed=2)


@pytest.fixture(scope="module")
def comparison():
    scenarios = [simulator.load_scenario(SCENARIOS / f"{n}.toml") for n in ("baseline", "us-tariffs-persist")]
    return compare(scenarios, draws=300, seed=2, labels=["Today", "Tariffs stay"])


def axes():
    return Figure(layout="constrained").add_subplot()


def test_result_plot_draws_the_variables_median_with_its_unit_and_fiscal_years(result):
    ax = result.plot("trade.exports_japan_to_india", ax=axes())
    median = result.bands("trade.exports_japan_to_india")["p50"]
    lines = {line.get_label(): line for line in ax.get_lines()}
    drawn = lines["median"]
    np.testing.assert_allclose(drawn.get_ydata(), median.values)
    assert "US$ bn" in ax.get_ylabel() and "fiscal year" in ax.get_xlabel()
    assert "Japan" in ax.get_title(loc="left")
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels() if t.get_text()][0].startswith("FY")
    assert any("observed" in label for label in lines), list(lines)  # the history leading into it


def test_result_plot_of_an_entry_and_of_a_calendar_year_variable(result):
    sector = result.labels("sector")[0]
    ax = result.plot(f"investment.disbursed_by_sector.{sector}", ax=axes())
    assert sector.replace("_", " ") in ax.get_title(loc="left") and ax.get_xlabel() == "year"


def test_result_plot_refuses_an_unknown_variable_by_name(result):
    with pytest.raises(KeyError, match="trade.balanse"):
        result.plot("trade.balanse")


def test_result_plot_is_the_run_folders_figure(result, tmp_path):
    mine = result.plot("trade.balance", ax=axes())
    theirs = plotting.variable_fan(result, "trade.balance", ax=axes())
    assert [line.get_label() for line in mine.get_lines()] == [line.get_label() for line in theirs.get_lines()]
    for a, b in zip(mine.get_lines(), theirs.get_lines()):
        np.testing.assert_array_equal(a.get_ydata(), b.get_ydata())


def test_comparison_plot_overlays_each_scenario_under_its_label(comparison):
    ax = comparison.plot("trade.exports_india_to_us", ax=axes())
    labels = [line.get_label() for line in ax.get_lines()]
    assert "Today" in labels and "Tariffs stay" in labels
    for res, label in zip(comparison.results, comparison.labels):
        line = next(line for line in ax.get_lines() if line.get_label() == label)
        np.testing.assert_allclose(line.get_ydata(), res.bands("trade.exports_india_to_us")["p50"].values)


def test_comparison_plot_of_the_paired_difference(comparison):
    ax = comparison.plot("trade.exports_india_to_us", difference=True, ax=axes())
    diff = comparison.difference("trade.exports_india_to_us", comparison.names[1])
    median = next(line for line in ax.get_lines() if line.get_label() == "median")
    np.testing.assert_allclose(median.get_ydata(), np.median(diff.transpose("draw", "year").values, axis=0))
    assert "Tariffs stay minus Today" in ax.get_title(loc="left")
    same = comparison.plot("trade.exports_india_to_us", difference=True, scenario="Tariffs stay", ax=axes())
    assert same.get_title(loc="left") == ax.get_title(loc="left")
    with pytest.raises(KeyError, match="Today"):
        comparison.plot("trade.balance", difference=True, scenario="Today")


def test_every_public_plotting_name_is_a_drawing_function():
    assert plotting.__all__ and all(callable(getattr(plotting, name)) for name in plotting.__all__)
    with pytest.raises(AttributeError):
        plotting.not_a_figure
