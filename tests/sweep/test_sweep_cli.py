"""`ijsim sweep`'s bad input (exit 2, the key named, nothing written), its results folder's rules,
regret as defined in docs/sweep.md, and the report."""
import json

import numpy as np
import pandas as pd
import pytest


@pytest.mark.parametrize("lever, message", [
    ("trade.growth_india_to_us=0.1,0.2", "--lever trade.growth_india_to_us: 'trade.growth_india_to_us' is not a "
                                         "policy lever (it is an uncertainty or a setting)"),
    ("tarifs.us_on_india=0.1", "did you mean 'tariffs.us_on_india'?"),
    ("tariffs.us_on_india", "expected KEY=V1,V2"),
    ("tariffs.us_on_india=", "--lever tariffs.us_on_india: no values"),
    ("tariffs.us_on_india=0.1,0.1", "a value is given twice"),
    ("tariffs.us_on_india=0.1,11", "--lever: tariffs.us_on_india: the path has values in [0, 11], outside the "
                                   "allowed range [0, 10]"),
    ("investment.disbursement.profile=uniform,s-curve", "did you mean 's_curve'?"),
    ("exchange.stages.visa_moon.servers=10", "the scenario has no stage 'visa_moon'"),
    ("investment.pledge_jpy_tn@2030=5", "takes one value for the whole run"),
])
def test_bad_levers_exit_2_naming_the_key_and_write_nothing(cli, tmp_path, lever, message):
    code, out, err = cli("sweep", "baseline", "--lever", lever, "--draws", "20", "--out", "s")
    assert code == 2, (out, err)
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "s").exists() and not list(tmp_path.iterdir())


def test_other_bad_options_exit_2(cli, tmp_path):
    code, _, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1", "--show", "trade.exports_india_to_usa")
    assert code == 2 and "did you mean 'trade.exports_india_to_us'?" in err
    code, _, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1", "--best", "trade.balance=up")
    assert code == 2 and "expected VARIABLE=higher or VARIABLE=lower" in err
    code, _, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1", "--best", "trade.balanc=lower")
    assert code == 2 and "--best: unknown variable 'trade.balanc'; did you mean 'trade.balance'?" in err
    code, _, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1", "--best", "trade.balance,trade.total=lower")
    assert code == 2 and "one variable per --best" in err
    code, _, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1",
                       "--lever", "tariffs.us_on_india=0.2")
    assert code == 2 and "given more than once" in err
    code, _, err = cli("sweep", "baseline")
    assert code == 2 and "--lever" in err
    assert not list(tmp_path.iterdir())


def test_results_folder_rules_are_those_of_run(cli, tmp_path):
    args = ("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1,0.5", "--draws", "30", "--out", "s",
            "--no-plots", "-q")
    assert cli(*args)[0] == 0
    before = (tmp_path / "s" / "sweep.csv").read_bytes()
    code, _, err = cli(*args)
    assert code == 2 and "already exists" in err and "--force" in err
    assert cli(*args, "--force")[0] == 0
    assert (tmp_path / "s" / "sweep.csv").read_bytes() == before  # same seed, same bytes
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("a user's file")
    code, _, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1", "--draws", "30", "--out", "mine",
                       "--force", "-q")
    assert code == 2 and "not replaced" in err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "a user's file"


def test_regret_is_the_shortfall_from_the_best_combination_in_each_draw():
    import simulator

    s = simulator.sweep(simulator.load_scenario("baseline"),
                        ["investment.disbursement.profile=uniform,front_loaded,back_loaded"], draws=200)
    regret = s.regret({"investment.fdi_stock": "higher", "trade.balance": "lower"})
    stock = np.stack([r["investment.fdi_stock"].sel(year=2030).values for r in s.comparison.results])
    balance = np.stack([r["trade.balance"].sel(year=2030).values for r in s.comparison.results])
    for i, name in enumerate(s.names):
        row = regret[(regret.combination == name) & (regret.year == 2030)].set_index("variable")
        assert row.loc["investment.fdi_stock", "regret_mean"] == pytest.approx((stock.max(0) - stock[i]).mean())
        assert row.loc["investment.fdi_stock", "p_best"] == pytest.approx((stock[i] == stock.max(0)).mean())
        assert row.loc["trade.balance", "regret_max"] == pytest.approx((balance[i] - balance.min(0)).max())
        assert row.loc["trade.balance", "best"] == "lower"
    # a front-loaded pledge builds the FDI stock sooner: it is best in 2030 in every draw
    front = regret[(regret.combination == s.names[1]) & (regret.year == 2030) & (regret.variable == "investment.fdi_stock")]
    assert float(front.p_best.iloc[0]) == 1.0 and s.levers()["investment.disbursement.profile"].tolist() == [
        "uniform", "front_loaded", "back_loaded"]


def test_two_levers_run_every_combination_and_the_report_shows_them(cli, tmp_path):
    code, out, err = cli("sweep", "baseline", "--lever", "tariffs.us_on_india=0.1,0.5",
                         "--lever", "exchange.stages.visa_japan.servers=2500,5000", "--draws", "40", "--out", "s",
                         "--show", "trade.exports_india_to_us,exchange.skilled_cumulative",
                         "--best", "trade.balance=higher")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "s" / "sweep.csv")
    combos = table[["combination", "tariffs.us_on_india", "exchange.stages.visa_japan.servers"]].drop_duplicates()
    assert len(combos) == 4 and len(set(zip(combos.iloc[:, 1], combos.iloc[:, 2]))) == 4
    regret = pd.read_csv(tmp_path / "s" / "regret.csv")
    assert set(regret.variable) == {"trade.exports_india_to_us", "exchange.skilled_cumulative", "trade.balance"}
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["levers"][1]["from_year"] is None  # a number, not a path: the whole horizon
    html = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    assert "Levers swept" in html and "US tariff on Indian goods" in html and "visa_japan" in html
    assert html.count("<figure>") == 2 and "India&#x27;s exports to the US" in html
    stats = table[(table.variable == "trade.exports_india_to_us") & (table.year == 2030)]
    from simulator.labels import format_value
    for p50 in stats.p50:
        assert f'<td class="n">{format_value(p50, "usd_bn")}</td>' in html
    assert cli("report", "s")[0] == 0  # `ijsim report` rebuilds it from the folder


def test_the_python_api_takes_the_year_in_the_key_and_refuses_non_levers():
    import simulator
    from simulator.errors import UserError

    baseline = simulator.load_scenario("baseline")
    s = simulator.sweep(baseline, {"tariffs.us_on_india@2029": [0.1, 0.3]}, draws=20)
    assert s.labels == ["US tariff on Indian goods = 0.1 from 2029", "US tariff on Indian goods = 0.3 from 2029"]
    table = s.table().set_index(["combination", "variable", "year"])
    us = [table.loc[(name, "trade.exports_india_to_us", 2028), "mean"] for name in s.names]
    assert us[0] == us[1]  # the same before 2029, on the same draws
    assert table.loc[(s.names[1], "trade.exports_india_to_us", 2029), "mean"] < \
        table.loc[(s.names[0], "trade.exports_india_to_us", 2029), "mean"]
    with pytest.raises(UserError, match="not a policy lever"):
        simulator.sweep(baseline, {"macro.gdp_growth_india": [0.05, 0.07]}, draws=20)
