"""Seeded regression values at two tolerances (SALib's manner): bit-identical on the platform that
wrote tests/regression/baseline.json, rtol 1e-6 elsewhere. Refresh: `make regression-refresh`."""
import numpy as np
import pytest

from tests import regression


@pytest.fixture(scope="module")
def pinned():
    return regression.load()


@pytest.fixture(scope="module")
def current():
    return regression.compute()


def test_every_headline_variable_and_probability_is_pinned(pinned, current):
    assert sorted(current) == sorted(pinned["values"]), regression.differences(pinned["values"], current)
    from simulator.variables import VARIABLES
    headline = {v for v, info in VARIABLES.items() if info.headline}
    pinned_variables = {k.split("|")[0] for k in pinned["values"]}
    assert headline <= pinned_variables
    assert {"trade.total", "trade.balance_change", "exchange.remittances"} <= pinned_variables
    events = [k for k in pinned["values"] if k.startswith("probability|")]
    import simulator
    assert len(events) == len(simulator.load_scenario(regression.SCENARIO).events)  # every event of the baseline
    assert len(events) == 8  # two trade events; the exchange targets under each reading and window
    assert (pinned["draws"], pinned["seed"]) == (regression.DRAWS, regression.SEED)


def test_values_match_loosely_on_any_platform(pinned, current):
    keys = sorted(pinned["values"])
    np.testing.assert_allclose([current[k] for k in keys], [pinned["values"][k] for k in keys],
                               rtol=regression.LOOSE_RTOL, atol=regression.LOOSE_ATOL,
                               err_msg="\n".join(regression.differences(pinned["values"], current)[:20]))


def test_values_are_bit_identical_on_the_platform_that_wrote_them(pinned, current):
    if pinned["platform"] != regression.fingerprint():
        pytest.skip(f"pinned on {pinned['platform']}, running on {regression.fingerprint()}: "
                    "the loose check applies here")
    moved = regression.differences(pinned["values"], current)
    assert not moved, "\n".join(moved[:20])


def test_differences_name_what_moved():
    lines = regression.differences({"a|2030|p50": 1.0, "b": 2.0, "gone": 3.0}, {"a|2030|p50": 1.5, "b": 2.0, "new": 4.0})
    assert lines[-1] == "~ a|2030|p50: 1.0 -> 1.5 (relative change 0.5)"
    assert set(lines[:2]) == {"- gone: 3.0 (gone)", "+ new: 4.0 (new)"}
