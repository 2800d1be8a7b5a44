"""Scenario files: format, loading, validation.

Names are imported on first use (PEP 562): the registry (`parameters`) is needed by `ijsim --help`
for the options' limits, and importing it must not import the loader, numpy or the model.
"""
from __future__ import annotations

from simulator._lazy import lazy_exports

_EXPORTS = {"Scenario": ".model", "load_scenario": ".model", "scenario_from_dict": ".model",
            "GROUPS": ".parameters", "SPECS": ".parameters", "ParamSpec": ".parameters",
            "Distribution": ".values", "Fixed": ".values", "Path": ".values"}

__all__ = list(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
