"""Sensitivity of a scenario's output to every one of its uncertain inputs.

Each input is varied over its own distribution: the methods work in quantile space (every input
uniform on (0, 1)) and the scenario maps quantiles through the input's inverse CDF, exactly as a
run does. Yearly shocks of one series, and the Dirichlet draws of the sector shares, act as one
factor each (a SALib group); by default the factors are the named groups of uncertainty
(`factors.py`). Several outputs and years are analysed on one sample: each batch of the model
gives every asked output at once. The vectorised core is evaluated in batches of the scenario's
block size.
"""
from __future__ import annotations

import difflib
from typing import Sequence

import numpy as np
import pandas as pd

from simulator.analysis.factors import BY, factor_label, factor_of, input_of
from simulator.analysis.methods import morris_tables, one_at_a_time_tables, sobol_tables
from simulator.errors import UserError
from simulator.montecarlo import engine
from simulator.montecarlo.draws import SHOCKS, sampling_dimensions
from simulator.montecarlo.projection import dimension_labels
from simulator.scenario import Scenario
from simulator.variables import VARIABLES

METHODS = ("sobol", "morris", "oat", "trees")
# Extra-trees feature scores are fitted to this many Monte Carlo points (besides the Sobol' sample).
TREES_POINTS = 4096
DEFAULT_N = {"sobol": 1024, "morris": 40}
# Morris works on a grid including 0 and 1, where unbounded inverse CDFs are infinite: its levels
# map to the 0.5% .. 99.5% quantiles. One-at-a-time swings run from the 5% to the 95% quantile.
MORRIS_RANGE = (0.005, 0.995)
OAT_LOW, OAT_HIGH = 0.05, 0.95


def output_names(scenario: Scenario) -> list[str]:
    """Outputs sensitivity can be asked about: every variable, and every entry of a 3-D one."""
    labels = dimension_labels(scenario)
    out = []
    for name, info in VARIABLES.items():
        out += [f"{name}.{label}" for label in labels[info.extra_dim]] if info.extra_dim else [name]
    return out


def _selector(scenario: Scenario, output: str, year: int):
    names = output_names(scenario)
    if output not in names:
        close = difflib.get_close_matches(output, names)  # best first: close[0] is shown
        raise UserError(f"unknown output {output!r}" + (f"; did you mean {close[0]!r}?" if close else
                                                        "; see the variables in summary.csv"))
    years = [int(y) for y in scenario.years]
    if year not in years:
        raise UserError(f"year {year} is outside the scenario's horizon {years[0]}-{years[-1]}")
    t = years.index(year)
    if output in VARIABLES:
        return lambda block: block[output][:, t]
    variable, label = output.rsplit(".", 1)
    info = VARIABLES[variable]
    labels = dimension_labels(scenario)[info.extra_dim]
    k = labels.index(label)
    return lambda block: block[variable][:, t, k]


def _batch_task(scenario: Scenario, pairs: tuple[tuple[str, int], ...], part: np.ndarray) -> np.ndarray:
    dims = sampling_dimensions(scenario)
    blocks = tuple(dict.fromkeys(o.split(".")[0] for o, _ in pairs))  # investment, trade, exchange: only those asked
    block = engine.evaluate(scenario, {d: part[:, i] for i, d in enumerate(dims)}, len(part), blocks)
    return np.column_stack([_selector(scenario, o, y)(block) for o, y in pairs])


def model_function(scenario: Scenario, output: str | list[tuple[str, int]], year: int | None = None, client=None,
                   threads: int = 1, progress=None):
    """f(U) for U of shape (n, d) in quantile space, columns in `sampling_dimensions` order.

    `output` and `year` name one output (f returns shape (n,)), or `output` is a list of
    (output, year) pairs and f returns (n, pairs): one model run gives them all. Evaluated in
    batches of the scenario's block size, on the Dask client if one is given, else on `threads`
    threads; `progress(done, total)` counts batches. Neither changes the numbers."""
    from functools import partial

    from simulator.parallel import map_indexed

    single = isinstance(output, str)
    pairs = ((output, year),) if single else tuple((o, int(y)) for o, y in output)
    dims = sampling_dimensions(scenario)
    for o, y in pairs:
        _selector(scenario, o, y)  # check the outputs and years before any work
    batch = scenario.block_size

    def f(U: np.ndarray) -> np.ndarray:
        U = np.clip(U, 1e-9, 1 - 1e-9)
        parts = {i: U[start:start + batch] for i, start in enumerate(range(0, len(U), batch))}
        results = map_indexed(partial(_batch_task, scenario, pairs), range(len(parts)), client, progress,
                              args=parts, threads=threads)
        Y = np.concatenate([results[i] for i in range(len(parts))]) if parts else np.zeros((0, len(pairs)))
        return Y[:, 0] if single else Y

    return f, dims


def _oat_ends(dims: list[str], groups: dict[str, str]) -> tuple[dict, dict]:
    """Quantiles for the low and high ends of each input.

    A series of k yearly shocks moves so that their sum (what drives the level) sits at its 5% or
    95% quantile: each shock at Phi^-1(0.05) / sqrt(k). Pushing every year to its own 5% quantile
    would put the sum near -1.645 k / sqrt(k) standard deviations, far outside anything plausible.
    """
    from scipy.stats import norm

    size = {g: sum(1 for d in dims if groups[d] == g) for g in set(groups.values())}
    low, high = {}, {}
    for d in dims:
        if groups[d] in SHOCKS:
            z = norm.ppf(OAT_HIGH) / np.sqrt(size[groups[d]])
            low[d], high[d] = float(norm.cdf(-z)), float(norm.cdf(z))
        else:
            low[d], high[d] = OAT_LOW, OAT_HIGH
    return low, high


def _trees_beside_sobol(f, dims: list[str], groups: dict[str, str], n: int, seed: int) -> list[pd.DataFrame]:
    """Extra-trees importance on TREES_POINTS Monte Carlo points (quantile space: trees only see the
    order of each input's values, so quantiles rank like values), next to the Sobol' indices; one
    table per output column of f."""
    from simulator.analysis.trees import feature_scores

    sobol = sobol_tables(f, {d: (0.0, 1.0) for d in dims}, n, seed, groups=groups)
    U = np.random.default_rng(seed).uniform(size=(TREES_POINTS, len(dims)))
    Y = f(U)
    tables = []
    for column, indices in zip(Y.T, sobol):
        scores = feature_scores(pd.DataFrame(U, columns=dims), column, seed=seed, groups=groups)
        # feature_scores lists the largest first, and a left join keeps that order.
        table = scores.to_frame().join(indices[["ST", "ST_conf", "S1", "S1_conf"]])
        table.attrs["evaluations"] = indices.attrs["evaluations"] + len(Y)
        tables.append(table)
    return tables


def _as_list(value, kind) -> list:
    if value is None or isinstance(value, (str, int, np.integer)):
        return [value]
    return [kind(v) for v in value]


def sensitivity(scenario: Scenario, output: str | Sequence[str] = "trade.balance",
                year: int | Sequence[int] | None = None, method: str = "sobol", n: int | None = None,
                seed: int | None = None, *, by: str | None = None, client=None, workers: int | None = None,
                scheduler: str | None = None, threads: int = 1, progress=None) -> pd.DataFrame:
    """Rank the scenario's named groups of uncertainty, or its uncertain inputs, by their influence
    on `output` in `year`.

    Each input is varied over its own distribution (in quantile space, through its inverse CDF, as
    a run draws it). By default the factors are the named groups of uncertainty ("the yen",
    "year-to-year luck in trade", ...: `simulator.scenario.uncertainty_groups`), SALib's groups;
    with ``by="input"`` each input is a factor, the yearly shocks of one series and the sector
    shares counting as one input each. The methods choose their own points, so the scenario's
    sampler plays no part; neither do the batch size or the threads. Several outputs and years are
    analysed on one sample (the cost of one).

    Parameters
    ----------
    scenario : Scenario
        With at least one uncertain input.
    output : str or list of str, default "trade.balance"
        A variable, or one entry of a variable with a third dimension (``<variable>.<entry>``); or
        several.
    year : int or list of int, optional
        A year of the horizon, or several; by default the last.
    method : {"sobol", "morris", "oat", "trees"}, default "sobol"
        "sobol": S1, S1_conf, ST, ST_conf (n a power of two; n * (factors + 2) evaluations);
        "morris": mu_star, mu_star_conf, sigma per unit of quantile range (n trajectories);
        "oat": output at each input's 5% and 95% quantile with the others at their medians;
        "trees": extra-trees importance (sums to 1) on 4096 Monte Carlo points, beside Sobol' S1 and ST.
    n : int, optional
        Sample size: 1024 for "sobol" and "trees", 40 trajectories for "morris"; unused by "oat".
    seed : int, optional
        By default the scenario's seed.
    by : {"group", "input"}, optional
        Factors: the named groups (default, except for "oat") or the inputs. One-at-a-time swings
        are defined for single inputs only.
    client, workers, scheduler, threads
        The model runs in batches of the scenario's block size, on Dask (as in :func:`run`) or on
        `threads` threads (one by default).
    progress : callable, optional
        ``progress(done, total)`` counts batches.

    Returns
    -------
    pandas.DataFrame
        Indexed by factor (a group's name, or an input's key), with a plain `label`, then `inputs`
        (how many inputs a group holds) or `group` (an input's group), then the method's columns,
        sorted by importance; ``attrs`` holds the method, output, year, number of model
        evaluations, seed and `by`. With several outputs or years: one such table per pair one
        after the other, with `output` and `year` columns first.

    Raises
    ------
    UserError
        An unknown method, grouping or output, a year outside the horizon, groups asked of "oat",
        or a scenario without uncertain inputs.

    References
    ----------
    * Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
      Variance based sensitivity analysis of model output. Design and estimator for the total
      sensitivity index. *Computer Physics Communications*, 181(2), 259-270.
    * Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
      *Technometrics*, 33(2), 161-174.
    * Campolongo, F., Cariboni, J. & Saltelli, A. (2007). An effective screening design for
      sensitivity analysis of large models. *Environmental Modelling & Software*, 22(10), 1509-1518.
    * Geurts, P., Ernst, D. & Wehenkel, L. (2006). Extremely randomized trees. *Machine Learning*,
      63(1), 3-42.
    * Herman, J. & Usher, W. (2017). SALib: An open-source Python library for Sensitivity
      Analysis. *Journal of Open Source Software*, 2(9), 97.

    Examples
    --------
    >>> import simulator
    >>> scenario = simulator.load_scenario("baseline")
    >>> table = simulator.sensitivity(scenario, "trade.balance", 2030, method="sobol", n=64, seed=1)
    >>> list(table.columns)
    ['label', 'inputs', 'S1', 'S1_conf', 'ST', 'ST_conf']
    >>> table.index[0]  # the named group that moves the balance most
    'year-to-year luck in trade'
    >>> bool(table["ST"].is_monotonic_decreasing)  # most influential first
    True
    >>> table.attrs["evaluations"] == 64 * (len(table) + 2)
    True
    >>> swings = simulator.sensitivity(scenario, "trade.balance", 2030, method="oat")  # by input
    >>> list(swings.columns)
    ['label', 'group', 'low', 'high', 'base', 'swing']
    >>> both = simulator.sensitivity(scenario, ["trade.balance", "investment.fdi_stock"], [2030, 2034], n=64)
    >>> sorted(set(zip(both["output"], both["year"])))  # one table, four analyses, one sample
    [('investment.fdi_stock', 2030), ('investment.fdi_stock', 2034), ('trade.balance', 2030), ('trade.balance', 2034)]
    """
    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    by = ("input" if method == "oat" else "group") if by is None else by
    if by not in BY:
        raise UserError(f"unknown grouping {by!r}; choose one of {', '.join(BY)}")
    if method == "oat" and by == "group":
        raise UserError("one-at-a-time moves one input at a time: its swings are not defined for a group "
                        "(whose inputs may pull apart); use --by input, or sobol, morris or trees for groups")
    from simulator.parallel import dask_client

    outputs, years = _as_list(output, str), _as_list(year, int)
    if not outputs or not years:
        raise UserError("name at least one output and one year")
    years = [int(scenario.years[-1]) if y is None else int(y) for y in years]
    pairs = [(o, y) for o in dict.fromkeys(outputs) for y in dict.fromkeys(years)]
    for o, y in pairs:
        _selector(scenario, o, y)  # a wrong output or year fails before any cluster starts
    with dask_client(workers, scheduler, client) as c:
        tables = _sensitivity(scenario, pairs, method, n, seed, by, c, threads, progress)
    if isinstance(output, str) and (year is None or isinstance(year, (int, np.integer))):
        return tables[0]
    table = pd.concat([t.assign(output=o, year=y)[["output", "year", *t.columns]] for (o, y), t in zip(pairs, tables)])
    table.attrs.update(tables[0].attrs, output=[o for o in dict.fromkeys(o for o, _ in pairs)],
                       year=list(dict.fromkeys(y for _, y in pairs)))
    return table


def _sensitivity(scenario, pairs, method, n, seed, by, client, threads=1, progress=None) -> list[pd.DataFrame]:
    f, dims = model_function(scenario, pairs, None, client, threads=threads, progress=progress)
    if not dims:
        raise UserError(f"{scenario.name}: the scenario has no uncertain inputs to analyse")
    seed = scenario.seed if seed is None else seed
    groups = {d: factor_of(d, by) for d in dims}
    quantiles = {d: (0.0, 1.0) for d in dims}
    if method == "sobol":
        tables = [t.sort_values("ST", ascending=False, kind="stable")
                  for t in sobol_tables(f, quantiles, n or DEFAULT_N["sobol"], seed, groups=groups)]
    elif method == "morris":
        lo, hi = MORRIS_RANGE
        tables = [t.sort_values("mu_star", ascending=False, kind="stable")
                  for t in morris_tables(lambda U: f(lo + (hi - lo) * U), quantiles, n or DEFAULT_N["morris"], seed,
                                         groups=groups)]
    elif method == "trees":
        tables = _trees_beside_sobol(f, dims, groups, n or DEFAULT_N["sobol"], seed)
    else:
        low, high = _oat_ends(dims, {d: input_of(d) for d in dims})
        tables = one_at_a_time_tables(f, low, high, {d: 0.5 for d in dims}, groups=groups)
    # What each row stands for: a group names how many inputs it holds, an input its group.
    inputs_in = {}
    for d in dims:
        inputs_in.setdefault(groups[d], set()).add(input_of(d))
    for (output, year), table in zip(pairs, tables):  # attrs["evaluations"]: set by the method
        table.insert(0, "label", [factor_label(k, by) for k in table.index])
        if by == "group":
            table.insert(1, "inputs", [len(inputs_in[k]) for k in table.index])
        else:
            table.insert(1, "group", [factor_of(k, "group") for k in table.index])
        table.attrs.update(method=method, output=output, year=year, seed=seed, by=by)
    return tables
