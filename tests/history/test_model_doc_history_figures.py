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


def test_the_baseline_diverts_what_docs_say_from_the_us():
    """2.2: the baseline's relative US tariff of FY2025-26 diverts a median US$0.9-1.2 bn a year from
    the US in FY2026-27 to FY2032-33, of which at most 3% reaches Japan: the paired difference
    against the same scenario with India's FY2025-26 rate at its competitors'."""
    base = simulator.load_scenario("baseline")
    competitors = dict(base.params["tariffs.us_on_competitors"].points)
    level = base.with_params({"tariffs.us_on_india": {str(y): v for y, v in competitors.items()}})
    with_tariff, without = (simulator.run(s, draws=2000, seed=5) for s in (base, level))
    years = slice(2026, 2032)
    lost = (without["trade.exports_india_to_us"] - with_tariff["trade.exports_india_to_us"]).sel(year=years)
    medians = np.median(lost.transpose("draw", "year").values, axis=0)
    stated = re.search(r"diverts a median US\$([0-9.]+)–([0-9.]+) bn a year\s+from the US in FY2026-27 to FY2032-33",
                       MODEL)
    assert stated, "the sentence in docs/model.md 2.2 changed: update this test with it"
    assert [round(medians.min(), 1), round(medians.max(), 1)] == [float(stated.group(1)), float(stated.group(2))]
    to_japan = with_tariff["trade.diverted_to_japan"].sel(year=years) - without["trade.diverted_to_japan"].sel(year=years)
    assert float(np.median(to_japan.values / lost.values)) <= 0.03  # "of which at most 3% reaches Japan"
