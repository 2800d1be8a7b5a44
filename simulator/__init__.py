"""ijsim: scenario simulator for the India–Japan economic partnership.

    >>> import simulator
    >>> scenario = simulator.load_scenario("scenarios/baseline.toml")
    >>> result = simulator.run(scenario, draws=1000, seed=1)
    >>> result.summary()                     # doctest: +SKIP
    >>> simulator.save_results(result, "results/my-run")  # doctest: +SKIP

The names below are imported on first use (PEP 562), so that `import simulator` and the `ijsim`
command start without numba, scipy or pandas until a run needs them (and a Ctrl-C during those
imports gets its quiet exit 130 from simulator/_start.py, not a traceback). Comparisons:
`from simulator.compare import compare` (a module of that name, so not re-exported here).
"""
from __future__ import annotations

import importlib

from ._version import __version__

# public name -> module that defines it
_EXPORTS = {
    "load_scenario": ".scenario", "scenario_from_dict": ".scenario", "Scenario": ".scenario",
    "run": ".engine", "Result": ".result",
    "save_results": ".saving", "list_parameters": ".scenario.inventory",
    "ScenarioError": ".errors", "UserError": ".errors", "Problem": ".errors",
    "VARIABLES": ".variables", "seed_figures": ".seeds",
    "load_history": ".history", "calibrate_trade": ".calibrate", "run_backtest": ".backtest",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
