"""The settings a sweep tries: levers given as KEY=V1,V2,..., and every combination of their values
as a scenario of its own (the base scenario with those values), which can be saved and run alone.

A value for a lever whose scenario value is a path over years (the US tariff's
``{2023 = 0.0, 2025 = 0.2938, 2026 = 0.10}``) keeps the path's stated years and applies from the
year after the last of them (2027 here): the stated years are what happened or was decided, the
lever what comes next. ``KEY@YEAR=...`` chooses the year; for a lever whose value is a number,
``@YEAR`` turns it into a path that changes in that year.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from simulator.errors import Problem, ScenarioError, UserError
from simulator.scenario import Scenario
from simulator.scenario.levers import is_lever, lever_name, not_a_lever
from simulator.scenario.parameters import spec_for

_LEVER = re.compile(r"^\s*(?P<key>[^=@\s]+)\s*(?:@\s*(?P<year>\d{4})\s*)?=(?P<values>.*)$")
MAX_COMBINATIONS = 256  # every combination keeps its draws in memory to be paired


@dataclass(frozen=True)
class LeverSetting:
    """One --lever: the parameter, the year its values start (None: the path's next year, or the
    whole horizon for a number) and the values to try, in the order given."""
    key: str
    values: tuple[Any, ...]
    from_year: int | None = None

    @property
    def name(self) -> str:
        return lever_name(self.key)


def _value(text: str) -> Any:
    """'0.25' -> 0.25, '3' -> 3, 'front_loaded' -> 'front_loaded' (checked later, as in a file)."""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_lever(text: str) -> LeverSetting:
    """'tariffs.us_on_india=0.1,0.25,0.5' or 'tariffs.us_on_india@2027=0.1,0.25'. Raises UserError
    naming the option and the key: not KEY=VALUES, not a lever, no values, a value twice."""
    match = _LEVER.match(text)
    if not match:
        raise UserError(f"--lever {text!r}: expected KEY=V1,V2,... (e.g. tariffs.us_on_india=0.1,0.25,0.5)")
    key = match["key"]
    if not is_lever(key):
        raise UserError(f"--lever {key}: {not_a_lever(key)}")
    values = tuple(_value(v) for v in match["values"].split(",") if v.strip())
    if not values:
        raise UserError(f"--lever {key}: no values; give them after '=', separated by commas")
    if len(set(map(repr, values))) != len(values):
        raise UserError(f"--lever {key}: a value is given twice ({match['values'].strip()})")
    return LeverSetting(key, values, int(match["year"]) if match["year"] else None)


def _document_value(scenario: Scenario, key: str) -> Any:
    node: Any = scenario.document
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return scenario.params.get(key)
        node = node[part]
    return node


def _is_path(value: Any) -> bool:
    return isinstance(value, Mapping) and "dist" not in value and any(str(k).isdigit() for k in value)


def lever_value(scenario: Scenario, setting: LeverSetting, value: Any) -> Any:
    """The value the scenario file takes for this lever set to `value` (a number, or a path that
    keeps the scenario's stated years before the lever's year)."""
    current = _document_value(scenario, setting.key)
    if _is_path(current):
        years = sorted(int(k) for k in current if str(k).isdigit())
        start = setting.from_year if setting.from_year is not None else years[-1] + 1
        path = {str(y): current[str(y)] for y in years if y < start}
        path[str(start)] = value
        if "interpolation" in current:
            path["interpolation"] = current["interpolation"]
        return path
    if setting.from_year is None or setting.from_year <= scenario.horizon_start:
        return value
    spec = spec_for(setting.key)
    if spec is None or not spec.time_varying:
        raise UserError(f"--lever {setting.key}@{setting.from_year}: this lever takes one value for the whole "
                        "run, not a path over years; leave out @YEAR")
    return {str(scenario.horizon_start): current, str(setting.from_year): value}


def check_targets(scenario: Scenario, settings: Sequence[LeverSetting]) -> None:
    """Every lever names a stage or stream the scenario has, and each lever is given once."""
    keys = [s.key for s in settings]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise UserError(f"--lever {repeated[0]}: given more than once; list all its values in one --lever")
    for s in settings:
        parts = s.key.split(".")
        if parts[0] == "exchange" and parts[1] in ("stages", "streams"):
            names = scenario.names(f"exchange.{parts[1]}")
            if parts[2] not in names:
                raise UserError(f"--lever {s.key}: the scenario has no {parts[1][:-1]} {parts[2]!r}; "
                                f"its {parts[1]}: {', '.join(names) or 'none'}")
    total = 1
    for s in settings:
        total *= len(s.values)
    if total > MAX_COMBINATIONS:
        raise UserError(f"--lever: {total:,} combinations; a sweep runs at most {MAX_COMBINATIONS} (each keeps its "
                        "draws in memory); give fewer values")


def resolved(scenario: Scenario, setting: LeverSetting) -> LeverSetting:
    """The setting with the year its values start made explicit where the scenario's value is a
    path (the year after its last stated year, unless @YEAR was given)."""
    current = _document_value(scenario, setting.key)
    if setting.from_year is None and _is_path(current):
        last = max(int(k) for k in current if str(k).isdigit())
        return LeverSetting(setting.key, setting.values, last + 1)
    return setting


def combination_label(settings: Sequence[LeverSetting], values: Sequence[Any]) -> str:
    """'US tariff on Indian goods = 0.25 from 2027; Shape of the disbursement = front_loaded'."""
    return "; ".join(f"{s.name} = {v}" + (f" from {s.from_year}" if s.from_year else "")
                     for s, v in zip(settings, values))


def combinations(scenario: Scenario, settings: Sequence[LeverSetting], run: Mapping[str, Any]) -> list[Scenario]:
    """One scenario per combination of the levers' values (the first lever varying slowest), named
    '<base>-c1', '<base>-c2', ..., with the run settings `run` ({"scenario.draws": ..., ...}) written
    in, so that each stands alone: saved with `to_toml` and run, it gives the same draws.
    Problems with a value are reported by lever, all at once, as ScenarioError."""
    check_targets(scenario, settings)
    settings = [resolved(scenario, s) for s in settings]
    out, problems = [], []
    for i, values in enumerate(itertools.product(*(s.values for s in settings)), 1):
        label = combination_label(settings, values)
        overrides = {s.key: lever_value(scenario, s, v) for s, v in zip(settings, values)}
        text = "; ".join(f"{s.key} = {v}" + (f" from {s.from_year}" if s.from_year else "")
                         for s, v in zip(settings, values))
        overrides.update(run)
        overrides.update({"scenario.name": f"{scenario.name}-c{i}", "scenario.title": f"{scenario.title}: {label}",
                          "scenario.description": f"{scenario.description.rstrip()}\n\nSwept by `ijsim sweep`: {text}."})
        try:
            out.append(scenario.with_params(overrides))
        except ScenarioError as exc:
            lever = {s.key for s in settings}
            problems += [q for q in (Problem("--lever", p.key, p.message) if p.key in lever else p
                                     for p in exc.problems) if q not in problems]
    if problems:
        raise ScenarioError(problems)
    return out
