"""Figures docs/model.md states about the history, computed from seeds/history here (issue 32: a
number the docs state is checked by a test), so a changed series or a stale sentence fails."""
import re

import numpy as np

import simulator
from simulator.estimation.calibration import trade_levels

from tests.conftest import ROOT

MODEL = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def test_the_april_january_shares_of_fy2023_24_are_those_docs_state():
    """2.1: April-January FY2023-24 was 81.8% (India to Japan) and 82.5% (Japan to India) of the year."""
    history = simulator.load_history()
    shares = []
    for flow in ("exports_india_to_japan", "exports_japan_to_india"):
        table = history[flow].table
        part = table[(table.year == 2023) & (table.months == 10)].value.item()
        whole = table[(table.year == 2023) & (table.months == 12)].value.item()
        shares.append(f"{part / whole:.1%}")
    assert f"{shares[0]} and {shares[1]} of the whole year" in MODEL, shares


def test_the_spread_of_yearly_growth_before_and_since_fy2016_17_is_what_docs_state():
    """2.6: sd of yearly log growth FY2008-09 to FY2015-16 0.21 for both flows; since, 0.18 and 0.13."""
    growth = np.log(trade_levels(simulator.load_history())).diff().dropna()
    before = growth.loc[:2015].std(ddof=1).round(2)
    since = growth.loc[2016:].std(ddof=1).round(2)
    assert before.nunique() == 1
    stated = re.search(r"sd of yearly log growth ([0-9.]+) for both\) than since \(([0-9.]+) and\s+([0-9.]+)\)", MODEL)
    assert stated, "the sentence in docs/model.md 2.6 changed: update this test with it"
    assert float(stated.group(1)) == before.iloc[0]
    assert [float(stated.group(2)), float(stated.group(3))] == [since["exports_india_to_japan"],
                                                                since["exports_japan_to_india"]]
