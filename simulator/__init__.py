"""ijsim: scenario simulator for the India–Japan economic partnership.

    >>> import simulator
    >>> scenario = simulator.load_scenario("scenarios/baseline.toml")
    >>> result = simulator.run(scenario, draws=1000, seed=1)
    >>> result.summary()                     # doctest: +SKIP
"""
from ._version import __version__

# The names below load on first use (PEP 562): `import simulator` stays cheap, so the `ijsim`
# command's own code runs before numpy, scipy and numba load, and a Ctrl-C during those imports
# gets its quiet exit 130 instead of a traceback (simulator/_start.py).
_EXPORTS = {
    "run": ".engine", "Problem": ".errors", "ScenarioError": ".errors", "UserError": ".errors",
    "Result": ".result", "Scenario": ".scenario", "load_scenario": ".scenario",
    "scenario_from_dict": ".scenario", "seed_figures": ".seeds", "VARIABLES": ".variables",
}

__all__ = ["__version__", "load_scenario", "scenario_from_dict", "run", "Scenario", "Result",
           "ScenarioError", "UserError", "Problem", "VARIABLES", "seed_figures"]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
