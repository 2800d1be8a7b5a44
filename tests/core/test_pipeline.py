"""The compiled pipeline kernel against the numpy oracle (tests/pipeline_reference.py), on random
pipelines: shared stages, binding and slack capacities, convolution and exponential stages,
per-draw pass rates and scales, streams with no stages; and its yearly outputs against the
monthly path summed, sampled and convolved by the definitions in `simulator.core.exchange`."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.core import exchange as ex
from simulator.core import pipeline as pl
from simulator.scenario.values import Fixed, parse_distribution

from tests.pipeline_reference import run_pipeline_reference

SERVICE = [Fixed(0.5), Fixed(1.0), Fixed(6.0), parse_distribution({"dist": "uniform", "min": 0.5, "max": 3.0})[0],
           parse_distribution({"dist": "exponential", "mean": 1.5})[0]]


@st.composite
def pipelines(draw):
    n = draw(st.integers(1, 7))
    years = draw(st.integers(1, 3))
    months = 12 * years
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    K = draw(st.integers(1, 4))
    stages = []
    for k in range(K):
        service = draw(st.sampled_from(SERVICE))
        # Capacities from far below to far above the inflow, changing over time.
        capacity = rng.uniform(0, draw(st.sampled_from([5.0, 50.0, 1e4])), months)
        if getattr(service, "family", None) == "exponential":
            stages.append(pl.Stage(f"s{k}", capacity, np.zeros(0), ex.exponential_kernel(service.mean())))
        else:
            stages.append(pl.Stage(f"s{k}", capacity, ex.service_kernel(service.cdf, service.mean())[:months]))
    streams, stays = [], []
    for j in range(draw(st.integers(1, 4))):
        route = tuple(sorted(draw(st.sets(st.integers(0, K - 1), max_size=K))))
        rates = tuple(rng.uniform(0.3, 1.0, n) if draw(st.booleans()) else 0.9 for _ in route)
        scale = rng.uniform(0, 2, n) if draw(st.booleans()) else 1.0
        streams.append(pl.Stream(f"w{j}", rng.uniform(0, 40, months), route, rates, scale))
        stay = draw(st.sampled_from([Fixed(0.5), Fixed(2.0), SERVICE[3]]))
        base, renew = ex.survival_kernels(stay.cdf, draw(st.sampled_from([1.0, 5.0])), 0.1, months)
        stays.append(pl.Stay(base, renew, rng.uniform(0, 1, n) if draw(st.booleans()) else 0.3))
    order = list(range(K))
    return stages, order, streams, stays, n, months


@settings(max_examples=60, deadline=None)
@given(pipelines())
def test_kernel_equals_the_numpy_oracle(case):
    stages, order, streams, _, n, months = case
    arrivals, backlog = pl.run_pipeline(stages, order, streams, n, months)
    want_arrivals, want_backlog = run_pipeline_reference(stages, order, streams, n, months)
    np.testing.assert_allclose(arrivals, want_arrivals, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(backlog, want_backlog, rtol=1e-12, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(pipelines())
def test_yearly_outputs_equal_the_monthly_path_summed_and_convolved(case):
    stages, order, streams, stays, n, months = case
    arrivals, backlog = run_pipeline_reference(stages, order, streams, n, months)
    flows = pl.pipeline_by_year(stages, order, streams, stays, n, months)
    np.testing.assert_allclose(flows.arrivals, ex.yearly_sum(arrivals), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(flows.backlog, ex.year_end(backlog), rtol=1e-12, atol=1e-9)
    for j, stay in enumerate(stays):
        monthly = ex.stock_from_arrivals(arrivals[..., j], stay.base, stay.renew, stay.renewal_share)
        np.testing.assert_allclose(flows.stock_end[..., j], ex.year_end(monthly), rtol=1e-10, atol=1e-8)
        np.testing.assert_allclose(flows.stock_mean[..., j], ex.yearly_mean(monthly), rtol=1e-10, atol=1e-8)


def test_results_do_not_depend_on_the_chunk_of_draws(monkeypatch):
    # Draws are independent: computing them 3 at a time or all at once gives identical bits.
    rng = np.random.default_rng(5)
    n, months = 10, 24
    stages = [pl.Stage("a", np.full(months, 30.0), ex.service_kernel(Fixed(1.0).cdf, 1.0)),
              pl.Stage("b", np.full(months, 20.0), np.zeros(0), ex.exponential_kernel(2.0))]
    streams = [pl.Stream("w", np.full(months, 40.0), (0, 1), (rng.uniform(0.5, 1, n), 0.9), rng.uniform(0, 2, n))]
    stays = [pl.Stay(*ex.survival_kernels(Fixed(1.0).cdf, 5.0, 0.1, months), rng.uniform(0, 1, n))]
    whole = pl.pipeline_by_year(stages, [0, 1], streams, stays, n, months)
    monkeypatch.setattr(pl, "CHUNK", 3)
    chunked = pl.pipeline_by_year(stages, [0, 1], streams, stays, n, months)
    for a, b in zip((whole.arrivals, whole.backlog, whole.stock_end), (chunked.arrivals, chunked.backlog,
                                                                       chunked.stock_end)):
        assert np.array_equal(a, b)


def test_stays_given_as_integers_and_a_status_everyone_renews():
    """s = base + r renew: with r = 1 for every draw the stock equals that of one stay kernel base + renew
    (the renewed part must not be skipped as if nobody renewed), and kernels of whole numbers, as a user
    may type them (6 months for sure, then renewed for good), give the same stock as the same floats."""
    n, months = 2, 24
    stages = [pl.Stage("a", np.full(months, 1e6), np.zeros(0), ex.exponential_kernel(0.5))]
    streams = [pl.Stream("w", np.full(months, 10.0), (0,), (1.0,), np.array([1.0, 2.0]))]
    base = np.array([1] * 6 + [0] * 18)
    renew = np.array([0] * 6 + [1] * 18)
    as_ints = pl.pipeline_by_year(stages, [0], streams, [pl.Stay(base, renew, 1.0)], n, months)
    as_floats = pl.pipeline_by_year(stages, [0], streams, [pl.Stay(base.astype(float), renew.astype(float), 1.0)],
                                    n, months)
    one_kernel = pl.pipeline_by_year(stages, [0], streams, [pl.Stay(base + renew.astype(float), np.zeros(months), 0.0)],
                                     n, months)
    np.testing.assert_array_equal(as_ints.stock_end, as_floats.stock_end)
    np.testing.assert_allclose(as_floats.stock_end, one_kernel.stock_end, rtol=1e-12)
    np.testing.assert_allclose(as_floats.stock_mean, one_kernel.stock_mean, rtol=1e-12)
    # nobody leaves (6 months, then renewed for good): at the end everyone who arrived is there
    np.testing.assert_allclose(as_floats.stock_end[:, -1, 0], as_floats.arrivals.sum(axis=(1, 2)), rtol=1e-12)


@pytest.mark.parametrize("order, route, message", [
    ([0, 0], (0, 1), "distinct"), ([0, 2], (0, 1), r"in 0\.\.1"), ([-1, 0], (0, 1), r"in 0\.\.1"),
    ([1, 0], (0, 1), "route's order"), ([1], (0, 1), "route's order"),
    ([0, 1], (0, 0), "route's order")])  # a stage twice on one route: the kernel would read its own month
def test_bad_stage_order_is_refused(order, route, message):
    stages = [pl.Stage(k, np.ones(12), np.array([1.0])) for k in "ab"]
    with pytest.raises(ValueError, match=message):
        pl.run_pipeline(stages, order, [pl.Stream("w", np.ones(12), route, (1.0, 1.0))], 1, 12)


def test_yearly_outputs_need_whole_years_and_one_stay_per_stream():
    stage = pl.Stage("a", np.ones(12), np.array([1.0]))
    with pytest.raises(ValueError, match="whole years"):
        pl.pipeline_by_year([stage], [0], [pl.Stream("w", np.ones(12), (0,), (1.0,))], [], 1, 12)


@pytest.mark.parametrize("arrival_rows, backlog_rows, columns, kept", [
    (1, 1, 1, None), (1, 0, 1, None), (0, 13, 1, None), (13, 13, 1, None),
    (12, 0, 2, None), (12, 0, 1, [1]), (12, 0, 2, [0, 0])])
def test_monthly_buffers_of_another_length_are_refused(arrival_rows, backlog_rows, columns, kept):
    # the numba kernel has no bounds checks: a buffer with rows but fewer than a row a month would be
    # written past its end (memory corruption, not an error), so the wrapper refuses anything but 0 rows
    # or a row a month, and an arrivals buffer without exactly one column per kept stream. The order
    # [5] is refused by the next check: were the buffer check missing, this test would fail on the
    # wrong message rather than run the kernel out of bounds.
    stage = pl.Stage("a", np.ones(12), np.array([1.0]))
    stream = pl.Stream("w", np.ones(12), (0,), (1.0,))
    with pytest.raises(ValueError, match="monthly buffers"):
        pl._run([stage], [5], [stream], (), 1, 12, np.zeros((arrival_rows, columns, 1)),
                np.zeros((backlog_rows, 1, 1)), kept)


def test_only_the_kept_streams_monthly_arrivals_are_written():
    stage = pl.Stage("a", np.full(24, 5.0), np.array([0.0, 1.0]))
    streams = [pl.Stream(name, np.full(24, level), (0,), (1.0,)) for name, level in (("w", 3.0), ("v", 4.0))]
    no_stay = pl.Stay(np.zeros(24), np.zeros(24))
    flows, kept = pl.pipeline_by_year_with_arrivals([stage], [0], streams, [no_stay, no_stay], 2, 24, [1])
    every, _ = pl.run_pipeline([stage], [0], streams, 2, 24)
    assert kept.shape == (2, 24, 1)
    np.testing.assert_array_equal(kept[:, :, 0], every[:, :, 1])
    np.testing.assert_array_equal(flows.arrivals, pl.pipeline_by_year([stage], [0], streams, [no_stay, no_stay],
                                                                       2, 24).arrivals)
