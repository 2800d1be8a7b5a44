"""Known answers for the sensitivity methods' contract and the test functions they are checked on
(issue 34): values by hand, the literature's Ishigami indices, the tables' index and evaluation counts."""
import numpy as np
import pytest

from simulator.analysis import morris, one_at_a_time, sobol_indices
from simulator.analysis.methods import morris_tables, one_at_a_time_tables, sobol_tables
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


def test_groups_of_inputs_are_one_factor_in_sobol_and_one_at_a_time():
    # f = x + y + 3 z on U(0, 1)^3: each uniform has variance 1/12, so group a = {x, y} has 2/12 and
    # group b = {z} 9/12 of the total 11/12; additive, so S1 = ST = 2/11 and 9/11.
    f = lambda X: X[:, 0] + X[:, 1] + 3 * X[:, 2]  # noqa: E731
    bounds = {k: (0.0, 1.0) for k in "xyz"}
    groups = {"x": "a", "y": "a", "z": "b"}
    s = sobol_indices(f, bounds, 256, seed=1, groups=groups)
    assert list(s.index) == ["a", "b"] and s.attrs["evaluations"] == 256 * (2 + 2)
    assert list(s["S1"]) == pytest.approx([2 / 11, 9 / 11], abs=0.02)
    assert list(s["ST"]) == pytest.approx([2 / 11, 9 / 11], abs=0.02)
    # By hand, from base 0.5 each: a low (x = y = 0) 1.5, high (x = y = 1) 3.5; b low (z = 0) 1,
    # high (z = 1) 4; base 0.5 + 0.5 + 1.5 = 2.5; sorted by swing, b (3) before a (2).
    o = one_at_a_time(f, {k: 0.0 for k in "xyz"}, {k: 1.0 for k in "xyz"}, {k: 0.5 for k in "xyz"}, groups=groups)
    assert list(o.index) == ["b", "a"] and o.attrs["evaluations"] == 1 + 2 * 2
    assert o.to_dict("index") == {"b": {"low": 1.0, "high": 4.0, "base": 2.5, "swing": 3.0},
                                  "a": {"low": 1.5, "high": 3.5, "base": 2.5, "swing": 2.0}}


def test_morris_effects_of_a_linear_function_are_its_coefficients_times_the_ranges():
    # 2 a - 3 b on a in (0, 10), b in (-1, 1): every elementary effect per unit of range is
    # 2 * 10 = 20 and 3 * 2 = 6 (in absolute value), whatever the grid, so sigma is 0; the second
    # output b has effects 0 and 1 * 2 = 2. Holds only if sampling and analysis use the same levels.
    seen = []

    def f(X):
        seen.append(X.copy())
        return np.column_stack([2 * X[:, 0] - 3 * X[:, 1], X[:, 1]])

    bounds = {"a": (0.0, 10.0), "b": (-1.0, 1.0)}
    for levels in (4, 6):
        first, second = morris_tables(f, bounds, 4, seed=2, levels=levels)
        assert list(first.columns) == ["mu_star", "mu_star_conf", "sigma"] and list(first.index) == ["a", "b"]
        assert first.to_numpy() == pytest.approx(np.array([[20.0, 0.0, 0.0], [6.0, 0.0, 0.0]]), abs=1e-9)
        assert list(second["mu_star"]) == pytest.approx([0.0, 2.0], abs=1e-12)
        assert first.attrs["evaluations"] == 4 * (2 + 1)
    # Without levels (as the scenario wrapper calls it): Morris' grid of 4 levels, b on -1, -1/3, 1/3, 1.
    seen.clear()
    morris_tables(f, bounds, 4, seed=2)
    grid = np.array([-1.0, -1 / 3, 1 / 3, 1.0])
    assert all(np.isclose(v, grid).any() for v in seen[0][:, 1])


def test_an_event_indicator_is_analysed_as_zeros_and_ones():
    # 1[x > 0.5]: a probability's sensitivity. x explains all of it (S1 = ST = 1), y nothing; a
    # one-at-a-time move of x from 0.25 to 0.75 switches it from 0 to 1.
    event = lambda X: X[:, 0] > 0.5  # noqa: E731
    s = sobol_indices(event, BOUNDS, 256, seed=1)
    assert list(s["S1"]) == pytest.approx([1.0, 0.0], abs=0.02) and list(s["ST"]) == pytest.approx([1.0, 0.0], abs=0.02)
    o = one_at_a_time(event, {"x": 0.25, "y": 0.25}, {"x": 0.75, "y": 0.75}, {"x": 0.25, "y": 0.25})
    assert o.to_dict("index") == {"x": {"low": 0.0, "high": 1.0, "base": 0.0, "swing": 1.0},
                                  "y": {"low": 0.0, "high": 0.0, "base": 0.0, "swing": 0.0}}


@pytest.mark.parametrize("tables", [lambda f: sobol_tables(f, BOUNDS, 4, seed=0),
                                    lambda f: morris_tables(f, BOUNDS, 2, seed=0),
                                    lambda f: one_at_a_time_tables(f, {"x": 0, "y": 0}, {"x": 1, "y": 1},
                                                                   {"x": 0.5, "y": 0.5})],
                         ids=["sobol", "morris", "oat"])
def test_several_outputs_need_an_n_by_k_array(tables):
    with pytest.raises(ValueError, match=r"to shape \(n, k\), got \((\d+),\) for n = \1$"):
        tables(lambda X: X[:, 0])  # one output, not a column of outputs
    with pytest.raises(ValueError, match=r"to shape \(n, k\), got \((\d+), 0\) for n = \1$"):
        tables(lambda X: X[:, :0])  # no outputs at all
    with pytest.raises(ValueError, match=r"to shape \(n, k\), got \((\d+), 2\) for n = (\d+)$"):
        tables(lambda X: X[1:])  # a row short


def test_empty_bounds_are_refused():
    with pytest.raises(ValueError, match="^bounds must name at least one input$"):
        sobol_indices(linear, {}, 4, seed=0)
