"""Scenario discovery and feature scores on synthetic data with a known answer.

Inputs uniform on (0, 1); the event is 1{x1 > 0.7 and x2 < 0.3}; x3..x6 are noise. The right box
is x1 >= 0.7 and x2 <= 0.3 (coverage and density 1), and only x1 and x2 matter.
"""
import numpy as np
import pandas as pd
import pytest

from simulator.analysis import discover, feature_scores
from simulator.analysis import prim as prim_module

TRUE_LOW_X1, TRUE_HIGH_X2 = 0.7, 0.3


def synthetic(n=4000, noise=4, seed=3, flip=0.0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.uniform(size=(n, 2 + noise)), columns=[f"x{i}" for i in range(1, 3 + noise)])
    y = (X["x1"] > TRUE_LOW_X1) & (X["x2"] < TRUE_HIGH_X2)
    if flip:
        y = y ^ (rng.uniform(size=n) < flip)
    return X, y.to_numpy()


def assert_true_box(box):
    assert sorted(box.index) == ["x1", "x2"], box
    assert abs(box.loc["x1", "low"] - TRUE_LOW_X1) <= 0.05
    assert abs(box.loc["x2", "high"] - TRUE_HIGH_X2) <= 0.05
    # The other side of each is free (or at the edge of the data: no real restriction).
    assert box.loc["x1", "high"] >= 0.95 and box.loc["x2", "low"] <= 0.05


@pytest.mark.parametrize("method", ["prim", "cart"])
def test_box_restricts_the_two_inputs_that_matter_within_0_05(method):
    X, y = synthetic()
    found = discover(X, y, method=method, seed=1, bootstrap=0)
    assert_true_box(found.box)
    assert found.coverage > 0.9 and found.density > 0.9


@pytest.mark.parametrize("method", ["prim", "cart"])
def test_box_with_label_noise(method):
    """5% of outcomes flipped at random: the box is still x1 and x2 within 0.05."""
    X, y = synthetic(n=6000, flip=0.05, seed=11)
    found = discover(X, y, method=method, seed=1, bootstrap=0)
    assert_true_box(found.box)


def test_statistics_are_counts_over_the_rows():
    X, y = synthetic()
    found = discover(X, y, seed=1, bootstrap=0)
    inside = found.contains(X)
    assert found.mass == pytest.approx(inside.mean())
    assert found.density == pytest.approx(y[inside].mean())
    assert found.coverage == pytest.approx(y[inside].sum() / y.sum())
    assert found.evaluate(X, y) == pytest.approx({"coverage": found.coverage, "density": found.density,
                                                  "mass": found.mass})


def test_held_out_draws_keep_the_box_good():
    X, y = synthetic(n=6000)
    found = discover(X.iloc[:4000], y[:4000], seed=1, bootstrap=0)
    held_out = found.evaluate(X.iloc[4000:], y[4000:])
    assert held_out["coverage"] > 0.9 and held_out["density"] > 0.9


def test_prim_tradeoff_is_the_peeling_trajectory():
    X, y = synthetic()
    found = discover(X, y, seed=1, bootstrap=0)
    t = found.tradeoff
    assert t.loc[0, "mass"] == 1 and t.loc[0, "coverage"] == 1 and t.loc[0, "restricted"] == 0
    assert (np.diff(t["mass"]) < 0).all()  # every peel removes points
    assert (np.diff(t["density"]) > 0).all()  # and raises the density (the stopping rule)
    assert t["chosen"].sum() == 1


def test_quasi_p_values_small_for_real_restrictions():
    X, y = synthetic(flip=0.05, n=6000, seed=11)
    found = discover(X, y, seed=1, bootstrap=0)
    assert found.quasi_p.loc["x1", "low"] < 1e-6 and found.quasi_p.loc["x2", "high"] < 1e-6
    assert np.isnan(found.quasi_p.loc["x1", "high"])  # the free side has no test


def test_quasi_p_value_is_the_binomial_tail():
    """Direct check on a hand-made box: density without the restriction is known exactly."""
    from scipy.stats import binom

    X = np.array([[0.1], [0.2], [0.6], [0.7], [0.8], [0.9]])
    y = np.array([False, True, False, True, True, True])
    inside = X[:, 0] >= 0.5
    box = prim_module.Box(np.array([0.5]), np.array([np.inf]), inside)
    low, high = prim_module.quasi_p_values(X, y, box)
    # Box: 3 of 4 cases; without the limit the density is 4/6: P(Binomial(4, 2/3) >= 3).
    assert low[0] == pytest.approx(binom.sf(2, 4, 4 / 6))
    assert np.isnan(high[0])


def test_bootstrap_stability_finds_x1_and_x2_always():
    X, y = synthetic(n=2000)
    found = discover(X, y, seed=1, bootstrap=20)
    s = found.stability["restricted_share"]
    assert s["x1"] == 1 and s["x2"] == 1
    assert found.agreement > 0.8
    assert all(s.get(f"x{i}", 0) <= 0.5 for i in range(3, 7))


def test_seeded_results_are_reproducible():
    X, y = synthetic(flip=0.05, n=3000)
    a = discover(X, y, seed=5, bootstrap=10)
    b = discover(X, y, seed=5, bootstrap=10)
    pd.testing.assert_frame_equal(a.box, b.box)
    pd.testing.assert_frame_equal(a.stability, b.stability)
    threaded = discover(X, y, seed=5, bootstrap=10, threads=3)
    pd.testing.assert_frame_equal(a.stability, threaded.stability)
    assert a.agreement == threaded.agreement
    c = discover(X, y, method="cart", seed=5)
    pd.testing.assert_frame_equal(c.box, discover(X, y, method="cart", seed=5).box)


def test_choice_from_the_tradeoff():
    """Default: the best harmonic mean of coverage and density; with min_density: the highest
    coverage among boxes at least that dense."""
    rows = np.array([[1.0, 0.2], [0.9, 0.5], [0.7, 0.8], [0.4, 0.95], [0.1, 1.0]])
    f1 = 2 * rows[:, 0] * rows[:, 1] / rows.sum(axis=1)
    assert prim_module.choose(rows) == int(np.argmax(f1)) == 2
    assert prim_module.choose(rows, min_density=0.9) == 3
    assert prim_module.choose(rows, min_density=0.5) == 1


def test_min_density_reports_a_box_that_dense():
    X, y = synthetic(flip=0.1, n=4000)
    loose = discover(X, y, seed=1, bootstrap=0)
    strict = discover(X, y, seed=1, bootstrap=0, min_density=0.88)
    assert strict.density >= 0.88 > loose.density
    assert strict.coverage < loose.coverage


@pytest.mark.parametrize("bad, message", [
    (lambda X, y: (X, y[:-1]), "one value per row"),
    (lambda X, y: (X, np.zeros(len(y), bool)), "false in every row"),
    (lambda X, y: (X, np.where(y, 2, 0)), "boolean"),
    (lambda X, y: (X.assign(x1=np.nan), y), "finite"),
])
def test_bad_arguments_are_refused(bad, message):
    X, y = synthetic(n=200)
    with pytest.raises(ValueError, match=message):
        discover(*bad(X, y))
    with pytest.raises(ValueError, match="unknown method"):
        discover(X, y, method="svm")


@pytest.mark.parametrize("kind", ["event", "output"])
def test_feature_scores_rank_x1_and_x2_above_every_noise_input(kind):
    X, y = synthetic(n=3000)
    outcome = y if kind == "event" else (X["x1"] * 3 - 2 * X["x2"] + 0.1 * np.random.default_rng(0).normal(size=len(X)))
    scores = feature_scores(X, outcome, seed=1)
    assert set(scores.index[:2]) == {"x1", "x2"}
    assert scores.sum() == pytest.approx(1)
    assert min(scores["x1"], scores["x2"]) > max(scores[f"x{i}"] for i in range(3, 7))


def test_feature_scores_of_a_group_are_the_sum_of_its_columns():
    X, y = synthetic(n=1000)
    single = feature_scores(X, y, seed=2)
    grouped = feature_scores(X, y, seed=2, groups={"x3": "noise", "x4": "noise", "x5": "noise", "x6": "noise"})
    assert grouped["noise"] == pytest.approx(single[["x3", "x4", "x5", "x6"]].sum())
    assert grouped["x1"] == pytest.approx(single["x1"])


def reference_peel(X, y, peel_alpha=0.05, mass_min=0.05):
    """The peeling step written plainly (partition the box's values at every step), to check the
    fast one against."""
    n, d = X.shape
    low, high = np.full(d, -np.inf), np.full(d, np.inf)
    inside = np.ones(n, dtype=bool)
    out = [(low.copy(), high.copy(), inside.copy())]
    while True:
        idx = np.flatnonzero(inside)
        m, k = len(idx), int(peel_alpha * len(idx))
        if k == 0:
            break
        best = None
        for side in (0, 1):
            for j in range(d):
                xb = np.sort(X[idx, j])
                cut = xb[k] if side == 0 else xb[m - 1 - k]
                keep = X[idx, j] >= cut if side == 0 else X[idx, j] <= cut
                n_new = keep.sum()
                if not (n_new < m and n_new >= mass_min * n and n_new > 0):
                    continue
                dens = y[idx][keep].mean()
                if best is None or dens > best[0]:
                    best = (dens, j, side, cut, keep)
        if best is None or best[0] <= y[idx].mean():
            break
        _, j, side, cut, keep = best
        (low if side == 0 else high)[j] = cut
        inside[idx[~keep]] = False
        out.append((low.copy(), high.copy(), inside.copy()))
    return out


@pytest.mark.parametrize("ties", [False, True])
def test_fast_peeling_matches_the_plain_algorithm(ties):
    X, y = synthetic(n=1500, flip=0.1, seed=7)
    X = X.to_numpy(copy=True)
    if ties:  # inputs with repeated values: a peel must keep or remove a tie as a whole
        X[:, 0] = np.round(X[:, 0] * 20) / 20
        X[:, 3] = np.round(X[:, 3] * 4) / 4
    fast = prim_module.peel(X, y)
    plain = reference_peel(X, y)
    assert len(fast) == len(plain) > 5
    for box, (low, high, inside) in zip(fast, plain):
        np.testing.assert_array_equal(box.low, low)
        np.testing.assert_array_equal(box.high, high)
        np.testing.assert_array_equal(box.inside, inside)


@pytest.mark.parametrize("seed", [2**32, 2**63 - 1])
def test_seeds_beyond_scikit_learns_range_work_and_stay_reproducible(seed):
    """Run seeds go to 2^63 - 1; scikit-learn takes them below 2^32 only (it raised before)."""
    from simulator.analysis.trees import sklearn_seed

    X, y = synthetic(n=1500)
    first = feature_scores(X, y, seed=seed, trees=20)
    pd.testing.assert_series_equal(first, feature_scores(X, y, seed=seed, trees=20))
    assert set(first.index[:2]) == {"x1", "x2"}
    assert_true_box(discover(X, y, method="cart", seed=seed).box)
    assert sklearn_seed(12345) == 12345 and 0 <= sklearn_seed(seed) < 2**32
    assert sklearn_seed(2**63 - 1) != sklearn_seed(2**63 - 2)
