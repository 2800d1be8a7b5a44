"""Calibration of entrants to an observed stock (simulator.core.stock_calibration): closed forms,
and the steady state it is built for reproduced by the pipeline's own survival convolution."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from simulator.core import exchange as ex
from simulator.core import stock_calibration as sc


def exponential(mean):
    return sc.stay_quantiles(stats.expon(scale=mean).ppf)


def fixed(value):
    return sc.stay_quantiles(lambda u: np.full(np.shape(u), value))


@given(stay=st.floats(0.2, 10), growth=st.floats(-0.02, 0.25, allow_subnormal=False))
def test_exponential_stays_give_the_docs_rule(stay, growth):
    # (Stocks shrinking fast with long stays, g < -1/(2L), weigh the far tail of the stays so heavily
    # that the quadrature's error passes 0.1%: outside what the calibration is used for.)
    # A = S (1/L + gamma), gamma = ln(1 + g): D = 1 / (1/L + gamma) for exponential stays (with no
    # status limit in reach: the default limit of 100 years would cut a mean of 15 years' tail).
    d = sc.discounted_stay(exponential(stay), 1.0, 1000.0, 0.0, 0.0, growth)
    # Within 0.1%: the expectation is a sum over 1,108 quantiles.
    assert d == pytest.approx(1 / (1 / stay + math.log1p(growth)), rel=1e-3)


@given(stay=st.floats(0.1, 20), growth=st.floats(-0.04, 0.25, allow_subnormal=False))
def test_a_fixed_stay_discounts_exactly(stay, growth):
    gamma = math.log1p(growth)
    expected = stay if gamma == 0 else -math.expm1(-gamma * stay) / gamma
    # To rounding: suffix sums over the quantiles and (P - e^{γΔ} E) / γ lose a few digits, not more.
    assert sc.discounted_stay(fixed(stay), 1.0, 100.0, 0.0, 0.0, growth) == pytest.approx(expected, rel=1e-9)


def test_without_growth_the_arrivals_replace_leavers_at_the_mean_stay():
    # g = 0: A = S / E[L], whatever the spread (uniform 1-6 capped at 5: E[min(L, 5)] = 3.4).
    q = sc.stay_quantiles(stats.uniform(1, 5).ppf)
    assert sc.discounted_stay(q, 1.0, 5.0, 0.0, 0.0, 0.0) == pytest.approx(3.4, rel=1e-5)


def test_the_scale_stretches_every_stay():
    q = exponential(5.0)
    assert sc.discounted_stay(q, 0.6, 100.0, 0.0, 0.0, 0.0) == pytest.approx(3.0, rel=2e-4)
    many = sc.discounted_stay(q, np.array([0.6, 1.4]), 100.0, 0.0, 0.0, np.array([0.05, 0.05]))
    assert many[0] < many[1]


@pytest.mark.parametrize("stay_cdf, ppf, cap, renewal, exit_rate", [
    (stats.expon(scale=4.0).cdf, stats.expon(scale=4.0).ppf, 100.0, 0.0, 0.0),
    (stats.uniform(1, 5).cdf, stats.uniform(1, 5).ppf, 5.0, 0.25, 0.1),  # SSW: capped, a quarter renew
])
def test_calibrated_arrivals_reproduce_the_observed_stock_in_steady_state(stay_cdf, ppf, cap, renewal, exit_rate):
    # Arrivals on the calibrated path for 60 years, convolved with the survival kernel the projection
    # uses, leave the observed stock at the count's date: A = S / D reproduces S (monthly steps).
    stock, growth, years = 13619.0, 0.0675, 60
    months = years * ex.MONTHS_PER_YEAR
    d = sc.discounted_stay(sc.stay_quantiles(ppf), 1.0, cap, renewal, exit_rate, growth)
    t = (np.arange(months) + 0.5) / ex.MONTHS_PER_YEAR - years  # mid-month, years before the count
    monthly = stock / d * np.exp(math.log1p(growth) * t) / ex.MONTHS_PER_YEAR
    base, renew = ex.survival_kernels(stay_cdf, cap, exit_rate, months)
    present = ex.stock_from_arrivals(monthly[None, :], base, renew, renewal)[0, -1]
    assert present == pytest.approx(stock, rel=2e-3)


def test_pass_rates_and_the_plan_scale_the_entrants():
    # 1,000 present at end-2024, exponential stays of 4 years, 5% growth: A(2025) = 1000 (1/4 + ln 1.05)
    # 1.05^0.5 (mid-2025); entrants = A / (0.5 x 0.8) x (1 + (2 - 1) x 0.5) with half the plan's effect.
    d = sc.discounted_stay(exponential(4.0), 1.0, 100.0, 0.0, 0.0, 0.05)
    a = sc.calibrated_arrivals(1000.0, 2025.0, np.array([2025, 2026]), d, np.array([0.05]))
    expected = 1000 * (0.25 + math.log(1.05)) * 1.05 ** 0.5
    assert a[0, 0] == pytest.approx(expected, rel=2e-4)
    assert a[0, 1] / a[0, 0] == pytest.approx(1.05)
    plan = sc.plan_factor(np.array([2.0]), np.array([0.5, 1.0]))
    assert plan.tolist() == [[1.5, 2.0]]


@given(stay=st.floats(0.5, 10), growth=st.floats(0.0, 0.2, allow_subnormal=False))
def test_exponential_stayers_leave_at_their_rate_whatever_the_growth(stay, growth):
    # Memoryless stays: of a stock present today, e^(-t/L) are still there t years later.
    elapsed = np.array([0.0, 1.0, 2.5, 6.0])
    left = sc.remaining_share(exponential(stay), np.array([1.0]), 1000.0, 0.0, 0.0, np.array([growth]), elapsed)
    assert left[0] == pytest.approx(np.exp(-elapsed / stay), rel=2e-3, abs=1e-4)


def test_the_stock_of_fixed_stays_is_gone_after_the_stay():
    left = sc.remaining_share(fixed(3.0), np.array([1.0]), 100.0, 0.0, 0.0, np.array([0.0]), np.array([0, 1, 3, 4]))
    assert left[0] == pytest.approx([1.0, 2 / 3, 0.0, 0.0])


def test_renewed_stayers_remain_after_the_limit():
    # Everyone reaches the 5-year limit (fixed stay 6); 40% renew and then leave at 10% a year.
    left = sc.remaining_share(fixed(6.0), np.array([1.0]), 5.0, np.array([0.4]), 0.1, np.array([0.0]),
                              np.array([0.0, 6.0]))
    # At g = 0 the stock is 5 + 0.4 / 0.1 = 9 person-years per yearly arrival; six years on, only
    # renewed stayers remain: 0.4 x (integral over 6..inf of e^{-0.1 (x - 5)}) = 0.4 e^{-0.1} / 0.1.
    assert left[0, 0] == pytest.approx(1.0)
    assert left[0, 1] == pytest.approx(0.4 * math.exp(-0.1) / 0.1 / 9, rel=1e-9)


def test_stocks_with_drawn_stays_match_the_fixed_kernel_for_the_same_stay():
    # A draw whose scale is 1 has the kernel of the scenario's own stays.
    rng = np.random.default_rng(3)
    months = 60
    arrivals = rng.random((2, months)) * 100
    cdf = stats.uniform(1, 5).cdf
    base, renew = sc.scaled_survival(cdf, np.array([1.0, 1.0]), 5.0, 0.1, months)
    end, mean = sc.stock_by_year_per_draw(arrivals, base, renew, np.array([0.3, 0.3]))
    b0, r0 = ex.survival_kernels(cdf, 5.0, 0.1, months)
    end0, mean0 = ex.stock_by_year(arrivals, b0, r0, np.array([0.3, 0.3]))
    assert end == pytest.approx(end0, rel=2e-3)
    assert mean == pytest.approx(mean0, rel=2e-3)


def test_stays_scaled_by_draw_give_each_draws_own_answer():
    # The per-draw path (scales differ) and the shared path (one scale) must agree draw by draw,
    # with a status limit that cuts some stays and renewed stayers (the SSW rules).
    q = sc.stay_quantiles(stats.uniform(1, 5).ppf)
    scales, growth, renew = np.array([0.6, 1.0, 1.4]), np.array([0.03, 0.07, 0.12]), np.array([0.1, 0.25, 0.4])
    elapsed = np.array([0.5, 1.0, 4.0, 6.0])
    d, r = sc.stay_terms(q, scales, 5.0, renew, 0.1, growth, elapsed)
    for i in range(3):
        di, ri = sc.stay_terms(q, np.full(1, scales[i]), 5.0, renew[i:i + 1], 0.1, growth[i:i + 1], elapsed)
        assert d[i] == pytest.approx(di[0], rel=1e-12)
        assert r[i] == pytest.approx(ri[0], rel=1e-9, abs=1e-12)
