"""The PIT figure of a backtest folder shows the PIT of its hindcasts (both flows, not the balance)."""
import numpy as np
import pandas as pd
import pytest

from simulator.estimation import backtest as bt
from simulator.output.backtest_files import pit_figure


def test_pit_figure_bars_are_the_flows_pit_histogram():
    rng = np.random.default_rng(4)
    rows = []
    for model, shift in (("random_walk", 0.0), ("scenario", 0.3)):
        for var in ("trade.exports_india_to_japan", "trade.exports_japan_to_india", "trade.balance"):
            for origin in range(2010, 2030):
                pit = 0.999 if var == "trade.balance" else min(rng.random() + shift, 0.999)
                actual, p50 = (1.0, 0.0) if pit > 0.5 else (0.0, 1.0)
                rows.append([model, var, origin, 1, actual, 0, 0, p50, 0, 0, True, True, 0.0, 0.0, pit])
    table = pd.DataFrame(rows, columns=bt.COLUMNS)
    backtest = bt.Backtest(table, tuple(range(2010, 2030)), (1,), 100, 0, (2000, 2030))
    fig = pit_figure(backtest, ["random_walk", "scenario"])
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 2
    for ax, model in zip(axes, ("random_walk", "scenario")):
        flows = table[(table.model == model) & (table.variable != "trade.balance")]
        heights = [p.get_height() for p in ax.patches if p.get_width() == pytest.approx(0.1)]
        np.testing.assert_array_equal(heights, np.histogram(flows.pit, bins=10, range=(0, 1))[0])
        assert [line.get_ydata()[0] for line in ax.lines] == [4.0]  # 40 values, 10 bins: 4 each if uniform
        share = (flows.pit > 0.5).mean()
        assert f"{model}: 40 values" in ax.get_title() and f"{share:.0%} above the median" in ax.get_title()
