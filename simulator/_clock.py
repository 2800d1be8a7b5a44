"""When the command started: the first instruction of the launcher (scripts/ijsim, `python -m
simulator`), so that the "in N s" a verb prints is the command's time, start-up and imports
included (issue 31: a run printed 24.8 s against 38.5 s measured). Only the interpreter's own
start, a few hundredths of a second before the launcher's first line, is left out.

Called as a library (tests, notebooks), nothing marks the start: the clock then starts at the
first `seconds()` call's `mark`, i.e. when the verb began.
"""
from __future__ import annotations

import time

_started: float | None = None


def mark(started: float | None = None) -> None:
    """Note the command's start (a `time.perf_counter()` reading; now if not given)."""
    global _started
    _started = time.perf_counter() if started is None else started


def forget() -> None:
    """The next command in this process (a test, a notebook) starts its own clock."""
    global _started
    _started = None


def started() -> float:
    """The command's start as a `time.perf_counter()` reading (now, if nobody marked it)."""
    if _started is None:
        mark()
    return _started


def seconds() -> float:
    """Seconds since the command started (since `mark`, which is called now if nobody has)."""
    if _started is None:
        mark()
    return time.perf_counter() - _started
