"""The `ijsim` command's first code: a Ctrl-C or SIGTERM from the very start ends it quietly.

The command's imports (numpy, scipy, numba, pandas) take a second or more; a signal arriving
during them would otherwise print a traceback (SIGINT) or kill the process without a word
(SIGTERM). Nothing heavy is imported before the handlers are in place: `simulator/__init__.py`
loads its names lazily for this reason.

The handlers raise an exception where the signal lands, and also remember the signal: a library
with a bare `except:` around an import can swallow the exception, and then `checkpoint()` (called
before the long or irreversible steps: computing, reserving and publishing results) raises it
again, so the signal still ends the command, only a moment later.
"""
from __future__ import annotations

import signal
import sys

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


def start() -> None:
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, on_sigint)
    try:
        from . import _testhooks

        _testhooks.reached("start")
        from .cli import main

        checkpoint()
        code = main()  # handles interrupts itself from its first line; this covers the moments around it
    except (KeyboardInterrupt, Terminated, Exception) as exc:
        # A signal's exception can come back wrapped: one raised while Python creates a class (the
        # imports do, by the hundred) becomes "RuntimeError: Error calling __set_name__".
        signalled = isinstance(exc, (KeyboardInterrupt, Terminated))
        if not signalled and not _received:
            raise
        terminated = isinstance(exc, Terminated) if signalled else _received[-1] == signal.SIGTERM
        sys.stderr.write(f"ijsim: {'terminated' if terminated else 'interrupted'}; no results were written\n")
        code = 143 if terminated else 130
    sys.exit(code)
