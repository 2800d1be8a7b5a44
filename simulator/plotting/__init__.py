"""The figures, as functions for notebooks: each takes what the library returns and an optional
matplotlib ``ax``, draws on it (or on a new pyplot figure, which Jupyter shows) and returns it.

    >>> import simulator
    >>> from simulator import plotting
    >>> result = simulator.run(simulator.load_scenario("baseline"), draws=200, seed=1)
    >>> ax = plotting.variable_fan(result, "trade.balance")  # the same as result.plot("trade.balance")

By what they show (``simulator.plotting.__all__`` lists them in this order):

* a run: `variable_fan` (`Result.plot`), `fan_chart` of any `fan_bands`, and the panels
  `trade_panel`, `exchange_panel`, `sector_stack`
* scenarios side by side: `comparison_fan` (`Comparison.plot`), `difference_fan`
  (`Comparison.plot(..., difference=True)`)
* the observed years: `overlay_history`, `observed`
* which inputs matter: `plot_sensitivity` (a tornado, index bars or a grid), `tornado`, `index_bars`
* under which inputs an event happens: `plot_box`, `plot_tradeoff`
* axes: `new_axes`, `year_axis` (fiscal years for trade), `axis_unit`

The results folders' figures (`ijsim run`, `compare`, ...) are drawn by these same functions
(simulator/output writes them to files). matplotlib is imported on first use (PEP 562).
"""
from __future__ import annotations

from simulator._lazy import lazy_exports

_GROUPS = {
    "run": {"variable_fan": ".fans", "fan_chart": ".fans", "fan_bands": ".fans", "trade_panel": ".fans",
            "exchange_panel": ".fans", "sector_stack": ".fans"},
    "comparison": {"comparison_fan": ".fans", "difference_fan": ".fans"},
    "history": {"overlay_history": ".history_overlay", "observed": ".history_overlay"},
    "sensitivity": {"plot_sensitivity": ".sensitivity", "tornado": ".rankings", "index_bars": ".rankings"},
    "discovery": {"plot_box": ".boxes", "plot_tradeoff": ".boxes"},
    "axes": {"new_axes": ".axes", "year_axis": ".axes", "axis_unit": ".axes"},
}
_EXPORTS = {name: module for group in _GROUPS.values() for name, module in group.items()}

__all__ = list(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
