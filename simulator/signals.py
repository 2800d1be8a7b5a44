"""The command's signal state: SIGINT and SIGTERM turned into exceptions, and remembered.

The handlers raise an exception where the signal lands, and also remember the signal: a library
with a bare `except:` around an import can swallow the exception, and then `checkpoint()` (called
before the long or irreversible steps: computing, reserving and publishing results) raises it
again, so the signal still ends the command, only a moment later.

A module of its own, below everything that uses it: the entry point (`simulator._start`) installs
the handlers, the command line (`cli.main`) re-installs them, and the results' commit
(`output.commit`) and the run verb call `checkpoint()`.
"""
from __future__ import annotations

import signal

_received: list[int] = []


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that partial results are cleaned up as for Ctrl-C."""


def on_sigterm(signum, frame):  # noqa: ARG001
    _received.append(signum)
    raise Terminated()


def on_sigint(signum, frame):  # noqa: ARG001
    _received.append(signum)
    raise KeyboardInterrupt()


def checkpoint() -> None:
    """Raise again for a signal whose exception something swallowed."""
    if _received:
        raise Terminated() if _received[-1] == signal.SIGTERM else KeyboardInterrupt()


def forget_signals() -> None:
    _received.clear()


def last_was_sigterm() -> bool | None:
    """Whether the last signal received was SIGTERM (None if none was received)."""
    return (_received[-1] == signal.SIGTERM) if _received else None
