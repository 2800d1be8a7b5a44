"""Reading one scenario file safely: only regular files, of bounded size and nesting.

A scenario file is named by the user, and an `extends` can name any path: a FIFO would block
`open` for ever, /dev/zero would be read until memory runs out, a symbolic-link loop makes path
resolution raise. Every such case, and every TOML document the parser or the rest of the
program cannot handle (integers of thousands of digits, nesting hundreds deep), becomes one
message naming the file, in bounded time and memory.
"""
from __future__ import annotations

import errno
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1 << 20  # the shipped scenarios are about 10 KiB; a megabyte is far beyond any real one
MAX_DEPTH = 16  # the deepest real value is exchange.streams.<name>.pass_rates.<stage>.<parameter>: 5


def _kind(mode: int) -> str:
    for test, what in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be a scenario file (without opening it), or None if it looks like one.

    stat, not open: opening a FIFO blocks until someone writes to it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "cannot be read: a loop of symbolic links"
        return f"cannot read file: {exc.strerror or exc}"
    except ValueError:  # a NUL character: no file system path can hold one
        return "cannot be a file name: it contains a NUL character"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a scenario file"
    if not stat.S_ISREG(st.st_mode):
        return f"is {_kind(st.st_mode)}, not a scenario file"
    if st.st_size > MAX_FILE_BYTES:
        return f"is {st.st_size:,} bytes long; a scenario file may have at most {MAX_FILE_BYTES:,}"
    return None


def read_limited(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why they cannot be read. Checks again on the open file: it may have
    been replaced since `unreadable` looked (O_NONBLOCK: opening a FIFO must not wait)."""
    problem = unreadable(path)
    if problem:
        return None, problem
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, f"is {_kind(st.st_mode)}, not a scenario file"
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        return None, f"is longer than {MAX_FILE_BYTES:,} bytes, the most a scenario file may have"
    return b"".join(chunks), None


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
