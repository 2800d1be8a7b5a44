"""Sensitivity analysis and scenario discovery: generic methods on any vectorised function,
known-answer test functions, the scenario wrapper that varies every uncertain input of a scenario
over its distribution, and, on the draws of a run, scenario discovery (PRIM, CART) and extra-trees
feature scores.

scikit-learn (discovery's CART, feature scores) is imported only when those are called."""
from .discovery import Discovery, discover
from .event_discovery import EventDiscovery, discover_event
from .methods import morris, one_at_a_time, sobol_indices
from .scenario_sensitivity import sensitivity
from .trees import feature_scores

__all__ = ["sobol_indices", "morris", "one_at_a_time", "sensitivity", "discover", "Discovery", "feature_scores",
           "discover_event", "EventDiscovery"]
