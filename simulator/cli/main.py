"""Entry point: runs the group and turns every outcome into an exit code.

Exit codes: 0 success; 2 bad input or usage (one message per problem, no traceback, nothing
written); 1 an unexpected internal error; 130 interrupted; 143 terminated.
"""
from __future__ import annotations

import os
import sys
import traceback
import warnings

import click
from rich.markup import escape

# The handlers and exception the command has from its first line on (simulator/signals.py, installed by simulator/_start.py).
from simulator.signals import Terminated, checkpoint, forget_signals, on_sigint, on_sigterm
from simulator.errors import ScenarioError, UserError, printable
from simulator.cli.group import cli
from simulator.cli.options import err


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of raising."""
    import signal
    import threading

    from simulator import _clock

    if _clock._started is None:  # called as a library (tests, notebooks): the command starts now
        _clock.mark()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_sigterm),
                    signal.SIGINT: signal.signal(signal.SIGINT, on_sigint)}
    try:
        return _main(argv)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        forget_signals()  # handled: a next call in this process (tests, notebooks) starts afresh
        _clock.forget()


def _stopped(word: str) -> str:
    """What an interrupt left: the results folders are either in place or not written at all."""
    from simulator.output import commit

    done = commit.published()
    if done:
        return f"ijsim: {word} after the results were written to {escape(', '.join(printable(str(p)) for p in done))}"
    return f"ijsim: {word}; no results were written"


def _main(argv: list[str] | None) -> int:
    from simulator.output import commit

    commit.forget()
    try:
        with warnings.catch_warnings():
            # numpy's overflow warnings name source lines, not the scenario: values that overflow are
            # refused at validation, and results with inf or NaN are refused before writing.
            warnings.simplefilter("ignore", RuntimeWarning)
            checkpoint()
            cli.main(args=argv, prog_name="ijsim", standalone_mode=False)
            checkpoint()  # a signal whose exception landed where Python drops it (a weakref callback) ends here
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show(file=sys.stderr)
        return 2
    except click.Abort:  # click's form of KeyboardInterrupt
        err.print(_stopped("interrupted"))
        return 130
    except ScenarioError as exc:
        for problem in exc.problems:
            err.print(escape(str(problem)))
        n = len(exc.problems)
        err.print(f"{n} problem{'s' if n != 1 else ''} found; nothing was run or written")
        return 2
    except UserError as exc:
        err.print(f"ijsim: {escape(printable(str(exc)))}")
        return 2
    except KeyboardInterrupt:
        err.print(_stopped("interrupted"))
        return 130
    except Terminated:
        err.print(_stopped("terminated"))
        return 143
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # a bug, not the user's fault: say so and how to report it
        err.print(f"ijsim: internal error: {escape(type(exc).__name__)}: {escape(printable(str(exc)))}")
        if os.environ.get("IJSIM_DEBUG"):
            err.print(escape(traceback.format_exc()))
        else:
            err.print("Please report this with the command you ran; set IJSIM_DEBUG=1 to see the traceback.")
        return 1
    finally:
        commit.release_all()  # reserved results folders that were never written


def entry() -> None:
    sys.exit(main())
