"""The command's signal state: SIGINT and SIGTERM turned into exceptions, remembered, and quiet.

The handlers raise an exception where the signal lands, and also remember the signal: a library
with a bare `except:` around an import can swallow the exception, and then `checkpoint()` (called
before the long or irreversible steps and between blocks of draws) raises it again, so the signal
still ends the command, only a moment later.

Three rules keep the end of the command to one line whatever the timing (issue 33):

* Only the first signal raises. A second Ctrl-C while the first is being handled (partial results
  removed, the message printed) is remembered, not raised into the middle of that cleanup.
* A signal's exception that lands where Python cannot propagate it (a weakref callback, a
  `__del__`) would be printed as "Exception ignored in ..."; `install` makes Python drop it silently
  instead. It is remembered all the same, so the next `checkpoint()` raises it.
* Once the outcome is printed, `finish` ends the process itself (at once after an interrupt,
  without waiting for worker threads still inside a block of draws): a signal from then on exits at once
  with one line (or none, if the outcome was already an interrupt), and after the last exit handler
  the process leaves with `os._exit`, so the interpreter's teardown, during which Python restores
  the default actions and a signal would kill the process without a word, never runs.

A module of its own, below everything that uses it: the entry point (`simulator._start`) installs
the handlers, the command line (`cli.main`) re-installs them, and the results' commit
(`output.commit`), the run driver and the run verb call `checkpoint()`.
"""
from __future__ import annotations

import atexit
import os
import signal
import sys
from typing import Callable

_received: list[int] = []
_exit_code: list[int] = []  # set by `finish`: the code the process leaves with


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that partial results are cleaned up as for Ctrl-C."""


def on_sigterm(signum, frame):  # noqa: ARG001
    _received.append(signum)
    if len(_received) == 1:
        raise Terminated()


def on_sigint(signum, frame):  # noqa: ARG001
    _received.append(signum)
    if len(_received) == 1:
        raise KeyboardInterrupt()


def checkpoint() -> None:
    """Raise again for a signal whose exception something swallowed."""
    if _received:
        raise Terminated() if _received[-1] == signal.SIGTERM else KeyboardInterrupt()


def remember(signals) -> None:
    """Signals noted before the handlers were in place (by the launcher); `checkpoint` raises them."""
    _received.extend(signals)


def forget_signals() -> None:
    _received.clear()


def last_was_sigterm() -> bool | None:
    """Whether the last signal received was SIGTERM (None if none was received)."""
    return (_received[-1] == signal.SIGTERM) if _received else None


def _unraisable(args) -> None:
    if isinstance(args.exc_value, (KeyboardInterrupt, Terminated)):
        return  # remembered by the handler; the next checkpoint raises it where it can propagate
    sys.__unraisablehook__(args)


def _leave() -> None:
    """The last exit handler (registered first, so run last): leave without the interpreter's teardown."""
    if _exit_code:
        _flush()
        os._exit(_exit_code[0])


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # a closed pipe: nothing more can be said
            pass


def install() -> None:
    """The command's handlers, from its first instruction (simulator/_start.py)."""
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, on_sigint)
    sys.unraisablehook = _unraisable
    atexit.register(_leave)


def finish(code: int, last_words: Callable[[bool], str]) -> None:
    """The outcome (exit `code`) is printed: from here a signal ends the process at once, with
    `last_words(terminated)` on stderr unless the outcome was itself an interrupt, and the process
    leaves with `code` after its exit handlers (the caller then calls sys.exit)."""
    def late(signum, frame):  # noqa: ARG001
        terminated = signum == signal.SIGTERM
        if code not in (130, 143):
            try:
                sys.stderr.write(last_words(terminated) + "\n")
            except (OSError, ValueError):
                pass
            _flush()
            os._exit(143 if terminated else 130)
        _flush()
        os._exit(code)

    signal.signal(signal.SIGTERM, late)
    signal.signal(signal.SIGINT, late)
    _exit_code[:] = [code]
    _flush()
    if code in (130, 143):
        # Interrupted, and everything that needed undoing is undone (the partial results removed,
        # a Dask cluster closed): leave now. Python's exit would first wait for the worker threads
        # to finish the blocks they are computing, a minute for a large --block-size.
        os._exit(code)
