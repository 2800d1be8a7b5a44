"""ijsim: scenario simulator for the India–Japan economic partnership.

    >>> import simulator
    >>> scenario = simulator.load_scenario("scenarios/baseline.toml")
    >>> result = simulator.run(scenario, draws=1000, seed=1)
    >>> result.summary()                     # doctest: +SKIP
"""
from ._version import __version__
from .engine import run
from .errors import Problem, ScenarioError, UserError
from .result import Result
from .scenario import Scenario, load_scenario, scenario_from_dict
from .seeds import seed_figures
from .variables import VARIABLES

__all__ = ["__version__", "load_scenario", "scenario_from_dict", "run", "Scenario", "Result",
           "ScenarioError", "UserError", "Problem", "VARIABLES", "seed_figures"]
