"""ijsim: scenario simulator for the India–Japan economic partnership.

Load a scenario (a file or the name of a shipped one), run its Monte Carlo, read the answers:

    >>> import simulator
    >>> scenario = simulator.load_scenario("baseline")
    >>> result = simulator.run(scenario, draws=200, seed=1)
    >>> result
    <Result 'baseline': 200 draws × 2025-2034, 29 variables>
    >>> float(result["trade.balance"].sel(year=2030).median()) < 0  # India's deficit with Japan persists
    True
    >>> simulator.save_results(result, "results/my-run")  # doctest: +SKIP

The public names, by what an analyst does with them (``simulator.__all__`` lists them in this order):

* scenarios: `load_scenario`, `scenario_from_dict`, `Scenario`, `list_parameters`
* running: `run`, `run_flows` (the individual-level people model), `save_results`
* comparing: `compare`, `sweep` (policy levers on common random numbers)
* analysis: `sensitivity`, `discover`, `discover_event`
* estimation from history: `load_history`, `calibrate_trade`, `run_backtest`
* results: `Result`, `RunSummary`, `Comparison`, `Sweep`, `FlowsResult`
* reference: `VARIABLES`, `seed_figures`
* errors: `ScenarioError` (a `ValueError`), `UserError`, `Problem`

The names are imported on first use (PEP 562), so that `import simulator` and the `ijsim` command
start without numba, scipy or pandas until a run needs them (and a Ctrl-C during those imports gets
its quiet exit 130 from simulator/_start.py, not a traceback). The packages behind them are laid out
by concern (docs/architecture.md): `scenario`, `core`, `montecarlo`, `estimation`, `people`,
`sweeping`, `output`, `analysis`, `cli`.
"""
from __future__ import annotations

from simulator._lazy import lazy_exports
from simulator._version import __version__

# public name -> module that defines it, grouped as in the docstring
_GROUPS = {
    "scenarios": {"load_scenario": "simulator.scenario", "scenario_from_dict": "simulator.scenario",
                  "Scenario": "simulator.scenario", "list_parameters": "simulator.scenario.inventory"},
    "running": {"run": "simulator.montecarlo.engine", "run_flows": "simulator.people",
                "save_results": "simulator.output.saving"},
    "comparing": {"compare": "simulator.montecarlo.comparison", "sweep": "simulator.sweeping"},
    "analysis": {"sensitivity": "simulator.analysis", "discover": "simulator.analysis",
                 "discover_event": "simulator.analysis"},
    "estimation": {"load_history": "simulator.history.series",
                   "calibrate_trade": "simulator.estimation.calibration",
                   "run_backtest": "simulator.estimation.backtest"},
    "results": {"Result": "simulator.montecarlo.result", "RunSummary": "simulator.montecarlo.summaries",
                "Comparison": "simulator.montecarlo.comparison", "Sweep": "simulator.sweeping",
                "FlowsResult": "simulator.people"},
    "reference": {"VARIABLES": "simulator.variables", "seed_figures": "simulator.article_figures"},
    "errors": {"ScenarioError": "simulator.errors", "UserError": "simulator.errors", "Problem": "simulator.errors"},
}
_EXPORTS = {name: module for group in _GROUPS.values() for name, module in group.items()}

__all__ = ["__version__", *_EXPORTS]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
