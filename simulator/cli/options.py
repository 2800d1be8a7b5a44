"""Options shared by the verbs, and the two consoles (results on stdout, messages on stderr)."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from ..errors import printable

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def safe(text: str) -> str:
    """Text from a file or the command line for the console: no markup, control characters escaped
    (a title can hold a newline or an ANSI escape sequence)."""
    return escape(printable(text))


def warn(scenario, quiet: bool = False) -> None:
    """The scenario's warnings (allowed values that change what the results mean), on stderr."""
    if not quiet:
        for note in scenario.notes:
            err.print(f"warning: {safe(str(note))}")

def parallel_options(f):
    """--workers / --scheduler: the same results on Dask (docs/scaling.md); neither means one process."""
    f = click.option("--scheduler", metavar="ADDRESS",
                     help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (identical results).")(f)
    return click.option("--workers", type=click.IntRange(1, 1024),
                        help="Run on an embedded Dask cluster with N worker processes (identical results).")(f)


def threads_option(f):
    """--threads: blocks of draws computed at once in this process (identical results)."""
    return click.option("--threads", type=click.IntRange(1, 256),
                        help="Blocks of draws computed at once in this process [default: the CPUs available]; "
                             "the results are identical for any number.")(f)


def _threads(threads, parallel: dict) -> int:
    if parallel["workers"] is not None or parallel["scheduler"] is not None:
        return 1  # Dask's workers share out the blocks
    if threads is not None:
        return threads
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def output_options(default: str, plots_help: str = "Skip the plots."):
    """--out, --force, --no-plots, --quiet: the same four on every command that writes a results folder."""
    def wrap(f):
        f = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(f)
        f = click.option("--no-plots", is_flag=True, help=plots_help)(f)
        f = click.option("--force", is_flag=True, help="Replace the results folder if it exists.")(f)
        return click.option("--out", "out_dir", type=click.Path(path_type=Path),
                            help=f"Results folder [default: {default}].")(f)
    return wrap


def _parallel(workers, scheduler) -> dict:
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    return {"workers": workers, "scheduler": scheduler}
