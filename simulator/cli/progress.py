"""Progress on stderr while a command works: the model's blocks, a flows replication month by month,
the plots as they are written. Shown only on a terminal, and never with --quiet.

    with progress(quiet) as task:
        result = engine.run(scenario, progress=task("baseline: 10,000 draws"))
        write_fan_charts(result, folder, progress=task("writing plots"))

`task(description)` returns a callback `(done, total[, note])`; a step shows up when it starts,
and finished steps stay listed until the command ends.

From its first second (issue 31): every verb opens the display as it starts (`begin`, called by
the command class in group.py once the arguments are read), with the step it is in ("loading the
model", then what `step(text)` says: "reading the run folder", "fitting origin 3 of 12", ...). The
steps of `progress` then appear in the same display, so there is one live display per command.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Callback = Callable[[float, float], None]

_display = None  # the command's rich Progress while it runs on a terminal, else None
_current = None  # its task for the step the command is in (`step`), without a bar of its own


def begin(verb: str, quiet: bool) -> None:
    """Open the command's display on a terminal, unless quiet, saying it is starting."""
    global _display, _current
    from simulator.cli import options  # looked up now, so that a test can give it a terminal

    finish()
    if quiet or not options.err.is_terminal:
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    # the percentage only where the work is counted: a step without a total has a pulsing bar alone
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(text_format="{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    # Standard output joins the display only when it is the same terminal: rich would otherwise send
    # what the command prints for a pipe or a file (`ijsim schema > s.json`) to stderr.
    _display = Progress(*columns, console=options.err, transient=True, redirect_stdout=sys.stdout.isatty())
    _display.start()
    _current = _display.add_task(f"{verb}: loading the model", total=None)  # no total: a pulsing bar


def step(description: str) -> None:
    """Say which step the command is in (a step whose amount of work is not counted)."""
    if _display is not None:
        _display.update(_current, description=description, visible=True)


def finish() -> None:
    """Close the display (the command's end, whatever way it ends)."""
    global _display, _current
    if _display is not None:
        _display.stop()
    _display = _current = None


def _ignore(done: float, total: float, note: str | None = None) -> None:
    """Progress of a step nobody is watching."""


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str], Callback]]:
    from simulator.cli import options  # looked up now, so that a test can give it a terminal

    if quiet or not options.err.is_terminal:
        yield lambda description: _ignore
        return
    own = _display is None  # called outside a verb (a test, a notebook): a display of its own
    if own:
        begin("", quiet)
    bar = _display
    bar.update(_current, visible=False)  # the counted steps say where the command is now

    def task(description: str) -> Callback:
        task_id = None

        def update(done: float, total: float, note: str | None = None) -> None:
            nonlocal task_id
            text = description + (f" ({note})" if note else "")
            if task_id is None:  # appears when the step starts, not when it is planned
                task_id = bar.add_task(text, total=total)
            bar.update(task_id, completed=done, total=total, description=text)
        return update
    try:
        yield task
    finally:
        if own:
            finish()
