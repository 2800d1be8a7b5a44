"""Observed series with provenance, and the nowcast of a year only partly published.

``series``: :func:`load_history` reads ``seeds/history`` (or a user's folder or CSV) into
:class:`Series`, every value with the page that states it; ``files``: the CSV and TOML readers and
their checks (no pandas: a scenario that starts from the history reads them when it is checked);
``nowcast``: a fiscal year from its first months' figure. Below the scenario layer, so that a
scenario can start its projection from the newest data (docs/model.md 2.1). Loaded lazily, as the
top-level package is: ``import simulator.history.files`` imports no pandas.
"""
import importlib

__all__ = ["load_history", "Series", "history_dir", "COLUMNS", "UNITS", "PERIODS", "SERIES_FILE"]

_HOME = {"load_history": "series", "Series": "series", "history_dir": "files", "COLUMNS": "files",
         "UNITS": "files", "PERIODS": "files", "SERIES_FILE": "files"}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f"simulator.history.{_HOME[name]}"), name)
    raise AttributeError(f"module 'simulator.history' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
