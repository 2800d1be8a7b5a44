"""Progress on stderr while a command works: the model's blocks, a flows replication month by month,
the plots as they are written. Shown only on a terminal, and never with --quiet.

    with progress(quiet) as task:
        result = engine.run(scenario, progress=task("baseline: 10,000 draws"))
        write_fan_charts(result, folder, progress=task("writing plots"))

`task(description)` returns a callback `(done, total[, note])`; a step shows up when it starts,
and finished steps stay listed until the command ends.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

Callback = Callable[[float, float], None]


def _ignore(done: float, total: float, note: str | None = None) -> None:
    """Progress of a step nobody is watching."""


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str], Callback]]:
    from simulator.cli import options  # looked up now, so that a test can give it a terminal

    console = options.err
    if quiet or not console.is_terminal:
        yield lambda description: _ignore
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        def task(description: str) -> Callback:
            task_id = None

            def update(done: float, total: float, note: str | None = None) -> None:
                nonlocal task_id
                text = description + (f" ({note})" if note else "")
                if task_id is None:  # appears when the step starts, not when it is planned
                    task_id = bar.add_task(text, total=total)
                bar.update(task_id, completed=done, total=total, description=text)
            return update
        yield task

