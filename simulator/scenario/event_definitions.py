"""Events in scenario files: the yes/no questions a run answers with a probability.

    [events.deficit_narrower_2030]
    title = "India's deficit with Japan narrower than in FY2023-24"
    variable = "trade.balance"
    year = 2030            # or: by = 2030, "in any year up to 2030"
    op = ">"               # <, <=, >, >=
    threshold = "base"     # a number in the variable's unit, or "base": its base-year value

A child drops an event it inherited with `deficit_narrower_2030 = false` under [events].
Checked with the rest of the file (every problem named by file and key); no numpy here, so
`ijsim validate` stays fast. `simulator.montecarlo.event_probabilities` computes the probabilities.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

from simulator.scenario.parameters import NAME_PATTERN
from simulator.scenario.values import describe_type, is_number

OPS = ("<", "<=", ">", ">=")
KEYS = ("title", "variable", "year", "by", "op", "threshold")
# Variables with a base-year value that `threshold = "base"` can refer to: the flows of the trade
# base year (FY2023-24 in the baseline) and the FDI figure the projection starts from.
BASE_VALUES = {
    "trade.exports_india_to_japan": "trade.exports_india_to_japan_base_usd_bn",
    "trade.exports_japan_to_india": "trade.exports_japan_to_india_base_usd_bn",
    "trade.total": "the sum of the two base-year flows",
    "trade.balance": "exports to Japan less imports from Japan in the base year",
    "trade.cover_ratio": "exports to Japan over imports from Japan in the base year",
    "trade.exports_india_to_us": "trade.exports_india_to_us_base_usd_bn",
    "investment.fdi_stock": "investment.fdi_stock_start_usd_bn",
}


@dataclass(frozen=True)
class Event:
    name: str
    title: str
    variable: str  # an output variable, or '<variable>.<entry>' for one sector, stream or stage
    year: int
    by: bool  # True: in any year from the start of the horizon up to `year`
    op: str
    threshold: float | str  # a number, or "base"

    def describe(self) -> str:
        when = f"by {self.year}" if self.by else f"in {self.year}"
        return f"{self.variable} {self.op} {self.threshold} {when}"

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "variable": self.variable, ("by" if self.by else "year"): self.year,
                "op": self.op, "threshold": self.threshold}


def _entries(doc: Mapping[str, Any], variable: str) -> list[str]:
    """Names a 3-D variable's third dimension takes in this scenario (sectors, streams, stages)."""
    from simulator.article_figures import sectors

    dim = _extra_dims().get(variable)
    if dim == "sector":
        return list(sectors())
    exchange = doc.get("exchange")
    streams = exchange.get("streams") if isinstance(exchange, Mapping) else None
    streams = {k: v for k, v in streams.items() if isinstance(v, Mapping)} if isinstance(streams, Mapping) else {}
    if dim == "stream":
        return list(streams)
    used: list[str] = []
    for stream in streams.values():
        stages = stream.get("stages", [])
        used += [x for x in stages if isinstance(x, str) and x not in used] if isinstance(stages, list) else []
    return used


def _extra_dims() -> dict[str, str | None]:
    from simulator.variables import VARIABLES

    return {k: v.extra_dim for k, v in VARIABLES.items()}


def _check_variable(doc, raw) -> str | None:
    """None if `raw` names an output this scenario has, else the problem."""
    import difflib

    dims = _extra_dims()
    if not isinstance(raw, str):
        return f"expected the name of an output variable, got {describe_type(raw)} {raw!r}"
    if raw in dims and dims[raw] is None:
        return None
    if raw in dims:
        return (f"{raw!r} has one series per {dims[raw]}: name one, e.g. '{raw}.{(_entries(doc, raw) or ['<name>'])[0]}'")
    head, _, entry = raw.rpartition(".")
    if head in dims and dims[head] is not None:
        entries = _entries(doc, head)
        if entry in entries:
            return None
        return f"{entry!r} is not a {dims[head]} of this scenario; choose one of {', '.join(entries) or '(none)'}"
    close = difflib.get_close_matches(raw, list(dims))  # best first; only the best is shown
    return f"unknown output variable {raw!r}" + (f"; did you mean {close[0]!r}?" if close else
                                                   "; `ijsim variables` lists them")


def check_events(doc: Mapping[str, Any], horizon: tuple[int, int]) -> tuple[list[Event], list[tuple[str, ...]]]:
    """Parse the [events.<name>] tables of a merged document: (events, [(key, problem, *keys
    involved)]); a year outside the horizon involves the horizon's keys (a child that shortens
    the horizon is to blame, not the parent that defined the event)."""
    table = doc.get("events", {})
    if not isinstance(table, Mapping):
        return [], [("events", f"expected tables [events.<name>], got {describe_type(table)}")]
    first, last = horizon
    events, problems = [], []
    for name, spec in table.items():
        path = f"events.{name}"
        if spec is False:  # `name = false`: a child drops an event it inherited
            continue
        if not re.match(NAME_PATTERN, name):
            problems.append((path, f"{name!r} is not a valid name: use letters, digits and '_', starting with a letter"))
            continue
        if not isinstance(spec, Mapping):
            problems.append((path, f"expected a table [{path}], got {describe_type(spec)}"))
            continue
        errs = [(f"{path}.{k}", f"unknown key; allowed: {', '.join(KEYS)}") for k in spec if k not in KEYS]
        variable = spec.get("variable")
        if "variable" not in spec:
            errs.append((f"{path}.variable", "missing: 'variable' is required (the output the event is about)"))
        elif (msg := _check_variable(doc, variable)) is not None:
            errs.append((f"{path}.variable", msg))
        when = [k for k in ("year", "by") if k in spec]
        year = spec.get(when[0]) if len(when) == 1 else None
        if not when:
            errs.append((f"{path}.year", "missing: give 'year' (that year) or 'by' (any year up to it)"))
        elif len(when) == 2:
            errs.append((f"{path}.by", "give 'year' or 'by', not both"))
        elif not isinstance(year, int) or isinstance(year, bool):
            errs.append((f"{path}.{when[0]}", f"expected a year, got {describe_type(year)} {year!r}"))
        elif not first <= year <= last:
            errs.append((f"{path}.{when[0]}", f"{year} is outside the scenario's horizon {first}-{last}; to drop an "
                         f"inherited event, write {name} = false under [events]", path,
                         "scenario.horizon_start", "scenario.horizon_years"))
        op = spec.get("op")
        if "op" not in spec:
            errs.append((f"{path}.op", f"missing: 'op' is required, one of {', '.join(OPS)}"))
        elif op not in OPS:
            errs.append((f"{path}.op", f"{op!r} is not a comparison; choose one of {', '.join(OPS)}"))
        threshold = spec.get("threshold")
        if "threshold" not in spec:
            errs.append((f"{path}.threshold", "missing: 'threshold' is required (a number, or \"base\")"))
        elif threshold == "base":
            if isinstance(variable, str) and variable not in BASE_VALUES and _check_variable(doc, variable) is None:
                errs.append((f"{path}.threshold", f"\"base\" is defined only for {', '.join(BASE_VALUES)}; "
                                                  f"give a number for {variable}"))
        elif not is_number(threshold) or not math.isfinite(threshold):
            errs.append((f"{path}.threshold", f"expected a finite number or \"base\", got {describe_type(threshold)} "
                                              f"{threshold!r}"))
        title = spec.get("title")
        if title is not None and (not isinstance(title, str) or not title.strip()):
            errs.append((f"{path}.title", f"expected a non-empty string, got {describe_type(title)} {title!r}"))
        problems += errs
        if not errs:
            threshold = threshold if threshold == "base" else float(threshold)
            event = Event(name, title or "", variable, int(year), when[0] == "by", op, threshold)
            events.append(event if title else replace(event, title=event.describe()))
    return events, problems
