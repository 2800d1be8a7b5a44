"""Global sensitivity methods with a clear contract, on any vectorised function.

`func` maps an array X of shape (n, d) to outputs of shape (n,); `bounds` is a dict
name -> (low, high) in column order. Estimators come from SALib (Herman & Usher 2017; Iwanaga,
Usher & Herman 2022): Sobol' first and total order indices with Saltelli's sampling and Jansen's
estimator (Saltelli et al. 2010), bootstrap 95% confidence half-widths; Morris elementary effects
(Morris 1991) with mu* (Campolongo, Cariboni & Saltelli 2007). `groups` (name -> group) lets several
columns move together as one factor, e.g. the yearly shocks of one series.

`func` may also return shape (n, k), k outputs of the same points (several variables or years of
one model run): `sobol_tables`, `morris_tables` and `one_at_a_time_tables` then analyse each
column on the one sample, so k outputs cost the model runs of one (SALib analyses one output per
call and leaves this to its users).
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

Func = Callable[[np.ndarray], np.ndarray]


def _problem(bounds: Mapping[str, tuple[float, float]], groups: Mapping[str, str] | None) -> dict:
    if not bounds:
        raise ValueError("bounds must name at least one input")
    bad = {k: v for k, v in bounds.items() if not (len(v) == 2 and np.isfinite(v).all() and v[0] < v[1])}
    if bad:
        raise ValueError(f"bounds must be finite (low, high) pairs with low < high, got {bad}")
    problem = {"num_vars": len(bounds), "names": list(bounds), "bounds": [list(map(float, v)) for v in bounds.values()]}
    if groups:
        missing = [k for k in bounds if k not in groups]
        if missing:
            raise ValueError(f"groups must give a group for every input; missing {missing}")
        problem["groups"] = [groups[k] for k in bounds]
    return problem


def _evaluate(func: Func, X: np.ndarray, columns: bool = False) -> np.ndarray:
    """func(X) as (n,), or with `columns` as (n, k)."""
    Y = np.asarray(func(X), dtype=float)
    if columns:
        if Y.ndim != 2 or Y.shape[0] != X.shape[0] or Y.shape[1] == 0:
            raise ValueError(f"func must map an (n, d) array to shape (n, k), got {Y.shape} for n = {X.shape[0]}")
    elif Y.shape != (X.shape[0],):
        raise ValueError(f"func must map an (n, d) array to shape (n,), got {Y.shape} for n = {X.shape[0]}")
    if not np.all(np.isfinite(Y)):
        raise ValueError("func returned non-finite values")
    return Y


def _single(tables_of: Callable[..., list[pd.DataFrame]], func: Func, *args) -> pd.DataFrame:
    """One output: the k-output estimator on func's values as one column."""
    return tables_of(lambda X: _evaluate(func, X)[:, None], *args)[0]


def sobol_indices(func: Func, bounds: Mapping[str, tuple[float, float]], n: int, seed: int,
                  groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices with 95% bootstrap half-widths.

    Uses n * (d + 2) evaluations (d inputs or groups); n should be a power of two. Returns a
    DataFrame indexed by input (or group) name with columns S1, S1_conf, ST, ST_conf.
    """
    return _single(sobol_tables, func, bounds, n, seed, groups)


def sobol_tables(func: Func, bounds: Mapping[str, tuple[float, float]], n: int, seed: int,
                 groups: Mapping[str, str] | None = None) -> list[pd.DataFrame]:
    """`sobol_indices` for a func returning (n, k): one table per output column, from one sample
    (n * (d + 2) evaluations in all; each table's bootstrap seeded alike)."""
    if n < 2 or n & (n - 1):
        raise ValueError(f"n must be a power of two >= 2 for Sobol' sampling, got {n}")
    problem = _problem(bounds, groups)
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    Y = _evaluate(func, X, columns=True)
    names = list(dict.fromkeys(problem.get("groups", problem["names"])))
    tables = []
    for column in Y.T:
        result = sobol_analyze.analyze(problem, np.ascontiguousarray(column), calc_second_order=False, seed=seed)
        table = pd.DataFrame({k: result[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=names)
        table.index.name = "input"
        table.attrs["evaluations"] = len(Y)
        tables.append(table)
    return tables


def morris(func: Func, bounds: Mapping[str, tuple[float, float]], trajectories: int, seed: int,
           levels: int = 4, groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Morris screening: mu_star (mean absolute elementary effect), its 95% half-width, and sigma.

    Uses trajectories * (d + 1) evaluations. Elementary effects are per unit of each input's
    range (as given in `bounds`). Returns a DataFrame indexed by input with mu_star,
    mu_star_conf, sigma.
    """
    return _single(morris_tables, func, bounds, trajectories, seed, levels, groups)


def morris_tables(func: Func, bounds: Mapping[str, tuple[float, float]], trajectories: int, seed: int,
                  levels: int = 4, groups: Mapping[str, str] | None = None) -> list[pd.DataFrame]:
    """`morris` for a func returning (n, k): one table per output column, from one set of trajectories."""
    if trajectories < 2:
        raise ValueError(f"trajectories must be >= 2, got {trajectories}")
    problem = _problem(bounds, groups)
    X = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    Y = _evaluate(func, X, columns=True)
    tables = []
    for column in Y.T:
        result = morris_analyze.analyze(problem, X, np.ascontiguousarray(column), num_levels=levels, seed=seed)
        table = pd.DataFrame({"mu_star": result["mu_star"], "mu_star_conf": result["mu_star_conf"],
                              "sigma": result["sigma"]}, index=list(result["names"]))
        table.index.name = "input"
        table.attrs["evaluations"] = len(Y)
        tables.append(table)
    return tables


def one_at_a_time(func: Func, low: Mapping[str, float], high: Mapping[str, float], base: Mapping[str, float],
                  groups: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Tornado data: move one input (or group) to its low and its high value, the others at base.

    Returns a DataFrame indexed by input with low, high, base (outputs) and swing = |high - low|,
    sorted by swing, largest first.
    """
    return _single(one_at_a_time_tables, func, low, high, base, groups)


def one_at_a_time_tables(func: Func, low: Mapping[str, float], high: Mapping[str, float],
                         base: Mapping[str, float], groups: Mapping[str, str] | None = None) -> list[pd.DataFrame]:
    """`one_at_a_time` for a func returning (n, k): one table per output column."""
    names = list(base)
    groups = groups or {k: k for k in names}
    factors = list(dict.fromkeys(groups[k] for k in names))
    rows = [np.array([base[k] for k in names], dtype=float)]
    for f in factors:
        for end in (low, high):
            x = rows[0].copy()
            for i, k in enumerate(names):
                if groups[k] == f:
                    x[i] = end[k]
            rows.append(x)
    Y = _evaluate(func, np.vstack(rows), columns=True)
    tables = []
    for column in Y.T:
        table = pd.DataFrame({"low": column[1::2], "high": column[2::2]}, index=factors)
        table["base"] = column[0]
        table["swing"] = (table["high"] - table["low"]).abs()
        table.index.name = "input"
        table = table.sort_values("swing", ascending=False)
        table.attrs["evaluations"] = len(Y)
        tables.append(table)
    return tables
