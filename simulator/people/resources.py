"""A stage of the pipeline as a simpy resource: FIFO, changeable capacity, and statistics.

simpy's Resource keeps waiting requests in a list and removes them with ``pop(0)``, which costs
O(queue length) per grant: with backlogs of tens of thousands the run turns quadratic. The stage
keeps its waiting line in a deque (O(1) at the front) and its users in a dict (O(1) removal
instead of ``list.remove``, which matters with thousands of servers).
"""
from __future__ import annotations

from collections import deque

import simpy
from simpy.core import BoundClass
from simpy.resources.base import BaseResource
from simpy.resources.resource import Release, Request


class FifoQueue(deque):
    """The waiting line: simpy pops granted requests by index, almost always the front."""

    def pop(self, index: int = -1):
        if index == 0:
            return self.popleft()
        if index == -1:
            return super().pop()
        item = self[index]
        del self[index]
        return item


class UserSet:
    """Requests holding a server: insertion-ordered, O(1) add and remove."""

    __slots__ = ("_items",)

    def __init__(self):
        self._items: dict = {}

    def append(self, request) -> None:
        self._items[request] = None

    def remove(self, request) -> None:
        self._items.pop(request, None)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __contains__(self, request) -> bool:
        return request in self._items


class StageRequest(Request):
    """A request that remembers when it joined the line, so the stage can record the wait."""

    def __init__(self, resource: "Stage"):
        self.requested_at = resource._env.now
        resource._tick()
        resource.requests += 1
        super().__init__(resource)


class Stage(simpy.Resource):
    """A FIFO stage with `capacity` servers (0 allowed: the stage is closed) and statistics.

    Records, from the start of the run: every wait (time from request to service), the
    time-integral of the queue length and of busy servers, and the number of requests.
    """

    PutQueue = FifoQueue
    request = BoundClass(StageRequest)
    release = BoundClass(Release)

    def __init__(self, env: simpy.Environment, capacity: int, name: str = "stage"):
        if not isinstance(capacity, int) or capacity < 0:
            raise ValueError(f'"capacity" must be an integer >= 0, got {capacity!r}')
        BaseResource.__init__(self, env, capacity)  # simpy.Resource refuses capacity 0
        self.name = name
        self.users = UserSet()
        self.queue = self.put_queue
        self.waits: list[float] = []
        self.requests = 0
        self.queue_area = 0.0
        self.busy_area = 0.0
        self.capacity_area = 0.0
        self._last = env.now

    def _tick(self) -> None:
        now = self._env.now
        dt = now - self._last
        if dt:
            self.queue_area += len(self.put_queue) * dt
            self.busy_area += len(self.users) * dt
            self.capacity_area += self._capacity * dt
            self._last = now

    def set_capacity(self, capacity: int) -> None:
        """Change the number of servers now; a rise serves waiting requests at once."""
        if not isinstance(capacity, int) or capacity < 0:
            raise ValueError(f'"capacity" must be an integer >= 0, got {capacity!r}')
        self._tick()
        self._capacity = capacity
        # simpy grants one waiting request per trigger (Resource._do_put returns None); a rise by
        # several servers must grant several.
        while self.put_queue and len(self.users) < self._capacity:
            before = len(self.put_queue)
            self._trigger_put(None)
            if len(self.put_queue) == before:
                break

    def _do_put(self, event: StageRequest) -> None:
        if len(self.users) < self._capacity:
            self._tick()
            self.users.append(event)
            event.usage_since = self._env.now
            self.waits.append(self._env.now - event.requested_at)
            event.succeed()

    def _do_get(self, event: Release) -> None:
        self._tick()
        self.users.remove(event.request)
        event.succeed()

    def finish(self) -> None:
        """Close the time integrals at the current time (call at the end of a run)."""
        self._tick()


class CountingEnvironment(simpy.Environment):
    """An Environment that counts the events it processes (for events-per-second figures)."""

    def __init__(self, initial_time: float = 0):
        super().__init__(initial_time)
        self.events_processed = 0

    def step(self) -> None:
        self.events_processed += 1
        super().step()
