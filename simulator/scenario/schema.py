"""A JSON Schema (draft 2020-12) of the scenario format, made from the parameter registry.

Editors with TOML schema support (e.g. Even Better TOML, taplo) use it for completion and
inline checks. It mirrors the validator's rules that a schema can express; the validator stays
the authority (sums of shares and checks across keys are beyond the schema).
"""
from __future__ import annotations

from typing import Any

from simulator.scenario.parameters import GROUPS, NAME_PATTERN, ParamSpec
from simulator.scenario.values import DIST_FAMILIES, INTERPOLATIONS

SCHEMA_ID = "https://github.com/ijsim/ijsim/scenario.schema.json"


def _range(spec: ParamSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    low, low_open = spec.lowest
    if low is not None:
        out["exclusiveMinimum" if low_open else "minimum"] = low
    if spec.highest is not None:
        out["maximum"] = spec.highest
    return out


def _distribution() -> dict[str, Any]:
    variants = []
    for family, (required, optional) in DIST_FAMILIES.items():
        props = {"dist": {"const": family}} | {k: {"type": "number"} for k in (*required, *optional)}
        variants.append({"type": "object", "properties": props, "required": ["dist", *required],
                         "additionalProperties": False, "title": f"{family} distribution"})
    return {"oneOf": variants}


def _path(spec: ParamSpec) -> dict[str, Any]:
    return {"type": "object", "title": "path over years",
            "properties": {"interpolation": {"enum": list(INTERPOLATIONS)}},
            "patternProperties": {"^[0-9]{4}$": {"type": "number", **_range(spec)}},
            "additionalProperties": False, "minProperties": 1}


def _value_schema(spec: ParamSpec) -> dict[str, Any]:
    meta = {"title": spec.title, "description": " ".join(
        x for x in (spec.description, f"Unit: {spec.unit}." if spec.unit else "", f"Source: {spec.source}.") if x)}
    if spec.kind == "number":
        forms = [{"type": "number", **_range(spec)}]
        if spec.uncertain:
            forms.append({"$ref": "#/$defs/distribution"})
        if spec.time_varying:
            forms.append(_path(spec))
        body = forms[0] if len(forms) == 1 else {"anyOf": forms}
    elif spec.kind == "integer":
        body = {"type": "integer", **_range(spec)}
    elif spec.kind == "string":
        body = {"type": "string", "minLength": 1 if spec.required else 0}
    elif spec.kind == "month":
        body = {"type": "string", "pattern": r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$"}
    elif spec.kind == "choice":
        body = {"enum": list(spec.choices)}
    elif spec.kind == "shares":
        body = {"type": "object", "properties": {c: {"type": "number", "minimum": 0, "maximum": 1}
                                                 for c in spec.choices}, "additionalProperties": False}
    elif spec.kind == "bool":
        body = {"type": "boolean"}
    elif spec.kind == "string_list":
        body = {"type": "array", "items": {"type": "string", "pattern": NAME_PATTERN}}
    elif spec.kind == "rate_table":
        body = {"type": "object", "additionalProperties": {
            "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"$ref": "#/$defs/distribution"}]}}
    elif spec.kind == "person_time":
        body = {"anyOf": [{"type": "number", **_range(spec)}, {"$ref": "#/$defs/distribution"}]}
    elif spec.kind == "share_list":
        body = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 1}
    else:
        raise AssertionError(spec.kind)
    return {**meta, **body}


def _group_schema(group: str) -> dict[str, Any]:
    props = {s.key: _value_schema(s) for s in GROUPS[group]}
    for sub in GROUPS:
        if not sub.startswith(group + ".") or sub.count(".") != group.count(".") + 1:
            continue
        if sub.endswith(".*"):
            continue
        props[sub.split(".")[-1]] = _group_schema(sub)
    for sub in GROUPS:  # collections of named groups: [exchange.streams.<name>]
        if sub.startswith(group + ".") and sub.endswith(".*") and sub.count(".") == group.count(".") + 2:
            props[sub.split(".")[-2]] = {"type": "object", "patternProperties": {NAME_PATTERN: _group_schema(sub)},
                                         "additionalProperties": False}
    required = [s.key for s in GROUPS[group] if s.required]
    return {"type": "object", "properties": props, "additionalProperties": False,
            **({"required": required} if required else {})}


def _events_schema() -> dict[str, Any]:
    from simulator.scenario.event_definitions import OPS

    event = {"type": "object", "additionalProperties": False, "required": ["variable", "op", "threshold"],
             "properties": {"title": {"type": "string"}, "variable": {"type": "string"},
                            "year": {"type": "integer"}, "by": {"type": "integer"}, "op": {"enum": list(OPS)},
                            "threshold": {"anyOf": [{"type": "number"}, {"const": "base"}]}},
             "oneOf": [{"required": ["year"]}, {"required": ["by"]}]}
    return {"type": "object", "title": "Events: yes/no questions answered with a probability",
            "additionalProperties": {"anyOf": [event, {"const": False}]}}


def scenario_schema() -> dict[str, Any]:
    roots = sorted({g.split(".")[0] for g in GROUPS})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ijsim scenario file",
        "type": "object",
        "properties": {**{r: _group_schema(r) for r in roots}, "events": _events_schema()},
        "required": ["scenario"],
        "additionalProperties": False,
        "$defs": {"distribution": _distribution()},
    }
