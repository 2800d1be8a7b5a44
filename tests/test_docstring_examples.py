"""The Examples sections of the public API's docstrings run and say what they show (doctest).

Each module's examples run from an empty temporary directory, so none depends on the current
folder or can write into the repository (the examples that write use `tempfile.mkdtemp()`)."""
import doctest
import importlib

import pytest

# The package (its docstring shows a run) and every module defining a name of `simulator.__all__`
# whose docstring has an Examples section.
MODULES = [
    "simulator",
    "simulator.scenario.model",
    "simulator.scenario.inventory",
    "simulator.montecarlo.engine",
    "simulator.montecarlo.result",
    "simulator.montecarlo.summaries",
    "simulator.montecarlo.comparison",
    "simulator.sweeping.sweep",
    "simulator.people.runner",
    "simulator.output.saving",
    "simulator.analysis.scenario_sensitivity",
    "simulator.analysis.discovery",
    "simulator.analysis.event_discovery",
    "simulator.history.series",
    "simulator.estimation.calibration",
    "simulator.estimation.backtest",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert results.attempted > 0, f"{name} has no docstring examples"
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples in {name} failed (output above)"
    assert list(tmp_path.iterdir()) == [], "an example wrote into the current directory"


def test_every_documented_public_function_has_an_example():
    import simulator

    for name in ("run", "compare", "sensitivity", "discover", "discover_event", "run_flows", "save_results",
                 "load_history", "calibrate_trade", "run_backtest", "list_parameters", "scenario_from_dict",
                 "load_scenario", "Scenario", "Result", "RunSummary", "Comparison", "FlowsResult"):
        doc = getattr(simulator, name).__doc__ or ""
        assert "Examples\n" in doc and ">>> " in doc, f"simulator.{name} has no Examples section"
        assert getattr(simulator, name).__module__ in MODULES, f"simulator.{name}'s module is not doctested"
