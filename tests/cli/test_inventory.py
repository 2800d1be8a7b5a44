"""Finding one's way: `ijsim variables`, `ijsim params`, shipped scenarios by name, `ijsim list`."""
import csv
import io
import json

import pytest

from simulator.scenario.parameters import SPECS
from simulator.shipped import shipped_scenarios
from simulator.variables import VARIABLES

from tests.conftest import SCENARIOS


def _rows(text: str) -> dict[str, str]:
    """Table lines keyed by their first cell."""
    return {line.split()[0]: line for line in text.splitlines() if line.strip()}


def test_variables_lists_every_output_with_unit_dimensions_and_meaning(cli):
    code, out, _ = cli("variables")
    assert code == 0
    rows = _rows(out)
    for name, v in VARIABLES.items():
        assert name in rows, name
        assert v.unit in rows[name] and v.label in rows[name]
    assert "draw, fiscal year" in rows["trade.balance"] and "US$ bn" in rows["trade.balance"]
    assert "draw, year, sector" in rows["investment.disbursed_by_sector"]
    assert "draw, year, stage" in rows["exchange.backlog_by_stage"]


def test_variables_search_and_csv(cli):
    code, out, _ = cli("variables", "--search", "remittance")
    assert code == 0 and set(_rows(out)) == {"variable", "exchange.remittances"}
    code, out, _ = cli("variables", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["variable"] for r in rows] == list(VARIABLES)


def test_params_without_a_scenario_lists_the_registry(cli):
    code, out, _ = cli("params")
    assert code == 0
    rows = _rows(out)
    for path in SPECS:
        assert path.replace("*", "<name>") in rows, path
    line = rows["investment.realisation_rate"]
    assert "share" in line and "[0, 1]" in line and "assumption" in line
    assert "seed exports_india_to_japan_usd_bn" in rows["trade.exports_india_to_japan_base_usd_bn"]


def _csv(text: str) -> dict[str, dict]:
    return {row["parameter"]: row for row in csv.DictReader(io.StringIO(text))}


def test_params_of_a_scenario_give_its_value_and_the_file_that_set_it(cli):
    code, out, _ = cli("params", SCENARIOS / "us-tariffs-persist.toml", "--csv")
    assert code == 0
    rows = _csv(out)
    assert rows["tariffs.us_on_india"]["value"] == "{2023: 0, 2025: 0.2938, 2026: 0.25}"
    assert rows["tariffs.us_on_india"]["set_by"].endswith("us-tariffs-persist.toml")  # the child changes it
    assert rows["investment.realisation_rate"]["value"] == "pert(0.1, 0.8, 1, 4)"
    assert rows["investment.realisation_rate"]["set_by"].endswith("baseline.toml")  # inherited from the parent
    assert rows["investment.realisation_rate"]["range"] == "[0, 1]" and rows["investment.realisation_rate"]["default"] == "1"
    assert rows["exchange.streams.students.arrival_process"]["set_by"] == "default"  # no file sets it
    assert rows["trade.exports_india_to_japan_base_usd_bn"]["set_by"].endswith("baseline.toml")
    # every stage and stream of the scenario, each stage's pass rate on its own line
    assert rows["exchange.streams.skilled_workers.pass_rates.coe"]["value"] == "0.95"
    assert "exchange.stages.visa_india.servers" in rows
    # and the table for people says the same
    code, out, _ = cli("params", SCENARIOS / "us-tariffs-persist.toml")
    assert code == 0 and "tariffs.us_on_india" in out and "us-tariffs-persist" in out


def test_params_of_a_changed_scenario_name_the_change(tmp_path):
    import simulator
    s = simulator.load_scenario(SCENARIOS / "baseline.toml").with_params({"trade.growth_india_to_japan": 0.02})
    rows = {r.path: r for r in simulator.list_parameters(s)}
    assert rows["trade.growth_india_to_japan"].value == "0.02"
    assert rows["trade.growth_india_to_japan"].set_by == "<overrides>"


def test_params_search_by_name(cli):
    code, out, _ = cli("params", "baseline", "--search", "TARIFF")
    rows = _rows(out)
    assert code == 0 and "tariffs.us_on_india" in rows and "investment.realisation_rate" not in rows
    code, _, err = cli("params", "--search", "no-such-word")
    assert code == 0 and "no parameter matches" in err


def test_shipped_scenarios_run_by_name(cli, tmp_path):
    code, out, err = cli("run", "baseline", "--draws", "50", "--no-plots", "--out", "b")
    assert code == 0, err
    assert (tmp_path / "b" / "summary.csv").is_file()
    code, out, _ = cli("validate", "us-tariff-deal", "cepa-deepening")
    # One "ok" line per scenario (counted as lines: the checkout's path can itself contain "ok").
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["ok", "ok"], out


def test_an_unknown_name_is_a_usage_error_with_a_suggestion(cli):
    code, _, err = cli("run", "basline")
    assert code == 2 and "'basline' is neither a file nor a shipped scenario" in err and "did you mean 'baseline'" in err
    code, _, err = cli("run", "zzz")
    assert code == 2 and "shipped: baseline" in err


def test_a_local_file_wins_over_a_shipped_name(cli, write, tmp_path):
    (tmp_path / "baseline").write_text('[scenario]\nname = "mine"\n', encoding="utf-8")
    code, out, _ = cli("validate", "baseline")
    assert code == 0 and "mine" in out


def test_list_shows_each_file(cli):
    code, out, _ = cli("list")
    assert code == 0
    for path in shipped_scenarios():
        assert str(path) in out.replace("\n", "") or path.name in out, path
        assert path.stem in _rows(out)


@pytest.mark.parametrize("verb", ["run", "compare", "sensitivity", "flows", "validate", "params"])
def test_every_verb_that_reads_a_scenario_takes_a_shipped_name(verb):
    from simulator.cli import cli
    from simulator.cli.options import SCENARIO

    arguments = [p for p in cli.commands[verb].params if p.param_type_name == "argument"]
    assert arguments and all(p.type is SCENARIO for p in arguments)


def test_compare_and_sensitivity_by_name(cli, tmp_path):
    code, _, err = cli("compare", "baseline", "us-tariff-deal", "--draws", "30", "--no-plots", "--quiet", "--out", "c")
    assert code == 0, err
    code, _, err = cli("sensitivity", "baseline", "--method", "oat", "--no-plots", "--quiet", "--out", "s")
    assert code == 0, err
    assert (tmp_path / "c" / "comparison.csv").is_file() and (tmp_path / "s" / "sensitivity.csv").is_file()


@pytest.mark.parametrize("as_csv", [True, False])
def test_params_escape_control_characters_of_a_title_in_csv_and_table(cli, tmp_path, as_csv, monkeypatch):
    """Issue 33, point 5: --csv printed a title's ESC[2J (clears the screen) and OSC (sets the window title) raw."""
    monkeypatch.setenv("COLUMNS", "200")  # wide: the escaped title stays on one line of the table
    title = "a\x1b[2Jb\x1b]0;pwned\x07c"
    (tmp_path / "s.toml").write_text(f'[scenario]\nname = "s"\ntitle = {json.dumps(title)}\n'
                                     f'extends = "{SCENARIOS / "baseline.toml"}"\n', encoding="utf-8")
    code, out, err = cli("params", "s.toml", *(["--csv"] if as_csv else []), "--search", "scenario.title")
    assert code == 0, err
    assert all(c.isprintable() or c == "\n" for c in out), repr(out)
    assert "a\\x1b[2Jb\\x1b]0;pwned\\x07c" in out
    if as_csv:
        assert _csv(out)["scenario.title"]["value"] == "a\\x1b[2Jb\\x1b]0;pwned\\x07c"
