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

from ..errors import Problem
from .parameters import group_pattern, is_collection

_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class LoadedDocument:
    """The merged document of a scenario file and its ancestors."""

    path: Path
    doc: dict
    origins: dict[str, str] = field(default_factory=dict)  # dotted key -> file that set it
    files: list[Path] = field(default_factory=list)  # the chain, child first
    sha256: dict[str, str] = field(default_factory=dict)  # file -> sha256 of its bytes


def display(path: Path) -> str:
    """How a file is named in messages: as the user would type it, relative where that is shorter."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_toml(path: Path) -> tuple[dict | None, bytes | None, list[Problem]]:
    name = display(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None, [Problem(name, "", "file not found")]
    except IsADirectoryError:
        return None, None, [Problem(name, "", "is a folder, not a scenario file")]
    except OSError as exc:
        return None, None, [Problem(name, "", f"cannot read file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, None, [Problem(name, "", f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                               "save the file as UTF-8")]
    try:
        return tomllib.loads(text), data, []
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _LINE.search(msg)
        where = f"line {m.group(1)}, column {m.group(2)}: " if m else ""
        return None, None, [Problem(name, "", f"{where}invalid TOML: {_LINE.sub('', msg).strip()}")]


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
                                                              "scenario file, relative to this file"))
        else:
            parent_path = (path.parent / parent_ref)
            resolved = parent_path.resolve()
            seen = [p.resolve() for p in chain] + [path.resolve()]
            if resolved in seen:
                cycle = " -> ".join(display(p) for p in (*chain, path, parent_path))
                problems.append(Problem(name, "scenario.extends", f"cycle in extends: {cycle}"))
            elif not parent_path.is_file() and not parent_path.exists():
                problems.append(Problem(name, "scenario.extends",
                                        f"parent scenario {parent_ref!r} not found (looked for {display(parent_path)})"))
            else:
                parent, parent_problems = _load(parent_path, (*chain, path))
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
