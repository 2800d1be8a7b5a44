"""`python -m simulator` is the same as `ijsim` (scripts/ijsim, which has the same lines).

Before any other import, SIGINT and SIGTERM are only noted (`_signal` is built into the interpreter:
importing it costs nothing and runs no Python code); `start` installs the real handlers and raises
what was noted at its first checkpoint, so a Ctrl-C at any moment ends with one line, exit 130.
"""
import _signal

_early: list[int] = []
_signal.signal(_signal.SIGINT, lambda signum, frame: _early.append(signum))
_signal.signal(_signal.SIGTERM, lambda signum, frame: _early.append(signum))

import time as _time  # noqa: E402  (built in, like _signal: no Python code runs)

_started = _time.perf_counter()  # the command's clock (simulator/_clock.py)

from simulator._start import start  # noqa: E402  (after the handlers, on purpose)

start(_early, _started)
