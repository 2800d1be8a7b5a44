"""The acceptance check of issue 20: seven mistakes a user would see in the numbers, each applied to a
copy of the code, and the tests that must catch it.

    python -m tests.mutations            (or: make mutations-acceptance)
    python -m tests.mutations p05-at-10  (one of them, by name)

Each mutation is applied to a fresh copy of the working tree (simulator/, tests/, scenarios/, seeds/),
never to the tree itself, and the listed tests run there; the mistake is caught when pytest reports
failed tests (exit code 1). These are tables and one-character slips that mutmut (make mutation) does
not generate: mutmut mutates function bodies, not module-level tables such as QUANTILES.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


USERS = "tests/run/test_what_users_read.py"
CORE = "tests/core/test_core_known_answers.py"
PINNED = "tests/run/test_regression.py"

MUTATIONS = (
    Mutation("fdi-lag-dropped-per-draw", "the FDI lag ignored when lags are drawn per draw (the baseline's case)",
             "simulator/core/trade.py",
             "np.maximum(np.arange(1, T + 1)[None, :] - L[:, None], 0)",
             "np.maximum(np.arange(1, T + 1)[None, :] - 0 * L[:, None], 0)", (CORE, PINNED)),
    Mutation("probability-wrong-sign", "the deficit-narrower probability counted with the wrong sign",
             "simulator/montecarlo/event_probabilities.py", 'COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt,',
             'COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.lt,', (USERS, PINNED)),
    Mutation("remittances-times-1000", "remittances off by a factor of 1,000",
             "simulator/montecarlo/projection.py", 'flows.stock_mean, usd_per_year) / 1e9', 'flows.stock_mean, usd_per_year) / 1e6',
             (USERS, PINNED)),
    Mutation("p05-at-10", "the 5th percentile computed at 10%",
             "simulator/montecarlo/summaries.py", 'QUANTILES = {"p05": 0.05,', 'QUANTILES = {"p05": 0.10,', (USERS, PINNED)),
    Mutation("iamc-5th-95th-swapped", "IAMC's 5th and 95th percentile labels swapped",
             "simulator/output/files.py",
             '"p05": "5.0th Percentile", "p25": "25.0th Percentile", "p50": "50.0th Percentile",\n                   "p75": "75.0th Percentile", "p95": "95.0th Percentile"',
             '"p05": "95.0th Percentile", "p25": "25.0th Percentile", "p50": "50.0th Percentile",\n                   "p75": "75.0th Percentile", "p95": "5.0th Percentile"', (USERS,)),
    Mutation("iamc-directions-swapped", "IAMC's India to Japan and Japan to India names swapped",
             "simulator/variables.py",
             '"Trade|Exports|India to Japan", "billion USD/yr", headline=True,\n'
             '             description="X_t, goods, including exports diverted from the US"),\n'
             '    Variable("trade.exports_japan_to_india", "usd_bn", "Japan\'s exports to India",\n'
             '             "Trade|Exports|Japan to India"',
             '"Trade|Exports|Japan to India", "billion USD/yr", headline=True,\n'
             '             description="X_t, goods, including exports diverted from the US"),\n'
             '    Variable("trade.exports_japan_to_india", "usd_bn", "Japan\'s exports to India",\n'
             '             "Trade|Exports|India to Japan"', (USERS,)),
    Mutation("p-greater-counts-ties", "P(B > A) counting ties as greater",
             "simulator/montecarlo/comparison.py", "p_greater=(diff > 0).mean(axis=0)", "p_greater=(diff >= 0).mean(axis=0)",
             (USERS,)),
)
