"""Scenario files: format, loading, validation.

Names are imported on first use (PEP 562): the registry (`parameters`) is needed by `ijsim --help`
for the options' limits, and importing it must not import the loader, numpy or the model.
"""
from __future__ import annotations

import importlib

_EXPORTS = {"Scenario": ".model", "load_scenario": ".model", "scenario_from_dict": ".model",
            "GROUPS": ".parameters", "SPECS": ".parameters", "ParamSpec": ".parameters",
            "Distribution": ".values", "Fixed": ".values", "Path": ".values"}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'simulator.scenario' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
