"""Writing a scenario document back to TOML, so that a scenario changed in code can be saved and shared.

The document written is the merged one (its `extends` chain already applied), so the file stands on
its own wherever it is saved. Tables of parameters become `[section]` headers; a value that is a
table (a distribution, a path, sector shares, pass rates) stays an inline table, as people write
them. The standard library reads TOML but does not write it, and the format needs only this much.
"""
from __future__ import annotations

import math
import re
from typing import Any, Mapping

from simulator.scenario.loader import _is_group

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Keys that describe where a file sits, not what it says: meaningless once the chain is merged.
_LOCATION_KEYS = {"extends"}


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for c in text:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):  # before int: a bool is an int to Python, not to TOML
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # shortest text that reads back as the same float
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to TOML")


def _sections(table: Mapping[str, Any], path: str, out: list[str]) -> None:
    """Append `[path]` with the table's plain keys, then its sub-tables as their own sections."""
    plain = [(k, v) for k, v in table.items() if not (isinstance(v, Mapping) and _is_group(f"{path}.{k}"))]
    nested = [(k, v) for k, v in table.items() if isinstance(v, Mapping) and _is_group(f"{path}.{k}")]
    if plain or not nested:
        out.append(f"[{path}]")
        out += [f"{_key(k)} = {_value(v)}" for k, v in plain]
        out.append("")
    for k, v in nested:
        _sections(v, f"{path}.{_key(k)}", out)


def document_to_toml(doc: Mapping[str, Any], header: str = "") -> str:
    """TOML text of a scenario document; `header` becomes comment lines at the top."""
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    if out:
        out.append("")
    # Keys outside any table must come first: after a [header] they would belong to it.
    loose = [(k, v) for k, v in doc.items() if not isinstance(v, Mapping)]
    out += [f"{_key(k)} = {_value(v)}" for k, v in loose] + ([""] if loose else [])
    for root, table in doc.items():
        if not isinstance(table, Mapping):
            continue
        if root == "scenario":
            table = {k: v for k, v in table.items() if k not in _LOCATION_KEYS}
        _sections(table, _key(root), out)
    return "\n".join(out).rstrip("\n") + "\n"
