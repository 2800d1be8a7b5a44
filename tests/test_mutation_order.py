"""The order of a mutant's tests under mutmut (tests/mutation_order.py): cheapest first, fixtures counted."""
from tests.mutation_order import TestCost, cheapest_first, fixture_key, load_costs, save_costs

A, B = "tests/test_a.py", "tests/test_b.py"


def test_a_test_behind_an_expensive_module_fixture_runs_after_the_cheap_ones():
    # mutmut alone sorts by call time: a.run_model (call 0.01 s) would come first and cost 20 s
    run = fixture_key("module", f"{A}::uses_run", "baseline_run")
    tests = [TestCost(f"{A}::uses_run", 0.01, (run,)), TestCost(f"{A}::by_hand", 0.3, ()),
             TestCost(f"{B}::by_hand", 0.2, ())]
    assert cheapest_first(tests, {run: 20.0}, {run}) == [f"{B}::by_hand", f"{A}::by_hand", f"{A}::uses_run"]


def test_tests_sharing_a_fixture_run_together_once_it_is_paid():
    run = fixture_key("module", f"{A}::one", "baseline_run")
    other = fixture_key("module", f"{B}::three", "small_run")
    tests = [TestCost(f"{A}::one", 0.5, (run,)), TestCost(f"{B}::three", 0.1, (other,)),
             TestCost(f"{A}::two", 0.6, (run,))]
    # once baseline_run is set up (cost 2.5), A::two costs its 0.6 s call; B::three would tear the
    # fixture down and cost 3.1 s, so A's tests stay together
    assert cheapest_first(tests, {run: 2.0, other: 3.0}, {run, other}) == [f"{A}::one", f"{A}::two", f"{B}::three"]


def test_leaving_a_module_tears_its_fixture_down():
    run = fixture_key("module", f"{A}::one", "baseline_run")
    C = "tests/test_c.py"
    tests = [TestCost(f"{A}::one", 0.1, (run,)), TestCost(f"{A}::three", 0.44, (run,)),
             TestCost(f"{B}::two", 0.3, ()), TestCost(f"{C}::four", 0.45, ())]
    # after B::two, A::three would pay baseline_run again (0.46 s): C::four (0.45 s) goes first
    assert cheapest_first(tests, {run: 0.02}, {run}) == [f"{A}::one", f"{B}::two", f"{C}::four", f"{A}::three"]


def test_a_session_fixture_is_paid_once_for_every_module():
    tool = fixture_key("session", f"{A}::one", "tool")
    assert tool == fixture_key("session", f"{B}::two", "tool")
    tests = [TestCost(f"{A}::one", 0.1, (tool,)), TestCost(f"{B}::two", 0.2, (tool,)), TestCost(f"{A}::three", 0.3, ())]
    # once A::one has paid the 5 s tool, B::two costs its call only, less than A::three
    assert cheapest_first(tests, {tool: 5.0}, {tool}) == [f"{A}::three", f"{A}::one", f"{B}::two"]
    assert cheapest_first(tests[:2] + [TestCost(f"{A}::three", 6.0, ())], {tool: 5.0}, {tool}) == \
        [f"{A}::one", f"{B}::two", f"{A}::three"]


def test_function_fixtures_are_paid_by_every_test():
    own = [fixture_key("function", f"{A}::t{i}", "tmp_path") for i in range(2)]
    assert own[0] != own[1]
    tests = [TestCost(f"{A}::t0", 0.1, (own[0],)), TestCost(f"{A}::t1", 0.3, (own[1],)), TestCost(f"{B}::t", 0.35, ())]
    assert cheapest_first(tests, {own[0]: 0.5, own[1]: 0.01}, set()) == [f"{A}::t1", f"{B}::t", f"{A}::t0"]


def test_costs_from_several_stats_runs_are_merged(tmp_path):
    assert load_costs(tmp_path) == {"fixture_s": {}, "shared": []}
    save_costs(tmp_path, {"a::x": 1.0, "a::y": 2.0}, {"a::x"})
    save_costs(tmp_path, {"a::y": 3.0, "b::z": 4.0}, {"b::z"})
    assert load_costs(tmp_path) == {"fixture_s": {"a::x": 1.0, "a::y": 3.0, "b::z": 4.0}, "shared": ["a::x", "b::z"]}
    assert [p.name for p in tmp_path.iterdir()] == ["mutation-costs.json"]
