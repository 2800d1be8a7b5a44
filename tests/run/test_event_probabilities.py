"""Event probabilities on a hand-made ensemble (issue 34): every comparison, 'year' against 'by', each
variable's base-year value, thresholds per draw, one entry of a 3-D output, and the standard error,
each worked by hand so that a changed level, sign or scale fails here in milliseconds."""
import numpy as np
import pytest
import xarray as xr

from simulator.montecarlo import event_probabilities as ep
from simulator.scenario.event_definitions import Event

YEARS = [2025, 2026, 2027]
# three draws; the balance rises, falls, or stays
BALANCE = np.array([[-3.0, -2.0, -1.0], [-1.0, -2.0, -3.0], [-2.0, -2.0, -2.0]])


def dataset() -> xr.Dataset:
    sectors = np.stack([BALANCE, -BALANCE], axis=-1)  # (draw, year, sector)
    return xr.Dataset({"trade.balance": (("draw", "year"), BALANCE),
                       "trade.by_sector": (("draw", "year", "sector"), sectors),
                       "input.trade.exports_india_to_japan_base_usd_bn": ("draw", np.array([5.0, 6.0, 7.0]))},
                      coords={"draw": [0, 1, 2], "year": YEARS, "sector": ["autos", "pharma"]})


def event(op=">", threshold=-2.0, year=2026, by=False, variable="trade.balance") -> Event:
    return Event("e", "", variable, year, by, op, threshold)


def fixed(values: dict):
    return lambda path: values[path]


@pytest.mark.parametrize(("op", "expected"), [(">", [False, False, False]), (">=", [True, True, True]),
                                              ("<", [False, False, False]), ("<=", [True, True, True])])
def test_each_comparison_in_one_year(op, expected):
    assert list(ep.occurred(dataset(), event(op), fixed({}))) == expected


@pytest.mark.parametrize(("op", "year", "by", "expected"), [
    (">", 2027, False, [True, False, False]),    # only the first draw ends above -2
    (">", 2027, True, [True, True, False]),     # the second was above -2 in 2025
    (">", 2026, True, [False, True, False]),    # up to 2026 only: the first was not yet
    ("<", 2025, True, [True, False, False]),    # the first year counts
])
def test_by_means_any_year_up_to_and_including_it(op, year, by, expected):
    assert list(ep.occurred(dataset(), event(op, year=year, by=by), fixed({}))) == expected


def test_one_entry_of_a_three_dimensional_output():
    e = event(">", 2.5, year=2027, variable="trade.by_sector.pharma")  # -balance: 1, 3, 2
    assert list(ep.occurred(dataset(), e, fixed({}))) == [False, True, False]
    assert ep.series(dataset(), "trade.by_sector.autos").dims == ("draw", "year")


def test_base_thresholds_per_draw_in_one_year_and_by_a_year():
    ds = dataset().assign({"trade.exports_india_to_japan": (("draw", "year"), np.full((3, 3), 6.0))})
    ds["trade.exports_india_to_japan"][0, 0] = 4.0
    parameter = ep.scenario_parameter(_Scenario(), ds)  # drawn base values 5, 6, 7
    base = event(">=", "base", year=2026, variable="trade.exports_india_to_japan")
    assert list(ep.occurred(ds, base, parameter)) == [True, True, False]
    below = event("<", "base", year=2027, by=True, variable="trade.exports_india_to_japan")
    assert list(ep.occurred(ds, below, parameter)) == [True, False, True]  # 4 < 5 in 2025; 6 < 7


def test_each_variables_base_year_value():
    values = {"trade.exports_india_to_japan_base_usd_bn": 8.0, "trade.exports_japan_to_india_base_usd_bn": 2.0,
              "investment.fdi_stock_start_usd_bn": 30.0, "trade.exports_india_to_us_base_usd_bn": 77.0}
    expected = {"trade.exports_india_to_japan": 8.0, "trade.exports_japan_to_india": 2.0, "trade.total": 10.0,
                "trade.balance": 6.0, "trade.cover_ratio": 4.0, "investment.fdi_stock": 30.0,
                "trade.exports_india_to_us": 77.0}
    assert {v: ep.base_value(v, fixed(values)) for v in expected} == expected


def test_probability_and_its_standard_error_by_hand():
    assert ep.probability(np.array([True, False, False, True])) == (0.5, 0.25)  # sqrt(0.5 * 0.5 / 4)
    p, se = ep.probability_of_count(1, 5)
    assert (p, se) == (0.2, pytest.approx(0.17888543819998318))  # sqrt(0.2 * 0.8 / 5)
    assert ep.probability_of_count(5, 5) == (1.0, 0.0)
    assert all(np.isnan(ep.probability_of_count(0, 0)))


def test_event_table_counts_each_event():
    events = [Event("up", "Up", "trade.balance", 2027, False, ">", -2.0),
              Event("ever_low", "Low", "trade.balance", 2027, True, "<=", -3.0),
              Event("above_base", "Base", "trade.balance", 2027, False, ">", "base")]
    base = fixed({"trade.exports_india_to_japan_base_usd_bn": 5.0, "trade.exports_japan_to_india_base_usd_bn": 8.0})
    table = ep.event_table(dataset(), events, base)  # base balance 5 - 8 = -3; 2027: -1, -3, -2 > -3 twice
    assert list(table.columns) == [*ep.EVENT_COLUMNS, "variable", "by"]
    se = pytest.approx(np.sqrt(2 / 27))  # sqrt(1/3 * 2/3 / 3), the same for p = 1/3 and 2/3
    assert table.to_dict("list") == {"event": ["up", "ever_low", "above_base"], "title": ["Up", "Low", "Base"],
                                     "year": [2027] * 3, "probability": [1 / 3, 2 / 3, 2 / 3], "se": [se] * 3,
                                     "variable": ["trade.balance"] * 3, "by": [False, True, False]}
    empty = ep.event_table(dataset(), [], base)  # a scenario without events: the same columns, no rows
    assert list(empty.columns) == [*ep.EVENT_COLUMNS, "variable", "by"] and empty.empty


class _Value:
    def __init__(self, value):
        self.value = value


class _Scenario:
    params = {"trade.exports_japan_to_india_base_usd_bn": _Value(4)}


def test_parameters_drawn_from_the_ensemble_or_fixed_in_the_scenario_or_manifest():
    ds = dataset()
    drawn = "trade.exports_india_to_japan_base_usd_bn"
    for parameter in (ep.scenario_parameter(_Scenario(), ds),
                      ep.manifest_parameter({"parameters": {"trade.exports_japan_to_india_base_usd_bn": {"value": 4}}}, ds)):
        assert list(parameter(drawn)) == [5.0, 6.0, 7.0]
        fixed_value = parameter("trade.exports_japan_to_india_base_usd_bn")
        assert fixed_value == 4.0 and isinstance(fixed_value, float)
