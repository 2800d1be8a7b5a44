"""Every shipped scenario validates and runs."""
import numpy as np
import pytest

import simulator

from .conftest import SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.toml"))


def test_there_are_shipped_scenarios():
    assert any(p.name == "baseline.toml" for p in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenario_runs(path):
    scenario = simulator.load_scenario(path)
    assert scenario.title != scenario.name and scenario.description.strip()
    result = simulator.run(scenario, draws=300)
    for name in result.variables:
        assert np.all(np.isfinite(result[name].values))
