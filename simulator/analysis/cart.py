"""CART boxes: the leaves of a classification tree, and every union of leaves that is itself a box.

A tree (Breiman et al. 1984; scikit-learn's DecisionTreeClassifier, Gini impurity) partitions the
inputs into leaves, each a box. Reporting the best single leaf, as EMA Workbench's CART does,
breaks down when the tree splits a region once more to fit a little noise: the region's two halves
are two leaves, each with half the coverage and a spurious extra limit. So the candidates are the
leaves and every union of leaves that is a box: two boxes whose limits agree on every input but
one, and meet along that one, make one box (siblings do; so do leaves of different branches when a
split higher up cut the region in two). The closure under such merges holds every box the tree's
partition can describe exactly. The reported box is chosen among them as PRIM's is
(`prim.choose`: the best harmonic mean of coverage and density, or the most covering box at least
`min_density` dense).
"""
from __future__ import annotations

import numpy as np

from simulator.analysis import prim as _prim


def _merged(a: tuple, b: tuple):
    """The union of boxes a and b if it is a box, else None. A box: (low, high) tuples."""
    (la, ha), (lb, hb) = a, b
    differ = [j for j in range(len(la)) if la[j] != lb[j] or ha[j] != hb[j]]
    if len(differ) != 1:
        return None
    j = differ[0]
    if ha[j] == lb[j] or hb[j] == la[j]:  # they meet along input j
        low, high = list(la), list(ha)
        low[j], high[j] = min(la[j], lb[j]), max(ha[j], hb[j])
        return tuple(low), tuple(high)
    return None


def leaf_unions(leaves: list[tuple[tuple, tuple]], limit: int = 2000) -> list[tuple[frozenset, tuple, tuple]]:
    """Every union of leaves that is a box: (leaf indices, low, high), the leaves themselves first.

    `limit` bounds the closure (a depth-4 tree has at most 16 leaves and far fewer unions)."""
    boxes = {(lo, hi): frozenset([i]) for i, (lo, hi) in enumerate(leaves)}
    frontier = list(boxes)
    while frontier and len(boxes) < limit:
        new = []
        for a in frontier:
            for b in list(boxes):
                union = _merged(a, b)
                if union is not None and union not in boxes:
                    boxes[union] = boxes[a] | boxes[b]
                    new.append(union)
        frontier = new
    return [(members, lo, hi) for (lo, hi), members in boxes.items()]


def cart_boxes(X: np.ndarray, y: np.ndarray, seed, mass_min: float, max_depth: int) -> list[_prim.Box]:
    """The tree's leaves and their unions that are boxes, as `prim.Box` (the points inside are
    those of their leaves: the partition decides ties at a threshold, as the tree does)."""
    from sklearn.tree import DecisionTreeClassifier

    from simulator.analysis.trees import sklearn_seed

    tree = DecisionTreeClassifier(min_samples_leaf=max(1, int(np.ceil(mass_min * len(y)))), max_depth=max_depth,
                                  random_state=sklearn_seed(seed)).fit(X, y)
    t = tree.tree_
    leaves, nodes = [], []

    def walk(node, low, high):
        if t.children_left[node] == -1:
            leaves.append((tuple(low), tuple(high)))
            nodes.append(node)
            return
        j, threshold = t.feature[node], t.threshold[node]
        left_high, right_low = high.copy(), low.copy()
        left_high[j] = min(high[j], threshold)  # sklearn sends x <= threshold left
        right_low[j] = max(low[j], threshold)
        walk(t.children_left[node], low, left_high)
        walk(t.children_right[node], right_low, high)

    walk(0, np.full(X.shape[1], -np.inf), np.full(X.shape[1], np.inf))
    node_of = tree.apply(X)
    return [_prim.Box(np.array(lo), np.array(hi), np.isin(node_of, [nodes[i] for i in members]))
            for members, lo, hi in leaf_unions(leaves)]


def cart(X: np.ndarray, y: np.ndarray, seed, mass_min: float = 0.05, max_depth: int = 4,
         min_density: float | None = None) -> tuple[_prim.Box, list[_prim.Box], int]:
    """(chosen box, every candidate box, the chosen one's index), like `prim.prim`."""
    boxes = cart_boxes(X, y, seed, mass_min, max_depth)
    # The union of every leaf is the whole space: no limit, so no answer (a tree of one leaf has nothing else).
    boxes = [b for b in boxes if b.restricted.any()] or boxes
    rows = np.array([_prim.stats(b.inside, y) for b in boxes])  # coverage, density, mass: choose reads the first two
    chosen = _prim.choose(rows, min_density)
    return boxes[chosen], boxes, chosen
