"""Warnings apart from errors: each says a setting cannot change any output, and the test runs
the model to show the claim is true (the same numbers with the setting and without it); shipped
scenarios give none; --strict turns them into errors."""
import pytest

import simulator

from tests.conftest import SCENARIOS

BASELINE = simulator.load_scenario(SCENARIOS / "baseline.toml")
NO_TARIFF_CHANGE = {"tariffs.us_on_india": 0.0}

# id: (changes that should warn about `key`, the same changes with that key back at its default)
CASES = {
    "constant-us-tariff": ({"tariffs.us_on_india": 0.5}, "tariffs.us_on_india", {"tariffs.us_on_india": 0.0}),
    "path-that-never-moves": ({"tariffs.japan_on_india": {"2020": 0.1, "2030": 0.1}}, "tariffs.japan_on_india",
                              {"tariffs.japan_on_india": 0.0}),
    "elasticity-without-change": ({**NO_TARIFF_CHANGE, "tariffs.elasticity_short_run": 1.5}, "tariffs.elasticity_short_run",
                                  {**NO_TARIFF_CHANGE, "tariffs.elasticity_short_run": 0.76}),
    "coverage-without-us-change": ({**NO_TARIFF_CHANGE, "trade.diversion_share_to_japan": 0.2},
                                   "trade.diversion_share_to_japan", {**NO_TARIFF_CHANGE, "trade.diversion_share_to_japan": 0.0}),
    "no-exports-to-us": ({"trade.exports_india_to_us_base_usd_bn": 0.0, "trade.growth_india_to_us": 0.05},
                         "trade.growth_india_to_us", {"trade.exports_india_to_us_base_usd_bn": 0.0, "trade.growth_india_to_us": 0.0}),
    "lag-without-elasticity": ({"trade.fdi_elasticity_imports": 0.0, "trade.fdi_lag_imports_years": 5.0},
                               "trade.fdi_lag_imports_years", {"trade.fdi_elasticity_imports": 0.0, "trade.fdi_lag_imports_years": 0.0}),
    "correlation-without-shocks": ({"trade.volatility_japan_to_india": 0.0, "trade.shock_correlation": 0.9},
                                   "trade.shock_correlation", {"trade.volatility_japan_to_india": 0.0, "trade.shock_correlation": 0.0}),
    "unused-stage": ({"exchange.stages.extra_checks": {"servers": 5.0, "service_months": 2.0}}, "exchange.stages.extra_checks",
                     {}),
}


@pytest.mark.parametrize("changes, key, without", CASES.values(), ids=CASES.keys())
def test_a_setting_that_changes_nothing_is_warned_about_and_really_changes_nothing(changes, key, without):
    warned = BASELINE.with_params(changes)
    assert key in [w.key for w in warned.warnings()]
    reference = BASELINE.with_params(without) if without else BASELINE
    assert key not in [w.key for w in reference.warnings()]
    a = simulator.run(warned, draws=64, seed=5)
    b = simulator.run(reference, draws=64, seed=5)
    assert a.dataset.equals(b.dataset), f"{key} does change the results: the warning would be wrong"


@pytest.mark.parametrize("changes, key", [({"tariffs.us_on_india": {"2023": 0.0, "2026": 0.5}}, "tariffs.us_on_india"),
                                          ({"trade.shock_correlation": 0.2}, "trade.shock_correlation"),
                                          ({"trade.fdi_lag_imports_years": 3.0}, "trade.fdi_lag_imports_years")])
def test_a_setting_that_matters_is_not_warned_about(changes, key):
    changed = BASELINE.with_params(changes)
    assert key not in [w.key for w in changed.warnings()]
    assert not simulator.run(changed, draws=64, seed=5).dataset.equals(simulator.run(BASELINE, draws=64, seed=5).dataset)


def test_one_warning_per_setting_and_defaults_restated_are_fine():
    s = BASELINE.with_params({"tariffs.us_on_india": 0.5, "trade.exports_india_to_us_base_usd_bn": 0.0})
    assert [w.key for w in s.warnings()].count("tariffs.us_on_india") == 1
    assert BASELINE.with_params({"tariffs.japan_on_india": 0.0}).warnings() == []  # the default, restated


def test_a_bare_scenario_is_told_its_blocks_are_neutral():
    bare = simulator.scenario_from_dict({"scenario": {"name": "bare"}}, label="bare.toml")
    warnings = {w.key: w for w in bare.warnings()}
    assert set(warnings) == {"investment", "trade", "exchange"} and warnings["trade"].file == "bare.toml"
    result = simulator.run(bare, draws=50, seed=1)
    x = result["trade.exports_india_to_japan"].values
    assert (x == x[0, 0]).all()  # "both flows stay at their base-year values"
    assert (result["exchange.cumulative_total"].values == 0).all()  # "every exchange output is zero"
    assert float(result["investment.cumulative_disbursed"].std("draw").max()) < 1e-9  # "with no uncertainty"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_scenarios_have_no_warnings(path):
    assert simulator.load_scenario(path).warnings() == []


CONSTANT = '[scenario]\nname = "c"\nextends = "{base}"\n[tariffs]\nus_on_india = 0.5\n'


def test_validate_prints_warnings_and_strict_makes_them_errors(cli, write):
    write("c.toml", CONSTANT.format(base=SCENARIOS / "baseline.toml"))
    code, out, err = cli("validate", "c.toml")
    assert code == 0 and "ok  c.toml" in out
    assert "warning: c.toml: tariffs.us_on_india: the same in every year" in err
    assert err.strip().splitlines()[-1].endswith("warnings (--strict makes them errors)")
    code, out, err = cli("validate", "--strict", "c.toml")
    assert code == 2 and "ok" not in out and "c.toml: tariffs.us_on_india" in err and "problems found" in err


def test_run_warns_and_strict_runs_nothing(cli, write, tmp_path):
    write("c.toml", CONSTANT.format(base=SCENARIOS / "baseline.toml"))
    code, _, err = cli("run", "c.toml", "--draws", "20", "--no-plots", "--out", "r")
    assert code == 0 and "warning: c.toml: tariffs.us_on_india" in err
    code, _, err = cli("run", "c.toml", "--draws", "20", "--no-plots", "--quiet", "--out", "q")
    assert code == 0 and err == ""
    code, _, err = cli("run", "c.toml", "--draws", "20", "--no-plots", "--strict", "--out", "s")
    assert code == 2 and "nothing was run or written" in err and not (tmp_path / "s").exists()
