"""Sensitivity of a scenario's output to every one of its uncertain inputs.

Each input is varied over its own distribution: the methods work in quantile space (every input
uniform on (0, 1)) and the scenario maps quantiles through the input's inverse CDF, exactly as a
run does. Yearly shocks of one series, and the Dirichlet draws of the sector shares, act as one
factor each (a SALib group). The vectorised core is evaluated in batches of the scenario's block
size.
"""
from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from simulator.montecarlo import engine
from simulator.montecarlo.draws import SHOCKS, sampling_dimensions
from simulator.errors import UserError
from simulator.montecarlo.projection import dimension_labels
from simulator.scenario import Scenario
from simulator.scenario.parameters import spec_for
from simulator.variables import VARIABLES
from simulator.analysis.methods import morris, one_at_a_time, sobol_indices

METHODS = ("sobol", "morris", "oat", "trees")
# Extra-trees feature scores are fitted to this many Monte Carlo points (besides the Sobol' sample).
TREES_POINTS = 4096
DEFAULT_N = {"sobol": 1024, "morris": 40}
# Morris works on a grid including 0 and 1, where unbounded inverse CDFs are infinite: its levels
# map to the 0.5% .. 99.5% quantiles. One-at-a-time swings run from the 5% to the 95% quantile.
MORRIS_RANGE = (0.005, 0.995)
OAT_LOW, OAT_HIGH = 0.05, 0.95


def factor_of(dimension: str) -> str:
    """The factor a sampling dimension belongs to: shocks and Dirichlet shares are grouped."""
    for prefix in (*SHOCKS, "investment.sector_shares"):
        if dimension.startswith(prefix + "."):
            return prefix
    return dimension


def factor_label(factor: str) -> str:
    if factor in SHOCKS:
        return f"yearly shocks ({SHOCKS[factor]})"
    if factor == "investment.sector_shares":
        return "sector shares (Dirichlet draws)"
    spec = spec_for(factor)
    if spec is None:
        return factor
    if ".pass_rates." in factor:
        _, _, stream, _, stage = factor.split(".")
        return f"pass rate at {stage} ({stream})"
    if factor.startswith(("exchange.streams.", "exchange.stages.")):
        return f"{spec.title} ({factor.split('.')[2]})"
    return spec.title


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
        close = difflib.get_close_matches(output, names, n=1)
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


def _batch_task(scenario: Scenario, output: str, year: int, part: np.ndarray) -> np.ndarray:
    dims = sampling_dimensions(scenario)
    blocks = (output.split(".")[0],)  # investment, trade or exchange: compute only what it needs
    block = engine.evaluate(scenario, {d: part[:, i] for i, d in enumerate(dims)}, len(part), blocks)
    return _selector(scenario, output, year)(block)


def model_function(scenario: Scenario, output: str, year: int, client=None, threads: int = 1, progress=None):
    """f(U) for U of shape (n, d) in quantile space, columns in `sampling_dimensions` order.

    Evaluated in batches of the scenario's block size, on the Dask client if one is given, else on
    `threads` threads; `progress(done, total)` counts batches. Neither changes the numbers."""
    from functools import partial

    from simulator.parallel import map_indexed

    dims = sampling_dimensions(scenario)
    _selector(scenario, output, year)  # check the output and year before any work
    batch = scenario.block_size

    def f(U: np.ndarray) -> np.ndarray:
        U = np.clip(U, 1e-9, 1 - 1e-9)
        parts = {i: U[start:start + batch] for i, start in enumerate(range(0, len(U), batch))}
        results = map_indexed(partial(_batch_task, scenario, output, year), range(len(parts)), client, progress,
                              args=parts, threads=threads)
        return np.concatenate([results[i] for i in range(len(parts))]) if parts else np.zeros(0)

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


def _trees_beside_sobol(f, dims: list[str], groups: dict[str, str], n: int, seed: int) -> pd.DataFrame:
    """Extra-trees importance on TREES_POINTS Monte Carlo points (quantile space: trees only see the
    order of each input's values, so quantiles rank like values), next to the Sobol' indices."""
    from simulator.analysis.trees import feature_scores

    sobol = sobol_indices(f, {d: (0.0, 1.0) for d in dims}, n, seed, groups=groups)
    U = np.random.default_rng(seed).uniform(size=(TREES_POINTS, len(dims)))
    Y = f(U)
    scores = feature_scores(pd.DataFrame(U, columns=dims), Y, seed=seed, groups=groups)
    table = scores.to_frame().join(sobol[["ST", "ST_conf", "S1", "S1_conf"]])
    table = table.sort_values("importance", ascending=False, kind="stable")
    table.attrs["evaluations"] = sobol.attrs["evaluations"] + len(Y)
    return table


def sensitivity(scenario: Scenario, output: str = "trade.balance", year: int | None = None,
                method: str = "sobol", n: int | None = None, seed: int | None = None, *, client=None,
                workers: int | None = None, scheduler: str | None = None, threads: int = 1,
                progress=None) -> pd.DataFrame:
    """Rank the scenario's uncertain inputs by their influence on `output` in `year`.

    Each input is varied over its own distribution (in quantile space, through its inverse CDF, as
    a run draws it); the yearly shocks of one series and the sector shares act as one factor each.
    The methods choose their own points, so the scenario's sampler plays no part; neither do the
    batch size or the threads.

    Parameters
    ----------
    scenario : Scenario
        With at least one uncertain input.
    output : str, default "trade.balance"
        A variable, or one entry of a variable with a third dimension (``<variable>.<entry>``).
    year : int, optional
        A year of the horizon; by default the last.
    method : {"sobol", "morris", "oat", "trees"}, default "sobol"
        "sobol": S1, S1_conf, ST, ST_conf (n a power of two; n * (factors + 2) evaluations);
        "morris": mu_star, mu_star_conf, sigma per unit of quantile range (n trajectories);
        "oat": output at each input's 5% and 95% quantile with the others at their medians;
        "trees": extra-trees importance (sums to 1) on 4096 Monte Carlo points, beside Sobol' S1 and ST.
    n : int, optional
        Sample size: 1024 for "sobol" and "trees", 40 trajectories for "morris"; unused by "oat".
    seed : int, optional
        By default the scenario's seed.
    client, workers, scheduler, threads
        The model runs in batches of the scenario's block size, on Dask (as in :func:`run`) or on
        `threads` threads (one by default).
    progress : callable, optional
        ``progress(done, total)`` counts batches.

    Returns
    -------
    pandas.DataFrame
        Indexed by input (factor), with a `label` column, sorted by importance; ``attrs`` holds
        the method, output, year, number of model evaluations and seed.

    Raises
    ------
    UserError
        An unknown method or output, a year outside the horizon, or a scenario without
        uncertain inputs.

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
    ['label', 'S1', 'S1_conf', 'ST', 'ST_conf']
    >>> bool(table["ST"].is_monotonic_decreasing)  # most influential first
    True
    >>> table.attrs["evaluations"] == 64 * (len(table) + 2)
    True
    >>> swings = simulator.sensitivity(scenario, "trade.balance", 2030, method="oat")
    >>> list(swings.columns)
    ['label', 'low', 'high', 'base', 'swing']
    """
    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    from simulator.parallel import dask_client

    year = int(scenario.years[-1]) if year is None else int(year)
    _selector(scenario, output, year)  # a wrong output or year fails before any cluster starts
    with dask_client(workers, scheduler, client) as c:
        return _sensitivity(scenario, output, year, method, n, seed, c, threads, progress)


def _sensitivity(scenario, output, year, method, n, seed, client, threads=1, progress=None) -> pd.DataFrame:
    f, dims = model_function(scenario, output, year, client, threads=threads, progress=progress)
    if not dims:
        raise UserError(f"{scenario.name}: the scenario has no uncertain inputs to analyse")
    seed = scenario.seed if seed is None else seed
    groups = {d: factor_of(d) for d in dims}
    if method == "sobol":
        table = sobol_indices(f, {d: (0.0, 1.0) for d in dims}, n or DEFAULT_N["sobol"], seed, groups=groups)
        table = table.sort_values("ST", ascending=False)
    elif method == "morris":
        lo, hi = MORRIS_RANGE
        table = morris(lambda U: f(lo + (hi - lo) * U), {d: (0.0, 1.0) for d in dims}, n or DEFAULT_N["morris"],
                       seed, groups=groups)
        table = table.sort_values("mu_star", ascending=False)
    elif method == "trees":
        table = _trees_beside_sobol(f, dims, groups, n or DEFAULT_N["sobol"], seed)
    else:
        low, high = _oat_ends(dims, groups)
        table = one_at_a_time(f, low, high, {d: 0.5 for d in dims}, groups=groups)
    evaluations = table.attrs["evaluations"]
    table.insert(0, "label", [factor_label(k) for k in table.index])
    table.attrs.update(method=method, output=output, year=year, evaluations=evaluations, seed=seed)
    return table
