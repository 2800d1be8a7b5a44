"""The drawing processes `ijsim run` starts before its computation (output/drawing_pool.py): ready
before the first figure, each job's result in the jobs' order, the data unpickled once per process,
Ctrl-C left to the command. That the figures are the bytes drawn in one process:
tests/output/test_saving.py::test_plots_on_processes_are_the_files_drawn_in_one."""
import os
import signal

import pytest

from simulator.output import drawing_pool
from simulator.output.drawing_pool import DrawingPool

READY = []  # set in each drawing process by `_get_ready_for_the_test`


def _get_ready_for_the_test():
    READY.append(os.getpid())


def _probe(data, job):
    """What a drawing process sees: the job, its data, whether it got ready first, its signals."""
    return [(job, data["scale"] * job, os.getpid(), READY == [os.getpid()], id(drawing_pool._DATA[1]),
             signal.getsignal(signal.SIGINT) is signal.SIG_IGN, signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)]


@pytest.mark.e2e  # processes
def test_jobs_come_back_in_order_from_processes_that_got_ready_first():
    seen = []
    with DrawingPool(2, ready=f"{__name__}:_get_ready_for_the_test") as pool:
        out = pool.draw(_probe, {"scale": 10}, list(range(8)), progress=lambda done, total: seen.append((done, total)))
    assert [row[0] for row in out] == list(range(8)) and [row[1] for row in out] == [10 * j for j in range(8)]
    assert os.getpid() not in {row[2] for row in out}  # drawn in the pool, not here
    assert all(row[3] for row in out)  # each process ran its ready function before its first job
    # the data is unpickled once per process: one object per process, whatever the number of jobs
    assert len({(row[2], row[4]) for row in out}) == len({row[2] for row in out})
    assert all(row[5] and row[6] for row in out)  # Ctrl-C ignored, SIGTERM ends them without a word
    assert seen == [(k, 8) for k in range(1, 9)]
    assert READY == []  # this process never got ready: matplotlib is the drawing processes' business


def test_with_one_process_it_draws_here_in_order():
    seen = []
    pool = DrawingPool(1)
    out = pool.draw(lambda data, job: [job * data], 3, [2, 1, 5], progress=lambda done, total: seen.append(done))
    pool.close()
    assert out == [6, 3, 15] and seen == [1, 2, 3]


@pytest.mark.e2e  # processes
def test_closing_ends_the_processes():
    pool = DrawingPool(2, ready=f"{__name__}:_get_ready_for_the_test")
    pids = {row[2] for row in pool.draw(_probe, {"scale": 1}, range(4))}
    pool.close()
    pool.close()  # closing twice is harmless (the command closes it on every way out)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
