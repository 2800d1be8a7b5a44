"""The `ijsim` command's first code: a Ctrl-C or SIGTERM from the very start to the very end ends it
with one line and exit 130 or 143.

The launcher (scripts/ijsim, and `python -m simulator`) notes signals from its first instruction,
before any import, and hands them to `start`, which installs the real handlers
(simulator/signals.py) before importing anything heavy: the command's imports (numpy, scipy,
numba, pandas) take a second or more, and a signal during them would otherwise print a traceback
(SIGINT) or kill the process without a word (SIGTERM). `simulator/__init__.py` loads its names
lazily for this reason. After the outcome is printed, `signals.finish` keeps the interpreter's
shutdown from ending the process silently.

This module is the top of the import graph: it imports the command line, nothing imports it.
"""
from __future__ import annotations

import atexit
import sys

from simulator import signals
from simulator.signals import Terminated, checkpoint, last_was_sigterm


def start(early: list[int] | tuple[int, ...] = (), started: float | None = None) -> None:
    from simulator import _clock

    _clock.mark(started)
    code = 1
    try:
        signals.install()
        signals.remember(early)  # a signal before the handlers: ends the command here, not mid-way
        from simulator import _testhooks

        atexit.register(_testhooks.reached, "shutdown")  # runs before signals' own last handler

        _testhooks.reached("start")
        checkpoint()
        from simulator.cli import main

        checkpoint()
        code = main()  # handles interrupts itself from its first line; this covers the moments around it
        _testhooks.reached("end")
    except (KeyboardInterrupt, Terminated, Exception) as exc:
        # A signal's exception can come back wrapped: one raised while Python creates a class (the
        # imports do, by the hundred) becomes "RuntimeError: Error calling __set_name__".
        signalled = isinstance(exc, (KeyboardInterrupt, Terminated))
        last_sigterm = last_was_sigterm()
        if not signalled and last_sigterm is None:
            raise
        terminated = isinstance(exc, Terminated) if signalled else last_sigterm
        sys.stderr.write(stopped(terminated) + "\n")
        code = 143 if terminated else 130
    signals.finish(code, stopped)
    from simulator import _testhooks

    _testhooks.reached("exit")
    sys.exit(code)


def stopped(terminated: bool) -> str:
    """The one line for an interrupt: what it left is either in place or not written at all."""
    word = "terminated" if terminated else "interrupted"
    commit = sys.modules.get("simulator.output.commit")  # not imported: nothing was published
    done = commit.published() if commit is not None else []
    if done:
        from simulator.errors import printable

        return f"ijsim: {word} after the results were written to {', '.join(printable(str(p)) for p in done)}"
    return f"ijsim: {word}; no results were written"
