"""The `ijsim` command's first code: a Ctrl-C or SIGTERM from the very start ends it quietly.

The command's imports (numpy, scipy, numba, pandas) take a second or more; a signal arriving
during them would otherwise print a traceback (SIGINT) or kill the process without a word
(SIGTERM). Nothing heavy is imported before the handlers are in place: `simulator/__init__.py`
loads its names lazily for this reason.

The handlers and the remembered signals are in `simulator.signals` (below every layer that uses
them); this module is the top of the import graph: it imports the command line, nothing imports it.
"""
from __future__ import annotations

import signal
import sys

from simulator.signals import Terminated, checkpoint, last_was_sigterm, on_sigint, on_sigterm


def start() -> None:
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, on_sigint)
    try:
        from simulator import _testhooks

        _testhooks.reached("start")
        from simulator.cli import main

        checkpoint()
        code = main()  # handles interrupts itself from its first line; this covers the moments around it
    except (KeyboardInterrupt, Terminated, Exception) as exc:
        # A signal's exception can come back wrapped: one raised while Python creates a class (the
        # imports do, by the hundred) becomes "RuntimeError: Error calling __set_name__".
        signalled = isinstance(exc, (KeyboardInterrupt, Terminated))
        last_sigterm = last_was_sigterm()
        if not signalled and last_sigterm is None:
            raise
        terminated = isinstance(exc, Terminated) if signalled else last_sigterm
        sys.stderr.write(f"ijsim: {'terminated' if terminated else 'interrupted'}; no results were written\n")
        code = 143 if terminated else 130
    sys.exit(code)
