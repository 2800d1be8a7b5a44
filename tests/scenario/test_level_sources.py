"""Every level in the shipped exchange streams has a page, a calibration or an ASSUMPTION with a
range (simulator.scenario.provenance); a bare number is reported with its file and key."""
import pytest

import simulator
from simulator.scenario.provenance import unsourced_levels

from tests.conftest import SCENARIOS

SHIPPED = sorted(p.name for p in SCENARIOS.glob("*.toml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_stream_level_is_sourced_or_a_drawn_assumption(name):
    assert unsourced_levels(simulator.load_scenario(SCENARIOS / name)) == []


def _scenario(stream: dict):
    return simulator.scenario_from_dict({
        "scenario": {"name": "levels", "horizon_years": 3},
        "exchange": {"stages": {"desk": {"servers": 10}},
                     "streams": {"x": {"stages": ["desk"], **stream}}}})


def test_a_bare_number_is_reported_with_its_key():
    problems = unsourced_levels(_scenario({"entrants_per_year": 4000}))
    assert len(problems) == 1
    assert "exchange.streams.x.entrants_per_year: a bare number" in problems[0]


def test_an_assumption_without_a_range_is_reported():
    problems = unsourced_levels(_scenario({"entrants_per_year": 4000, "level_source": "ASSUMPTION: a guess"}))
    assert len(problems) == 1 and "exchange.streams.x.uptake" in problems[0]
    drawn = {"entrants_per_year": 4000, "level_source": "ASSUMPTION: a guess",
             "uptake": {"dist": "uniform", "min": 0.5, "max": 1.5}}
    assert unsourced_levels(_scenario(drawn)) == []


def test_a_page_or_a_calibration_is_enough_and_a_non_address_is_not():
    assert unsourced_levels(_scenario({"entrants_per_year": 4000, "level_source": "https://example.org/t"})) == []
    wrong = unsourced_levels(_scenario({"entrants_per_year": 4000, "level_source": "the ministry"}))
    assert len(wrong) == 1 and "level_source" in wrong[0]
    calibrated = {"observed_stock": 1000, "observed_stock_date": "2024-12"}
    missing = unsourced_levels(_scenario(calibrated))
    assert len(missing) == 1 and "observed_stock_source" in missing[0]
    assert unsourced_levels(_scenario({**calibrated, "observed_stock_source": "https://example.org/s"})) == []


def test_a_stream_without_entrants_needs_no_source():
    assert unsourced_levels(_scenario({})) == []
