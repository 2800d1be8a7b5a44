"""Sensitivity analysis and scenario discovery: generic methods on any vectorised function,
known-answer test functions, the scenario wrapper that varies every uncertain input of a scenario
over its distribution, and, on the draws of a run, scenario discovery (PRIM, CART) and extra-trees
feature scores.

scikit-learn (discovery's CART, feature scores) is imported only when those are called."""
from simulator.analysis.discovery import Discovery, discover
from simulator.analysis.event_discovery import EventDiscovery, discover_event
from simulator.analysis.methods import morris, one_at_a_time, sobol_indices
from simulator.analysis.scenario_sensitivity import sensitivity
from simulator.analysis.trees import feature_scores

__all__ = ["sobol_indices", "morris", "one_at_a_time", "sensitivity", "discover", "Discovery", "feature_scores",
           "discover_event", "EventDiscovery"]
