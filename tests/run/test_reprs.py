"""The result objects print short, as xarray's do: the scenario, the draws or replications and the
years, not the whole Dataset (the dataclass default would print every array)."""
import tempfile

import pytest

import simulator
from simulator.output.run_folder import run_into


@pytest.fixture(scope="module")
def baseline():
    return simulator.load_scenario("baseline")


def short(obj) -> str:
    text = repr(obj)
    assert len(text) < 200, text
    assert "\n" not in text, text
    return text


def test_result_repr_is_short_and_names_the_scenario(baseline):
    text = short(simulator.run(baseline, draws=50, seed=1))
    assert text.startswith("<Result 'baseline': 50 draws × 2025-2034, ") and text.endswith(" variables>")


def test_run_summary_repr_names_the_scenario_and_its_ensemble(baseline):
    summary = run_into(baseline.with_params({"scenario.draws": 50}), tempfile.mkdtemp(), ensemble="none")
    text = short(summary)
    assert text.startswith("<RunSummary 'baseline': 50 draws × 2025-2034, ") and "ensemble none" in text


def test_comparison_repr_lists_its_scenarios_the_reference_first(baseline):
    others = [baseline.with_params({"scenario.name": f"variant-{i}"}) for i in range(5)]
    comparison = simulator.compare([baseline, *others[:1]], draws=20, seed=1)
    text = short(comparison)
    assert "reference 'baseline', then 'variant-0'" in text and "20 draws × 2025-2034" in text
    # many scenarios, long labels: still one short line
    many = simulator.compare([baseline, *others], draws=20, seed=1, labels=["x" * 80 + str(i) for i in range(6)])
    assert "3 more" in short(many)


def test_flows_result_repr_names_the_scenario_and_its_replications():
    scenario = simulator.scenario_from_dict({
        "scenario": {"name": "one-desk", "horizon_years": 2, "seed": 3},
        "exchange": {"stages": {"desk": {"servers": 2, "service_months": {"dist": "exponential", "mean": 0.5}}},
                     "streams": {"x": {"entrants_per_year": 60, "stages": ["desk"], "stay_years": 1.0}}}})
    text = short(simulator.run_flows(scenario, replications=2, processes=1))
    assert text == "<FlowsResult 'one-desk': 2 replications × 2025-2026, 1 stream, 1 stage>"


def test_help_describes_the_result_classes():
    for cls in (simulator.Result, simulator.RunSummary, simulator.Comparison, simulator.FlowsResult):
        assert cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("), cls  # not the dataclass signature
        assert "Examples" in cls.__doc__
