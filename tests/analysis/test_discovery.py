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
    # Upper limit 0.65: 1 case of 3 points against 4/6 without it: P(Binomial(3, 2/3) >= 1).
    low, high = prim_module.quasi_p_values(X, y, prim_module.Box(np.array([-np.inf]), np.array([0.65]), X[:, 0] <= 0.65))
    assert np.isnan(low[0]) and high[0] == pytest.approx(binom.sf(0, 3, 4 / 6))
    # A box holding no point: nothing to test.
    empty = prim_module.Box(np.array([0.95]), np.array([np.inf]), np.zeros(6, dtype=bool))
    assert np.isnan(prim_module.quasi_p_values(X, y, empty)[0][0])


def test_bootstrap_stability_finds_x1_and_x2_always():
    X, y = synthetic(n=2000)
    found = discover(X, y, seed=1, bootstrap=20)
    s = found.stability["restricted_share"]
    assert s["x1"] == 1 and s["x2"] == 1
    assert s.is_monotonic_decreasing  # the most often restricted first
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
    assert grouped.index.name == "input"


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


# --- One event's discovery (event_discovery.py): the tables and sentences users read, on hand-made boxes ---

R, FX, SHOCK = "investment.realisation_rate", "investment.fx_jpy_per_usd", "trade.shock_japan_to_india.to_2030"
CONC, PLEDGE, KNOB, COVER = "investment.sector_concentration", "investment.pledge_jpy_tn", "custom.knob", "cover"
LABELS = {R: ("Share of the pledge that arrives", "share"), FX: ("Exchange rate", "jpy_per_usd"),
          SHOCK: ("Accumulated shocks to Japan's exports to India up to 2030", "standard normal"),
          CONC: ("Dirichlet concentration of the sector shares", ""), PLEDGE: ("Japan's investment pledge", "jpy_tn"),
          KNOB: ("custom.knob", ""), COVER: ("Export cover ratio", "ratio")}


def trade_event(by=False, variable="trade.balance"):
    from simulator.scenario.event_definitions import Event

    return Event("narrower", "India's deficit with Japan narrower", variable, 2030, by, "<", "base")


def frame(rows, columns):
    """rows: input -> values, as a frame indexed by `input`."""
    return pd.DataFrame(list(rows.values()), columns=columns, index=pd.Index(list(rows), name="input"))


def hand_made(box=None, dropped=None, quasi=True, event=None):
    """An EventDiscovery with every number chosen by hand: probability 25%, in the box 80% of 10% of the
    draws holding 32% of the cases; on 1,200 held-out draws 70%, 12% and 34%."""
    from simulator.analysis.discovery import Discovery
    from simulator.analysis.event_discovery import EventDiscovery

    inf = np.inf
    if box is None:
        box = frame({R: (0.62, inf), FX: (140.5, 160.25), SHOCK: (-inf, -0.5)}, ["low", "high"])
    nan = np.nan
    qp = frame({R: (1e-5, nan), FX: (0.01, 0.02), SHOCK: (nan, 1e-9)}, ["low", "high"]) if quasi else None
    qp_held = frame({R: (1e-3, nan), FX: (0.03, 0.04), SHOCK: (nan, 1e-4)}, ["low", "high"]) if quasi else None
    stability = (frame({SHOCK: (1.0, True), R: (0.9, True), FX: (0.6, True), CONC: (0.2, False)},
                       ["restricted_share", "in_box"]) if quasi else None)
    found = Discovery("prim", box, 0.32, 0.8, 0.1, pd.DataFrame(), qp, stability, 0.9, tuple(LABELS), dropped, qp_held)
    scores = pd.Series({SHOCK: 0.5, R: 0.3, FX: 0.15, CONC: 0.05}, name="importance")
    return EventDiscovery(event or trade_event(), found, {"coverage": 0.34, "density": 0.7, "mass": 0.12}, scores,
                          0.25, 2800, 1200, LABELS, pd.DataFrame())


def one_dropped():
    return frame({CONC: ("low", 2.5, 0.2, 0.5)}, ["side", "limit", "p_search", "p_held_out"])


def seven_dropped():
    rows = [(CONC, "high", 9.0, 0.3, 0.9), (FX, "high", 170.0, 0.06, 0.01), (SHOCK, "low", -2.0, 0.5, 0.4),
            (COVER, "low", 0.8, 0.07, 0.08), (PLEDGE, "low", 5.0, 0.2, 0.2), (KNOB, "high", 0.001234, 0.6, 0.1),
            (FX, "low", 100.0, 0.2, 0.3)]
    return pd.DataFrame(rows, columns=["input", "side", "limit", "p_search", "p_held_out"]).set_index("input")


def test_box_table_is_what_boxes_csv_holds():
    table = hand_made(dropped=one_dropped()).box_table()
    nan, inf = np.nan, np.inf
    expected = frame({R: ("Share of the pledge that arrives", "share", 0.62, inf, 1e-5, nan, 1e-3, nan, 0.9, 0.3),
                      FX: ("Exchange rate", "jpy_per_usd", 140.5, 160.25, 0.01, 0.02, 0.03, 0.04, 0.6, 0.15),
                      SHOCK: ("Accumulated shocks to Japan's exports to India up to 2030", "standard normal", -inf,
                              -0.5, nan, 1e-9, nan, 1e-4, 1.0, 0.5)},
                     ["label", "unit", "low", "high", "quasi_p_low", "quasi_p_high", "held_out_p_low", "held_out_p_high",
                      "bootstrap_share", "feature_score"])
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    # Without quasi-p-values, held-out test or bootstrap: the columns there are.
    bare = hand_made(quasi=False).box_table()
    assert list(bare.columns) == ["label", "unit", "low", "high", "feature_score"]


def test_dropped_table_is_what_dropped_csv_holds():
    table = hand_made(dropped=seven_dropped()).dropped_table()
    assert table.index.name == "input" and list(table.index) == [CONC, FX, SHOCK, COVER, PLEDGE, KNOB, FX]
    assert list(table.columns) == ["label", "unit", "side", "limit", "p_search", "p_held_out"]
    assert table.loc[COVER].tolist() == ["Export cover ratio", "ratio", "low", 0.8, 0.07, 0.08]
    none = hand_made().dropped_table()
    assert none.empty and none.index.name == "input"
    assert list(none.columns) == ["label", "unit", "side", "limit", "p_search", "p_held_out"]


def test_conditions_read_in_the_inputs_units_most_important_first():
    assert hand_made().conditions() == [
        "Accumulated shocks to Japan's exports to India up to 2030 ≤ -0.5",  # score 0.5; standard normal: no unit
        "Share of the pledge that arrives ≥ 62%",  # 0.3; a share in percent
        "Exchange rate between 140.50 JPY per US$ and 160.25 JPY per US$",  # 0.15; both sides, each with its unit
    ]


def test_dropped_conditions_nearest_to_significance_first():
    """Each with the larger of its two p-values, in increasing order of it; each value in its unit."""
    assert hand_made(dropped=seven_dropped()).dropped_conditions() == [
        "Exchange rate ≤ 170.00 JPY per US$ (p = 0.06)",
        "Export cover ratio ≥ 0.8 (p = 0.08)",
        "Japan's investment pledge ≥ 5.00 JPY tn (p = 0.2)",
        "Exchange rate ≥ 100.00 JPY per US$ (p = 0.3)",
        "Accumulated shocks to Japan's exports to India up to 2030 ≥ -2.00 (p = 0.5)",
        "custom.knob ≤ 0.00123 (p = 0.6)",
        "Dirichlet concentration of the sector shares ≤ 9.00 (p = 0.9)",
    ]
    assert hand_made().dropped_conditions() == []


def test_summary_with_three_conditions_and_one_limit_dropped():
    assert hand_made(dropped=one_dropped()).summary() == (
        "India's deficit with Japan narrower (in FY2030-31) happens in 25% of all draws, and in 80% of the draws "
        "in which Accumulated shocks to Japan's exports to India up to 2030 ≤ -0.5; Share of the pledge that "
        "arrives ≥ 62%; and Exchange rate between 140.50 JPY per US$ and 160.25 JPY per US$. Those draws are 10% "
        "of all and hold 32% of the cases where it happens. On 1,200 held-out draws the same box gives 70%, 12% and "
        "34%. "
        "A limit found but dropped (removing it does not lower the density significantly): Dirichlet "
        "concentration of the sector shares ≥ 2.50 (p = 0.5).")


def test_summary_with_one_condition_and_seven_limits_dropped():
    """Five dropped limits are named, the other two counted; an event 'by' a year says so."""
    box = frame({R: (0.62, np.inf)}, ["low", "high"])
    text = hand_made(box=box, dropped=seven_dropped(), event=trade_event(by=True)).summary()
    assert text == (
        "India's deficit with Japan narrower (by 2030) happens in 25% of all draws, and in 80% of the draws in "
        "which Share of the pledge that arrives ≥ 62%. Those draws are 10% of all and hold 32% of the cases where "
        "it happens. On 1,200 held-out draws the same box gives 70%, 12% and 34%. Limits found but dropped "
        "(removing each does not lower the density significantly): Exchange rate ≤ 170.00 JPY per US$ (p = 0.06); "
        "Export cover ratio ≥ 0.8 (p = 0.08); Japan's investment pledge ≥ 5.00 JPY tn (p = 0.2); Exchange rate ≥ "
        "100.00 JPY per US$ (p = 0.3); Accumulated shocks to Japan's exports to India up to 2030 ≥ -2.00 "
        "(p = 0.5); and 2 more (dropped.csv).")


def test_summary_without_a_box():
    """Every limit dropped: the sentence says so and names them; no limit found at all: it says that."""
    empty = frame({}, ["low", "high"])
    calendar = trade_event(variable="investment.fdi_stock")
    assert hand_made(box=empty, dropped=one_dropped(), event=calendar).summary() == (
        "India's deficit with Japan narrower (in 2030) happens in 25% of the draws; no box of inputs concentrates "
        "it (the limits the search found do not raise its share significantly: Dirichlet concentration of the "
        "sector shares ≥ 2.50 (p = 0.5)).")
    assert hand_made(box=empty, event=calendar).summary() == (
        "India's deficit with Japan narrower (in 2030) happens in 25% of the draws; no box of inputs concentrates "
        "it (the search found no restriction that raises its share).")


def small_ensemble(n=300, seed=0):
    """A run's inputs made up: the realisation rate uniform on (0.3, 0.9), the exchange rate on (120, 170),
    the pledge fixed, Japan's export shocks 2026-2031 standard normal. The event: realisation above 0.6,
    each label flipped with probability 0.1."""
    rng = np.random.default_rng(seed)
    columns = {R: rng.uniform(0.3, 0.9, n), FX: rng.uniform(120, 170, n), PLEDGE: np.full(n, 10.0)}
    for year in range(2026, 2032):
        columns[f"trade.shock_japan_to_india.{year}"] = rng.normal(size=n)
    inputs = pd.DataFrame(columns)
    return inputs, (inputs[R] > 0.6).to_numpy() ^ (rng.uniform(size=n) < 0.1)


@pytest.fixture(scope="module")
def event_found():
    from simulator.analysis.event_discovery import discover_outcome

    inputs, happened = small_ensemble()
    return inputs, happened, discover_outcome(inputs, happened, trade_event(), seed=1)  # the defaults


def test_event_discovery_splits_the_draws_and_measures_the_box_on_the_held_out_ones(event_found):
    inputs, happened, found = event_found
    assert (found.n_search, found.n_held_out) == (210, 90)  # 30% of 300 held out
    assert found.probability == happened.mean() and found.event == trade_event()
    d = found.discovery
    assert list(d.box.index) == [R] and d.box.loc[R, "low"] == pytest.approx(0.6, abs=0.05)
    # The held-out draws are the 90 the search did not see: counts over all 300 draws minus the search's.
    inside = ((inputs[R] >= d.box.loc[R, "low"]) & (inputs[R] <= d.box.loc[R, "high"])).to_numpy()
    search_in, search_cases = round(d.mass * 210), round(d.density * d.mass * 210)
    search_all_cases = round(d.tradeoff.loc[0, "density"] * 210)  # PRIM's first box holds every search draw
    held_in, held_cases = inside.sum() - search_in, happened[inside].sum() - search_cases
    assert found.held_out == pytest.approx({"mass": held_in / 90, "density": held_cases / held_in,
                                            "coverage": held_cases / (happened.sum() - search_all_cases)})
    # The limits were tested on the held-out draws (none dropped here), and 30 bootstrap resamples by default.
    assert d.dropped is not None and d.dropped.empty and list(d.quasi_p_held_out.index) == [R]
    np.testing.assert_allclose(d.stability["restricted_share"] * 30, np.round(d.stability["restricted_share"] * 30),
                               atol=1e-9)


def test_event_discovery_inputs_labels_ranges_and_scores(event_found):
    """The pledge never varies: left out. Japan's shocks up to 2030 are one input, their sum over
    sqrt(5); 2031's cannot matter for 2030. Ranges over all draws; scores over all draws, the
    realisation rate (which decides the event) first."""
    inputs, happened, found = event_found
    accumulated = "trade.shock_japan_to_india.to_2030"
    assert found.labels == {R: ("Share of the pledge that arrives", "share"), FX: ("Exchange rate", "jpy_per_usd"),
                            accumulated: ("Accumulated shocks to Japan's exports to India up to 2030", "standard normal")}
    summed = inputs[[f"trade.shock_japan_to_india.{y}" for y in range(2026, 2031)]].sum(axis=1) / np.sqrt(5)
    expected = pd.DataFrame({"min": [inputs[R].min(), inputs[FX].min(), summed.min()],
                             "max": [inputs[R].max(), inputs[FX].max(), summed.max()]}, index=[R, FX, accumulated])
    pd.testing.assert_frame_equal(found.ranges, expected)
    assert found.scores.index[0] == R and set(found.scores.index) == {R, FX, accumulated}
    assert found.scores.sum() == pytest.approx(1)
    # Over all 300 draws, with feature_scores' defaults: 100 trees, leaves of at least 20 draws.
    from simulator.analysis.discovery_inputs import discovery_inputs

    pd.testing.assert_series_equal(found.scores, feature_scores(discovery_inputs(inputs, 2030), happened, seed=1,
                                                                trees=100, min_samples_leaf=20))
    assert "On 90 held-out draws the same box gives" in found.summary()


@pytest.mark.parametrize("holdout", [0, 1])
def test_event_discovery_refuses_a_holdout_outside_0_1(holdout):
    from simulator.analysis.event_discovery import discover_outcome

    inputs, happened = small_ensemble(n=50)
    with pytest.raises(ValueError, match=rf"^holdout must be a share in \(0, 1\), got {holdout}$"):
        discover_outcome(inputs, happened, trade_event(), holdout=holdout)


def test_event_discovery_refuses_a_run_without_uncertain_inputs():
    from simulator.analysis.event_discovery import discover_outcome

    inputs, happened = small_ensemble(n=50)
    with pytest.raises(ValueError, match="^the run has no uncertain inputs: there is nothing to discover$"):
        discover_outcome(inputs[[PLEDGE]], happened, trade_event())


def fake_run(inputs, happened):
    """What discover_event reads of a run: its inputs, its scenario's events, and an event per draw."""
    from dataclasses import replace
    from types import SimpleNamespace

    other = replace(trade_event(), name="other", title="Another event")
    outcomes = {"narrower": happened, "other": ~happened}
    return SimpleNamespace(inputs=inputs, scenario=SimpleNamespace(events=[other, trade_event()]),
                           event=lambda name: outcomes[name])


def test_discover_event_is_discover_outcome_on_the_runs_inputs_and_event():
    """Every setting passed on, each away from its default so that a setting lost would show: 40% held out
    (120 of 300); 3 resamples (shares in thirds); the search stops at half the draws; the most covering box
    at least 85% dense is chosen; no limit has a p-value below 1e-300, so every one is dropped."""
    from simulator.analysis.event_discovery import discover_event, discover_outcome

    inputs, happened = small_ensemble()
    settings = dict(seed=3, holdout=0.4, bootstrap=3, min_density=0.85, mass_min=0.5, threads=2, alpha=1e-300)
    found = discover_event(fake_run(inputs, happened), "narrower", **settings)
    assert found.event == trade_event() and (found.n_search, found.n_held_out) == (180, 120)
    share = found.discovery.stability["restricted_share"]
    np.testing.assert_allclose(share * 3, np.round(share * 3), atol=1e-9)
    assert ((share > 0) & (share < 1)).any()
    t = found.discovery.tradeoff
    assert t["mass"].min() >= 0.5
    dense = t[t["density"] >= 0.85]
    assert t["chosen"].tolist() == (t.index == dense["coverage"].idxmax()).tolist()
    assert found.discovery.box.empty and list(found.discovery.dropped.index) == [R]
    same = discover_outcome(inputs, happened, trade_event(), **settings)
    assert found.held_out == same.held_out and found.probability == same.probability
    pd.testing.assert_frame_equal(found.discovery.tradeoff, same.discovery.tradeoff)
    pd.testing.assert_frame_equal(found.discovery.stability, same.discovery.stability)
    pd.testing.assert_frame_equal(found.dropped_table(), same.dropped_table())
    pd.testing.assert_series_equal(found.scores, same.scores)


def test_discover_event_with_cart_on_one_input():
    """The exchange rate and shocks left out: one input, and the tree's box on it."""
    from simulator.analysis.event_discovery import discover_event

    inputs, happened = small_ensemble()
    found = discover_event(fake_run(inputs[[R, PLEDGE]], happened), "narrower", method="cart", seed=3)
    assert found.discovery.method == "cart" and list(found.discovery.box.index) == [R]
    assert list(found.scores.index) == [R] and found.scores[R] == 1


def test_discover_event_defaults():
    """PRIM, 30% held out (90 of 300), 30 bootstrap resamples (shares in thirtieths)."""
    from simulator.analysis.event_discovery import discover_event

    inputs, happened = small_ensemble()
    found = discover_event(fake_run(inputs[[R, FX]], happened), "narrower", seed=3)
    assert found.discovery.method == "prim" and (found.n_search, found.n_held_out) == (210, 90)
    share = found.discovery.stability["restricted_share"]
    assert share[R] == 1
    np.testing.assert_allclose(share * 30, np.round(share * 30), atol=1e-9)


def test_discovery_inputs_by_hand():
    """Year 2030: inputs that vary are kept as they are (a name ending in a year that is no shock series
    too); the pledge never varies and goes; each shock series up to 2030 becomes its sum over sqrt(k)
    (Japan's exports: (1 + 1, 0 + 3) / sqrt(2); the yen: (3, -3) / 1); 2031's shocks cannot matter; a series
    with shocks after 2030 only has no input."""
    from simulator.analysis.discovery_inputs import discovery_inputs

    inputs = pd.DataFrame({R: [0.5, 0.7], PLEDGE: [10.0, 10.0], "custom.2030": [1.0, 2.0],
                           "trade.shock_japan_to_india.2029": [1.0, 0.0], "trade.shock_japan_to_india.2030": [1.0, 3.0],
                           "trade.shock_japan_to_india.2031": [5.0, -5.0], "investment.fx_shock.2030": [3.0, -3.0],
                           "trade.shock_india_to_japan.2031": [1.0, -1.0]}, index=[10, 20])
    # A switch (booleans) is an input as 0/1; shocks held as Python objects sum as numbers.
    inputs["custom.switch"] = [True, False]
    inputs["investment.fx_shock.2030"] = inputs["investment.fx_shock.2030"].astype(object)
    expected = pd.DataFrame({R: [0.5, 0.7], "custom.2030": [1.0, 2.0], "custom.switch": [1.0, 0.0],
                             "trade.shock_japan_to_india.to_2030": [2 / np.sqrt(2), 3 / np.sqrt(2)],
                             "investment.fx_shock.to_2030": [3.0, -3.0]}, index=[10, 20])
    pd.testing.assert_frame_equal(discovery_inputs(inputs, 2030), expected)


def test_discovery_labels():
    from simulator.analysis.discovery_inputs import discovery_label

    assert discovery_label("trade.shock_india_to_japan.to_2029") == (
        "Accumulated shocks to India's exports to Japan up to 2029", "standard normal")
    assert discovery_label("investment.fx_shock.2027") == ("Shock to the yen per dollar exchange rate in 2027",
                                                           "standard normal")
    assert discovery_label(R) == ("Share of the pledge that arrives", "share")
    assert discovery_label("custom.to_2030") == ("custom.to_2030", "")  # no shock series: as it is


def test_a_box_holds_the_points_on_its_limits():
    """A box x >= 0.5 (hand-made) on x = 0.4, 0.5, 0.6: the point at the limit is inside (limits are
    data values: PRIM cuts at a point and keeps it)."""
    from simulator.analysis.discovery import Discovery

    box = Discovery("prim", frame({"x": (0.5, np.inf)}, ["low", "high"]), 1.0, 1.0, 0.5, pd.DataFrame())
    points = pd.DataFrame({"x": [0.4, 0.5, 0.6]})
    assert box.contains(points).tolist() == [False, True, True]
    assert box.evaluate(points, [True, True, False]) == pytest.approx({"coverage": 0.5, "density": 0.5, "mass": 2 / 3})
    top = Discovery("prim", frame({"x": (-np.inf, 0.5)}, ["low", "high"]), 1.0, 1.0, 0.5, pd.DataFrame())
    assert top.contains(points).tolist() == [True, True, False]
    # Draws without the event: no coverage to speak of (NaN); none inside the box: no density (NaN).
    none = box.evaluate(points, [False, False, False])
    assert np.isnan(none["coverage"]) and none["density"] == 0 and none["mass"] == pytest.approx(2 / 3)
    outside = box.evaluate(pd.DataFrame({"x": [0.1, 0.2]}), [True, False])
    assert outside["coverage"] == 0 and np.isnan(outside["density"]) and outside["mass"] == 0


def test_an_outcome_of_zeros_and_ones_is_read_as_booleans():
    X, y = synthetic(n=1000)
    as_bool = discover(X, y, seed=1, bootstrap=0)
    as_int = discover(X, y.astype(int), seed=1, bootstrap=0)
    pd.testing.assert_frame_equal(as_int.box, as_bool.box)
    assert (as_int.coverage, as_int.density, as_int.mass) == (as_bool.coverage, as_bool.density, as_bool.mass)
    assert as_int.evaluate(X, y.astype(float)) == as_bool.evaluate(X, y)


@pytest.mark.parametrize("inputs", [np.zeros((5, 2)), pd.DataFrame(index=range(5))])
def test_inputs_must_be_a_data_frame_with_columns(inputs):
    with pytest.raises(ValueError, match="^inputs must be a DataFrame with one column per input$"):
        discover(inputs, [True, False, True, False, True])


def test_inputs_of_booleans_and_python_floats_are_numbers():
    """A switch (booleans) beside numbers, and a column of Python floats (object dtype, as pandas
    keeps mixed data): read as numbers, the switch as 0/1. A NaN is named with its column."""
    X, y = synthetic(n=1000)
    plain = discover(X, y, seed=1, bootstrap=0)
    mixed = X.assign(x3=X["x3"] > 0.5, x4=X["x4"].astype(object))
    assert mixed["x3"].dtype == bool and mixed["x4"].dtype == object
    found = discover(mixed, y, seed=1, bootstrap=0)
    pd.testing.assert_frame_equal(found.box, plain.box)
    # The box on other draws whose restricted inputs are Python floats: the same draws inside.
    assert found.evaluate(X.astype(object), y) == found.evaluate(X, y)
    with pytest.raises(ValueError, match=r"^inputs must be finite numbers; not so in \['x5'\]$"):
        discover(mixed.assign(x5=np.where(X["x5"] > 0.9, np.nan, X["x5"])), y)


@pytest.mark.parametrize("mass_min", [0, 1, 1.5])
def test_mass_min_must_be_in_0_1(mass_min):
    X, y = synthetic(n=50)
    with pytest.raises(ValueError, match=rf"^mass_min must be in \(0, 1\), got {mass_min}$"):
        discover(X, y, mass_min=mass_min)


def test_pasting_by_default_lets_an_overshooting_peel_back_out():
    """Peels of 30% overshoot the event x > 0.5 (the box starts above 0.56); pasting, by default 5% of
    the box's points at a time, lets the limit out while the density stays 1: down to the smallest x
    above 0.5, coverage 1."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.uniform(size=400), "z": rng.uniform(size=400)})
    y = (X["x"] > 0.5).to_numpy()
    found = discover(X, y, seed=1, bootstrap=0, peel_alpha=0.3)
    assert found.box.loc["x", "low"] == X["x"][y].min() and (found.coverage, found.density) == (1, 1)
    assert found.tradeoff.loc[1, "mass"] == 0.7  # the first peel took int(0.3 * 400) = 120 of the 400 draws
    # Pasting every point below the limit at once (paste_alpha 1) would lower the density: the box stays
    # where the peels left it.
    unpasted = discover(X, y, seed=1, bootstrap=0, peel_alpha=0.3, paste_alpha=1)
    assert unpasted.box.loc["x", "low"] > 0.55 and unpasted.coverage < 0.95 and unpasted.density == 1


def test_bootstrap_by_default_resamples_50_times():
    """Shares of 50 resamples: whole multiples of 1/50 (z, an input that does not matter, is restricted in
    some resamples only)."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.uniform(size=200), "z": rng.uniform(size=200)})
    y = (X["x"] > 0.5).to_numpy() ^ (rng.uniform(size=200) < 0.1)
    share = discover(X, y, seed=1).stability["restricted_share"]
    assert share["x"] == 1 and 0 < share["z"] < 1
    np.testing.assert_allclose(share * 50, np.round(share * 50), atol=1e-9)


def test_conditions_on_people_are_whole_numbers():
    box = frame({"exchange.stages.visa.capacity": (-np.inf, 1234.4)}, ["low", "high"])
    found = hand_made(box=box)
    found.labels["exchange.stages.visa.capacity"] = ("Visa capacity", "people")
    assert found.conditions() == ["Visa capacity ≤ 1,234 people"]


def test_summary_with_two_and_with_five_limits_dropped():
    """Two dropped: 'Limits ... each'; five: all named, none counted apart. Without a box, two dropped are
    named one after the other."""
    box = frame({R: (0.62, np.inf)}, ["low", "high"])
    two = hand_made(box=box, dropped=seven_dropped().iloc[:2]).summary()
    assert two.endswith(" Limits found but dropped (removing each does not lower the density significantly): "
                        "Exchange rate ≤ 170.00 JPY per US$ (p = 0.06); Dirichlet concentration of the sector shares "
                        "≤ 9.00 (p = 0.9).")
    five = hand_made(box=box, dropped=seven_dropped().iloc[:5]).summary()
    assert five.endswith("Accumulated shocks to Japan's exports to India up to 2030 ≥ -2.00 (p = 0.5); "
                         "Dirichlet concentration of the sector shares ≤ 9.00 (p = 0.9).")
    assert "more (dropped.csv)" not in five
    empty = hand_made(box=frame({}, ["low", "high"]), dropped=seven_dropped().iloc[:2]).summary()
    assert empty.endswith("do not raise its share significantly: Exchange rate ≤ 170.00 JPY per US$ (p = 0.06); "
                          "Dirichlet concentration of the sector shares ≤ 9.00 (p = 0.9)).")


def test_dropped_conditions_keep_the_order_dropped_among_equal_p_values():
    """Forty limits dropped with the same p-value (1: no draw inside, say) are listed in the order dropped."""
    names = [f"custom.knob_{i:02d}" for i in range(40)]
    dropped = pd.DataFrame({"side": "high", "limit": 1.0, "p_search": 1.0, "p_held_out": 1.0},
                           index=pd.Index(names, name="input"))
    found = hand_made(dropped=dropped)
    found.labels.update({k: (k, "") for k in names})
    assert found.dropped_conditions() == [f"{k} ≤ 1.00 (p = 1)" for k in names]


def test_discover_lists_the_limits_it_dropped():
    """PRIM's box on 1000 draws (x1 > 0.7 and x2 < 0.3 planted, 5% noise) has five limits more, each of which
    held-out draws do not support: dropped, each listed with its side, its value in the box as found, and
    p-values above 0.05 (the first, the weakest, tested on the whole box); x1's low and x2's high stay."""
    from simulator.analysis.limits import limit_p_value

    X, y = synthetic(n=1000, flip=0.05, seed=5)
    held = synthetic(n=1000, flip=0.05, seed=6)
    as_found = discover(X, y, seed=1, bootstrap=0)
    found = discover(X, y, seed=1, bootstrap=0, held_out=held)
    dropped = found.dropped
    assert dropped.index.name == "input" and list(dropped.columns) == ["side", "limit", "p_search", "p_held_out"]
    assert list(zip(dropped.index, dropped["side"])) == [("x1", "high"), ("x5", "high"), ("x4", "low"),
                                                         ("x3", "high"), ("x5", "low")]
    assert [as_found.box.loc[k, side] for k, side in zip(dropped.index, dropped["side"])] == dropped["limit"].tolist()
    assert (dropped[["p_search", "p_held_out"]].max(axis=1) > 0.05).all()
    low = as_found.box["low"].reindex(list(X.columns), fill_value=-np.inf)
    high = as_found.box["high"].reindex(list(X.columns), fill_value=np.inf)
    first = (limit_p_value(X.to_numpy(), y, low.to_numpy(), high.to_numpy(), 0, 1),
             limit_p_value(held[0].to_numpy(), held[1], low.to_numpy(), high.to_numpy(), 0, 1))
    assert tuple(dropped.iloc[0][["p_search", "p_held_out"]]) == first
    expected = frame({"x1": (as_found.box.loc["x1", "low"], np.inf), "x2": (-np.inf, as_found.box.loc["x2", "high"])},
                     ["low", "high"])
    pd.testing.assert_frame_equal(found.box, expected)
    assert list(found.quasi_p_held_out.index) == ["x1", "x2"] and found.quasi_p_held_out.index.name == "input"


def test_sklearn_seed_passes_seeds_below_2_to_the_32_as_they_are():
    from simulator.analysis.trees import sklearn_seed

    assert [sklearn_seed(s) for s in (None, 0, 1, 2**32 - 1)] == [None, 0, 1, 2**32 - 1]
    assert isinstance(sklearn_seed(2**32), int) and 0 <= sklearn_seed(2**32) < 2**32


@pytest.mark.parametrize("inputs, outcome, message", [
    (np.zeros((4, 2)), [True, False, True, False], "^inputs must be a DataFrame with one column per input$"),
    (pd.DataFrame(index=range(4)), [True, False, True, False], "^inputs must be a DataFrame with one column per input$"),
    (pd.DataFrame({"a": [0.1, np.nan, 0.3, 0.4]}), [True, False, True, False], "^inputs and outcome must be finite numbers$"),
    (pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.4]}), [1.0, np.nan, 2.0, 3.0], "^inputs and outcome must be finite numbers$"),
    (pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.4]}), [True, False, True], r"^outcome must have one value per row of inputs \(4\), got shape \(3,\)$"),
    (pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.4]}), [True] * 4, "^the event happens in every draw or in none: nothing to score$"),
])
def test_feature_scores_refusals(inputs, outcome, message):
    with pytest.raises(ValueError, match=message):
        feature_scores(inputs, np.asarray(outcome))


def test_feature_scores_read_a_switch_as_0_1():
    """A boolean input beside numbers scores as the same input held as 0/1; index and name as in sensitivity.csv."""
    X, y = synthetic(n=300)
    switch = X.assign(x3=X["x3"] > 0.5)
    scores = feature_scores(switch, y, seed=1, trees=20)
    pd.testing.assert_series_equal(scores, feature_scores(switch.astype(float), y, seed=1, trees=20))
    assert scores.index.name == "input" and scores.name == "importance"


def test_bootstrap_chooses_boxes_as_the_search_did():
    """The event certain above x1 = 0.7 and a coin toss between 0.3 and 0.7. At least 95% dense, the box is
    about x1 >= 0.7; the resamples, choosing the same way, find about the same draws (Jaccard near 0.8).
    Were they to choose by the balance of coverage and density instead, their boxes would be about
    x1 >= 0.34, sharing about 0.3 / 0.65 of the draws with this one."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x1": rng.uniform(size=400), "x2": rng.uniform(size=400)})
    x1 = X["x1"].to_numpy()
    y = (x1 > 0.7) | ((x1 > 0.3) & (rng.uniform(size=400) < 0.5))
    found = discover(X, y, seed=1, bootstrap=20, min_density=0.95)
    assert found.box.loc["x1", "low"] == pytest.approx(0.7, abs=0.05) and found.density >= 0.95
    assert 0.7 < found.agreement < 0.9  # resampled boxes overlap it, not all exactly
    assert found.stability.index.name == "input"
    assert found.quasi_p.index.name == "input"


def test_bootstrap_resamples_every_row_and_keeps_resamples_with_the_event():
    """The event in the first of 20 rows only: a resample without that row has nothing to find and is left
    out; each one with it restricts x (the only input), so x's share is 1."""
    X = pd.DataFrame({"x": np.arange(20) / 20, "c": np.zeros(20)})  # c never varies: never restricted, not listed
    found = discover(X, np.arange(20) == 0, seed=2, bootstrap=10, peel_alpha=0.3)  # a peel of 6 always takes some
    pd.testing.assert_frame_equal(found.stability, frame({"x": (1.0, True)}, ["restricted_share", "in_box"]))
    assert found.inputs == ("x", "c")


@pytest.mark.parametrize("kind", ["event", "output"])
def test_feature_scores_are_scikit_learns_extra_trees_importances(kind):
    """The documented method, passed its settings: extra-trees (a classifier for an event; for an output a
    regressor trying every input at each split), so many trees, leaves of so many rows, the seed."""
    from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

    X, y = synthetic(n=200)
    outcome = y if kind == "event" else X["x1"].to_numpy() - X["x2"].to_numpy()
    model = (ExtraTreesClassifier(n_estimators=7, min_samples_leaf=5, random_state=3) if kind == "event" else
             ExtraTreesRegressor(n_estimators=7, min_samples_leaf=5, max_features=1.0, random_state=3))
    expected = pd.Series(model.fit(X.to_numpy(), outcome).feature_importances_, index=pd.Index(X.columns, name="input"),
                         name="importance").sort_values(ascending=False, kind="stable")
    pd.testing.assert_series_equal(feature_scores(X, outcome, seed=3, trees=7, min_samples_leaf=5), expected)


def test_feature_scores_of_equal_importance_keep_the_inputs_order():
    """One input decides the event, 19 never vary (no tree can split on them: importance 0 each); the
    table lists the deciding one first, then the others in the order given."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({f"c{i:02d}": np.zeros(100) for i in range(19)})
    X["x"] = rng.uniform(size=100)
    scores = feature_scores(X, (X["x"] > 0.5).to_numpy(), seed=1, trees=5)
    assert scores.index.tolist() == ["x"] + [f"c{i:02d}" for i in range(19)]
    assert scores["x"] == 1


def test_in_box_holds_both_limits():
    """Points on a limit are inside, on either side; an unrestricted input is not compared."""
    X = np.array([[0.4, 9.0], [0.5, -9.0], [0.6, 0.0], [0.7, 1.0]])
    inside = prim_module.in_box(X, np.array([0.5, -np.inf]), np.array([0.6, np.inf]))
    assert inside.tolist() == [False, True, True, False]


def paste_data(y):
    """x = 0..9 with z = 0, and one more point (x 4.5, z 1, no event) outside the box's z <= 0.5."""
    X = np.column_stack([np.r_[np.arange(10.0), 4.5], np.r_[np.zeros(10), 1.0]])
    box_low, box_high = np.array([5.0, -np.inf]), np.array([7.0, 0.5])
    box = prim_module.Box(box_low, box_high, prim_module.in_box(X, box_low, box_high))
    return X, np.r_[np.array(y, dtype=bool), False], box


def test_pasting_by_hand():
    """The box 5 <= x <= 7 (z <= 0.5) on events at x = 3..7. Steps of 5% are one point: x = 4 (an event:
    density stays 1), then 3 (the same), then 2 and 8 would each lower it to 5/6: stop at 3 <= x <= 7.
    The point at x = 4.5 lies outside z <= 0.5 and is never a candidate."""
    X, y, box = paste_data([0, 0, 0, 1, 1, 1, 1, 1, 0, 0])
    pasted = prim_module.paste(X, y, box)
    np.testing.assert_array_equal(pasted.low, [3, -np.inf])
    np.testing.assert_array_equal(pasted.high, [7, 0.5])
    assert np.flatnonzero(pasted.inside).tolist() == [3, 4, 5, 6, 7]
    # Steps of half the box: two points (x = 3, 4: density 1), then three below (5/8) or the two above (5/7).
    half = prim_module.paste(X, y, box, paste_alpha=0.5)
    np.testing.assert_array_equal(half.low, [3, -np.inf])
    assert np.flatnonzero(half.inside).tolist() == [3, 4, 5, 6, 7]


def test_pasting_to_the_edge_of_the_data_frees_the_side():
    """Events at x = 0..7: pasting goes down to the smallest x, 0, and the low limit is gone (-inf); x = 8
    above would lower the density, so the high limit stays."""
    X, y, box = paste_data([1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    pasted = prim_module.paste(X, y, box)
    np.testing.assert_array_equal(pasted.low, [-np.inf, -np.inf])
    np.testing.assert_array_equal(pasted.high, [7, 0.5])
    assert np.flatnonzero(pasted.inside).tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    # And upwards: events at x = 3..9 from the box 3 <= x <= 5: up to the largest x, 9, and the high limit is gone.
    X, y, _ = paste_data([0, 0, 0, 1, 1, 1, 1, 1, 1, 1])
    low, high = np.array([3.0, -np.inf]), np.array([5.0, 0.5])
    up = prim_module.paste(X, y, prim_module.Box(low, high, prim_module.in_box(X, low, high)))
    np.testing.assert_array_equal(up.low, [3, -np.inf])
    np.testing.assert_array_equal(up.high, [np.inf, 0.5])


def test_peeling_goes_down_to_mass_min_exactly():
    """x = 0..19, the event at 18 and 19; peels of 34% from below (6, 4, 3, 2, 1, 1, 1 points) leave 2
    points, exactly mass_min = 10% of 20, density 1; the next peel would take none (34% of 2 is 0)."""
    X = np.arange(20.0)[:, None]
    trajectory = prim_module.peel(X, np.arange(20) >= 18, peel_alpha=0.34, mass_min=0.1)
    assert [int(b.inside.sum()) for b in trajectory] == [20, 14, 10, 7, 5, 4, 3, 2]
    assert trajectory[-1].low[0] == 18 and np.isinf(trajectory[-1].high[0])


def test_peeling_down_to_a_single_point():
    """x = 0..19, the event at 19 only; peels of half the box (10, 5, 2, 1, 1 points) leave the one point
    x = 19 (5% of 20 is one point): its density, 1 of 1, beats 1 of 2."""
    trajectory = prim_module.peel(np.arange(20.0)[:, None], np.arange(20) == 19, peel_alpha=0.5, mass_min=0.05)
    assert [int(b.inside.sum()) for b in trajectory] == [20, 10, 5, 3, 2, 1]
    assert np.flatnonzero(trajectory[-1].inside).tolist() == [19]


def test_pasting_one_point_at_a_time_and_from_a_side_without_candidates():
    """Events at x = 4..7 from the box 5 <= x <= 7: a step of one point adds x = 4 (density 1), a step of two
    would add 3 and 4 together (4/5) and is not taken. From the box 0 <= x <= 5 (nothing below its low
    limit to paste), the high side still pastes up to 7."""
    X, y, box = paste_data([0, 0, 0, 0, 1, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(prim_module.paste(X, y, box).low, [4, -np.inf])
    X, y, _ = paste_data([1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    low, high = np.array([0.0, -np.inf]), np.array([5.0, 0.5])
    up = prim_module.paste(X, y, prim_module.Box(low, high, prim_module.in_box(X, low, high)))
    np.testing.assert_array_equal(up.low, [0, -np.inf])
    np.testing.assert_array_equal(up.high, [7, 0.5])


def test_choose_says_nothing_about_a_box_of_no_cases():
    """A box of coverage and density 0 has no harmonic mean (0/0): it is never chosen, without a warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert prim_module.choose(np.array([[0.0, 0.0], [1.0, 0.5]])) == 1


def test_quasi_p_value_against_the_box_without_that_limit_only():
    """Two limits, x >= 0.5 and z <= 0.5: x's is tested against the density of z <= 0.5 alone (2 cases of 4),
    not of all the points (3 of 8): P(Binomial(2, 1/2) >= 2) = 1/4."""
    from scipy.stats import binom

    X = np.array([[0.1, 0.1], [0.2, 0.2], [0.6, 0.3], [0.7, 0.4], [0.1, 0.9], [0.6, 0.8], [0.7, 0.9], [0.8, 0.7]])
    y = np.array([False, False, True, True, False, True, False, False])
    box = prim_module.Box(np.array([0.5, -np.inf]), np.array([np.inf, 0.5]), np.array([0, 0, 1, 1, 0, 0, 0, 0], bool))
    low, high = prim_module.quasi_p_values(X, y, box)
    assert low[0] == pytest.approx(binom.sf(1, 2, 2 / 4)) == 0.25
    # z's limit against x >= 0.5 alone: 3 cases of 5.
    assert high[1] == pytest.approx(binom.sf(1, 2, 3 / 5))


def test_choose_by_the_harmonic_mean_and_prims_defaults():
    """(1, 0.55) against (0.75, 0.75): harmonic means 0.710 and 0.750, so the second; a box of no cases
    (no harmonic mean) ranks below one of coverage 0 (harmonic mean 0). prim's defaults are discover's."""
    assert prim_module.choose(np.array([[1.0, 0.55], [0.75, 0.75]])) == 1
    assert prim_module.choose(np.array([[0.0, 0.0], [0.0, 0.5]])) == 1
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(400, 2))
    y = (X[:, 0] > 0.5) ^ (rng.uniform(size=400) < 0.1)
    box, trajectory, chosen = prim_module.prim(X, y)
    found = discover(pd.DataFrame(X, columns=["x", "z"]), y, bootstrap=0)
    assert len(trajectory) == len(found.tradeoff) > 5 and found.tradeoff["chosen"].tolist().index(True) == chosen
    np.testing.assert_array_equal(box.low[box.restricted], found.box["low"].to_numpy())
