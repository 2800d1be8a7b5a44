"""The order of the exchange's stages, from the streams' routes. Apart from the kernels, and
without numpy, because validating a scenario file needs it and should start fast."""
from __future__ import annotations

from typing import Sequence


def stage_order(routes: Sequence[Sequence[str]]) -> list[str] | None:
    """An order of all stages consistent with every route (topological), or None if routes conflict.

    A route is followed to its end before another starts (a stage that becomes ready goes first),
    so that tables and plots list the stages in the order people pass them: language training,
    skills test, ..., visa for Japan, and only then the visa for India, not in between."""
    stages = list(dict.fromkeys(s for route in routes for s in route))
    after = {s: set() for s in stages}
    for route in routes:
        for a, b in zip(route, route[1:]):
            after[a].add(b)
    indegree = {s: 0 for s in stages}
    for s in stages:
        for t in after[s]:
            indegree[t] += 1
    ready = [s for s in stages if indegree[s] == 0]
    order = []
    while ready:
        s = ready.pop(0)
        order.append(s)
        freed = []
        for t in sorted(after[s], key=stages.index):
            indegree[t] -= 1
            if indegree[t] == 0:
                freed.append(t)
        ready[:0] = freed
    return order if len(order) == len(stages) else None
