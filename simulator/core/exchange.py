"""The people exchange as a vectorised fluid pipeline: all draws at once, in monthly steps.

Each stream's entrants pass its stages in order. A stage is a pool of `servers` (seats, officers)
shared by every stream that uses it; a person occupies a server for a service time S. In the
fluid (mean-field) approximation a stage starts at most `servers / E[S]` people a month, the
waiting line is served in proportion to each stream's queue, and those started leave the stage
after a delay distributed like S:

    starts_{j,k}(m) = min(Q_k(m), c_k(m) / E[S_k]) * Q_{j,k}(m) / Q_k(m)
    exits_{j,k}(m)  = sum_a starts_{j,k}(m - a) * g_k(a),  g_k(a) = P(exit month - start month = a)

with flows spread evenly within each month (so g_k integrates S over a uniform start time).
A share p_{j,k} of those leaving stage k passes on; the rest drop out. People leaving the last
stage arrive. Those present at the end of month m:

    stock_j(m) = sum_{m' <= m} arrivals_j(m') * s_j(m - m'),
    Sv(x) = P(L > x) for x < C;  P(L >= C) * r * exp(-h (x - C)) for x >= C

with L the intended stay, C the longest stay the status allows (SSW(i): five years in total),
r the share who switch to a renewable status (SSW(ii)) and h their yearly exit rate.
The monthly recursion runs in `simulator.core.pipeline`; the simpy model in `simulator.people`
simulates the same system person by person.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import scipy.linalg

from simulator.core.routes import stage_order  # noqa: F401  (part of this module's interface)


MONTHS_PER_YEAR = 12
_QUAD = (np.arange(64) + 0.5) / 64  # midpoints for averaging over a uniform position within a month

Cdf = Callable[[np.ndarray], np.ndarray]


def service_kernel(cdf: Cdf, mean_months: float) -> np.ndarray:
    """g(a) = P(a <= U + S < a + 1), U ~ Uniform(0, 1): the month an exit falls in, after a start."""
    # Far beyond the bulk of any sensible distribution: a few entries more or less past the tail that
    # `keep` drops give the same kernel (the line is left unmutated: [tool.mutmut] in pyproject.toml).
    length = int(np.ceil(mean_months * 40 + 2))
    a = np.arange(length)[:, None]
    g = np.maximum((cdf(a + 1 - _QUAD) - cdf(a - _QUAD)).mean(axis=1), 0.0)  # a CDF in floating point need not be monotone
    # Drop the negligible tail: the convolution costs one multiply per kernel entry and month.
    keep = int(np.searchsorted(np.cumsum(g), g.sum() * (1 - 1e-12))) + 1
    return g[:keep]


def exponential_kernel(mean_months: float) -> tuple[float, float, float]:
    """The service kernel of an exponential service time in closed form: (g0, c, r) with

        g(0) = 1 - d (1 - e^(-1/d)),   g(a) = c r^a for a >= 1,   r = e^(-1/d),
        c = d (1 - e^(-1/d)) (e^(1/d) - 1),   d the mean in months.

    The geometric tail turns the convolution into a one-state recursion (O(1) a month):
    H(m + 1) = r (c starts(m) + H(m)), exits(m) = g0 starts(m) + H(m).
    """
    d = float(mean_months)
    if d <= 0:
        raise ValueError(f"mean service time must be > 0, got {d}")
    r = np.exp(-1.0 / d)
    return 1.0 - d * (1.0 - r), d * (1.0 - r) * (np.exp(1.0 / d) - 1.0), r


def survival_kernels(stay_cdf: Cdf, max_stay_years: float, renewed_exit_rate: float,
                     months: int) -> tuple[np.ndarray, np.ndarray]:
    """Month kernels (s_base, s_renew): present at the end of month a after the arrival month.

    s(a) = s_base(a) + r * s_renew(a), so the renewal share r can differ between draws.
    """
    x = (np.arange(months)[:, None] + 1 - _QUAD) / MONTHS_PER_YEAR  # years since arrival
    cap = max_stay_years
    before = x < cap  # x = (m + 1 - q) / 12 at midpoints q never equals a cap in whole months
    base = np.where(before, 1.0 - stay_cdf(x), 0.0).mean(axis=1)
    reach = 1.0 - float(stay_cdf(np.array(cap - 1e-12)))  # P(L >= C)
    renew = np.where(before, 0.0, reach * np.exp(-renewed_exit_rate * (x - cap))).mean(axis=1)
    return base, renew


def survival_matrix(survival: np.ndarray, months: int) -> np.ndarray:
    """S (M, M) with S[m_end, m_arrival] = s(m_end - m_arrival), 0 for arrivals after the month end:
    the lower-triangular Toeplitz matrix of the kernel, so S @ arrivals is the stock at each month end."""
    if len(survival) < months:
        raise ValueError(f"a survival kernel of {len(survival)} months cannot cover {months} months")
    return scipy.linalg.toeplitz(survival[:months], np.zeros(months))


def stock_from_arrivals(arrivals: np.ndarray, s_base: np.ndarray, s_renew: np.ndarray, renewal_share) -> np.ndarray:
    """People present at each month end: arrivals (n, M) convolved with the survival kernel.

    The full monthly path, for analysis and as the definition the yearly stocks are tested against
    (runs compute only what the outputs need, `stock_weights` @ arrivals, inside the pipeline kernel)."""
    months = arrivals.shape[-1]
    base, renew = survival_matrix(s_base, months), survival_matrix(s_renew, months)
    return arrivals @ base.T + np.asarray(renewal_share)[..., None] * (arrivals @ renew.T)


def stock_weights(survival: np.ndarray, months: int) -> np.ndarray:
    """W (2T, M): stock at each year's end (rows 0..T-1) and mean stock over each year (rows T..2T-1)
    are W @ arrivals for monthly arrivals (M,): the survival convolution projected onto what the
    outputs need, 2T rows instead of M."""
    full = survival_matrix(survival, months)
    ends = np.arange(MONTHS_PER_YEAR - 1, months, MONTHS_PER_YEAR)
    years = months // MONTHS_PER_YEAR
    return np.concatenate([full[ends], full.reshape(years, MONTHS_PER_YEAR, months).mean(axis=1)])


def stock_by_year(arrivals: np.ndarray, s_base: np.ndarray, s_renew: np.ndarray,
                  renewal_share) -> tuple[np.ndarray, np.ndarray]:
    """(stock at each year's end, mean stock over each year), each (n, T), from arrivals (n, M): what
    the pipeline kernel computes chunk by chunk, here in numpy for analysis and tests."""
    months = arrivals.shape[-1]
    combined = (arrivals @ stock_weights(s_base, months).T
                + np.asarray(renewal_share)[..., None] * (arrivals @ stock_weights(s_renew, months).T))
    T = months // MONTHS_PER_YEAR
    return combined[..., :T], combined[..., T:]


def yearly_sum(monthly: np.ndarray, axis: int = 1) -> np.ndarray:
    """Sum months into years along `axis` (M must be a multiple of 12)."""
    shape = list(monthly.shape)
    shape[axis:axis + 1] = [shape[axis] // MONTHS_PER_YEAR, MONTHS_PER_YEAR]
    return monthly.reshape(shape).sum(axis=axis + 1)


def year_end(monthly: np.ndarray, axis: int = 1) -> np.ndarray:
    """The value at the last month of each year along `axis`."""
    index = np.arange(MONTHS_PER_YEAR - 1, monthly.shape[axis], MONTHS_PER_YEAR)
    return np.take(monthly, index, axis=axis)


def yearly_mean(monthly: np.ndarray, axis: int = 1) -> np.ndarray:
    return yearly_sum(monthly, axis) / MONTHS_PER_YEAR
