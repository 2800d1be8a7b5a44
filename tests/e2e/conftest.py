"""Everything in tests/e2e is marked `e2e`: whole processes (ijsim as a subprocess, signals, Dask
worker processes, notebooks). `make check` leaves them out; `make test` runs them."""
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)
