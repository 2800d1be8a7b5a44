"""The backtest's out-of-sample model choice on a table worked by hand (issue 34): at each origin the
family member with the lowest mean CRPS over both flows on the hindcasts complete by then."""
import pandas as pd

from simulator.estimation import backtest as bt
from simulator.estimation.forecast_evaluation import FLOWS

X, M = FLOWS
# CRPS per origin (horizon 1): "a" is better at 2010, "b" from 2011 on; both flows alike
CRPS = {"a": {2010: 1.0, 2011: 5.0, 2012: 5.0, 2013: 1.0}, "b": {2010: 2.0, 2011: 1.0, 2012: 1.0, 2013: 1.0}}


def table() -> pd.DataFrame:
    rows = []
    for model, by_origin in CRPS.items():
        for origin, crps in by_origin.items():
            for variable in (X, M):
                rows.append([model, variable, origin, 1, 0.0, 0, 0, 0, 0, 0, True, True, 0.0, crps, 0.5])
            # the balance and a model outside the family never enter the choice
            rows.append([model, "trade.balance", origin, 1, 0.0, 0, 0, 0, 0, 0, True, True, 0.0,
                         {"a": 0.0, "b": 99.0}[model], 0.5])
            rows.append(["c", X, origin, 1, 0.0, 0, 0, 0, 0, 0, True, True, 0.0, 0.0, 0.5])
    # a model outside the family scored from an earlier origin: complete at 2010, yet no member is
    rows.append(["c", X, 2009, 1, 0.0, 0, 0, 0, 0, 0, True, True, 0.0, 0.0, 0.5])
    return pd.DataFrame(rows, columns=bt.COLUMNS)


def backtest() -> bt.Backtest:
    return bt.Backtest(table(), (2010, 2011, 2012, 2013), (1,), 100, 0, (2000, 2014))


def test_choice_at_each_origin_uses_only_hindcasts_complete_by_then():
    rows, picks = bt.select_out_of_sample(table(), ["a", "b"])
    # 2010: nothing complete, the first member; 2011: 2010 scored (a 1 < b 2); 2012: a 3 > b 1.5
    assert picks == {2009: "a", 2010: "a", 2011: "a", 2012: "b", 2013: "b"}
    assert set(rows.model) == {"selected"} and len(rows) == 4 * 3
    assert list(rows[rows.variable == X].crps) == [1.0, 5.0, 1.0, 1.0]
    pd.testing.assert_index_equal(rows.index, pd.RangeIndex(12))  # rows numbered afresh, as a new table's are
    assert bt.select_out_of_sample(table(), ["a", "b"], default="b")[1][2010] == "b"
    rows, picks = bt.select_out_of_sample(table().iloc[:0], ["a", "b"])
    assert rows.empty and list(rows.columns) == bt.COLUMNS and picks == {}


def test_todays_choice_uses_every_hindcast_and_ties_go_to_the_first():
    assert bt.choose(table(), ["a", "b"]) == "b"  # a 3.0, b 1.25
    assert bt.choose(table()[table().origin == 2013], ["b", "a"]) == "b"
    assert bt.choose(table()[table().origin == 2013], ["a", "b"]) == "a"


def test_with_selection_adds_the_choice_as_a_model_and_records_it():
    chosen = backtest().with_selection(["a", "b", "absent"], name="pick")
    assert chosen.selections == ((2009, "a"), (2010, "a"), (2011, "a"), (2012, "b"), (2013, "b"))
    assert chosen.selected_now == "b" == chosen.chosen_now(["a", "b", "absent"])
    picked = chosen.table[chosen.table.model == "pick"]
    assert len(picked) == 12 and len(chosen.table) == len(table()) + 12
    # one table, its rows numbered 0.. as `run_backtest` numbers them: row labels stay unique
    pd.testing.assert_index_equal(chosen.table.index, pd.RangeIndex(len(table()) + 12))
    assert list(picked[picked.variable == M].crps) == [1.0, 5.0, 1.0, 1.0]
    unchanged = backtest()
    assert unchanged.with_selection(["absent"]) is unchanged
