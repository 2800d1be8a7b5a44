"""Every uncertain input belongs to exactly one named group of uncertainty (issue 30, item 1)."""
from collections import Counter
from pathlib import Path

import pytest

from simulator.montecarlo.draws import SHOCKS, sampling_dimensions
from simulator.scenario import load_scenario
from simulator.scenario.parameters import SPECS
from simulator.scenario.uncertainty_groups import SAMPLED_SERIES, UNCERTAINTY_GROUPS, group_of, registry_key

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.toml"))
UNCERTAIN = {path for path, spec in SPECS.items() if spec.uncertain}


def test_every_uncertain_key_and_sampled_series_is_in_exactly_one_group():
    counts = Counter(key for keys in UNCERTAINTY_GROUPS.values() for key in keys)
    assert [k for k, c in counts.items() if c > 1] == []
    assert set(counts) == UNCERTAIN | set(SAMPLED_SERIES)  # none missing, none unknown


def test_the_sampled_series_are_the_models():
    assert set(SAMPLED_SERIES) == {*SHOCKS, "investment.sector_shares"}


def test_group_names_are_plain_words():
    for name in UNCERTAINTY_GROUPS:
        assert "." not in name and "_" not in name and name == name.strip()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_sampling_dimension_of_a_shipped_scenario_has_a_group(path):
    for dim in sampling_dimensions(load_scenario(path)):
        assert group_of(dim) in UNCERTAINTY_GROUPS


@pytest.mark.parametrize("dim, key, group", [
    ("trade.shock_japan_to_india.2027", "trade.shock_japan_to_india", "year-to-year luck in trade"),
    ("investment.fx_shock.2030", "investment.fx_shock", "the yen"),
    ("investment.sector_shares.clean_energy", "investment.sector_shares", "pledge realisation and timing"),
    ("exchange.streams.engineers.pass_rates.visa_japan", "exchange.streams.*.pass_rates", "exchange pass rates"),
    ("exchange.streams.students.plan_multiplier", "exchange.streams.*.plan_multiplier", "exchange stays and levels"),
    ("trade.growth_japan_to_india", "trade.growth_japan_to_india", "trade trend (estimated from history)"),
    ("trade.fdi_lag_imports_years", "trade.fdi_lag_imports_years", "FDI-trade linkage"),
])
def test_a_dimension_finds_its_key_and_group(dim, key, group):
    assert registry_key(dim) == key
    assert group_of(dim) == group


def test_an_input_in_no_group_is_refused_by_name():
    with pytest.raises(KeyError, match="trade.invented_parameter"):
        group_of("trade.invented_parameter")
