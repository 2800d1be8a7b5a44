"""The fluid pipeline's monthly recursion (equations in `simulator.core.exchange`), compiled.

`run_pipeline` is the checked wrapper: it turns stages and streams into flat arrays and calls
`_pipeline_kernel`, a numba-compiled loop over months and stages whose innermost loop runs over
draws, so each step is one pass over contiguous memory that the compiler vectorises. The recursion
is sequential in months (a stage's starts depend on its queue, which depends on this month's exits
upstream), which is why it cannot be written as a few whole-array numpy operations without a
Python-level step per month and stage; see docs/performance.md for the measurements.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numba
import numpy as np

from simulator.core.exchange import MONTHS_PER_YEAR, stock_weights

CHUNK = 512  # draws per pass: the chunk's state (lanes x CHUNK x 3 floats) fits in a core's L2 cache
NO_LANE = -1  # lane_source / final_lane of a stream with no stage before (or no stage at all): any negative number


@dataclass(frozen=True)
class Stage:
    name: str
    capacity_per_month: np.ndarray  # (M,) servers / E[S]
    kernel: np.ndarray  # (A,) g(a)
    geometric: tuple[float, float, float] | None = None  # (g0, c, r) for exponential service


@dataclass(frozen=True)
class Stream:
    """Entrants in month m (of year t) of draw i: entrants_per_month[m] * scale[i] (a path times a per-draw
    factor: entrants_per_year times uptake), or entrants_per_month[m] * scale[i, t] when the level
    itself differs between draws year by year (a stream calibrated to an observed stock)."""
    name: str
    entrants_per_month: np.ndarray  # (M,)
    route: tuple[int, ...]  # indices into the stage list, in order
    pass_rates: tuple  # one scalar or (n,) array per stage of the route
    scale: float | np.ndarray = 1.0  # scalar, (n,) or (n, T)


@dataclass(frozen=True)
class Stay:
    """How long a stream's arrivals stay: s(a) = base(a) + renewal_share * renew(a) (see
    `exchange.survival_kernels`), present at the end of month a after the arrival month."""
    base: np.ndarray  # (M,)
    renew: np.ndarray  # (M,)
    renewal_share: float | np.ndarray = 0.0  # scalar or (n,)


@dataclass(frozen=True)
class YearlyFlows:
    """What the outputs need from the pipeline, by year: each array (n, T, streams) or (n, T, stages)."""
    arrivals: np.ndarray
    backlog: np.ndarray  # at each year's end
    stock_end: np.ndarray  # people present at each year's end
    stock_mean: np.ndarray  # mean over the year's month ends


def run_pipeline(stages: Sequence[Stage], order: Sequence[int], streams: Sequence[Stream], n: int,
                 months: int) -> tuple[np.ndarray, np.ndarray]:
    """Simulate the fluid pipeline month by month. Returns arrivals (n, M, J) and backlog at month
    ends (n, M, K), as views of the month-major buffers the kernel writes."""
    arrivals = np.zeros((months, len(streams), n))
    backlog = np.zeros((months, len(stages), n))
    _run(stages, order, streams, (), n, months, arrivals, backlog, range(len(streams)))
    return arrivals.transpose(2, 0, 1), backlog.transpose(2, 0, 1)


def pipeline_by_year(stages: Sequence[Stage], order: Sequence[int], streams: Sequence[Stream],
                     stays: Sequence[Stay], n: int, months: int) -> YearlyFlows:
    """The pipeline's yearly outputs without keeping the monthly path (months a multiple of 12):
    arrivals summed by year, backlog at year ends, and the stock of each stream (arrivals
    convolved with its stay, `exchange.stock_weights`), computed chunk by chunk inside the kernel."""
    if months % MONTHS_PER_YEAR or len(stays) != len(streams):
        raise ValueError(f"need whole years of months and one stay per stream, got {months} months, "
                         f"{len(stays)} stays for {len(streams)} streams")
    arrivals, backlog, stock = _run(stages, order, streams, stays, n, months, np.zeros((0, len(streams), n)),
                                    np.zeros((0, len(stages), n)), ())  # no monthly buffers kept
    T = months // MONTHS_PER_YEAR
    return YearlyFlows(arrivals, backlog, stock[:, :T], stock[:, T:])


def pipeline_by_year_with_arrivals(stages: Sequence[Stage], order: Sequence[int], streams: Sequence[Stream],
                                   stays: Sequence[Stay], n: int, months: int,
                                   kept: Sequence[int]) -> tuple[YearlyFlows, np.ndarray]:
    """`pipeline_by_year` and the monthly arrivals of the streams `kept` (indices), (n, M, len(kept)), a
    view of the month-major buffer: for streams whose stocks need more than one stay kernel for all
    draws (stays scaled by draw), which are then convolved outside (give those streams zero stays
    here and their stock rows are zero). Only those streams' months are written: the monthly buffers
    of every stream and stage cost more than the recursion (39 against 16 ms a block of 4,096)."""
    if months % MONTHS_PER_YEAR or len(stays) != len(streams):
        raise ValueError(f"need whole years of months and one stay per stream, got {months} months, "
                         f"{len(stays)} stays for {len(streams)} streams")
    arrivals = np.zeros((months, len(kept), n))
    arrived, backlog, stock = _run(stages, order, streams, stays, n, months, arrivals,
                                   np.zeros((0, len(stages), n)), kept)
    T = months // MONTHS_PER_YEAR
    return YearlyFlows(arrived, backlog, stock[:, :T], stock[:, T:]), arrivals.transpose(2, 0, 1)


def _run(stages, order, streams, stays, n, months, monthly_arrivals, monthly_backlog, kept=None):
    """Check the inputs, flatten them into the kernel's arrays, run it; returns its yearly buffers.
    `kept`: the streams whose monthly arrivals go to monthly_arrivals[:, position in kept] (all by default)."""
    J, K, T = len(streams), len(stages), months // MONTHS_PER_YEAR
    kept = range(J) if kept is None else kept
    # The kernel (numba, no bounds checks) writes a row a month into a buffer that has rows at all:
    # fewer rows would be written past their end, so only 0 or a row a month, and a column per kept stream.
    kept = list(kept)
    if (monthly_arrivals.shape[0] not in (0, months) or monthly_backlog.shape[0] not in (0, months)
            or (monthly_arrivals.shape[0] and monthly_arrivals.shape[1] != len(kept))
            or len(set(kept)) != len(kept) or any(not 0 <= j < J for j in kept)):
        raise ValueError(f"monthly buffers need 0 rows or one a month ({months}) and a column per kept stream, "
                         f"got {monthly_arrivals.shape[:2]} and {monthly_backlog.shape[0]} rows for streams {kept}")
    kept_stream = np.full(J, NO_LANE, dtype=np.int64)  # column in monthly_arrivals, or none
    kept_stream[kept] = np.arange(len(kept))
    order = np.asarray(list(order), dtype=np.int64)
    if len(set(order.tolist())) != len(order) or any(k < 0 or k >= K for k in order):
        raise ValueError(f"order must list distinct stage indices in 0..{K - 1}, got {order.tolist()}")
    position = {k: i for i, k in enumerate(order.tolist())}
    for s in streams:  # a stage reads this month's exits upstream: they must have been computed
        if any(k not in position for k in s.route) or any(position[a] >= position[b]
                                                          for a, b in zip(s.route, s.route[1:])):
            raise ValueError(f"order {order.tolist()} must include the stages of stream {s.name!r} "
                             f"in its route's order {list(s.route)}")
    # Lanes: one per (stream, stage on its route), grouped by stage so a stage's lanes are contiguous.
    # Several lines below size or type the kernel's buffers; the kernel has no bounds checks, so they
    # must be exactly right (they are left unmutated: [tool.mutmut] in pyproject.toml says why).
    lanes = sorted(((k, j, pos) for j, s in enumerate(streams) for pos, k in enumerate(s.route)))
    lane_of = {(j, k): l for l, (k, j, _) in enumerate(lanes)}
    stage_first = np.searchsorted([k for k, _, _ in lanes], np.arange(K + 1))
    lane_stream = np.array([j for _, j, _ in lanes], dtype=np.int64)
    sources = [NO_LANE if pos == 0 else lane_of[(j, streams[j].route[pos - 1])] for _, j, pos in lanes]
    lane_source = np.array(sources, dtype=np.int64)
    rates = np.empty((len(lanes), n))
    for l, (_, j, pos) in enumerate(lanes):
        rates[l] = streams[j].pass_rates[pos]
    finals = [lane_of[(j, s.route[-1])] if s.route else NO_LANE for j, s in enumerate(streams)]
    final_lane = np.array(finals, dtype=np.int64)
    entrants = np.zeros((J, months))
    started_years = -(-months // MONTHS_PER_YEAR)  # the kernel reads year m // 12 of every month m
    scale = np.empty((J, started_years, n))  # per stream, year and draw
    for j, s in enumerate(streams):
        entrants[j] = np.broadcast_to(s.entrants_per_month, (months,))
        factor = np.asarray(s.scale, dtype=float)
        if factor.ndim == 2 and factor.shape != (n, started_years):
            raise ValueError(f"stream {s.name!r}: a per-draw, per-year scale must be ({n}, {started_years}), "
                             f"got {factor.shape}")
        scale[j] = factor.T if factor.ndim == 2 else np.broadcast_to(factor, (n,))[None, :]
    capacity = np.zeros((K, months))
    geometric = np.zeros((K, 3))
    is_geometric = np.zeros(K, dtype=np.bool_)
    width = max([1] + [len(st.kernel) for st in stages])
    kernel_lag = np.zeros((K, width), dtype=np.int64)
    kernel_weight = np.zeros((K, width))
    kernel_nonzero = np.zeros(K, dtype=np.int64)
    for k, st in enumerate(stages):
        capacity[k] = np.broadcast_to(st.capacity_per_month, (months,))
        if st.geometric is not None:
            is_geometric[k] = True
            geometric[k] = st.geometric
        else:
            lags = np.flatnonzero(st.kernel)  # fixed service times give kernels of two non-zero entries
            kernel_nonzero[k] = len(lags)
            kernel_lag[k, :len(lags)] = lags
            kernel_weight[k, :len(lags)] = st.kernel[lags]
    weights = np.zeros((J, 2, 2 * T if stays else 0, months))
    renewal = np.zeros((J, n))
    for j, stay in enumerate(stays):
        weights[j, 0] = _stock_weights(np.asarray(stay.base, dtype=float).tobytes(), months)
        renewal[j] = stay.renewal_share
        if np.any(renewal[j] != 0):  # most streams have no renewable status: their zero weights cost nothing
            weights[j, 1] = _stock_weights(np.asarray(stay.renew, dtype=float).tobytes(), months)
    # Yearly outputs in the layout of the output variables, (draw, year, stream|stage).
    yearly = (np.zeros((n, T, J)), np.zeros((n, T, K)), np.zeros((n, 2 * T if stays else 0, J)))
    _pipeline_kernel(CHUNK, order, stage_first, lane_stream, lane_source, rates, final_lane, entrants, scale,
                     capacity, is_geometric, geometric, kernel_lag, kernel_weight, kernel_nonzero, weights,
                     renewal, kept_stream, monthly_arrivals, monthly_backlog, *yearly)
    return yearly


@functools.lru_cache(maxsize=64)
def _stock_weights(survival: bytes, months: int) -> np.ndarray:
    """`stock_weights`, once per stay kernel (the same for every block of a run)."""
    weights = stock_weights(np.frombuffer(survival), months)
    weights.setflags(write=False)
    return weights


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pipeline_kernel(chunk, order, stage_first, lane_stream, lane_source, rates, final_lane, entrants, scale,
                     capacity, is_geometric, geometric, kernel_lag, kernel_weight, kernel_nonzero, weights,
                     renewal, kept_stream, monthly_arrivals, monthly_backlog, yearly_arrivals, year_end_backlog,
                     stock):  # pragma: no cover - compiled; covered through run_pipeline
    J, months = entrants.shape
    L, n = len(lane_stream), scale.shape[2]
    width = min(chunk, n)
    # Starts of convolution stages, kept for as many months as the longest kernel reaches back.
    depth = 1
    for k in range(len(kernel_nonzero)):
        if kernel_nonzero[k] > 0:
            depth = max(depth, kernel_lag[k, kernel_nonzero[k] - 1] + 1)
    # Working state for one chunk, allocated once: fresh memory costs a page fault per 4 KiB.
    state = np.empty((3, L, width))  # queue, exits, tail (H(m) of exponential stages)
    arrived = np.empty((J, months, width))
    history = np.empty((L, depth, width))
    # Draws are independent: run them in chunks whose state stays in the core's cache.
    for lo in range(0, n, width):
        _pipeline_chunk(lo, min(lo + width, n), state, arrived, history, order, stage_first, lane_stream,
                        lane_source, rates, final_lane, entrants, scale, capacity, is_geometric, geometric,
                        kernel_lag, kernel_weight, kernel_nonzero, weights, renewal, kept_stream, monthly_arrivals,
                        monthly_backlog, yearly_arrivals, year_end_backlog, stock)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _pipeline_chunk(lo, hi, state, arrived, history, order, stage_first, lane_stream, lane_source, rates, final_lane, entrants, scale,
                    capacity, is_geometric, geometric, kernel_lag, kernel_weight, kernel_nonzero, weights,
                    renewal, kept_stream, monthly_arrivals, monthly_backlog, yearly_arrivals, year_end_backlog,
                    stock):  # pragma: no cover - compiled; covered through run_pipeline
    # Every inner loop runs over the chunk's draws on 1-d contiguous rows, which the compiler vectorises.
    J, months = entrants.shape
    n, depth = hi - lo, history.shape[1]  # rows of the buffers may be longer than this chunk's n
    keep_arrivals, keep_backlog = monthly_arrivals.shape[0] > 0, monthly_backlog.shape[0] > 0
    rate = np.ascontiguousarray(rates[:, lo:hi])
    factor = np.ascontiguousarray(scale[:, :, lo:hi])
    state[:] = 0.0
    history[:] = 0.0
    queue, exits, tail = state[0], state[1], state[2]
    line = np.zeros(n)
    share = np.empty(n)
    for m in range(months):
        year_end = (m + 1) % MONTHS_PER_YEAR == 0 and m // MONTHS_PER_YEAR < year_end_backlog.shape[1]
        for k in order:
            first, stop = stage_first[k], stage_first[k + 1]
            if first == stop:
                continue
            # One pass per lane: newcomers join the line, and the stage's total line is summed.
            for l in range(first, stop):
                q = queue[l]
                source = lane_source[l]
                if source < 0:
                    e, f = entrants[lane_stream[l], m], factor[lane_stream[l], m // MONTHS_PER_YEAR]
                    for i in range(n):
                        q[i] += e * f[i]
                else:
                    x, p = exits[source], rate[source]
                    for i in range(n):
                        q[i] += x[i] * p[i]
                if l == first:
                    for i in range(n):
                        share[i] = q[i]
                else:
                    for i in range(n):
                        share[i] += q[i]
            cap = capacity[k, m]
            for i in range(n):  # share of the line that starts: min(Q, c) / Q
                waiting = share[i]
                share[i] = 0.0 if waiting <= 0.0 else min(waiting, cap) / waiting
            line[:] = 0.0
            g0, c, r = geometric[k, 0], geometric[k, 1], geometric[k, 2]
            slot = m % depth
            for l in range(first, stop):
                q, x = queue[l], exits[l]
                if is_geometric[k]:
                    h = tail[l]
                    for i in range(n):
                        begin = q[i] * share[i]
                        left = q[i] - begin
                        q[i] = left
                        line[i] += left
                        x[i] = g0 * begin + h[i]
                        h[i] = r * (c * begin + h[i])
                else:
                    started = history[l, slot]
                    for i in range(n):
                        begin = q[i] * share[i]
                        left = q[i] - begin
                        q[i] = left
                        line[i] += left
                        started[i] = begin
                        x[i] = 0.0
                    for a in range(kernel_nonzero[k]):
                        lag = kernel_lag[k, a]
                        if lag > m:
                            break
                        w, past = kernel_weight[k, a], history[l, (m - lag) % depth]
                        for i in range(n):
                            x[i] += w * past[i]
            for i in range(n):
                if keep_backlog:
                    monthly_backlog[m, k, lo + i] = line[i]
                if year_end:
                    year_end_backlog[lo + i, m // MONTHS_PER_YEAR, k] = line[i]
        for j in range(J):
            a = arrived[j, m]
            last = final_lane[j]
            if last < 0:
                e, f = entrants[j, m], factor[j, m // MONTHS_PER_YEAR]
                for i in range(n):
                    a[i] = e * f[i]
            else:
                x, p = exits[last], rate[last]
                for i in range(n):
                    a[i] = x[i] * p[i]
            column = kept_stream[j]
            if keep_arrivals and column >= 0:
                for i in range(n):
                    monthly_arrivals[m, column, lo + i] = a[i]
    T = yearly_arrivals.shape[1]
    total = np.empty(n)
    renewed = np.empty(n)
    for j in range(J):
        for t in range(T):
            total[:] = 0.0
            for mm in range(t * MONTHS_PER_YEAR, (t + 1) * MONTHS_PER_YEAR):
                a = arrived[j, mm]
                for i in range(n):
                    total[i] += a[i]
            for i in range(n):
                yearly_arrivals[lo + i, t, j] = total[i]
        # Stock rows: W @ arrivals with W = base + renewal_share * renew (`exchange.stock_weights`).
        # Loops, not BLAS, so each draw's sum runs in the same order whatever the chunk, and the
        # zeros of W (months after a row's year end, stays already over) cost nothing.
        for i in range(n):
            share[i] = renewal[j, lo + i]
        for row in range(stock.shape[1]):
            total[:] = 0.0
            renewed[:] = 0.0
            for mm in range(months):
                wb, wr = weights[j, 0, row, mm], weights[j, 1, row, mm]
                a = arrived[j, mm]
                if wb != 0.0:
                    for i in range(n):
                        total[i] += wb * a[i]
                if wr != 0.0:
                    for i in range(n):
                        renewed[i] += wr * a[i]
            for i in range(n):
                stock[lo + i, row, j] = total[i] + share[i] * renewed[i]
