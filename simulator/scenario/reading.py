"""Reading one scenario file safely: only regular files, of bounded size and nesting.

A scenario file is named by the user, and an `extends` can name any path: a FIFO would block
`open` for ever, /dev/zero would be read until memory runs out, a symbolic-link loop makes path
resolution raise. Every such case, and every TOML document the parser or the rest of the
program cannot handle (integers of thousands of digits, nesting hundreds deep), becomes one
message naming the file, in bounded time and memory. The file checks are the checked opener's
(simulator/opening.py), shared with history folders, manifests and ensembles.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from simulator import opening
from simulator.opening import file_problem

MAX_FILE_BYTES = 1 << 20  # the shipped scenarios are about 10 KiB; a megabyte is far beyond any real one
MAX_DEPTH = 16  # the deepest real value is exchange.streams.<name>.pass_rates.<stage>.<parameter>: 5


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be a scenario file (without opening it), or None if it looks like one."""
    return file_problem(path, "a scenario file", MAX_FILE_BYTES)


def read_limited(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why they cannot be read (the checked opener: simulator/opening.py)."""
    return opening.read_limited(path, "a scenario file", MAX_FILE_BYTES)


def parse_toml(text: str) -> tuple[dict | None, str, str | None]:
    """(document, "", None), or (None, key, message) for a document tomllib (or this program) cannot take."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise  # the caller turns it into a message with the line and column
    except RecursionError:
        return None, "", f"invalid TOML: values nested too deeply (at most {MAX_DEPTH} levels)"
    except ValueError as exc:  # int() refuses integers of more than sys.get_int_max_str_digits() digits
        if "digits" in str(exc):
            return None, "", "invalid TOML: an integer with thousands of digits; numbers must be far smaller"
        return None, "", f"invalid TOML: {exc}"
    key = too_deep(doc)
    if key is not None:
        return None, key, (f"tables or arrays nested more than {MAX_DEPTH} levels deep; "
                           "scenario files need at most 5")
    return doc, "", None


def too_deep(doc: Any) -> str | None:
    """The key (shortened) where tables or arrays nest deeper than MAX_DEPTH, or None.
    Iterative: the rest of the program walks documents recursively, so depth is checked first."""
    stack = [(doc, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return ".".join(str(p) for p in path[:4]) + (".…" if len(path) > 4 else "")
        if isinstance(node, dict):
            stack.extend((v, path + (k,), depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, path + (f"[{i}]",), depth + 1) for i, v in enumerate(node))
    return None
