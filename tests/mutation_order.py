"""The order in which a mutant's tests run under mutmut: cheapest first, counting fixtures.

mutmut runs the tests that reach a mutated function with ``pytest -x`` and sorts them by the time
each test's *call* took in its stats run. A test whose module fixture runs the model (a baseline at
1,000 draws) has a call of a few milliseconds, so it came first and every mutant paid the fixture
before the known-answer test that kills it in 0.1 s ran (measured: mutants of
``projection._exchange_layout`` killed after 20-25 s). Here a test's cost is its call plus every
fixture it sets up, and a module- or session-scoped fixture counts only until it is set up: the
order is built greedily, always taking the test whose *next* cost is least, so the tests sharing a
fixture run together once it is paid, and the tests that need none run before any fixture is built.

During mutmut's stats run ``conftest.py`` records, for every fixture set-up, its duration under a
key naming the fixture and the node that owns it (:func:`fixture_key`); the file
(``mutation-costs.json`` in mutmut's ``mutants/`` folder) is read back for every mutant.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

COSTS_FILE = "mutation-costs.json"
# pytest scopes whose fixtures outlive one test; "function" fixtures are paid by every test that uses them
SHARED_SCOPES = ("session", "package", "module", "class")


@dataclass(frozen=True)
class TestCost:
    """What running one test costs: its call (s), and the fixtures it sets up (keys)."""

    __test__ = False  # a record, not a pytest test class

    test_id: str
    call_s: float
    fixtures: tuple[str, ...]


def fixture_key(scope: str, test_id: str, name: str) -> str:
    """The key of a fixture's set-up: module fixtures are set up once per module, session ones once."""
    module = test_id.split("::", 1)[0]
    owner = {"session": "", "package": module.rsplit("/", 1)[0], "module": module, "class": test_id.rsplit("::", 1)[0]}
    return f"{owner.get(scope, test_id)}::{name}"


def shared_owner(key: str) -> str:
    """The node a shared fixture's key belongs to; pytest tears it down when a test outside it runs."""
    return key.rsplit("::", 1)[0]


def cheapest_first(tests: list[TestCost], fixture_s: dict[str, float], shared: set[str]) -> list[str]:
    """Order ``tests`` so that each next test is the cheapest to run given the fixtures already set up.

    ``fixture_s`` maps fixture keys to their set-up times; ``shared`` names the keys whose fixture
    stays set up after the test (module, class, package or session scope). A shared fixture stays paid
    while the tests run inside the node that owns it; leaving that node tears it down (pytest's
    SetupState), so going back would pay it again. Ties keep the given order.
    """
    remaining = list(range(len(tests)))
    live: set[str] = set()
    order: list[str] = []

    def still_live(test: TestCost) -> set[str]:
        return {k for k in live if test.test_id.startswith(shared_owner(k))}

    def next_cost(i: int) -> float:
        kept = still_live(tests[i])
        return tests[i].call_s + sum(fixture_s.get(k, 0.0) for k in tests[i].fixtures if k not in kept)

    while remaining:
        best = min(remaining, key=lambda i: (next_cost(i), i))
        remaining.remove(best)
        live = still_live(tests[best]) | {k for k in tests[best].fixtures if k in shared}
        order.append(tests[best].test_id)
    return order


def load_costs(folder: Path) -> dict:
    """The costs recorded by earlier stats runs ({"fixture_s": {...}, "shared": [...]}), or empty ones."""
    path = folder / COSTS_FILE
    if not path.exists():
        return {"fixture_s": {}, "shared": []}
    return json.loads(path.read_text(encoding="utf-8"))


def save_costs(folder: Path, fixture_s: dict[str, float], shared: set[str]) -> None:
    """Merge newly measured set-up times into the file: mutmut reruns stats for changed test files only."""
    costs = load_costs(folder)
    costs["fixture_s"].update(fixture_s)
    costs["shared"] = sorted(set(costs["shared"]) | shared)
    tmp = folder / (COSTS_FILE + ".tmp")
    tmp.write_text(json.dumps(costs, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(folder / COSTS_FILE)
