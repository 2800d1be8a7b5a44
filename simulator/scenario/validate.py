"""Checking a merged scenario document against the parameter registry.

All problems are collected in one pass (Tax-Calculator's habit): unknown keys with a "did you mean",
wrong types, out-of-range values, invalid distributions, shares that do not sum to one, and the
checks that involve two keys at once.
"""
from __future__ import annotations

import difflib
import math
import re
from typing import Any

from ..errors import Problem
from ..core.routes import stage_order
from .events import check_events
from .loader import LoadedDocument, display
from .parameters import GROUPS, NAME_PATTERN, PROCESS_ONLY, PROFILE_ONLY, SPECS, ParamSpec
from .values import Distribution, Fixed, describe_type, is_number, parse_distribution, parse_path

SHARE_TOLERANCE = 1e-6
# Keys people put in the wrong table.
MOVED = {"scenario.sampler": "[sampling] as method", "scenario.method": "[sampling] as method",
         "scenario.block_size": "[sampling] as block_size", "investment.profile": "[investment.disbursement]"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _hint(key: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; allowed: {', '.join(sorted(candidates))}"


def _fmt(x: float) -> str:
    return f"{x:g}"


def parse_number(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    forms = ["a number"] + (["a distribution"] if spec.uncertain else []) + (["a path"] if spec.time_varying else [])
    if isinstance(raw, dict):
        if "dist" in raw:
            if not spec.uncertain:
                return None, ["must be a fixed number: this parameter cannot be a distribution"]
            value, errs = parse_distribution(raw)
        elif spec.time_varying:
            value, errs = parse_path(raw)
        else:
            return None, [f"expected {' or '.join(forms)}, got a table without 'dist'"]
        if errs:
            return None, errs
        lo, hi = value.support()
        if isinstance(value, Distribution):
            # A support's end points are never drawn (lognormal's 0, uniform's bounds), so they may touch
            # an open bound of the range.
            # scipy's truncated families compute their end points through a standardisation, which can
            # move a bound written exactly at the range's end by an ulp: allow for that rounding.
            slack = 1e-12 * max([1.0] + [abs(b) for b in (spec.low, spec.high) if b is not None])
            fits = (spec.low is None or lo >= spec.low - slack) and (spec.high is None or hi <= spec.high + slack)
        else:
            fits = spec.in_range(lo) and spec.in_range(hi)
        if not fits:
            what = "distribution can take values" if isinstance(value, Distribution) else "path has values"
            tip = " (use truncnormal, beta, pert or uniform to bound it)" if isinstance(value, Distribution) else ""
            return None, [f"the {what} in [{_fmt(lo)}, {_fmt(hi)}], outside the allowed range "
                          f"{spec.range_text()}{tip}"]
        return value, []
    if not is_number(raw):
        return None, [f"expected {' or '.join(forms)}, got {describe_type(raw)} {raw!r}"]
    if not math.isfinite(raw):
        return None, [f"must be finite, got {raw!r}"]
    if not spec.in_range(raw):
        return None, [f"{_fmt(raw)} is out of range; allowed {spec.range_text()}"]
    return Fixed(float(raw)), []


def parse_value(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    if spec.kind == "number":
        return parse_number(spec, raw)
    if spec.kind == "integer":
        if not isinstance(raw, int) or isinstance(raw, bool):
            return None, [f"expected an integer, got {describe_type(raw)} {raw!r}"]
        if not spec.in_range(raw):
            return None, [f"{raw} is out of range; allowed {spec.range_text()}"]
        return raw, []
    if spec.kind == "string":
        if not isinstance(raw, str):
            return None, [f"expected a string, got {describe_type(raw)} {raw!r}"]
        if spec.path == "scenario.name" and not _NAME.match(raw):
            return None, [f"{raw!r} is not a valid name: use letters, digits, '-', '_' and '.', "
                          "starting with a letter or digit"]
        return raw, []
    if spec.kind == "choice":
        if not isinstance(raw, str) or raw not in spec.choices:
            got = f"{raw!r}" if isinstance(raw, str) else f"{describe_type(raw)} {raw!r}"
            hint = _hint(raw, list(spec.choices)) if isinstance(raw, str) else ""
            return None, [f"{got} is not allowed; choose one of {', '.join(spec.choices)}{hint}"]
        return raw, []
    if spec.kind == "shares":
        return _parse_shares(spec, raw)
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            return None, [f"expected true or false, got {describe_type(raw)} {raw!r}"]
        return raw, []
    if spec.kind == "string_list":
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            return None, [f"expected an array of names, such as [\"visa\"], got {describe_type(raw)} {raw!r}"]
        return tuple(raw), []
    if spec.kind == "rate_table":
        return _parse_rate_table(spec, raw)
    if spec.kind == "person_time":
        return _parse_person_time(spec, raw)
    if spec.kind == "share_list":
        return _parse_share_list(raw)
    raise AssertionError(f"unknown parameter kind {spec.kind!r}")


def _parse_rate_table(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"expected a table such as {{ visa = 0.95 }}, got {describe_type(raw)}"]
    rate = ParamSpec(spec.group, spec.key, spec.title, spec.unit, "number", low=0, high=1, uncertain=True)
    rates, errs = {}, []
    for stage, value in raw.items():
        parsed, e = parse_number(rate, value)
        errs += [f"{stage}: {m}" for m in e]
        if not e:
            rates[stage] = parsed
    return (None, errs) if errs else (rates, [])


def _parse_person_time(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    """A time that varies from person to person: a number (the same for all) or a distribution."""
    as_number = ParamSpec(spec.group, spec.key, spec.title, spec.unit, "number", low=spec.low,
                          low_open=spec.low_open, high=spec.high, uncertain=True)
    return parse_number(as_number, raw)


def _parse_shares(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"expected a table of shares such as {{ {spec.choices[0]} = 0.5, ... }}, "
                      f"got {describe_type(raw)}"]
    errs = []
    shares = {}
    for k, v in raw.items():
        if k not in spec.choices:
            errs.append(f"unknown sector {k!r}{_hint(k, list(spec.choices))}")
        elif not is_number(v) or not math.isfinite(v) or not 0 <= v <= 1:
            errs.append(f"share of {k!r} must be a number in [0, 1], got {v!r}")
        else:
            shares[k] = float(v)
    if not errs:
        total = sum(shares.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            errs.append(f"shares must sum to 1, they sum to {total:.6g}")
    if errs:
        return None, errs
    return {k: shares.get(k, 0.0) for k in spec.choices}, []


def _parse_share_list(raw: Any) -> tuple[Any, list[str]]:
    if not isinstance(raw, list) or not raw:
        return None, [f"expected a non-empty array of shares, got {describe_type(raw)}"]
    bad = [i for i, v in enumerate(raw) if not is_number(v) or not math.isfinite(v) or not 0 <= v <= 1]
    if bad:
        return None, [f"every share must be a number in [0, 1]; entries {bad} are not"]
    total = float(sum(raw))
    if abs(total - 1) > SHARE_TOLERANCE:
        return None, [f"shares must sum to 1, they sum to {total:.6g}"]
    return tuple(float(v) for v in raw), []


def _table(doc: dict, group: str) -> tuple[Any, bool]:
    node: Any = doc
    for part in group.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, False
        node = node[part]
    return node, True


def _children(group: str) -> list[str]:
    """Tables nested directly in a group: sub-groups ('disbursement') and collections ('streams')."""
    if "*" in group:
        return []
    prefix = group + "."
    return sorted({g[len(prefix):].split(".")[0] for g in GROUPS if g.startswith(prefix)})


def _instances(doc: dict, group: str, problem) -> list[tuple[str, dict]]:
    """(concrete path, table) for each table of a group; a wildcard group has one per named entry."""
    if "*" not in group:
        table, present = _table(doc, group)
        if present and not isinstance(table, dict):
            return [(group, None)]
        return [(group, table if present else {})]
    container = group[:-2]
    table, present = _table(doc, container)
    if not present:
        return []
    if not isinstance(table, dict):
        return [(container, None)]
    out = []
    for name, entry in table.items():
        path = f"{container}.{name}"
        if not re.match(NAME_PATTERN, name):
            problem(path, f"{name!r} is not a valid name: use letters, digits and '_', starting with a letter")
        elif not isinstance(entry, dict):
            problem(path, f"expected a table [{path}], got {describe_type(entry)}")
        else:
            out.append((path, entry))
    return out


def _nearest(loaded: LoadedDocument, keys) -> str:
    """Of the keys a check involves, the one set nearest the file being checked (an override, then
    the child, then its parents): the value changed last, so the one to blame."""
    rank = {display(f): i for i, f in enumerate(loaded.files)}
    rank["<overrides>"] = -1
    return min(keys, key=lambda k: rank.get(loaded.origins.get(k), len(rank)))


def check_document(loaded: LoadedDocument) -> tuple[dict[str, Any], list[Problem]]:
    """Parse every key of the merged document; return parsed values (dotted path -> value) and problems."""
    main = display(loaded.path)
    problems: list[Problem] = []

    def problem(key: str, message: str, *involved: str) -> None:
        """A problem with `key`, reported in the file that set it or, if the check also involves
        other keys, in the file nearest the child among theirs (a child's new base year is the
        child's fault, not the parent's horizon)."""
        blamed = _nearest(loaded, (key, *involved))
        problems.append(Problem(loaded.origins.get(blamed, main), key, message))

    values: dict[str, Any] = {}
    roots = sorted({g.split(".")[0] for g in GROUPS} | {"events"})
    for key, raw in loaded.doc.items():
        if key not in roots:
            problem(key, f"unknown table [{key}]{_hint(key, roots)}" if isinstance(raw, dict)
                    else f"unknown top-level key{_hint(key, roots)}")
    for group, specs in GROUPS.items():
        known = {s.key: s for s in specs}
        children = _children(group)
        for path, table in _instances(loaded.doc, group, problem):
            if table is None:
                problem(path, f"expected a table [{path}], got {describe_type(_table(loaded.doc, path)[0])}")
                continue
            for key, raw in table.items():
                key_path = f"{path}.{key}"
                if key in children:
                    continue
                if key not in known:
                    moved = MOVED.get(key_path)
                    problem(key_path, f"unknown key; it belongs in {moved}" if moved
                            else f"unknown key{_hint(key, list(known) + children)}")
                    continue
                value, errs = parse_value(known[key], raw)
                for e in errs:
                    problem(key_path, e)
                if not errs:
                    values[key_path] = value
            for spec in specs:
                if spec.required and spec.key not in table:
                    problem(f"{path}.{spec.key}", f"missing: '{spec.key}' is required ({spec.title.lower()})")
    for p in _cross_checks(loaded, values):
        problem(*p)
    start = values.get("scenario.horizon_start", SPECS["scenario.horizon_start"].default_value())
    length = values.get("scenario.horizon_years", SPECS["scenario.horizon_years"].default_value())
    for key, message, *involved in check_events(loaded.doc, (start, start + length - 1))[1]:
        # An event's keys are not recorded one by one: its table names the file that defined it.
        problem(key, message, *(involved or [".".join(key.split(".")[:2])]))
    return values, problems


def _cross_checks(loaded: LoadedDocument, values: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []

    def problem(key: str, message: str, *involved: str) -> tuple[str, ...]:
        return key, message, *involved
    if values.get("scenario.name") == "":
        problems.append(problem("scenario.name", "must not be empty"))
    disb, _ = _table(loaded.doc, "investment.disbursement")
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
        key = _nearest(loaded, [k for k in ("scenario.horizon_start", "trade.base_year") if k in values]
                       or ["trade.base_year"])
        problems.append(problem(key, f"the horizon must start after the trade base year "
                                     f"(horizon_start = {horizon_start}, trade.base_year = {base_year})"))
    midpoint = values.get("investment.disbursement.midpoint_years")
    if midpoint is not None and midpoint.support()[1] > pledge_years:
        problems.append(problem("investment.disbursement.midpoint_years",
                                f"can reach {midpoint.support()[1]:g}, beyond the pledge period of "
                                f"{pledge_years} years", "investment.pledge_years"))
    problems += _exchange_checks(loaded, values)
    return problems


def _exchange_checks(loaded: LoadedDocument, values: dict[str, Any]) -> list[tuple[str, ...]]:
    """Streams must name defined stages, and pass rates only for their own stages."""
    out = []
    stages_table, _ = _table(loaded.doc, "exchange.stages")
    defined = sorted(stages_table) if isinstance(stages_table, dict) else []
    streams, _ = _table(loaded.doc, "exchange.streams")
    routes = [values.get(f"exchange.streams.{name}.stages", ()) for name in streams] if isinstance(streams, dict) else []
    if stage_order(routes) is None:
        out.append(("exchange.streams", "streams pass their stages in conflicting orders (one has a before b, "
                                        "another b before a); shared stages need one order",
                    *[f"exchange.streams.{name}.stages" for name in streams]))
    for name in streams if isinstance(streams, dict) else []:
        path = f"exchange.streams.{name}"
        used = values.get(f"{path}.stages", ())
        for stage in used:
            if stage not in defined:
                hint = _hint(stage, defined) if defined else "; no [exchange.stages.<name>] tables are defined"
                out.append((f"{path}.stages", f"unknown stage {stage!r}{hint}"))
        if len(set(used)) != len(used):
            out.append((f"{path}.stages", "a stage is listed twice"))
        for stage in values.get(f"{path}.pass_rates", {}):
            if stage not in used:
                out.append((f"{path}.pass_rates", f"{stage!r} is not one of this stream's stages "
                                                  f"({', '.join(used) or 'none'})", f"{path}.stages"))
    return out
