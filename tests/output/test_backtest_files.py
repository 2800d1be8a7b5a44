"""The PIT figure of a backtest folder shows the PIT of its hindcasts (both flows, not the balance); the
figures are the same bytes whether drawn on forked processes or in turn."""
import numpy as np
import pandas as pd
import pytest

from simulator.estimation import backtest as bt
from simulator.estimation.hindcast_models import no_change
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


def test_forked_drawing_writes_the_files_drawing_in_turn_writes(tmp_path):
    """The figures drawn on forked processes (the default) are the bytes of those drawn one after the
    other here: the folder does not depend on the number of CPUs."""
    import hashlib

    from simulator.output.backtest_files import write_backtest

    rng = np.random.default_rng(2)
    years = np.arange(2000, 2016)
    history = pd.DataFrame({"exports_india_to_japan": np.exp(np.cumsum(rng.normal(0.05, 0.1, 16))),
                            "exports_japan_to_india": np.exp(np.cumsum(rng.normal(0.05, 0.1, 16)))}, index=years)
    backtest = bt.run_backtest(history, {"no_change": no_change()}, [2010, 2011, 2012], [1, 2], draws=200)
    digests = []
    for processes in (1, 2):
        folder = write_backtest(backtest, history, tmp_path / f"p{processes}", processes=processes)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / "plots").iterdir()})
    assert set(digests[0]) == {"hindcast_fans.png", "coverage_by_horizon.png", "pit.png"}
    assert digests[0] == digests[1]
