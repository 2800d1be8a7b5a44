"""What a shipped scenario's title and story say, against what its file sets (issue 32).

The quick-start notebook once titled a chart "US tariffs stay at 50%" and the README said "if the 50%
US tariff had stayed" while us-tariffs-persist.toml sets 25%. A reader takes the story's numbers as
what the run assumes, so every rate, exchange rate, pledge size and start year a title or story
states must be a value the scenario's own file sets. A story may also quote a value it inherits, as
a point of reference ("instead of the IMF's 6.4%"); each such quote is listed in REFERENCES with the
parameter that holds it, and checked against that parameter.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import simulator
from simulator.scenario.values import Distribution, Fixed
from simulator.scenario.values import Path as YearPath

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))

# A number with a unit the model holds: a percentage (a rate or growth, held as a fraction), yen per
# dollar, the pledge in JPY trillion. Dollar sums the story derives ("about US$68 bn at 147 yen per
# dollar") are not parameters, and neither are counts of people.
PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)%")
YEN_PER_DOLLAR = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) (?:yen )?per dollar")
PLEDGE = re.compile(r"JPY (\d+(?:\.\d+)?) trillion")
# "from FY2026-27" / "from 2026": a change the story dates must start in that year in some path.
FROM_YEAR = re.compile(r"\bfrom (?:FY)?(\d{4})(?:-\d{2})?\b")
# Values a story quotes from the scenario it extends, as the point it departs from: scenario ->
# {number as written: the inherited parameter that holds it, or "other-scenario:parameter" for a value
# the story quotes from another shipped scenario that this file overrides}.
REFERENCES = {
    "exchange-at-trend": {"6.8%": "exchange.resident_growth"},
    "india-high-growth": {"6.4%": "macro.gdp_reference_growth_india"},
    "india-low-growth": {"6.4%": "macro.gdp_reference_growth_india"},
    "japan-stagnation": {"0.7%": "macro.gdp_reference_growth_japan", "0.6%": "macro.gdp_reference_growth_japan"},
    "us-tariffs-persist": {"10%": "tariffs.us_on_competitors"},
    "us-tariffs-japan": {"10%": "tariffs.us_on_japan_competitors"},
    "pledge-front-loaded": {"10 JPY trillion": "investment.pledge_jpy_tn", "from 2025": "investment.pledge_start_year"},
    # "this scenario's trade equals the baseline's, where India and its competitors pay the same 10%"
    "us-tariff-deal": {"10%": "baseline:tariffs.us_on_competitors"},
}


def _values(value) -> set[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # a setting held as a plain number
        return {float(value)}
    if isinstance(value, Fixed):
        return {float(value.value)} if isinstance(value.value, (int, float)) else set()
    if isinstance(value, Distribution):
        return {float(v) for _, v in value.params}
    if isinstance(value, YearPath):
        return {float(v) for _, v in value.points}
    return set()


def _path_years(params: dict) -> set[int]:
    return {year for value in params.values() if isinstance(value, YearPath) for year, _ in value.points}


def _stated(number: str) -> tuple[float, float]:
    """The value a number stands for and half a unit of its last digit (what rounding allows)."""
    decimals = len(number.split(".")[1]) if "." in number else 0
    return float(number), 0.5 * 10.0 ** -decimals


def _referenced(scenario, reference: str) -> set[float]:
    """The values of the parameter a quote refers to: in this scenario, or in another shipped one."""
    if ":" in reference:
        name, key = reference.split(":", 1)
        return _values(simulator.load_scenario(name).params[key])
    return _values(scenario.params[reference])


def _own(scenario) -> dict:
    """The parameters the scenario's own file sets (not those it inherits)."""
    own = str(scenario.path)
    return {key: value for key, value in scenario.params.items()
            if scenario.origins.get(key) and own.endswith(scenario.origins[key])}


def story_mismatches(scenario) -> list[str]:
    """Each number in the title or story that neither the scenario's file sets nor a listed reference holds."""
    text = " ".join((scenario.title + " " + scenario.description).split())
    own = _own(scenario)
    references = REFERENCES.get(scenario.name, {})
    problems = []
    checks = [(PERCENT, 0.01, "%"), (YEN_PER_DOLLAR, 1.0, " yen per dollar"), (PLEDGE, 1.0, " JPY trillion")]
    for pattern, scale, unit in checks:
        for number in pattern.findall(text):
            value, tolerance = _stated(number)
            reference = references.get(f"{number}{unit}")
            held = _referenced(scenario, reference) if reference else [
                v for parameter in own.values() for v in _values(parameter)]
            if not any(math.isclose(v, value * scale, abs_tol=tolerance * scale + 1e-12) for v in held):
                where = f"by {reference}" if reference else "by the scenario's own file"
                problems.append(f"{number}{unit} is not set {where}")
    years = _path_years(own)
    for year in FROM_YEAR.findall(text):
        reference = references.get(f"from {year}")
        if reference:
            if float(year) not in _values(scenario.params[reference]) | _path_years({reference: scenario.params[reference]}):
                problems.append(f"'from {year}': {reference} does not start in {year}")
        elif int(year) not in years:
            problems.append(f"'from {year}': no path the scenario's file sets changes in {year}")
    return problems


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_story_states_only_numbers_the_file_sets(path):
    scenario = simulator.load_scenario(path)
    assert not story_mismatches(scenario), f"{path.name}: {story_mismatches(scenario)}"


def test_the_check_catches_a_story_that_says_50_percent_where_the_file_sets_25():
    persist = simulator.load_scenario(ROOT / "scenarios" / "us-tariffs-persist.toml")
    assert story_mismatches(persist) == []
    wrong = persist.with_params({"scenario.title": "US tariffs on India stay at 50%"})
    assert story_mismatches(wrong) == ["50% is not set by the scenario's own file"]
    late = persist.with_params({"scenario.description": "The tariff returns from FY2027-28."})
    assert story_mismatches(late) == ["'from 2027': no path the scenario's file sets changes in 2027"]
    # a quoted reference is checked against the parameter it names
    competitors = persist.with_params({"scenario.description": "Competitors keep the uniform 15%."})
    assert story_mismatches(competitors) == ["15% is not set by the scenario's own file"]


def test_the_stories_state_numbers_at_all():
    """Guards the patterns: if they matched nothing the test above could not fail."""
    stated = sum(len(p.findall(simulator.load_scenario(f).description + simulator.load_scenario(f).title))
                 for f in SCENARIOS for p in (PERCENT, YEN_PER_DOLLAR, PLEDGE, FROM_YEAR))
    assert stated >= 15
