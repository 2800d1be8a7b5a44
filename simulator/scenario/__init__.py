"""Scenario files: format, loading, validation."""
from .model import Scenario, load_scenario, scenario_from_dict
from .parameters import GROUPS, SPECS, ParamSpec
from .values import Distribution, Fixed, Path

__all__ = ["Scenario", "load_scenario", "scenario_from_dict", "GROUPS", "SPECS", "ParamSpec",
           "Distribution", "Fixed", "Path"]
