"""The fluid pipeline written directly in numpy, one whole-array step per month and stage: the
oracle the compiled kernel (`simulator.core.pipeline`) is tested against. It was the package's
implementation until the kernel replaced it for speed; kept here because it reads like the equations."""
from typing import Sequence

import numpy as np

from simulator.core.pipeline import Stage, Stream


def run_pipeline_reference(stages: Sequence[Stage], order: Sequence[int], streams: Sequence[Stream], n: int,
                 months: int) -> tuple[np.ndarray, np.ndarray]:
    """Simulate the fluid pipeline. Returns arrivals (n, M, J) and backlog at month ends (n, M, K).

    Each stage updates all the streams that use it at once, as arrays (streams, draws); past
    starts are kept month-major so the convolution window is one contiguous block.
    """
    J, K = len(streams), len(stages)
    arrivals = np.zeros((n, months, J))
    backlog = np.zeros((n, months, K))
    users = {k: [j for j, s in enumerate(streams) if k in s.route] for k in range(K)}
    slot = {(j, k): users[k].index(j) for k in range(K) for j in users[k]}  # row of stream j at stage k
    queue = {k: np.zeros((len(users[k]), n)) for k in range(K)}
    starts = {k: np.zeros((months, len(users[k]), n)) for k in range(K)}
    exits = {k: np.zeros((months, len(users[k]), n)) for k in range(K)}
    tail = {k: np.zeros((len(users[k]), n)) for k in range(K)}  # H(m) of exponential stages
    # Where each stage's newcomers come from: (row, source stage or None for entrants, source row, rate).
    feeds = {k: [] for k in range(K)}
    for j, s in enumerate(streams):
        for i, k in enumerate(s.route):
            if i == 0:
                feeds[k].append((slot[(j, k)], None, j, 1.0))
            else:
                prev = s.route[i - 1]
                feeds[k].append((slot[(j, k)], prev, slot[(j, prev)], s.pass_rates[i - 1]))
    entrants = [np.broadcast_to(np.multiply.outer(np.broadcast_to(np.asarray(s.scale, dtype=float), (n,)),
                                                 s.entrants_per_month), (n, months)) for s in streams]
    for m in range(months):
        for k in order:
            if not users[k]:
                continue
            q = queue[k]
            for row, source, source_row, rate in feeds[k]:
                q[row] += entrants[source_row][:, m] if source is None else exits[source][m, source_row] * rate
            waiting = q.sum(axis=0)
            started = np.minimum(waiting, stages[k].capacity_per_month[m])
            share = np.divide(started, waiting, out=np.zeros(n), where=waiting > 0)
            begin = q * share
            q -= begin
            starts[k][m] = begin
            if stages[k].geometric is not None:
                g0, c, r = stages[k].geometric
                exits[k][m] = g0 * begin + tail[k]
                tail[k] = r * (c * begin + tail[k])
            else:
                g = stages[k].kernel
                lo = max(0, m - len(g) + 1)
                exits[k][m] = np.tensordot(g[m - lo::-1], starts[k][lo:m + 1], axes=(0, 0))
            backlog[:, m, k] = q.sum(axis=0)
        for j, s in enumerate(streams):
            if s.route:
                last = s.route[-1]
                arrivals[:, m, j] = exits[last][m, slot[(j, last)]] * s.pass_rates[-1]
            else:
                arrivals[:, m, j] = entrants[j][:, m]
    return arrivals, backlog
