"""Private fault injection for the test suite; not an interface, and inert unless its variables are set.

Tests of interrupts must not guess when a process has got somewhere (sleeping fails on a loaded
machine), so the program announces the points it reaches:

* ``IJSIM_TEST_MARKS=DIR``: create the empty file ``DIR/<point>`` on reaching each point, a
  readiness signal for a test that then signals the process from outside;
* ``IJSIM_TEST_SIGNAL=POINT@SIG[,POINT@SIG...]``: send SIG (INT, TERM, KILL) to this process on
  reaching POINT, the way a user's Ctrl-C or an OOM killer would arrive at exactly that moment.

Points, in the order a run reaches them: ``launch`` (the installed `ijsim` script, before the
package's code; signals are only noted there), ``start`` (the handlers are in place, before the
program's imports), ``compute`` (a run's computation begins), ``block:start`` and
``block:computed`` (a worker thread's block of draws), the steps of putting a results folder in
place, ``commit:*`` and ``recover:*`` (simulator/output/commit.py), ``end`` (the command line has
returned its exit code), ``exit`` (the outcome is printed; simulator/signals.finish) and
``shutdown`` (Python's exit handlers are running). Reading two environment variables is all this
costs when unset.

One more, read in simulator/output/fsops.py: ``IJSIM_TEST_NO_RENAMEAT2=1`` makes commit.py
replace results with the two-rename protocol it uses where renameat2 is missing, so that the
recovery of that protocol's intermediate states is tested on Linux too.
"""
from __future__ import annotations

import os
import signal


def reached(point: str) -> None:
    marks = os.environ.get("IJSIM_TEST_MARKS")
    if marks:
        with open(os.path.join(marks, point.replace(":", "-")), "w"):
            pass
    spec = os.environ.get("IJSIM_TEST_SIGNAL")
    if spec:
        for item in spec.split(","):
            at, _, name = item.partition("@")
            if at == point:
                os.kill(os.getpid(), getattr(signal, f"SIG{name}"))
