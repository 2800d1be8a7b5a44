"""The lever table (XLRM's L): every lever is a registry parameter, levers are told from
uncertainties, and concrete paths of stages and streams find their lever."""
import pytest

from simulator.scenario.levers import LEVERS, is_lever, lever_name, lever_pattern, not_a_lever
from simulator.scenario.parameters import SPECS


@pytest.mark.parametrize("pattern", sorted(LEVERS))
def test_every_lever_is_a_parameter_of_the_registry(pattern):
    spec = SPECS[pattern]  # KeyError: the lever names no parameter
    assert spec.group not in ("scenario", "sampling")  # run settings are not policy
    assert LEVERS[pattern].name and LEVERS[pattern].name != pattern  # a plain name, not the key


def test_levers_cover_the_issues_families_and_names_are_distinct():
    families = {lever.family for lever in LEVERS.values()}
    assert families == {"tariff paths", "pledge profile and timing", "visa and processing capacity",
                        "the Plan's acceleration", "CEPA settings"}
    names = [lever.name for lever in LEVERS.values()]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("path", ["trade.growth_india_to_us", "tariffs.elasticity_long_run", "tariffs.us_on_competitors",
                                  "investment.realisation_rate", "macro.gdp_growth_india",
                                  "exchange.streams.skilled_workers.uptake", "scenario.draws"])
def test_uncertainties_and_settings_are_not_levers(path):
    assert not is_lever(path)
    assert "not a policy lever" in not_a_lever(path)


def test_concrete_stage_and_stream_paths_find_their_lever():
    assert lever_pattern("exchange.stages.visa_japan.servers") == "exchange.stages.*.servers"
    assert lever_name("exchange.stages.visa_japan.servers").endswith(": visa_japan")
    assert lever_pattern("exchange.streams.skilled_workers.plan_multiplier") == "exchange.streams.*.plan_multiplier"
    assert lever_pattern("exchange.stages.visa_japan.title") is None
    assert "did you mean 'tariffs.us_on_india'?" in not_a_lever("tarifs.us_on_india")
    assert "is not a parameter" in not_a_lever("tarifs.us_on_india")


def test_params_levers_lists_the_levers(cli):
    code, out, err = cli("params", "--levers", "--csv")
    assert code == 0, err
    keys = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert sorted(keys) == sorted(p.replace("*", "<name>") for p in LEVERS)
    code, out, _ = cli("params", "baseline", "--levers", "--csv")
    keys = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert "tariffs.us_on_india" in keys and "exchange.stages.visa_japan.servers" in keys
    assert all(is_lever(k) for k in keys)
