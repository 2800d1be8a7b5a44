"""The `ijsim` command: parse arguments, call the library, report. No model logic here.

One module per verb, each registering itself on the group in `group.py`; options shared by
several verbs live in `options.py`, exit-code handling in `main.py`. Heavy imports stay inside
the commands so that `ijsim --help` and `validate` start fast.
"""
# importing a verb's module registers it on the group
from simulator.cli import (backtest, calibrate, compare, discover, flows, history, params, report, run,  # noqa: F401
                           scenarios, sensitivity, sweep, variables)
from simulator.cli.group import cli
from simulator.cli.main import entry, main

__all__ = ["cli", "entry", "main"]
