"""What us-tariff-deal.toml's story says: a rate every exporter pays diverts nothing, so its trade
equals the baseline's (India and its competitors pay the same rate in both from FY2026-27)."""
import numpy as np

import simulator

from tests.conftest import SCENARIOS


def test_a_tariff_every_exporter_pays_leaves_trade_as_in_the_baseline():
    deal, base = (simulator.run(simulator.load_scenario(SCENARIOS / f"{name}.toml"), draws=200, seed=3)
                  for name in ("us-tariff-deal", "baseline"))
    story = deal.scenario.description
    assert "equals the baseline's" in story and "also pay one rate" in story
    trade = [v for v in base.variables if v.startswith("trade.")]
    assert "trade.exports_india_to_us" in trade
    for name in trade:
        np.testing.assert_array_equal(deal[name].values, base[name].values, err_msg=name)
    # and the rates are what the story says: equal from FY2026-27, 10% in the baseline, 18% in the deal
    for scenario, rate in ((base.scenario, 0.10), (deal.scenario, 0.18)):
        for key in ("tariffs.us_on_india", "tariffs.us_on_competitors"):
            assert dict(scenario.params[key].points)[2026] == rate, (scenario.name, key)
