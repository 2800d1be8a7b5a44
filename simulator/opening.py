"""The one checked opener: every file the program reads by a name a user gave goes through here.

A user names scenario files, `extends` parents, history folders and their CSVs, results folders
and the manifest and ensemble inside them. Any of these can be a FIFO (opening it for reading waits
for a writer for ever), a device (/dev/zero reads until memory runs out), a loop of symbolic links
(path resolution raises, in Python before 3.13 as a RuntimeError nobody expects), a folder, or a
file far too large. Each becomes one sentence here, in bounded time and memory, and the callers
turn it into a message naming the file (exit 2).

`stat` first, never `open`, to classify (opening a FIFO blocks); then the file is opened with
O_NONBLOCK and checked again on the open descriptor, since it may have been replaced in between.
A base module (no package imports) so that the scenario, estimation and output layers share it.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable, Iterator

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
CHUNK = 1 << 20


def display(path: Path) -> str:
    """How a path is named in messages: as the user would type it, relative where that is shorter.
    Never raises: a loop of symbolic links is resolved no further (RuntimeError before Python 3.13)."""
    try:  # the path as named (a link to /dev/zero keeps the link's name), else as resolved
        named, here = Path(os.path.abspath(path)), Path.cwd()
        if named.is_relative_to(here):
            return str(named.relative_to(here))
        return str(Path(path).resolve().relative_to(here.resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is, in words."""
    for test, what in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def stat_problem(path: Path) -> tuple[os.stat_result | None, str | None]:
    """(stat, None), or (None, why the path cannot be looked at): missing, a loop, a NUL, no permission."""
    try:
        return os.stat(path), None
    except FileNotFoundError:
        return None, "file not found"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "cannot be read: a loop of symbolic links"
        if exc.errno == errno.ENOTDIR:
            return None, "file not found (a part of the path is a file, not a folder)"
        return None, f"cannot read file: {exc.strerror or exc}"
    except ValueError:  # a NUL character: no file system path can hold one
        return None, "cannot be a file name: it contains a NUL character"


def file_problem(path: Path, what: str, limit: int | None,
                 too_large: Callable[[int], str] | None = None) -> str | None:
    """Why `path` cannot be read as `what` (e.g. "a scenario file"), without opening it; None if it can.
    `limit`: the most bytes allowed (None: any size); `too_large(size)` words the refusal."""
    st, problem = stat_problem(path)
    if problem:
        return problem
    if stat.S_ISDIR(st.st_mode):
        return f"is a folder, not {what}"
    if not stat.S_ISREG(st.st_mode):
        return f"is {kind(st.st_mode)}, not {what}"
    if limit is not None and st.st_size > limit:
        return too_large(st.st_size) if too_large else f"is {st.st_size:,} bytes long; {what} may have at most {limit:,}"
    return None


def chunks(path: Path, what: str, limit: int | None = None) -> Iterator[bytes]:
    """The file's bytes in chunks of a MiB, after the same checks; OSError (with the reason as its
    strerror) if it cannot be read. For hashing files of any size (an ensemble.nc) without a FIFO
    or a device hanging the command."""
    problem = file_problem(path, what, limit)
    if problem:
        raise OSError(errno.EINVAL, problem, str(path))
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced since the stat above
            raise OSError(errno.EINVAL, f"is {kind(st.st_mode)}, not {what}", str(path))
        size = 0
        while True:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                return
            size += len(chunk)
            if limit is not None and size > limit:
                raise OSError(errno.EFBIG, f"is longer than {limit:,} bytes, the most {what} may have", str(path))
            yield chunk
    finally:
        os.close(fd)


def read_limited(path: Path, what: str, limit: int,
                 too_large: Callable[[int], str] | None = None) -> tuple[bytes | None, str | None]:
    """(the file's bytes, None), or (None, why they cannot be read), in at most `limit` bytes of memory."""
    problem = file_problem(path, what, limit, too_large)
    if problem:
        return None, problem
    try:
        return b"".join(chunks(path, what, limit)), None
    except OSError as exc:
        return None, exc.strerror if exc.errno in (errno.EINVAL, errno.EFBIG) else f"cannot read file: {exc.strerror or exc}"
