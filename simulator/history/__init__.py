"""Observed series with provenance, and the nowcast of a year only partly published.

``series``: :func:`load_history` reads ``seeds/history`` (or a user's folder or CSV) into
:class:`Series`, every value with the page that states it; ``files``: the CSV and TOML readers and
their checks; ``nowcast``: a fiscal year from its first months' figure. Below the scenario layer,
so that a scenario can start its projection from the newest data (docs/model.md 2.1).
"""
from simulator.history.series import COLUMNS, PERIODS, SERIES_FILE, UNITS, Series, history_dir, load_history

__all__ = ["load_history", "Series", "history_dir", "COLUMNS", "UNITS", "PERIODS", "SERIES_FILE"]
