"""Comparisons people can read and reuse: each scenario's own values, labels, a multi-scenario
IAMC file and ensemble, differences with enough digits; and the same run options on every verb."""
import json
import re

import click
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from simulator.labels import format_value
from simulator.scenario.parameters import SPECS

from tests.conftest import SCENARIOS, require_module

PAIR = [SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml"]


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One comparison through the CLI with custom labels: (folder, console text)."""
    import contextlib
    import io

    from simulator.cli import main
    folder = tmp_path_factory.mktemp("cmp") / "c"
    text = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(text):
        mp.setenv("COLUMNS", "220")  # one table row per line
        code = main(["compare", *map(str, PAIR), "--draws", "800", "--label", "Baseline", "--label", "Tariffs stay",
                     "--out", str(folder), "--no-plots"])
    assert code == 0
    return folder, text.getvalue()


def _line(text: str, *fragments: str) -> str:
    lines = [line for line in text.splitlines() if all(f in line for f in fragments)]
    assert lines, fragments
    return lines[0]


def test_console_shows_each_scenarios_own_values_under_its_label(compared):
    folder, text = compared
    summaries = pd.read_csv(folder / "summaries.csv").set_index(["scenario", "variable", "year"])
    header = _line(text, "variable", "unit", "year")
    assert "Baseline" in header and "Tariffs stay" in header
    row = _line(text, "India's exports to Japan", "FY2030-31", "(")
    for name in ("baseline", "us-tariffs-persist"):
        median = summaries.loc[(name, "trade.exports_india_to_japan", 2030), "p50"]
        assert format_value(median, "usd_bn") in row, (name, row)
    assert "Tariffs stay minus Baseline: paired differences" in text
    # tariffs change no one's journey: the people variables are left to one line, not a row each
    assert "People exchanged to date" in _line(text, "the same in every scenario and every draw")
    assert not [line for line in text.splitlines() if "People exchanged to date" in line and "2030" in line]


def test_differences_have_enough_digits_and_no_negative_zero(compared):
    folder, text = compared
    assert not re.search(r"(?<![\d.])-0\.0+(?!\d*[1-9])", text)  # no "-0.00"
    diffs = pd.read_csv(folder / "headline_differences.csv")
    d = diffs[(diffs.variable == "trade.exports_india_to_japan") & (diffs.year == 2030)].iloc[0]
    assert abs(d.diff_p05) < 0.1  # a small difference, which two decimals would round away
    assert format_value(d.diff_p05) in _line(text, "India's exports to Japan", "FY2030-31", "%")
    assert format_value(d.diff_p05) not in ("0.00", "0.01", "0.02")


@pytest.mark.parametrize("x, shown", [(-0.0, "0"), (-0.0004, "-0.0004"), (0.004, "0.004"), (0.01543, "0.0154"),
                                      (-1234.567, "-1,234.57"), (614565.31, "614,565.31"), (1e-9, "1e-09")])
def test_format_value(x, shown):
    assert format_value(x) == shown


def test_format_value_people_are_whole_and_never_negative_zero():
    assert format_value(614565.31, "people") == "614,565"
    assert format_value(-0.3, "people") == "0"
    assert format_value(float("nan")) == "n/a"


def test_iamc_csv_has_one_scenario_per_file(compared):
    pyam = require_module("pyam")
    folder, _ = compared
    df = pyam.IamDataFrame(folder / "iamc.csv")
    # Issue 32: IAMC's Scenario is what --label called each scenario file
    assert sorted(df.scenario) == ["Baseline", "Tariffs stay"]
    summaries = pd.read_csv(folder / "summaries.csv").set_index(["label", "variable", "year"])
    for name in df.scenario:
        value = df.filter(scenario=name, variable="Trade|Exports|India to Japan|50.0th Percentile", year=2030)
        assert value.timeseries().iloc[0, 0] == pytest.approx(summaries.loc[(name, "trade.exports_india_to_japan", 2030), "p50"])
        for level in ("25.0th", "75.0th"):  # the quantiles the fan charts' 50% band draws
            column = f"p{level[:2]}"
            value = df.filter(scenario=name, variable=f"Trade|Exports|India to Japan|{level} Percentile", year=2030)
            assert value.timeseries().iloc[0, 0] == pytest.approx(
                summaries.loc[(name, "trade.exports_india_to_japan", 2030), column])
    assert set(df.extra_cols) == {"year basis"}  # pyam lower-cases column names


def test_every_comparison_file_names_scenarios_by_their_label_and_trade_years_by_fiscal_year(compared):
    folder, _ = compared
    labels = {"baseline": "Baseline", "us-tariffs-persist": "Tariffs stay"}
    for name in ("comparison.csv", "summaries.csv", "headline_differences.csv", "events.csv", "event_differences.csv"):
        table = pd.read_csv(folder / name)
        assert (table["label"] == table["scenario"].map(labels)).all(), name
        if "reference" in table:
            assert set(table["reference_label"]) == {"Baseline"}, name
    for name in ("comparison.csv", "summaries.csv", "headline_differences.csv"):
        table = pd.read_csv(folder / name, keep_default_na=False)
        trade = table[table.variable.str.startswith("trade.")]
        assert (trade.fiscal_year == [f"FY{y}-{(y + 1) % 100:02d}" for y in trade.year]).all(), name
        assert (table[~table.variable.str.startswith("trade.")].fiscal_year == "").all(), name
    with xr.open_dataset(folder / "ensemble.nc", engine="scipy") as ds:
        assert list(ds["label"].values) == ["Baseline", "Tariffs stay"]


def test_ensemble_holds_every_scenarios_draws(compared):
    folder, _ = compared
    summaries = pd.read_csv(folder / "summaries.csv").set_index(["scenario", "variable", "year"])
    with xr.open_dataset(folder / "ensemble.nc", engine="scipy") as ds:
        assert list(ds["scenario"].values) == ["baseline", "us-tariffs-persist"]
        assert ds["trade.balance"].dims == ("scenario", "draw", "year") and ds.sizes["draw"] == 800
        for name in ("baseline", "us-tariffs-persist"):
            draws = ds["trade.balance"].sel(scenario=name, year=2034).values
            assert np.median(draws) == pytest.approx(summaries.loc[(name, "trade.balance", 2034), "p50"], rel=1e-12)


def test_manifest_and_events_carry_the_labels(compared):
    folder, _ = compared
    m = json.loads((folder / "manifest.json").read_text())
    assert [s["label"] for s in m["scenarios"]] == ["Baseline", "Tariffs stay"]
    prob = pd.read_csv(folder / "events.csv")
    assert set(prob.scenario) == {"baseline", "us-tariffs-persist"}


def test_labels_must_match_the_scenarios(cli):
    code, _, err = cli("compare", *PAIR, "--label", "only one")
    assert code == 2 and "--label" in err and "1 labels for 2 scenarios" in err
    code, _, err = cli("compare", *PAIR, "--label", "same", "--label", "same")
    assert code == 2 and "distinct" in err


# --- the same run options on every verb that runs the model, each defined once -------------------

OPTIONS = {"run": {"--draws", "--seed", "--sampler", "--block-size", "--threads", "--strict"},
           "compare": {"--draws", "--seed", "--sampler", "--block-size", "--threads", "--strict"},
           "sensitivity": {"--seed", "--block-size", "--threads", "--strict"},
           "flows": {"--seed", "--sampler", "--block-size", "--strict"},
           "validate": {"--strict"}}
SETTING = {"--draws": "scenario.draws", "--seed": "scenario.seed", "--sampler": "sampling.method",
           "--block-size": "sampling.block_size"}


def _option(verb: str, flag: str) -> click.Option:
    from simulator.cli import cli
    return next(p for p in cli.commands[verb].params if flag in getattr(p, "opts", ()))


@pytest.mark.parametrize("verb", OPTIONS)
def test_every_verb_takes_its_run_options(verb):
    from simulator.cli import cli
    flags = {o for p in cli.commands[verb].params for o in getattr(p, "opts", ())}
    assert OPTIONS[verb] <= flags


@pytest.mark.parametrize("flag", sorted({f for flags in OPTIONS.values() for f in flags}))
def test_one_definition_of_each_option(flag):
    verbs = [v for v, flags in OPTIONS.items() if flag in flags]
    options = [_option(v, flag) for v in verbs]
    assert len({o.help for o in options}) == 1, flag
    assert len({repr(o.type) for o in options}) == 1, flag
    if flag in SETTING:  # the same limits as in a scenario file
        spec = SPECS[SETTING[flag]]
        t = options[0].type
        if spec.kind == "choice":
            assert tuple(t.choices) == spec.choices
        else:
            assert (t.min, t.max) == (spec.low, spec.high)


def test_an_override_out_of_range_names_the_option(cli):
    code, _, err = cli("run", PAIR[0], "--draws", "20000000")
    assert code == 2 and "--draws" in err and "<overrides>" not in err
    code, _, err = cli("compare", *PAIR, "--block-size", "0")
    assert code == 2 and "--block-size" in err


def test_sensitivity_batches_and_threads_do_not_change_the_answer():
    import simulator
    from simulator.analysis import sensitivity
    scenario = simulator.load_scenario(PAIR[0])
    one = sensitivity(scenario.with_params({"sampling.block_size": 4096}), "trade.balance", 2030, method="oat")
    other = sensitivity(scenario.with_params({"sampling.block_size": 7}), "trade.balance", 2030, method="oat",
                        threads=2)
    pd.testing.assert_frame_equal(one, other)


def test_flows_takes_the_sampler_and_block_size(cli, tmp_path):
    small = SCENARIOS.parent / "tests" / "scenarios" / "small_exchange.toml"
    code, _, err = cli("flows", small, "-r", "2", "--sampler", "mc", "--block-size", "1", "--no-plots", "--quiet",
                       "--out", "f")
    assert code == 0, err
    m = json.loads((tmp_path / "f" / "manifest.json").read_text())
    assert m["sampler"] == "mc" and m["block_size"] == 1
