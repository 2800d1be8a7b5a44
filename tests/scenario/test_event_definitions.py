"""Event definitions checked without running anything (issue 34): each problem with the key it names and
the whole message a user reads, and the events a good table gives."""
import pytest

from simulator.article_figures import sectors
from simulator.scenario.event_definitions import BASE_VALUES, Event, check_events

E = {"variable": "trade.balance", "year": 2027, "op": ">", "threshold": "base"}
STREAMS = {"exchange": {"streams": {"students": {"stages": ["visa", "study", 4]},
                                    "workers": {"stages": ["visa", "work"]}, "odd": 3, "flat": {"stages": "x"}}}}
OPS = "<, <=, >, >="


def without(key):
    return {k: v for k, v in E.items() if k != key}


CASES = {
    "unknown-variable": ({**E, "variable": "trade.balanse"},
                         ("events.e.variable", "unknown output variable 'trade.balanse'; did you mean 'trade.balance'?")),
    "far-variable": ({**E, "variable": "zzz"},
                     ("events.e.variable", "unknown output variable 'zzz'; `ijsim variables` lists them")),
    "number-variable": ({**E, "variable": 3},
                        ("events.e.variable", "expected the name of an output variable, got a number 3")),
    "missing-variable": (without("variable"),
                         ("events.e.variable", "missing: 'variable' is required (the output the event is about)")),
    "year-outside": ({**E, "year": 2035},
                     ("events.e.year", "2035 is outside the scenario's horizon 2025-2029; to drop an inherited event, "
                      "write e = false under [events]", "events.e", "scenario.horizon_start", "scenario.horizon_years")),
    "by-before": ({**without("year"), "by": 2024},
                  ("events.e.by", "2024 is outside the scenario's horizon 2025-2029; to drop an inherited event, "
                   "write e = false under [events]", "events.e", "scenario.horizon_start", "scenario.horizon_years")),
    "year-boolean": ({**E, "year": True}, ("events.e.year", "expected a year, got a boolean True")),
    "year-float": ({**E, "year": 2027.0}, ("events.e.year", "expected a year, got a number 2027.0")),
    "year-and-by": ({**E, "by": 2028}, ("events.e.by", "give 'year' or 'by', not both")),
    "no-year": (without("year"), ("events.e.year", "missing: give 'year' (that year) or 'by' (any year up to it)")),
    "unknown-op": ({**E, "op": "=>"}, ("events.e.op", f"'=>' is not a comparison; choose one of {OPS}")),
    "missing-op": (without("op"), ("events.e.op", f"missing: 'op' is required, one of {OPS}")),
    "missing-threshold": (without("threshold"),
                          ("events.e.threshold", "missing: 'threshold' is required (a number, or \"base\")")),
    "text-threshold": ({**E, "threshold": "high"},
                       ("events.e.threshold", "expected a finite number or \"base\", got a string 'high'")),
    "infinite-threshold": ({**E, "threshold": float("inf")},
                           ("events.e.threshold", "expected a finite number or \"base\", got a number inf")),
    "base-without-base": ({**E, "variable": "exchange.cumulative_total"},
                          ("events.e.threshold", f"\"base\" is defined only for {', '.join(BASE_VALUES)}; "
                           "give a number for exchange.cumulative_total")),
    "base-of-a-stream": ({**E, "variable": "exchange.arrivals_by_stream.students"},
                         ("events.e.threshold", f"\"base\" is defined only for {', '.join(BASE_VALUES)}; "
                          "give a number for exchange.arrivals_by_stream.students")),
    "unknown-key": ({**E, "when": 1}, ("events.e.when", "unknown key; allowed: title, variable, year, by, op, threshold")),
    "whole-stream-variable": ({**E, "variable": "exchange.arrivals_by_stream", "threshold": 5},
                              ("events.e.variable", "'exchange.arrivals_by_stream' has one series per stream: name one, "
                               "e.g. 'exchange.arrivals_by_stream.students'")),
    "whole-sector-variable": ({**E, "variable": "investment.disbursed_by_sector", "threshold": 5},
                              ("events.e.variable", "'investment.disbursed_by_sector' has one series per sector: name "
                               f"one, e.g. 'investment.disbursed_by_sector.{next(iter(sectors()))}'")),
    "unknown-stream": ({**E, "variable": "exchange.arrivals_by_stream.nurses", "threshold": 5},
                       ("events.e.variable", "'nurses' is not a stream of this scenario; choose one of students, workers, flat")),
    "unknown-stage": ({**E, "variable": "exchange.backlog_by_stage.exam", "threshold": 5},
                      ("events.e.variable", "'exam' is not a stage of this scenario; choose one of visa, study, work")),
    "blank-title": ({**E, "title": "  "}, ("events.e.title", "expected a non-empty string, got a string '  '")),
    "number-title": ({**E, "title": 7}, ("events.e.title", "expected a non-empty string, got a number 7")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_names_its_key_with_the_whole_message(case):
    spec, problem = CASES[case]
    assert check_events({**STREAMS, "events": {"e": spec}}, (2025, 2029)) == ([], [problem])


def test_names_tables_and_dropped_events():
    events, problems = check_events({"events": {"a b": E, "t": 3, "gone": False, "ok": E}}, (2025, 2029))
    assert problems == [("events.a b", "'a b' is not a valid name: use letters, digits and '_', starting with a letter"),
                        ("events.t", "expected a table [events.t], got a number")]
    assert [e.name for e in events] == ["ok"]
    assert check_events({"events": 3}, (2025, 2029)) == ([], [("events", "expected tables [events.<name>], got a number")])
    assert check_events({}, (2025, 2029)) == ([], [])
    without_streams = check_events({"events": {"e": {**E, "variable": "exchange.arrivals_by_stream.x", "threshold": 1}}},
                                   (2025, 2029))[1]
    assert without_streams == [("events.e.variable", "'x' is not a stream of this scenario; choose one of (none)")]
    assert check_events({"exchange": 1, "events": {"e": {**E, "variable": "exchange.arrivals_by_stream", "threshold": 1}}},
                        (2025, 2029))[1][0][1].endswith("e.g. 'exchange.arrivals_by_stream.<name>'")


def test_good_events_at_the_horizons_ends_with_numbers_as_floats_and_titles():
    table = {"first": {**E, "year": 2025, "title": "First"},
             "last": {**without("year"), "by": 2029, "op": "<=", "threshold": 3},
             "entry": {**E, "variable": "exchange.backlog_by_stage.work", "threshold": 10, "op": ">="}}
    events, problems = check_events({**STREAMS, "events": table}, (2025, 2029))
    assert problems == []
    assert events == [Event("first", "First", "trade.balance", 2025, False, ">", "base"),
                      Event("last", "trade.balance <= 3.0 by 2029", "trade.balance", 2029, True, "<=", 3.0),
                      Event("entry", "exchange.backlog_by_stage.work >= 10.0 in 2027", "exchange.backlog_by_stage.work",
                            2027, False, ">=", 10.0)]
    assert isinstance(events[1].threshold, float)
    assert events[0].to_dict() == {"title": "First", "variable": "trade.balance", "year": 2025, "op": ">",
                                   "threshold": "base"}
    assert events[1].to_dict()["by"] == 2029 and "year" not in events[1].to_dict()
