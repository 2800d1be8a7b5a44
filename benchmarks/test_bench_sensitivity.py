"""Sobol' analysis of the baseline's 2034 trade balance by its named groups of uncertainty, the default
(the README's command; every uncertain input varies, n * (groups + 2) evaluations)."""
from pathlib import Path

import simulator
from simulator.analysis import sensitivity

ROOT = Path(__file__).resolve().parents[1]


def test_sobol_baseline_trade_balance(benchmark):
    scenario = simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")
    table = benchmark.pedantic(sensitivity, args=(scenario, "trade.balance", 2034, "sobol", 1024, 1),
                               rounds=2, iterations=1)
    benchmark.extra_info.update(evaluations=table.attrs["evaluations"], factors=len(table),
                                evaluations_per_s=table.attrs["evaluations"] / benchmark.stats.stats.mean)
