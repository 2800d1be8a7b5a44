"""Policy levers swept on common random numbers (`ijsim sweep`, `simulator.sweep`).

`combinations` turns --lever settings into one scenario per combination of values; `sweep` runs
them on the same draws and answers with `Sweep`: the table per combination, variable and year, the
events' probabilities and the regret against the best combination in each draw.
"""
from simulator.sweeping.combinations import LeverSetting, parse_lever
from simulator.sweeping.sweep import DIRECTIONS, Sweep, sweep

__all__ = ["DIRECTIONS", "LeverSetting", "Sweep", "parse_lever", "sweep"]
