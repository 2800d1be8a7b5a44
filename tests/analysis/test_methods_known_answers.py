"""Known answers for the sensitivity methods' contract and the test functions they are checked on
(issue 34): values by hand, the literature's Ishigami indices, the tables' index and evaluation counts."""
import numpy as np
import pytest

from simulator.analysis import morris, one_at_a_time, sobol_indices
from simulator.analysis.test_functions import ishigami, ishigami_indices, sobol_g, sobol_g_indices


def test_test_functions_by_hand():
    X = np.array([[np.pi / 2, np.pi / 2, 1.0], [0.0, np.pi / 2, 2.0]])
    assert list(ishigami(X)) == pytest.approx([1 + 7 + 0.1, 7.0])
    # (|4*0 - 2| + 0) / 1 * (|4*0.5 - 2| + 1) / 2 = 2 * 0.5
    assert list(sobol_g(np.array([[0.0, 0.5], [1.0, 1.0]]), [0.0, 1.0])) == pytest.approx([1.0, 2.0 * 1.5])


def test_analytic_indices():
    ish = ishigami_indices()  # a = 7, b = 0.1: the values in Saltelli et al. (2008) and SALib
    assert list(ish["S1"]) == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert list(ish["ST"]) == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)
    g = sobol_g_indices([0.0, 1.0])  # v = 1/3, 1/12; total variance (4/3)(13/12) - 1 = 4/9
    assert list(g["S1"]) == pytest.approx([3 / 4, 3 / 16]) and list(g["ST"]) == pytest.approx([13 / 16, 1 / 4])


def linear(X):
    return 2 * X[:, 0] + X[:, 1]


BOUNDS = {"x": (0.0, 1.0), "y": (0.0, 1.0)}


def test_tables_say_what_they_are_indexed_by_and_how_many_evaluations_they_took():
    s = sobol_indices(linear, BOUNDS, 2, seed=1)  # the smallest power of two
    assert s.index.name == "input" and s.attrs["evaluations"] == 2 * (2 + 2)
    m = morris(linear, BOUNDS, 2, seed=1)  # the fewest trajectories
    assert m.index.name == "input" and m.attrs["evaluations"] == 2 * (2 + 1)
    assert list(m.mu_star) == pytest.approx([2.0, 1.0])  # a linear function's effects per unit of range
    o = one_at_a_time(linear, {"x": 0, "y": 0}, {"x": 1, "y": 1}, {"x": 0.5, "y": 0.5})
    assert o.index.name == "input" and o.attrs["evaluations"] == 5


def test_morris_defaults_to_four_levels_and_groups_move_together():
    four = morris(linear, BOUNDS, 6, seed=3, levels=4)
    assert morris(linear, BOUNDS, 6, seed=3).equals(four)
    assert not morris(linear, BOUNDS, 6, seed=3, levels=6).equals(four)
    grouped = morris(linear, BOUNDS, 4, seed=3, groups={"x": "both", "y": "both"})
    assert list(grouped.index) == ["both"] and grouped.attrs["evaluations"] == 4 * 2


def test_one_at_a_time_keeps_fractional_ends_of_whole_number_bases():
    o = one_at_a_time(linear, {"x": 0.5, "y": 1}, {"x": 1.5, "y": 3}, {"x": 1, "y": 2})
    assert o.loc["x", "low"] == 3.0 and o.loc["x", "high"] == 5.0 and o.loc["x", "swing"] == 2.0


def test_bad_problems_are_refused():
    with pytest.raises(ValueError, match="low < high"):
        sobol_indices(linear, {"x": (1.0, 1.0)}, 4, seed=0)
    with pytest.raises(ValueError, match="missing"):
        morris(linear, BOUNDS, 4, seed=0, groups={"x": "g"})
