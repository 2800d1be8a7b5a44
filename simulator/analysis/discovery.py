"""Scenario discovery: under which inputs does an event happen?

`discover(inputs, outcome)` finds one box, a set of limits on a few inputs, inside which the event
is much more common than overall (its density) while holding most of the draws where it happens
(its coverage). Two methods:

* "prim": PRIM, peeling and pasting (Friedman & Fisher 1999; `prim.py`), with each restriction's
  quasi-p-value (Bryant & Lempert 2010) and the box's stability under bootstrap resampling;
* "cart": a classification tree (Breiman et al. 1984, scikit-learn's DecisionTreeClassifier);
  each leaf is a box, and so is every union of leaves that is itself a box (two siblings, or
  leaves of different branches that meet along one input with the same limits on the others): a
  tree that splits a region once more to fit a little noise leaves two halves whose union is the
  region.

Both choose the reported box the same way (`prim.choose`): the best harmonic mean of coverage and
density, or the highest coverage with at least `min_density`. The trade-off curve holds the
alternatives. Given held-out draws, every limit whose removal does not lower the density
significantly, on the search draws or on the held-out ones, is then dropped (`limits.py`), and
the dropped limits are listed apart. docs/discovery.md says how to read the numbers and why the
module is our own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.analysis import prim as _prim
from simulator.analysis.limits import drop_limits

METHODS = ("prim", "cart")


@dataclass(frozen=True)
class Discovery:
    """A box found by `discover`, with its statistics on the points it was found on."""

    method: str
    box: pd.DataFrame  # index: restricted inputs; columns low, high (-inf / inf: that side is free)
    coverage: float
    density: float
    mass: float
    tradeoff: pd.DataFrame  # the boxes to choose from: coverage, density, mass, restricted, chosen
    quasi_p: pd.DataFrame | None = None  # per restricted input, low and high (NaN: side free)
    stability: pd.DataFrame | None = None  # PRIM: per input, the share of bootstrap boxes restricting it
    agreement: float | None = None  # PRIM: mean Jaccard overlap of bootstrap boxes with this box
    inputs: tuple[str, ...] = field(default=(), repr=False)
    # Limits tested and dropped (held-out draws given): index input; side ("low"/"high"), limit,
    # p_search and p_held_out (the quasi-p-values that let it go), in the order dropped.
    dropped: pd.DataFrame | None = None
    quasi_p_held_out: pd.DataFrame | None = None  # the kept limits' quasi-p-values on the held-out draws

    def contains(self, inputs: pd.DataFrame) -> np.ndarray:
        """Which rows of `inputs` (same columns as the search's) lie inside the box."""
        inside = np.ones(len(inputs), dtype=bool)
        for name, row in self.box.iterrows():
            x = inputs[name].to_numpy(dtype=float)
            inside &= (x >= row["low"]) & (x <= row["high"])
        return inside

    def evaluate(self, inputs: pd.DataFrame, outcome) -> dict[str, float]:
        """Coverage, density and mass of the box on other draws (held out from the search)."""
        y = _outcome(outcome, len(inputs))
        coverage, density, mass = _prim.stats(self.contains(inputs), y)
        return {"coverage": coverage, "density": density, "mass": mass}


def _outcome(outcome, n: int) -> np.ndarray:
    y = np.asarray(outcome)
    if y.shape != (n,):
        raise ValueError(f"outcome must have one value per row of inputs ({n}), got shape {y.shape}")
    if y.dtype != bool:
        if not np.isin(y, (0, 1)).all():
            raise ValueError("outcome must be boolean (or 0/1): whether the event happened in each draw")
        y = y == 1  # 0/1 (checked above) as booleans
    return y


def _check(inputs: pd.DataFrame, outcome) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(inputs, pd.DataFrame) or inputs.shape[1] == 0:
        raise ValueError("inputs must be a DataFrame with one column per input")
    X = inputs.to_numpy(dtype=float)
    if not np.isfinite(X).all():
        bad = [c for c in inputs.columns if not np.isfinite(inputs[c].to_numpy(dtype=float)).all()]
        raise ValueError(f"inputs must be finite numbers; not so in {bad}")
    y = _outcome(outcome, len(inputs))
    if y.all() or not y.any():
        raise ValueError(f"the outcome is {'true' if y.all() else 'false'} in every row: there is nothing to "
                         "tell apart")
    return X, y


def _box_frame(names, low, high) -> pd.DataFrame:
    keep = np.isfinite(low) | np.isfinite(high)
    frame = pd.DataFrame({"low": low[keep], "high": high[keep]}, index=pd.Index(np.asarray(names)[keep], name="input"))
    return frame


def _tradeoff(boxes, y, chosen: int) -> pd.DataFrame:
    rows = [(*_prim.stats(b.inside, y), int(b.restricted.sum())) for b in boxes]
    frame = pd.DataFrame(rows, columns=["coverage", "density", "mass", "restricted"])
    frame["chosen"] = frame.index == chosen
    return frame


def discover(inputs: pd.DataFrame, outcome, method: str = "prim", seed: int | None = None, *,
             mass_min: float = 0.05, peel_alpha: float = 0.05, paste_alpha: float = 0.05,
             min_density: float | None = None, bootstrap: int = 50, max_depth: int = 4,
             threads: int = 1, held_out: tuple[pd.DataFrame, object] | None = None,
             alpha: float = 0.05) -> Discovery:
    """Find the box of inputs in which `outcome` (one boolean per row of `inputs`) is concentrated.

    A box is a set of limits on a few inputs inside which the event is much more common than
    overall (its density) while holding most of the rows where it happens (its coverage). The
    reported box is the best harmonic mean of coverage and density, or the highest coverage among
    boxes at least `min_density` dense; the trade-off curve holds the alternatives.

    Parameters
    ----------
    inputs : pandas.DataFrame
        One row per draw, one column per input, finite numbers (a run's ``Result.inputs``).
    outcome : array_like of bool or 0/1
        Whether the event happened, one value per row; neither all true nor all false.
    method : {"prim", "cart"}, default "prim"
        PRIM (peeling and pasting) or a classification tree whose leaves are boxes.
    seed : int, optional
        Makes the bootstrap and the tree reproducible.
    mass_min : float, default 0.05
        The smallest box, as a share of the rows, in (0, 1).
    peel_alpha, paste_alpha : float, default 0.05
        PRIM: shares of the box peeled or pasted per step.
    min_density : float, optional
        Report the box with the highest coverage among those at least this dense (default: the
        best balance of coverage and density).
    bootstrap : int, default 50
        PRIM: resamples for the box's stability (0 skips it).
    held_out : (pandas.DataFrame, array_like), optional
        Draws kept out of the search (same columns) and their outcome: then every limit whose
        removal does not lower the density significantly (quasi-p-value above `alpha` on the search
        draws or on these) is dropped, weakest first, and listed in `dropped`.
    alpha : float, default 0.05
        The significance a limit must reach, on both sets of draws, to be kept.
    max_depth : int, default 4
        CART: depth of the tree.
    threads : int, default 1
        Runs the bootstrap's resamples at once (numpy's partitions release Python's lock) without
        changing a number.

    Returns
    -------
    Discovery
        The box (`box`: low and high per restricted input), its coverage, density and mass, the
        trade-off curve, each limit's quasi-p-value, the limits dropped (with `held_out`) and, for
        PRIM, the bootstrap's stability.

    Raises
    ------
    ValueError
        An unknown method, `mass_min` outside (0, 1), inputs that are not a DataFrame of finite
        numbers, or an outcome that is not boolean, has the wrong length or never varies.

    References
    ----------
    * Friedman, J. H. & Fisher, N. I. (1999). Bump hunting in high-dimensional data. *Statistics
      and Computing*, 9(2), 123-143.
    * Bryant, B. P. & Lempert, R. J. (2010). Thinking inside the box: A participatory,
      computer-assisted approach to scenario discovery. *Technological Forecasting and Social
      Change*, 77(1), 34-49.
    * Breiman, L., Friedman, J. H., Olshen, R. A. & Stone, C. J. (1984). *Classification and
      Regression Trees*. Wadsworth.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from simulator import discover
    >>> rng = np.random.default_rng(0)
    >>> inputs = pd.DataFrame({"a": rng.uniform(size=1000), "b": rng.uniform(size=1000)})
    >>> outcome = (inputs["a"] > 0.7).to_numpy()  # the event happens when a is large
    >>> found = discover(inputs, outcome, seed=1, bootstrap=10)
    >>> list(found.box.index)
    ['a']
    >>> round(float(found.box.loc["a", "low"]), 1)
    0.7
    >>> found.density > 0.9 and found.coverage > 0.9  # dense, and holding nearly every case
    True
    >>> discover(inputs, outcome, method="cart", seed=1).box.index.tolist()
    ['a']
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not 0 < mass_min < 1:
        raise ValueError(f"mass_min must be in (0, 1), got {mass_min}")
    X, y = _check(inputs, outcome)
    names = tuple(str(c) for c in inputs.columns)
    if method == "cart":
        from simulator.analysis.cart import cart

        box, candidates, chosen = cart(X, y, seed, mass_min, max_depth, min_density)
        tradeoff = _tradeoff(candidates, y, chosen).sort_values("density", ascending=False, kind="stable")
        tradeoff = tradeoff.reset_index(drop=True)
    else:
        box, candidates, chosen = _prim.prim(X, y, peel_alpha=peel_alpha, paste_alpha=paste_alpha,
                                             mass_min=mass_min, min_density=min_density)
        tradeoff = _tradeoff(candidates, y, chosen)
    dropped = quasi_p_held_out = None
    if held_out is not None:
        held_inputs, held_outcome = held_out
        missing = [c for c in inputs.columns if c not in getattr(held_inputs, "columns", ())]
        if missing:
            raise ValueError(f"the held-out inputs must have the search's columns; missing {missing}")
        X_held, y_held = _check(held_inputs[list(inputs.columns)], held_outcome)
        low, high, gone = drop_limits(X, y, X_held, y_held, box.low, box.high, alpha)
        box = _prim.Box(low, high, _prim.in_box(X, low, high))
        dropped = pd.DataFrame([(names[d.column], ("low", "high")[d.side], d.value, d.p_search, d.p_held_out)
                                for d in gone], columns=["input", "side", "limit", "p_search", "p_held_out"])
        dropped = dropped.set_index("input")
        held_low, held_high = _prim.quasi_p_values(X_held, y_held, _prim.Box(low, high, _prim.in_box(X_held, low, high)))
        quasi_p_held_out = pd.DataFrame({"low": held_low[box.restricted], "high": held_high[box.restricted]},
                                        index=pd.Index(np.asarray(names)[box.restricted], name="input"))
    qp_low, qp_high = _prim.quasi_p_values(X, y, box)
    keep = box.restricted
    quasi_p = pd.DataFrame({"low": qp_low[keep], "high": qp_high[keep]},
                           index=pd.Index(np.asarray(names)[keep], name="input"))
    stability, agreement = None, None
    if bootstrap and method == "prim":
        stability, agreement = _bootstrap(X, y, names, box, bootstrap, seed, peel_alpha, paste_alpha, mass_min,
                                          min_density, threads)
    coverage, density, mass = _prim.stats(box.inside, y)
    return Discovery(method, _box_frame(names, box.low, box.high), coverage, density, mass, tradeoff,
                     quasi_p, stability, agreement, names, dropped, quasi_p_held_out)


def _bootstrap(X, y, names, box, resamples, seed, peel_alpha, paste_alpha, mass_min, min_density, threads=1):
    """Rerun PRIM on resampled rows: how often each input is restricted, and how much the boxes
    found overlap the reported one on the original rows (Jaccard index: shared / either)."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(y), len(y)) for _ in range(resamples)]  # drawn in order: same for any threads
    samples = [rows for rows in samples if y[rows].any() and not y[rows].all()]

    def one(rows):
        return _prim.prim(X[rows], y[rows], peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min,
                          min_density=min_density)[0]

    with ThreadPoolExecutor(max(1, threads)) as pool:
        boxes = list(pool.map(one, samples))
    counts = np.zeros(X.shape[1])
    overlaps = []
    for found in boxes:
        counts += found.restricted
        inside = _prim.in_box(X, found.low, found.high)
        # The reported box holds draws (at least mass_min of them; dropping limits only widens it): never 0/0.
        overlaps.append((inside & box.inside).sum() / (inside | box.inside).sum())
    if not overlaps:
        return None, None
    share = pd.Series(counts / len(overlaps), index=pd.Index(names, name="input"), name="restricted_share")
    frame = share[(share > 0) | box.restricted].sort_values(ascending=False, kind="stable").to_frame()
    frame["in_box"] = [bool(box.restricted[names.index(k)]) for k in frame.index]
    return frame, float(np.mean(overlaps))
