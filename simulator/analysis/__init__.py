"""Sensitivity analysis: generic methods on any vectorised function, known-answer test functions,
and the scenario wrapper that varies every uncertain input of a scenario over its distribution."""
from .methods import morris, one_at_a_time, sobol_indices
from .scenario_sensitivity import sensitivity

__all__ = ["sobol_indices", "morris", "one_at_a_time", "sensitivity"]
