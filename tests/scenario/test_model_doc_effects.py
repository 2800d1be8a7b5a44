"""docs/model.md 2.5's table of each shipped scenario's effect on India's balance with Japan is what
the documented method computes: scenario minus baseline, draw by draw (common random numbers),
10,000 draws, seed 20250829. Medians and interval ends to the cent of a billion, shares to the percent."""
import re

import numpy as np
import pytest

import simulator

from tests.conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow

ROW = re.compile(r"^\| `([a-z-]+)` \| ([+-]\d+\.\d\d) \(([+-]\d+\.\d\d) to ([+-]\d+\.\d\d)\) \| (\d+)% \| "
                 r"([+-]\d+\.\d\d) \(([+-]\d+\.\d\d) to ([+-]\d+\.\d\d)\) \| (\d+)% \|$")


def documented() -> dict[str, tuple]:
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = text[text.index("**Each scenario's effect on India's balance with Japan**"):text.index("### 2.6")]
    return {m.group(1): m.groups()[1:] for m in map(ROW.match, section.splitlines()) if m}


@pytest.fixture(scope="module")
def baseline():
    return simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=10_000, seed=20250829)


def test_the_table_lists_every_shipped_trade_scenario():
    rows = documented()
    assert len(rows) >= 11 and "us-tariffs-japan" in rows and "yen-depreciation" in rows


@pytest.mark.parametrize("name", sorted(documented()))
def test_each_row_is_what_the_documented_method_gives(name, baseline):
    result = simulator.run(simulator.load_scenario(SCENARIOS / f"{name}.toml"), draws=10_000, seed=20250829)
    shown = documented()[name]
    for k, year in enumerate((2030, 2034)):
        d = (result["trade.balance"] - baseline["trade.balance"]).sel(year=year).values
        q05, q50, q95 = np.quantile(d, [0.05, 0.5, 0.95])
        median, low, high, share = shown[4 * k:4 * k + 4]
        assert f"{q50:+.2f}" == median and f"{q05:+.2f}" == low and f"{q95:+.2f}" == high, (name, year)
        assert f"{np.mean(d > 0):.0%}" == f"{share}%", (name, year)
