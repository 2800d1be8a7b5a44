"""Boxes with only the limits that matter (issue 30, item 3): a planted box found by PRIM and by
CART (unions of leaves), limits dropped by their quasi-p-values on search and held-out draws."""
import numpy as np
import pandas as pd
import pytest

from simulator.analysis import discover
from simulator.analysis.cart import leaf_unions
from simulator.analysis.limits import drop_limits, limit_p_value

COLUMNS = [f"x{i}" for i in range(1, 7)]


def planted(n: int, seed: int, noise: float = 0.03):
    """Six uniform inputs; the event is 1{x1 > 0.6 and x2 < 0.4}, each label flipped with probability `noise`."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.uniform(size=(n, 6)), columns=COLUMNS)
    y = ((X["x1"] > 0.6) & (X["x2"] < 0.4)).to_numpy()
    return X, y ^ (rng.uniform(size=n) < noise)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("method", ["prim", "cart"])
def test_both_methods_find_exactly_the_planted_box(method, seed):
    """Acceptance: among six inputs with 3% label noise, both restrict x1 and x2 only, coverage >= 0.7
    and density >= 0.9, with and without the held-out test of the limits. (CART's best single leaf
    had coverage 0.3 and a third, spurious limit: the tree splits the box once more on noise.)"""
    X, y = planted(3000, seed)
    held = planted(1500, seed + 100)
    for found in (discover(X, y, method=method, seed=seed, bootstrap=0),
                  discover(X, y, method=method, seed=seed, bootstrap=0, held_out=held)):
        assert list(found.box.index) == ["x1", "x2"]
        assert found.coverage >= 0.7 and found.density >= 0.9
        assert found.box.loc["x1", "low"] == pytest.approx(0.6, abs=0.05)
        assert found.box.loc["x2", "high"] == pytest.approx(0.4, abs=0.05)
        assert np.isinf(found.box.loc["x1", "high"]) and np.isinf(found.box.loc["x2", "low"])
        assert (found.quasi_p.max(axis=1) <= 0.05).all()


def test_spurious_limits_are_dropped_and_the_planted_ones_kept():
    X, y = planted(3000, 5)
    Xh, yh = planted(1500, 6)
    low = np.array([0.6, -np.inf, -np.inf, 0.05, -np.inf, -np.inf])
    high = np.array([np.inf, 0.4, 0.9, np.inf, np.inf, 0.97])
    kept_low, kept_high, dropped = drop_limits(X.to_numpy(), y, Xh.to_numpy(), yh, low, high)
    np.testing.assert_array_equal(kept_low, [0.6, -np.inf, -np.inf, -np.inf, -np.inf, -np.inf])
    np.testing.assert_array_equal(kept_high, [np.inf, 0.4, np.inf, np.inf, np.inf, np.inf])
    assert sorted((d.column, d.side, d.value) for d in dropped) == [(2, 1, 0.9), (3, 0, 0.05), (5, 1, 0.97)]
    assert all(max(d.p_search, d.p_held_out) > 0.05 for d in dropped)
    # The order: the weakest first (each p computed on the box as it then was).
    first = max(((j, s) for j, s in ((2, 1), (3, 0), (5, 1))),
                key=lambda js: max(limit_p_value(X.to_numpy(), y, low, high, *js),
                                   limit_p_value(Xh.to_numpy(), yh, low, high, *js)))
    assert (dropped[0].column, dropped[0].side) == first


def test_a_limit_that_fits_only_the_search_draws_is_dropped():
    """x3 matters on the search draws (the event needs x3 < 0.5 there) but not on the held-out draws:
    significant where it was found, not elsewhere, so it goes; x1 matters on both and stays."""
    rng = np.random.default_rng(7)
    X = rng.uniform(size=(2000, 3))
    y = (X[:, 0] > 0.5) & (X[:, 2] < 0.5)
    Xh = rng.uniform(size=(1000, 3))
    yh = Xh[:, 0] > 0.5
    low, high, dropped = drop_limits(X, y, Xh, yh, np.array([0.5, -np.inf, -np.inf]), np.array([np.inf, np.inf, 0.5]))
    assert np.isfinite(low[0]) and not np.isfinite(high[2])
    assert [(d.column, d.side) for d in dropped] == [(2, 1)]
    assert dropped[0].p_search < 1e-6 and dropped[0].p_held_out > 0.05
    # Without the held-out test it would have stayed: significant on the search draws.
    assert limit_p_value(X, y, low, np.array([np.inf, np.inf, 0.5]), 2, 1) < 1e-6


def test_leaf_unions_are_exactly_the_boxes_a_partition_describes():
    """Leaves of a 2 x 2 grid: the four cells, the four halves (two cells meeting along one input
    with the same limits on the other), and the whole; never two diagonal cells."""
    inf = np.inf
    leaves = [((-inf, -inf), (0.5, 0.5)), ((-inf, 0.5), (0.5, inf)),
              ((0.5, -inf), (inf, 0.5)), ((0.5, 0.5), (inf, inf))]
    unions = {(members, lo, hi) for members, lo, hi in leaf_unions(leaves)}
    assert len(unions) == 4 + 4 + 1
    members = {m for m, _, _ in unions}
    assert frozenset({0, 3}) not in members and frozenset({1, 2}) not in members
    assert (frozenset({0, 1, 2, 3}), (-inf, -inf), (inf, inf)) in unions
    assert (frozenset({0, 1}), (-inf, -inf), (0.5, inf)) in unions


def test_held_out_draws_must_have_the_search_columns():
    X, y = planted(500, 1)
    with pytest.raises(ValueError, match=r"missing \['x3'\]"):
        discover(X, y, bootstrap=0, held_out=(X.drop(columns="x3"), y))


def test_leaf_unions_of_a_row_of_leaves_are_the_intervals_of_neighbours():
    """Three leaves side by side on one input: the leaves, the two pairs of neighbours and the whole.
    The two end leaves differ on that input only but do not meet: their union is not a box."""
    inf = np.inf
    leaves = [((-inf,), (0.3,)), ((0.3,), (0.5,)), ((0.5,), (inf,))]
    unions = {members: (lo, hi) for members, lo, hi in leaf_unions(leaves)}
    assert unions == {frozenset({0}): ((-inf,), (0.3,)), frozenset({1}): ((0.3,), (0.5,)),
                      frozenset({2}): ((0.5,), (inf,)), frozenset({0, 1}): ((-inf,), (0.5,)),
                      frozenset({1, 2}): ((0.3,), (inf,)), frozenset({0, 1, 2}): ((-inf,), (inf,))}


def test_leaf_unions_stop_at_the_limit():
    """The closure stops once it holds `limit` boxes: a limit of the leaves' number gives the leaves alone,
    and so does the default, 2000, for a tree of 2000 leaves (two of which would merge)."""
    inf = np.inf
    leaves = [((-inf,), (0.3,)), ((0.3,), (0.5,)), ((0.5,), (inf,))]
    assert [m for m, _, _ in leaf_unions(leaves, limit=3)] == [frozenset({0}), frozenset({1}), frozenset({2})]
    # 1998 leaves that differ from each other on both inputs (never a box together), and two siblings.
    many = [((i, i), (i + 0.5, i + 0.5)) for i in range(1998)] + [((-2.0, -2.0), (-1.5, -1.0)),
                                                                 ((-1.5, -2.0), (-1.0, -1.0))]
    assert len(leaf_unions(many)) == 2000
    assert len(leaf_unions(many[:100] + many[-2:])) == 103  # below the limit the siblings merge


def ten_points():
    """x = 0.05, 0.15, ..., 0.95; the event at 0.55 and from 0.75 up (4 cases).

    The tree (leaves of one point allowed: 5% of 10 rows rounds up to 1) splits at 0.5 (Gini 0.16
    against 0.171 at 0.7), then the right half at 0.7 and (0.5, 0.7] at 0.6: pure leaves
    A = x <= 0.5 (0 of 5), B = (0.5, 0.6] (1 of 1), C = (0.6, 0.7] (0 of 1), D = x > 0.7 (3 of 3).
    The boxes are the intervals of neighbouring leaves but the whole line:
    box   coverage density mass  harmonic mean
    B     1/4      1       0.1   0.4
    D     3/4      1       0.3   0.857
    BCD   1        4/5     0.5   0.889   <- the best balance
    CD    3/4      3/4     0.4   0.75
    BC    1/4      1/2     0.2
    AB    1/4      1/6     0.6
    ABC   1/4      1/7     0.7
    A     0        0       0.5
    C     0        0       0.1
    """
    x = (np.arange(10) + 0.5) / 10
    return pd.DataFrame({"x": x}), np.array([0, 0, 0, 0, 0, 1, 0, 1, 1, 1], dtype=bool)


def test_cart_boxes_on_ten_points_by_hand():
    X, y = ten_points()
    found = discover(X, y, method="cart", seed=0)
    box = pd.DataFrame({"low": [0.5], "high": [np.inf]}, index=pd.Index(["x"], name="input"))
    pd.testing.assert_frame_equal(found.box, box)  # boxes.csv's index is named "input"
    assert found.dropped is None and found.quasi_p_held_out is None  # no held-out draws, no limit tested
    assert found.stability is None and found.agreement is None  # the bootstrap is PRIM's
    assert (found.coverage, found.density, found.mass) == pytest.approx((1, 0.8, 0.5))
    expected = pd.DataFrame({"coverage": [0.25, 0.75, 1, 0.75, 0.25, 0.25, 0.25, 0, 0],
                             "density": [1, 1, 0.8, 0.75, 0.5, 1 / 6, 1 / 7, 0, 0],
                             "mass": [0.1, 0.3, 0.5, 0.4, 0.2, 0.6, 0.7, 0.5, 0.1],
                             "restricted": [1] * 9,
                             "chosen": [False, False, True] + [False] * 6})
    # Ties in density keep the order the boxes were found in (B before D, A before C).
    pd.testing.assert_frame_equal(found.tradeoff, expected, check_dtype=False)


def test_cart_min_density_and_depth():
    """At least 90% dense: D (x > 0.7), the most covering of B and D. A tree of depth 1 has the split at
    0.5 only: its boxes are x <= 0.5 and x > 0.5, and the densest, x > 0.5, is reported."""
    X, y = ten_points()
    dense = discover(X, y, method="cart", seed=0, min_density=0.9)
    assert dense.box.loc["x", "low"] == pytest.approx(0.7) and (dense.coverage, dense.density) == (0.75, 1)
    assert dense.tradeoff["chosen"].tolist() == [False, True] + [False] * 7
    shallow = discover(X, y, method="cart", seed=0, min_density=0.9, max_depth=1)
    assert shallow.box.loc["x", "low"] == pytest.approx(0.5) and (shallow.coverage, shallow.density) == (1, 0.8)
    assert shallow.tradeoff[["coverage", "density", "mass"]].to_numpy().tolist() == [[1, 0.8, 0.5], [0, 0, 0.5]]


def test_cart_seed_decides_a_tie_and_reproduces_it():
    """Two identical inputs tie at every split; scikit-learn breaks the tie by a random order of the
    inputs, which the seed fixes: the same seed gives the same input, and some seeds give each
    (seeds past 2^32 included)."""
    X, y = ten_points()
    X["copy"] = X["x"]
    seeds = list(range(10)) + [2**32, 2**32 + 1, 2**40, 2**63 - 1]
    chosen = [discover(X, y, method="cart", seed=s).box.index.tolist() for s in seeds]
    assert chosen == [discover(X, y, method="cart", seed=s).box.index.tolist() for s in seeds]
    assert {tuple(c) for c in chosen} == {("x",), ("copy",)}


def test_cart_defaults_are_depth_4_and_leaves_of_5_percent():
    """A planted box of five limits (0.2 < x1 < 0.8, 0.2 < x2 < 0.8, x3 > 0.5, no noise): a tree of depth 4
    reaches four of them on one path, never five; no leaf holds fewer than 5% of the 2000 rows. The same
    through `discover`, whose default depth is 4 too."""
    from simulator.analysis.cart import cart

    rng = np.random.default_rng(0)
    X = rng.uniform(size=(2000, 3))
    y = (X[:, 0] > 0.2) & (X[:, 0] < 0.8) & (X[:, 1] > 0.2) & (X[:, 1] < 0.8) & (X[:, 2] > 0.5)
    found = discover(pd.DataFrame(X, columns=["x1", "x2", "x3"]), y, method="cart", seed=0)
    assert np.isfinite(found.box.to_numpy()).sum() == 4
    box, boxes, chosen = cart(X, y, 0)
    assert boxes[chosen] is box
    limits = np.concatenate([box.low, box.high])
    assert np.isfinite(limits).sum() == 4
    planted = np.array([0.2, 0.2, 0.5, 0.8, 0.8, np.inf])
    finite = np.isfinite(limits)
    assert np.all(np.abs(limits[finite] - planted[finite]) < 0.01)
    assert min(b.inside.sum() for b in boxes) >= 100


def test_held_out_inputs_without_columns_are_refused():
    X, y = planted(100, 1)
    with pytest.raises(ValueError, match=r"^the held-out inputs must have the search's columns; missing "
                                         r"\['x1', 'x2', 'x3', 'x4', 'x5', 'x6'\]$"):
        discover(X, y, bootstrap=0, held_out=(X.to_numpy(), y))


def test_cart_tradeoff_lists_the_boxes_by_density_ties_in_the_order_found():
    """40 points in eight blocks of five, the event in blocks 2, 5, 6 and 8: the tree's six leaves give 20
    boxes (runs of neighbouring leaves), several equally dense but unlike otherwise. The trade-off lists them
    from the densest, boxes of equal density in the order the unions were found (more than 16 rows: numpy's
    default quicksort would not keep that order)."""
    from simulator.analysis.cart import cart

    x = (np.arange(40) + 0.5) / 40
    y = np.repeat(np.array([0, 1, 0, 0, 1, 1, 0, 1], dtype=bool), 5)
    _, boxes, _ = cart(x[:, None], y, 0)
    densities = [y[b.inside].mean() for b in boxes]
    order = sorted(range(len(boxes)), key=lambda i: -densities[i])  # Python's sort keeps ties in order
    found = discover(pd.DataFrame({"x": x}), y, method="cart", seed=0)
    assert len(found.tradeoff) == len(boxes) == 20
    assert found.tradeoff["mass"].tolist() == [boxes[i].inside.mean() for i in order]
    assert found.tradeoff["density"].tolist() == [densities[i] for i in order]
    assert found.tradeoff["coverage"].tolist() == [y[boxes[i].inside].sum() / y.sum() for i in order]


def test_limits_given_as_whole_numbers():
    """x = 0..19 and noise 0..99 (integers), the event below x = 10; limits given as integers: x <= 9 stays, the
    others (x >= 0 and noise in [0, 100], which hold every draw) are dropped and freed to -inf and inf."""
    rng = np.random.default_rng(0)
    X = np.column_stack([np.tile(np.arange(20), 10), rng.integers(0, 100, 200)])
    y = X[:, 0] < 10
    low, high, dropped = drop_limits(X, y, X, y, [0, 0], [9, 100])
    np.testing.assert_array_equal(low, [-np.inf, -np.inf])
    np.testing.assert_array_equal(high, [9, np.inf])
    assert sorted((d.column, d.side) for d in dropped) == [(0, 0), (1, 0), (1, 1)]


def test_a_limit_whose_p_value_is_exactly_alpha_is_kept():
    """'At most alpha': with alpha set to the larger of a limit's two p-values, the limit stays."""
    X, y = planted(400, 3)
    Xh, yh = planted(400, 4)
    X, Xh = X.to_numpy()[:, :1], Xh.to_numpy()[:, :1]
    low, high = np.array([0.6]), np.array([np.inf])
    alpha = max(limit_p_value(X, y, low, high, 0, 0), limit_p_value(Xh, yh, low, high, 0, 0))
    assert 0 < alpha < 1
    kept_low, _, dropped = drop_limits(X, y, Xh, yh, low, high, alpha=alpha)
    assert kept_low.tolist() == [0.6] and dropped == []
    assert drop_limits(X, y, Xh, yh, low, high, alpha=alpha * 0.999)[2][0].value == 0.6


def test_the_weakest_limit_is_judged_by_the_larger_of_its_two_p_values():
    """Three spurious limits with p-values (search, held out) of about (0.64, 0.71), (0.73, 0.21) and
    (0.60, 0.68): the second goes first, its search p-value being the largest of all."""
    X, y = planted(3000, 5)
    Xh, yh = planted(1500, 6)
    X, Xh = X.to_numpy(), Xh.to_numpy()
    low = np.array([0.6, -np.inf, -np.inf, -np.inf, -np.inf, 0.0199])
    high = np.array([np.inf, 0.4, 0.9534, 0.8616, np.inf, np.inf])
    p = {(j, s): (limit_p_value(X, y, low, high, j, s), limit_p_value(Xh, yh, low, high, j, s))
         for j, s in ((2, 1), (3, 1), (5, 0))}
    assert max(p, key=lambda js: max(p[js])) == (3, 1) and max(p, key=lambda js: p[js][1]) == (2, 1)
    dropped = drop_limits(X, y, Xh, yh, low, high)[2]
    assert (dropped[0].column, dropped[0].side) == (3, 1) and (dropped[0].p_search, dropped[0].p_held_out) == p[(3, 1)]


def test_limit_p_value_of_a_box_without_draws_is_1_and_alpha_must_be_in_0_1():
    """A box that holds no draw shows nothing: p = 1. One that holds a single case, against a density of 1/2
    without the limit: P(Binomial(1, 1/2) >= 1) = 1/2."""
    X = np.array([[0.1], [0.2], [0.3], [0.9]])
    y = np.array([False, True, False, True])
    assert limit_p_value(X, y, np.array([0.95]), np.array([np.inf]), 0, 0) == 1.0
    assert limit_p_value(X, y, np.array([0.5]), np.array([np.inf]), 0, 0) == pytest.approx(0.5)
    for alpha in (0, 1):
        with pytest.raises(ValueError, match=rf"^alpha must be in \(0, 1\), got {alpha}$"):
            drop_limits(X, y, X, y, np.array([0.5]), np.array([np.inf]), alpha=alpha)
