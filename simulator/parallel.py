"""The same seeded pieces of work, run serially or on a Dask cluster, with the same results.

Work is split into pieces that depend only on (scenario, index): a block of draws, a simpy
replication, a batch of sensitivity points. Serially they run in this process; with a Dask client
they run as tasks, and results are put back by index, so the numbers are identical for any number
of workers. Dask is imported only when asked for. A task takes (scenario, index) and returns plain
arrays: simpy environments and open files never cross process boundaries.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

Progress = Callable[[int, int], None] | None


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, else the machine's count)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None, client: Any = None) -> Iterator[Any]:
    """A Dask client for the options given, or None for a serial run.

    `client`: use it as is. `scheduler`: connect to an existing cluster at that address.
    `workers`: start an embedded LocalCluster with that many single-threaded worker processes.
    """
    if client is not None:
        yield client
        return
    if scheduler is None and workers is None:
        yield None
        return
    from distributed import Client, LocalCluster  # only now: a serial run never imports Dask

    if scheduler is not None:
        c = Client(scheduler)
        try:
            yield c
        finally:
            c.close()
        return
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def map_indexed(fn: Callable[[Any], Any], indices: Iterable[int], client: Any = None, progress: Progress = None,
                on_result: Callable[[int, Any], None] | None = None,
                args: dict[int, Any] | None = None, threads: int = 1) -> dict[int, Any] | None:
    """Run fn(i) (or fn(args[i]), so a task carries only its own data) for every index; results keyed
    by index, or handed to `on_result` as they arrive to be reduced without keeping them all.
    Dask retries a task whose worker died. Without a client, `threads` > 1 runs that many tasks at
    once in this process (for work that releases the GIL, like the compiled core); results and the
    calls to `on_result` and `progress` stay in the calling thread."""
    indices = list(indices)
    arg = (lambda i: i) if args is None else args.__getitem__
    results: dict[int, Any] = {}

    def take(i: int, value: Any) -> None:
        if on_result is not None:
            on_result(i, value)
        else:
            results[i] = value

    if client is None and threads > 1 and len(indices) > 1:
        _map_threads(fn, arg, indices, threads, progress, take)
        return None if on_result is not None else results
    if client is None:
        for done, i in enumerate(indices, start=1):
            take(i, fn(arg(i)))
            if progress is not None:
                progress(done, len(indices))
        return None if on_result is not None else results
    from distributed import as_completed

    futures = {client.submit(fn, arg(i), retries=2, pure=False): i for i in indices}
    for done, future in enumerate(as_completed(futures), start=1):
        take(futures[future], future.result())
        future.release()
        if progress is not None:
            progress(done, len(indices))
    return None if on_result is not None else results


def _map_threads(fn, arg, indices, threads, progress, take) -> None:
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
    from itertools import islice

    pending_indices = iter(indices)
    pool = ThreadPoolExecutor(max_workers=threads)
    # At most two tasks per thread in flight, so memory stays bounded by blocks, not by the run.
    running = {pool.submit(fn, arg(i)): i for i in islice(pending_indices, 2 * threads)}
    done_count = 0
    try:
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                i = running.pop(future)
                take(i, future.result())
                done_count += 1
                if progress is not None:
                    progress(done_count, len(indices))
                following = next(pending_indices, None)
                if following is not None:
                    running[pool.submit(fn, arg(following))] = following
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: do not wait for the tasks already running (a large
        # block can take a minute); their results are not wanted, and the caller can stop at once.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
