"""Checking a merged scenario document against the parameter registry.

All problems are collected in one pass (Tax-Calculator's habit): unknown keys with a "did you mean",
wrong types, out-of-range values, invalid distributions, shares that do not sum to one, and the
checks that involve two keys at once.
"""
from __future__ import annotations

import math
import re
from typing import Any

from simulator.errors import Problem
from simulator.scenario.checks import cross_checks, hint as _hint, nearest as _nearest, table as _table
from simulator.scenario.event_definitions import check_events
from simulator.scenario.loader import LoadedDocument, display
from simulator.scenario.parameters import GROUPS, NAME_PATTERN, PROFILE_ONLY, SPECS, ParamSpec
from simulator.scenario.values import (Distribution, Fixed, describe_type, finite_number, is_number, parse_distribution,
                     parse_path, show)

SHARE_TOLERANCE = 1e-6
# Keys people put in the wrong table.
MOVED = {"scenario.sampler": "[sampling] as method", "scenario.method": "[sampling] as method",
         "scenario.block_size": "[sampling] as block_size", "investment.profile": "[investment.disbursement]"}
# Matched with fullmatch: with re.match, "$" also matches before a final newline ("name\n").
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_MONTH = re.compile(r"(19|20|21)\d\d-\d\d")


def _fmt(x: float) -> str:
    return f"{x:g}"


def _beyond_limits(spec: ParamSpec, value: Distribution, by_mean: bool) -> str | None:
    """Why a distribution's draws (or, for a person's time, its mean) leave the spec's limits, or None."""
    lo, hi = spec.limits
    if lo is None and hi is None:
        return None
    # Closed forms (no scipy: `ijsim validate` stays quick); an overflow comes back as inf and is refused.
    points = [value.closed_form_mean()] if by_mean else list(value.extremes())
    inside = all(math.isfinite(x) and (lo is None or x >= lo) and (hi is None or x <= hi) for x in points)
    if inside:
        return None
    if by_mean:
        return f"the distribution's mean is {_fmt(points[0])}; it must lie in {spec.range_text()} ({spec.unit})"
    return (f"the distribution's most extreme draws reach [{_fmt(points[0])}, {_fmt(points[-1])}], beyond "
            f"{spec.range_text()}, the range that keeps every result finite")


def parse_number(spec: ParamSpec, raw: Any, by_mean: bool = False) -> tuple[Any, list[str]]:
    """A number, distribution or path; `by_mean`: a distribution's mean (not its draws) must keep to
    the spec's limits (a person's time, whose kernels grow with the mean)."""
    forms = ["a number"] + (["a distribution"] if spec.uncertain else []) + (["a path"] if spec.time_varying else [])
    if isinstance(raw, dict):
        if "dist" in raw:
            if not spec.uncertain:
                return None, ["must be a fixed number: this parameter cannot be a distribution"]
            value, errs = parse_distribution(raw, f" ({'the mean' if by_mean else 'values'} must lie in "
                                                  f"{spec.range_text()})")
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
        beyond = _beyond_limits(spec, value, by_mean) if isinstance(value, Distribution) else None
        return (None, [beyond]) if beyond else (value, [])
    if not is_number(raw):
        return None, [f"expected {' or '.join(forms)}, got {describe_type(raw)} {show(raw)}"]
    if not finite_number(raw):
        return None, [f"must be finite, got {show(raw)}" if isinstance(raw, float) else
                      f"{show(raw)} is out of range; allowed {spec.range_text()}"]
    if not spec.in_range(raw):
        return None, [f"{_fmt(raw)} is out of range; allowed {spec.range_text()}"]
    return Fixed(float(raw)), []


def parse_value(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    if spec.kind == "number":
        return parse_number(spec, raw)
    if spec.kind == "integer":
        if not isinstance(raw, int) or isinstance(raw, bool):
            return None, [f"expected an integer, got {describe_type(raw)} {show(raw)}"]
        if not spec.in_range(raw):
            return None, [f"{show(raw)} is out of range; allowed {spec.range_text()}"]
        return raw, []
    if spec.kind == "string":
        if not isinstance(raw, str):
            return None, [f"expected a string, got {describe_type(raw)} {show(raw)}"]
        if spec.path == "scenario.name" and not _NAME.fullmatch(raw):
            return None, [f"{show(raw)} is not a valid name: use letters, digits, '-', '_' and '.', "
                          "starting with a letter or digit"]
        return raw, []
    if spec.kind == "month":
        if not isinstance(raw, str) or not _MONTH.fullmatch(raw) or not 1 <= int(raw[5:]) <= 12:
            return None, [f"expected a month as \"YYYY-MM\", such as \"2024-12\", got {describe_type(raw)} {show(raw)}"]
        return raw, []
    if spec.kind == "choice":
        if not isinstance(raw, str) or raw not in spec.choices:
            got = show(raw) if isinstance(raw, str) else f"{describe_type(raw)} {show(raw)}"
            hint = _hint(raw, list(spec.choices)) if isinstance(raw, str) else ""
            return None, [f"{got} is not allowed; choose one of {', '.join(spec.choices)}{hint}"]
        return raw, []
    if spec.kind == "shares":
        return _parse_shares(spec, raw)
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            return None, [f"expected true or false, got {describe_type(raw)} {show(raw)}"]
        return raw, []
    if spec.kind == "string_list":
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            return None, [f"expected an array of names, such as [\"visa\"], got {describe_type(raw)} {show(raw)}"]
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
                          low_open=spec.low_open, high=spec.high, uncertain=True, limits=spec.limits)
    return parse_number(as_number, raw, by_mean=True)


def _parse_shares(spec: ParamSpec, raw: Any) -> tuple[Any, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"expected a table of shares such as {{ {spec.choices[0]} = 0.5, ... }}, "
                      f"got {describe_type(raw)}"]
    errs = []
    shares = {}
    for k, v in raw.items():
        if k not in spec.choices:
            errs.append(f"unknown sector {show(k)}{_hint(k, list(spec.choices))}")
        elif not finite_number(v) or not 0 <= v <= 1:
            errs.append(f"share of {k!r} must be a number in [0, 1], got {show(v)}")
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
    bad = [i for i, v in enumerate(raw) if not finite_number(v) or not 0 <= v <= 1]
    if bad:
        return None, [f"every share must be a number in [0, 1]; entries {show(bad)} are not"]
    total = float(sum(raw))
    if abs(total - 1) > SHARE_TOLERANCE:
        return None, [f"shares must sum to 1, they sum to {total:.6g}"]
    return tuple(float(v) for v in raw), []


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
        if not re.fullmatch(NAME_PATTERN, name):
            problem(path, f"{show(name)} is not a valid name: use letters, digits and '_', starting with a letter")
        elif not isinstance(entry, dict):
            problem(path, f"expected a table [{path}], got {describe_type(entry)}")
        else:
            out.append((path, entry))
    return out


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
    for p in cross_checks(loaded, values):
        problem(*p)
    start = values.get("scenario.horizon_start", SPECS["scenario.horizon_start"].default_value())
    length = values.get("scenario.horizon_years", SPECS["scenario.horizon_years"].default_value())
    for key, message, *involved in check_events(loaded.doc, (start, start + length - 1))[1]:
        # An event's keys are not recorded one by one: its table names the file that defined it.
        problem(key, message, *(involved or [".".join(key.split(".")[:2])]))
    return values, problems
