"""Where each exchange stream's level comes from: a page, a calibration, or a labelled assumption.

A stream's level is the number that sets how many people it carries. Every level in a shipped
scenario must say where it comes from (the project's rule: every number from seeds/, a cited
page, or an ASSUMPTION drawn over a range):

* calibrated to an observed stock: ``observed_stock`` with ``observed_stock_source``, a page address;
* given: ``entrants_per_year`` with ``level_source``, either a page address or text starting
  ``ASSUMPTION`` with the reason; an assumed level must be drawn over a range (``uptake`` a
  distribution), so the run shows how much it matters.

`unsourced_levels` lists what breaks the rule; tests/scenario/test_level_sources.py runs it on
every shipped scenario. User scenarios may carry bare numbers: nothing refuses them.
"""
from __future__ import annotations

import re

from simulator.scenario.values import Distribution, Fixed

PAGE = re.compile(r"https?://\S+$")


def _is_zero(value) -> bool:
    return isinstance(value, Fixed) and value.value == 0


def unsourced_levels(scenario) -> list[str]:
    """One message per stream whose level has no page, no calibration, or an assumption without a range,
    each naming the scenario file and the key to fix."""
    p, problems = scenario.params, []
    where = scenario.origin
    for name in scenario.names("exchange.streams"):
        path = f"exchange.streams.{name}"
        if f"{path}.observed_stock" in p:
            source = p.get(f"{path}.observed_stock_source", "")
            if not PAGE.match(source or ""):
                problems.append(f"{where(f'{path}.observed_stock') or scenario.path}: {path}.observed_stock_source: "
                                f"the observed stock needs the address of the page that states it")
            continue
        level = p.get(f"{path}.entrants_per_year")
        if level is None or _is_zero(level):
            continue
        file = where(f"{path}.entrants_per_year") or scenario.path
        source = (p.get(f"{path}.level_source") or "").strip()
        if not source:
            problems.append(f"{file}: {path}.entrants_per_year: a bare number; give level_source (a page address, "
                            "or 'ASSUMPTION: why' with uptake drawn over a range) or calibrate it to an observed stock")
        elif source.upper().startswith("ASSUMPTION"):
            if not isinstance(p.get(f"{path}.uptake"), Distribution):
                problems.append(f"{file}: {path}.uptake: the level is an ASSUMPTION, so it must be drawn over a "
                                "range: give uptake as a distribution (e.g. uniform 0.5-1.5)")
        elif not PAGE.search(source):
            problems.append(f"{file}: {path}.level_source: {source!r} is neither a page address (http:// or "
                            "https://) nor an 'ASSUMPTION: ...' label")
    return problems
