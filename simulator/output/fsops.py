"""What commit.py needs from the operating system beyond Python's os module: rename-exchange,
folders locked with flock(2), and SIGINT/SIGTERM held back for a few system calls.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import signal
import threading
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows: no locks, so nothing is ever taken for abandoned
    fcntl = None

RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2  # linux/fs.h


def lock_folder(path: Path, blocking: bool, follow: bool = False) -> int | None:
    """A descriptor holding an exclusive flock on the folder `path`; None if another process holds it.
    Not through a symbolic link unless `follow`: our own folders are never links."""
    nofollow = 0 if follow else getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | nofollow | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def folder_locked(parent: Path) -> Iterator[None]:
    """Hold `parent` locked (blocking until other ijsim processes release it) for the block."""
    fd = None
    if fcntl is not None:
        with contextlib.suppress(OSError):  # e.g. a parent we may write but not read: go on unlocked
            fd = lock_folder(parent, blocking=True, follow=True)  # the user's folder may well be a link
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, then act as they would have."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    previous = {s: h for s, h in previous.items() if h is not None}  # None: set outside Python, left alone
    for s in previous:
        signal.signal(s, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(pending):
            signal.raise_signal(s)


@functools.cache
def _libc_renameat2():
    try:
        f = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    f.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    f.restype = ctypes.c_int
    return f


def renameat2(src: Path, dst: Path, flags: int) -> bool:
    """True if done; False where the system or file system lacks renameat2 or the flag."""
    f = None if os.environ.get("IJSIM_TEST_NO_RENAMEAT2") else _libc_renameat2()  # test hook: the fallback
    if f is None:
        return False
    at_fdcwd = -100
    if f(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(src), None, str(dst))
