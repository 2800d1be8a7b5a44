"""Reading scenario files: TOML parsing, the `extends` chain and the key-by-key merge.

Every problem is collected, never raised one at a time. For each key the merge remembers which
file set it, so a message about an inherited value names the file that holds it.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import Problem
from simulator.opening import display
from simulator.shipped import looks_like_a_path, shipped_scenario
from simulator.scenario.parameters import group_pattern, is_collection
from simulator.scenario.reading import parse_toml, read_limited, unreadable

_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
MAX_CHAIN = 32  # files in one `extends` chain: real ones have two or three; each level is a recursion


@dataclass
class LoadedDocument:
    """The merged document of a scenario file and its ancestors."""

    path: Path
    doc: dict
    origins: dict[str, str] = field(default_factory=dict)  # dotted key -> file that set it
    files: list[Path] = field(default_factory=list)  # the chain, child first
    sha256: dict[str, str] = field(default_factory=dict)  # file -> sha256 of its bytes


def read_toml(path: Path) -> tuple[dict | None, bytes | None, list[Problem]]:
    name = display(path)
    data, problem = read_limited(path)
    if problem:
        return None, None, [Problem(name, "", problem)]
    if data.startswith(b"\xef\xbb\xbf"):  # tomllib's own word for it is "Invalid statement"
        return None, None, [Problem(name, "", "line 1: the file starts with a byte-order mark (BOM), which TOML "
                                               "does not allow; save the file as UTF-8 without a BOM")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, None, [Problem(name, "", f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                               "save the file as UTF-8")]
    try:
        doc, key, problem = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _LINE.search(msg)
        where = f"line {m.group(1)}, column {m.group(2)}: " if m else ""
        return None, None, [Problem(name, "", f"{where}invalid TOML: {_LINE.sub('', msg).strip()}")]
    if problem:
        return None, None, [Problem(name, key, problem)]
    return doc, data, []


def _is_group(path: str) -> bool:
    """Tables that hold parameters or named groups (and so merge key by key)."""
    return group_pattern(path) is not None or is_collection(path)


def _record(table: dict, prefix: str, file: str, origins: dict[str, str]) -> None:
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and (not prefix or _is_group(path)):
            _record(value, path, file, origins)
        else:
            origins[path] = file


def merge(parent: dict, child: dict, prefix: str = "") -> dict:
    """Child overrides parent key by key; tables that are groups of parameters merge, values replace.

    A distribution or path is one value: merging `{dist = "normal", ...}` into a parent's
    `{dist = "pert", ...}` key by key would mix two distributions.
    """
    out = dict(parent)
    for key, value in child.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and isinstance(out.get(key), dict) and (not prefix or _is_group(path)):
            out[key] = merge(out[key], value, path)
        else:
            out[key] = value
    return out


def load_document(path: str | Path) -> tuple[LoadedDocument | None, list[Problem]]:
    """Read a scenario file and everything it extends; return the merged document and all problems."""
    return _load(Path(path), chain=())


def _load_parent(path: Path, parent_ref: str, chain: tuple[Path, ...]) -> tuple[LoadedDocument | None, list[Problem]]:
    """The parent named by `extends`; a parent that cannot be one is a problem of this file's key."""
    name = display(path)

    def problem(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(name, "scenario.extends", message)]
    parent_path = path.parent / parent_ref
    by_name = not looks_like_a_path(parent_ref)
    if by_name and not parent_path.exists():
        # `extends = "baseline"`: a shipped scenario, as on the command line (`ijsim run baseline`),
        # so a user's own file can build on the shipped ones from any folder. A file of that name
        # beside this one comes first.
        parent_path = shipped_scenario(parent_ref) or parent_path
    if len(chain) + 1 >= MAX_CHAIN:
        return problem(f"the extends chain is longer than {MAX_CHAIN} files, the most allowed")
    why = unreadable(parent_path)
    if why == "file not found":
        shipped = f", and no shipped scenario is called {parent_ref!r}" if by_name else ""
        return problem(f"parent scenario {parent_ref!r} not found (looked for {display(parent_path)}{shipped})")
    if why:
        return problem(f"parent scenario {parent_ref!r} {why}")
    try:
        resolved = parent_path.resolve(strict=True)
        seen = [p.resolve() for p in chain] + [path.resolve()]
    except (OSError, RuntimeError):  # a link changed or looped since it was checked
        return problem(f"parent scenario {parent_ref!r} cannot be read: its path cannot be resolved")
    if resolved in seen:
        cycle = " -> ".join(display(p) for p in (*chain, path, parent_path))
        return problem(f"cycle in extends: {cycle}")
    return _load(parent_path, (*chain, path))


def _load(path: Path, chain: tuple[Path, ...]) -> tuple[LoadedDocument | None, list[Problem]]:
    doc, data, problems = read_toml(path)
    if doc is None:
        return None, problems
    name = display(path)
    loaded = LoadedDocument(path=path, doc={}, files=[path], sha256={name: hashlib.sha256(data).hexdigest()})
    scenario = doc.get("scenario")
    parent_ref = scenario.get("extends") if isinstance(scenario, dict) else None
    if parent_ref is not None:
        if not isinstance(parent_ref, str) or not parent_ref.strip():
            problems.append(Problem(name, "scenario.extends", "must be a non-empty string: the path of a parent "
                                                              "scenario file, relative to this file, or the name "
                                                              "of a shipped scenario"))
        else:
            parent, parent_problems = _load_parent(path, parent_ref, chain)
            problems += parent_problems
            if parent is not None:
                loaded.doc = parent.doc
                loaded.origins = parent.origins
                loaded.files += parent.files
                loaded.sha256.update(parent.sha256)
    # The parent's identity never carries over: each file names itself and has its own parent.
    if isinstance(loaded.doc.get("scenario"), dict):
        loaded.doc["scenario"] = {k: v for k, v in loaded.doc["scenario"].items()
                                  if k not in ("name", "extends", "title", "description")}
    for key in ("name", "extends", "title", "description"):  # nor does the parent's claim to have set them
        loaded.origins.pop(f"scenario.{key}", None)
    loaded.doc = merge(loaded.doc, doc)
    _record(doc, "", name, loaded.origins)
    return loaded, problems
