"""Checks that involve more than one key: profiles and their options, the horizon and the base year,
streams and the stages they pass; and notes on values that are allowed but deserve a word.
"""
from __future__ import annotations

import difflib
from collections import deque
from typing import Any

from simulator.core.routes import stage_order
from simulator.scenario.loader import LoadedDocument, display
from simulator.scenario.parameters import PROCESS_ONLY, PROFILE_ONLY, SPECS
from simulator.scenario.values import show


def hint(key: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; allowed: {', '.join(sorted(candidates))}"


def table(doc: dict, group: str) -> tuple[Any, bool]:
    node: Any = doc
    for part in group.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, False
        node = node[part]
    return node, True


def nearest(loaded: LoadedDocument, keys) -> str:
    """Of the keys a check involves, the one set nearest the file being checked (an override, then
    the child, then its parents): the value changed last, so the one to blame."""
    rank = {display(f): i for i, f in enumerate(loaded.files)}
    rank["<overrides>"] = -1
    return min(keys, key=lambda k: rank.get(loaded.origins.get(k), len(rank)))


def cross_checks(loaded: LoadedDocument, values: dict[str, Any]) -> list[tuple[str, ...]]:
    """(key, message, *other keys involved) for each problem that involves more than one key."""
    problems = []

    def problem(key: str, message: str, *involved: str) -> tuple[str, ...]:
        return key, message, *involved
    if values.get("scenario.name") == "":
        problems.append(problem("scenario.name", "must not be empty"))
    disb, _ = table(loaded.doc, "investment.disbursement")
    profile = values.get("investment.disbursement.profile", SPECS["investment.disbursement.profile"].default)
    if isinstance(disb, dict):
        for key, only in PROFILE_ONLY.items():
            if key in disb and profile != only:
                problems.append(problem(f"investment.disbursement.{key}",
                                        f"only used with profile = '{only}' (profile is '{profile}')",
                                        "investment.disbursement.profile"))
    process = values.get("trade.process", SPECS["trade.process"].default)
    process_origin = loaded.origins.get("trade.process")
    for key, allowed in PROCESS_ONLY.items():
        # A child that changes the process may inherit its parent's keys for the old one: those are
        # left alone; a key set in the same file as the process that ignores it (or with no process
        # set anywhere) is a mistake worth reporting. A document rebuilt in memory has no origins.
        origin = loaded.origins.get(f"trade.{key}")
        if f"trade.{key}" in values and process not in allowed and origin is not None and (
                origin == process_origin or (process_origin is None and "trade.process" not in values)):
            problems.append(problem(f"trade.{key}", f"only used with process = "
                                    f"{' or '.join(repr(a) for a in allowed)} (process is '{process}')",
                                    "trade.process"))
    pledge_years = values.get("investment.pledge_years", SPECS["investment.pledge_years"].default_value())
    if profile == "explicit":
        shares = values.get("investment.disbursement.shares")
        if shares is None and not (isinstance(disb, dict) and "shares" in disb):
            problems.append(problem("investment.disbursement.shares", "profile = 'explicit' needs 'shares'"))
        elif shares is not None and len(shares) != pledge_years:
            problems.append(problem("investment.disbursement.shares",
                                    f"has {len(shares)} entries; one per pledge year is needed "
                                    f"(investment.pledge_years = {pledge_years})", "investment.pledge_years"))
    base_year = values.get("trade.base_year", SPECS["trade.base_year"].default_value())
    horizon_start = values.get("scenario.horizon_start", SPECS["scenario.horizon_start"].default_value())
    if horizon_start <= base_year:
        key = nearest(loaded, [k for k in ("scenario.horizon_start", "trade.base_year") if k in values]
                      or ["trade.base_year"])
        problems.append(problem(key, f"the horizon must start after the trade base year "
                                     f"(horizon_start = {horizon_start}, trade.base_year = {base_year})"))
    problems += _start_checks(values, process, base_year, horizon_start)
    midpoint = values.get("investment.disbursement.midpoint_years")
    if midpoint is not None and midpoint.support()[1] > pledge_years:
        problems.append(problem("investment.disbursement.midpoint_years",
                                f"can reach {midpoint.support()[1]:g}, beyond the pledge period of "
                                f"{pledge_years} years", "investment.pledge_years"))
    problems += _exchange_checks(loaded, values)
    return problems


START_VALUES = ("trade.start_exports_india_to_japan_usd_bn", "trade.start_exports_japan_to_india_usd_bn")


def _start_checks(values: dict[str, Any], process: str, base_year: int, horizon_start: int) -> list[tuple[str, ...]]:
    """A projection that starts later than the base year: from the history, or from values given by hand."""
    out = []
    start = values.get("trade.start", SPECS["trade.start"].default)
    given = [k for k in ("trade.start_year", *START_VALUES) if k in values]
    if start == "history":
        if process != "random_walk":
            out.append(("trade.start", f"'history' needs process = 'random_walk' (process is '{process}'): the "
                                       "trend models are anchored at the base year's gap from trend", "trade.process"))
        if "trade.start_year" in values:  # the values may be a user's own figures for that year, the year may not
            out.append(("trade.start_year", "set from the history when trade.start = 'history' (its newest year); "
                                            "leave it out, or set start = 'base' and the year by hand", "trade.start"))
        return out
    if "trade.history" in values:
        out.append(("trade.history", "only used with trade.start = 'history'", "trade.start"))
    if given and len(given) < 3:
        missing = [k for k in ("trade.start_year", *START_VALUES) if k not in values]
        out.append((given[0], f"a start by hand needs trade.start_year and both start values; missing: "
                              f"{', '.join(missing)}", *missing))
    elif given:
        year = values["trade.start_year"]
        if process != "random_walk":
            out.append(("trade.start_year", f"a later start needs process = 'random_walk' (process is '{process}')",
                        "trade.process"))
        if not base_year <= year < horizon_start:
            out.append(("trade.start_year", f"must lie between the base year and the horizon's start "
                                            f"({base_year} <= start_year < {horizon_start}), not {year}",
                        "trade.base_year", "scenario.horizon_start"))
    return out


def _exchange_checks(loaded: LoadedDocument, values: dict[str, Any]) -> list[tuple[str, ...]]:
    """Streams must name defined stages, and pass rates only for their own stages."""
    out = []
    stages_table, _ = table(loaded.doc, "exchange.stages")
    defined = sorted(stages_table) if isinstance(stages_table, dict) else []
    streams, _ = table(loaded.doc, "exchange.streams")
    routes = {name: values.get(f"exchange.streams.{name}.stages", ()) for name in streams} \
        if isinstance(streams, dict) else {}
    conflict = order_conflict(routes)
    if conflict:
        out.append(("exchange.streams", conflict, *[f"exchange.streams.{name}.stages" for name in routes]))
    for name in streams if isinstance(streams, dict) else []:
        path = f"exchange.streams.{name}"
        used = values.get(f"{path}.stages", ())
        for stage in used:
            if stage not in defined:
                tip = hint(stage, defined) if defined else "; no [exchange.stages.<name>] tables are defined"
                out.append((f"{path}.stages", f"unknown stage {show(stage)}{tip}"))
        if len(set(used)) != len(used):
            out.append((f"{path}.stages", "a stage is listed twice"))
        if f"{path}.observed_stock" in values:
            if f"{path}.entrants_per_year" in values:
                out.append((f"{path}.entrants_per_year", "give either entrants_per_year or observed_stock: a stream "
                                                         "calibrated to an observed stock gets its entrants from it",
                            f"{path}.observed_stock"))
            for stage, rate in values.get(f"{path}.pass_rates", {}).items():
                if getattr(rate, "value", None) == 0:
                    out.append((f"{path}.pass_rates", f"{show(stage)} passes nobody (0): a stream calibrated to an "
                                                      "observed stock needs every pass rate above 0, or no number "
                                                      "of entrants reproduces the stock", f"{path}.observed_stock"))
            raw = streams[name] if isinstance(streams[name], dict) else {}
            if "observed_stock_date" not in raw and f"{path}.observed_stock_date" not in values:  # a bad one: said
                out.append((f"{path}.observed_stock_date", "missing: a stream calibrated to an observed stock needs "
                                                           "the stock's date (\"YYYY-MM\")", f"{path}.observed_stock"))
        for stage in values.get(f"{path}.pass_rates", {}):
            if stage not in used:
                out.append((f"{path}.pass_rates", f"{show(stage)} is not one of this stream's stages "
                                                  f"({', '.join(used) or 'none'})", f"{path}.stages"))
    return out


def notes(loaded: LoadedDocument, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for values that are allowed but change what the results mean: warnings."""
    out = []
    streams, _ = table(loaded.doc, "exchange.streams")
    if isinstance(streams, dict) and streams:
        def setting(path: str) -> Any:
            return values.get(path, SPECS[path].default_value())
        start, years = setting("scenario.horizon_start"), setting("scenario.horizon_years")
        due = start + setting("exchange.target_years") - 1
        if due > start + years - 1:
            out.append(("exchange.target_years",
                        f"the exchange targets fall due in {due}, after the horizon ends in {start + years - 1}: "
                        "the plots mark them but no year of the run reaches them (events about them must "
                        "ask about a year in the horizon); lengthen scenario.horizon_years to see them met or "
                        "missed"))
    return out


def order_conflict(routes: dict[str, tuple[str, ...]]) -> str | None:
    """None if one order of the stages suits every stream; otherwise the message naming a cycle of
    stages and the streams that pass each pair in that order."""
    if stage_order(list(routes.values())) is not None:
        return None
    by: dict[tuple[str, str], str] = {}  # (a, b) -> a stream passing a just before b
    for name, route in routes.items():
        for a, b in zip(route, route[1:]):
            by.setdefault((a, b), name)
    after: dict[str, list[str]] = {}
    for a, b in by:
        after.setdefault(a, []).append(b)
    for (a, b) in by:  # a cycle through the edge a -> b: a path back from b to a (breadth first)
        previous = {b: None}
        queue = deque([b])
        while queue and a not in previous:
            x = queue.popleft()
            for y in after.get(x, []):
                if y not in previous:
                    previous[y] = x
                    queue.append(y)
        if a in previous:
            back = [a]  # a, ..., b along the path found
            while back[-1] != b:
                back.append(previous[back[-1]])
            cycle = [a, *reversed(back)]  # a, b, ..., a
            steps = "; ".join(f"'{x}' before '{y}' (stream {show(by[x, y])})" for x, y in zip(cycle, cycle[1:]))
            return f"streams pass shared stages in conflicting orders: {steps}; shared stages need one order"
    return "streams pass their stages in conflicting orders; shared stages need one order"
