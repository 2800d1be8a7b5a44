"""Every shipped scenario validates and runs."""
import numpy as np
import pytest

import simulator

from tests.conftest import SCENARIOS

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


def _run(name, draws=400, seed=5):
    return simulator.run(simulator.load_scenario(SCENARIOS / f"{name}.toml"), draws=draws, seed=seed)


@pytest.fixture(scope="module")
def baseline():
    return _run("baseline")


def _at(result, variable, year):
    return result[variable].sel(year=year).values


def test_shipped_directions_draw_by_draw(baseline):
    # Same seed, shared inputs share draws, so each comparison holds draw by draw.
    cepa = _run("cepa-deepening")
    assert np.all(_at(cepa, "trade.exports_india_to_japan", 2030) > _at(baseline, "trade.exports_india_to_japan", 2030))
    persist, deal = _run("us-tariffs-persist"), _run("us-tariff-deal")
    for year in (2027, 2034):
        # above competitors: more diverted than the baseline's (uniform 10%); at par: the same as the baseline's
        assert np.all(_at(persist, "trade.diverted_to_japan", year) > _at(baseline, "trade.diverted_to_japan", year))
        np.testing.assert_allclose(_at(deal, "trade.diverted_to_japan", year),
                                   _at(baseline, "trade.diverted_to_japan", year), rtol=1e-12)
        assert np.all(_at(persist, "trade.exports_india_to_us", year) < _at(deal, "trade.exports_india_to_us", year))
    weak_yen = _run("yen-depreciation")
    assert np.all(_at(weak_yen, "investment.cumulative_disbursed", 2034)
                  < _at(baseline, "investment.cumulative_disbursed", 2034))
    # A weaker yen: Japan's exports to India do not rise in dollars (yen-invoiced exports lose dollar
    # value, India's imports are price-inelastic: docs/model.md 2.2), nor does the pledge's import
    # impulse (smaller in dollars); India's exports to Japan fall (dearer in yen).
    for year in (2030, 2034):
        change = _at(weak_yen, "trade.exports_japan_to_india", year) - _at(baseline, "trade.exports_japan_to_india", year)
        assert np.median(change) <= 0 and np.all(change <= 1e-9)
        assert np.all(_at(weak_yen, "trade.exports_india_to_japan", year) < _at(baseline, "trade.exports_india_to_japan", year))
    high, low = _run("india-high-growth"), _run("india-low-growth")
    for year in (2027, 2034):
        assert np.all(_at(high, "trade.exports_japan_to_india", year) > _at(baseline, "trade.exports_japan_to_india", year))
        assert np.all(_at(low, "trade.exports_japan_to_india", year) < _at(baseline, "trade.exports_japan_to_india", year))
        # gravity's exporter term: India's faster growth raises its exports to Japan too (issue 28: P > 0.9)
        assert np.mean(_at(high, "trade.exports_india_to_japan", year) > _at(baseline, "trade.exports_india_to_japan", year)) > 0.9
        assert np.mean(_at(low, "trade.exports_india_to_japan", year) < _at(baseline, "trade.exports_india_to_japan", year)) > 0.9
    stagnant = _run("japan-stagnation")
    assert np.all(_at(stagnant, "trade.exports_india_to_japan", 2030) < _at(baseline, "trade.exports_india_to_japan", 2030))
    slow = _run("slow-realisation")
    assert np.median(_at(slow, "investment.fdi_stock", 2034)) < np.median(_at(baseline, "investment.fdi_stock", 2034))
    front, back = _run("pledge-front-loaded"), _run("pledge-back-loaded")
    assert np.all(_at(front, "investment.fdi_stock", 2028) > _at(back, "investment.fdi_stock", 2028))
    # A faster-growing stock pulls in more imports from Japan (FDI linkage).
    assert np.median(_at(front, "trade.exports_japan_to_india", 2029)) > np.median(
        _at(back, "trade.exports_japan_to_india", 2029))


def test_headline_probability_is_reported(baseline):
    p = baseline.events()
    # trade in 2030 and 2034; exchange targets by year five (2029) and by the end of the plan's window (2030)
    assert list(p["year"]) == [2030, 2034, 2029, 2030, 2029, 2030, 2029, 2030]
    assert p["title"].str.contains("500,000 people").any() and p["title"].str.contains("50,000 skilled").any()
    assert p["title"].str.contains("workers only").any() and p["title"].str.contains("Aug 2025-Jul 2030").any()
    assert p["probability"].between(0, 1).all()


def test_load_scenario_takes_a_shipped_name_as_the_command_line_does(tmp_path, monkeypatch):
    by_name = simulator.load_scenario("baseline")
    assert by_name.params == simulator.load_scenario(SCENARIOS / "baseline.toml").params
    with pytest.raises(simulator.ScenarioError) as caught:
        simulator.load_scenario("baselin")
    assert "neither a file nor a shipped scenario" in str(caught.value) and "baseline," in str(caught.value)
    assert isinstance(caught.value, ValueError)
    # A file of that name in the current folder comes first, as on the command line.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").write_text('[scenario]\nname = "mine"\n', encoding="utf-8")
    assert simulator.load_scenario("baseline").name == "mine"
