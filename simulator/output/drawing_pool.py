"""Processes that draw a command's figures, started before the figures' data exist.

Drawing is pure Python (matplotlib), so figures are drawn on processes, one per CPU
(`plots.draw_all`). Forked when the figures are due, each process first imports matplotlib and the
drawing code and reads the observed series: a third of a second the command waits for, after its
computation. A `DrawingPool` forks its processes as the computation starts instead, before any
computing thread exists: they get ready on the core the command's single-threaded steps leave idle,
and each figure's data (for a run, its summaries: about 70 KB pickled) is sent once it is computed.
The drawing code is the same, so the files are byte for byte those drawn in one process
(tests/output/test_drawing_pool.py).

The processes ignore Ctrl-C and end at once on SIGTERM: the command handles both (one line, exit 130
or 143) and closes the pool, which waits for any figure being drawn, so that nothing is written into the results' temporary folder after
the command has removed it (close the pool inside `atomic_folder`).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import pickle
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable, Sequence


class DrawingPool:
    """Drawing processes, forked now and ready before the first figure is asked for.

    Parameters
    ----------
    processes : int, optional
        How many (by default one per CPU available). With 1, or where processes cannot be forked,
        `draw` draws in this process.
    ready : str, default "simulator.output.plots:get_ready"
        ``module:function``: what each process runs as it starts (imports the drawing code and
        matplotlib, reads what every figure needs).
    """

    def __init__(self, processes: int | None = None, ready: str = "simulator.output.plots:get_ready") -> None:
        from simulator.parallel import available_cpus

        self.processes = available_cpus() if processes is None else processes
        self._pool: ProcessPoolExecutor | None = None
        if self.processes > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_get_ready, initargs=(ready,))
            self._pool.submit(int)  # a forking pool starts all its processes with its first task

    def __enter__(self) -> "DrawingPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Cancel the figures not started, wait for those being drawn, end the processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def draw(self, render: Callable[[Any, Any], list[Path]], data: Any, jobs: Sequence,
             progress: Callable[[int, int], None] | None = None) -> list[Path]:
        """``render(data, job)`` for every job; the files written, in the jobs' order.

        `render` is a module-level function (sent by name); `data` is pickled once, and each
        process unpickles it once for all the jobs it draws. `progress(done, total)` as figures finish.
        """
        jobs = list(jobs)
        if self._pool is None:
            files: list[Path] = []
            for done, job in enumerate(jobs, 1):
                files += render(data, job)
                if progress is not None:
                    progress(done, len(jobs))
            return files
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        key = hashlib.sha256(blob).hexdigest()
        futures = {self._pool.submit(_draw, render, key, blob, job): i for i, job in enumerate(jobs)}
        written: dict[int, list[Path]] = {}
        for future in as_completed(futures):
            written[futures[future]] = future.result()
            if progress is not None:
                progress(len(written), len(jobs))
        return [path for i in range(len(jobs)) for path in written[i]]


_DATA: tuple[str, Any] | None = None  # (key, data) last unpickled in this drawing process


def _get_ready(ready: str) -> None:
    """In each drawing process as it starts: leave Ctrl-C to the command, then get ready to draw."""
    import importlib

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A SIGTERM sent to the whole process group ends a drawing process without a word: the command's
    # own handler, inherited through the fork, would report the interruption a second time.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    module, _, function = ready.partition(":")
    getattr(importlib.import_module(module), function)()


def _draw(render, key: str, blob: bytes, job) -> list[Path]:
    global _DATA
    if _DATA is None or _DATA[0] != key:
        _DATA = (key, pickle.loads(blob))
    return render(_DATA[1], job)
