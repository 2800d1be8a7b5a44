"""Bad scenario files through the CLI: exit 2, one message per problem naming file and key,
no traceback, and nothing written."""
import pytest

BASE = """
[scenario]
name = "bad"
draws = 10
"""

CASES = {
    # id: (files {name: text or bytes}, file to run, fragments every message line must show)
    "toml-syntax": ({"s.toml": '[scenario]\nname = "x"\ndraws = = 3\n'}, "s.toml", ["s.toml", "line 3", "invalid TOML"]),
    "unknown-key-hint": ({"s.toml": BASE + "[investment]\nrealisaton_rate = 0.5\n"}, "s.toml",
                         ["s.toml", "investment.realisaton_rate", "did you mean 'realisation_rate'"]),
    "unknown-table": ({"s.toml": BASE + "[investmnet]\npledge_jpy_tn = 5\n"}, "s.toml",
                      ["s.toml", "investmnet", "did you mean 'investment'"]),
    "unknown-scenario-key": ({"s.toml": BASE + "sampler = 'mc'\n"}, "s.toml", ["s.toml", "scenario.sampler"]),
    "wrong-type": ({"s.toml": '[scenario]\nname = "x"\ndraws = "many"\n'}, "s.toml",
                   ["s.toml", "scenario.draws", "expected an integer"]),
    "boolean-for-number": ({"s.toml": BASE + "[investment]\npledge_jpy_tn = true\n"}, "s.toml",
                           ["s.toml", "investment.pledge_jpy_tn", "a boolean"]),
    "out-of-range": ({"s.toml": BASE + "[investment]\nrealisation_rate = 1.5\n"}, "s.toml",
                     ["s.toml", "investment.realisation_rate", "out of range", "[0, 1]"]),
    "horizon-too-long": ({"s.toml": BASE + "horizon_years = 500\n"}, "s.toml",
                         ["s.toml", "scenario.horizon_years", "[1, 50]"]),
    "nan": ({"s.toml": BASE + "[investment]\ndepreciation_rate = nan\n"}, "s.toml",
            ["s.toml", "investment.depreciation_rate", "finite"]),
    "shares-sum": ({"s.toml": BASE + "[investment]\nsector_shares = { infrastructure = 0.5, clean_energy = 0.4 }\n"},
                   "s.toml", ["s.toml", "investment.sector_shares", "sum to 1", "0.9"]),
    "unknown-sector": ({"s.toml": BASE + "[investment]\nsector_shares = { infrastucture = 1.0 }\n"}, "s.toml",
                       ["s.toml", "investment.sector_shares", "did you mean 'infrastructure'"]),
    "bad-dist-params": ({"s.toml": BASE + '[investment]\nfdi_stock_start_usd_bn = { dist = "lognormal", median = 43, sigma = -1 }\n'},
                        "s.toml", ["s.toml", "investment.fdi_stock_start_usd_bn", "sigma must be > 0"]),
    "unknown-dist": ({"s.toml": BASE + '[investment]\nrealisation_rate = { dist = "gaussian", mean = 0.5, sd = 0.1 }\n'},
                     "s.toml", ["s.toml", "investment.realisation_rate", "unknown distribution", "pert"]),
    "dist-missing-param": ({"s.toml": BASE + '[investment]\nrealisation_rate = { dist = "pert", min = 0.2, max = 1.0 }\n'},
                           "s.toml", ["s.toml", "investment.realisation_rate", "needs 'mode'"]),
    "dist-outside-range": ({"s.toml": BASE + '[investment]\nrealisation_rate = { dist = "normal", mean = 0.5, sd = 0.2 }\n'},
                           "s.toml", ["s.toml", "investment.realisation_rate", "outside the allowed range"]),
    "dist-not-allowed": ({"s.toml": BASE + '[investment]\nsector_concentration = { dist = "uniform", min = 1, max = 2 }\n'},
                         "s.toml", ["s.toml", "investment.sector_concentration", "cannot be a distribution"]),
    "bad-path-key": ({"s.toml": BASE + '[investment]\nfx_jpy_per_usd = { 2025 = 147, next = 150 }\n'},
                     "s.toml", ["s.toml", "investment.fx_jpy_per_usd", "four-digit years"]),
    "explicit-length": ({"s.toml": BASE + '[investment.disbursement]\nprofile = "explicit"\nshares = [0.5, 0.5]\n'},
                        "s.toml", ["s.toml", "investment.disbursement.shares", "one per pledge year"]),
    "key-for-other-profile": ({"s.toml": BASE + '[investment.disbursement]\nprofile = "uniform"\nsteepness = 2.0\n'},
                              "s.toml", ["s.toml", "investment.disbursement.steepness", "only used with profile = 's_curve'"]),
    "bad-choice": ({"s.toml": BASE + '[investment.disbursement]\nprofile = "s-curve"\n'}, "s.toml",
                   ["s.toml", "investment.disbursement.profile", "did you mean 's_curve'"]),
    "missing-name": ({"s.toml": "[scenario]\ndraws = 5\n"}, "s.toml", ["s.toml", "scenario.name", "required"]),
    "invalid-name": ({"s.toml": '[scenario]\nname = ""\n'}, "s.toml", ["s.toml", "scenario.name"]),
    "missing-parent": ({"s.toml": BASE + 'extends = "nowhere.toml"\n'}, "s.toml",
                       ["s.toml", "scenario.extends", "not found"]),
    "missing-shipped-parent": ({"s.toml": BASE + 'extends = "baseine"\n'}, "s.toml",
                               ["s.toml", "scenario.extends", "'baseine' not found", "no shipped scenario"]),
    "extends-cycle": ({"a.toml": '[scenario]\nname = "a"\nextends = "b.toml"\n',
                       "b.toml": '[scenario]\nname = "b"\nextends = "a.toml"\n'}, "a.toml",
                      ["a.toml", "scenario.extends", "cycle", "b.toml"]),
    "self-extends": ({"a.toml": '[scenario]\nname = "a"\nextends = "a.toml"\n'}, "a.toml",
                     ["a.toml", "scenario.extends", "cycle"]),
    "missing-file": ({}, "absent.toml", ["absent.toml", "not found"]),
    "not-utf8": ({"s.toml": b'[scenario]\nname = "caf\xe9"\n'}, "s.toml", ["s.toml", "line 2", "UTF-8"]),
    "byte-order-mark": ({"s.toml": b'\xef\xbb\xbf[scenario]\nname = "s"\n'}, "s.toml",
                        ["s.toml: line 1: the file starts with a byte-order mark (BOM), which TOML does not allow"]),
    "problem-in-parent": ({"p.toml": '[scenario]\nname = "p"\n[investment]\ndepreciation_rate = -0.1\n',
                           "c.toml": '[scenario]\nname = "c"\nextends = "p.toml"\n'}, "c.toml",
                          ["p.toml", "investment.depreciation_rate"]),
    "unknown-stage": ({"s.toml": BASE + '[exchange.stages.visa]\nservers = 5\n[exchange.streams.w]\nstages = ["viza"]\n'},
                      "s.toml", ["s.toml", "exchange.streams.w.stages", "did you mean 'visa'"]),
    "conflicting-stage-order": ({"s.toml": BASE + '[exchange.stages.a]\n[exchange.stages.b]\n[exchange.streams.x]\n'
                                 'stages = ["a", "b"]\n[exchange.streams.y]\nstages = ["b", "a"]\n'},
                                "s.toml", ["s.toml", "exchange.streams", "conflicting orders"]),
    "pass-rate-for-other-stage": ({"s.toml": BASE + '[exchange.stages.a]\n[exchange.streams.x]\nstages = ["a"]\n'
                                   'pass_rates = { b = 0.5 }\n'}, "s.toml",
                                  ["s.toml", "exchange.streams.x.pass_rates", "not one of this stream's stages"]),
    "bad-stream-name": ({"s.toml": BASE + '[exchange.streams."skilled workers"]\nentrants_per_year = 5\n'},
                        "s.toml", ["s.toml", "exchange.streams.skilled workers", "not a valid name"]),
    "negative-service": ({"s.toml": BASE + '[exchange.stages.a]\nservice_months = -1\n'}, "s.toml",
                         ["s.toml", "exchange.stages.a.service_months", "out of range"]),
    "stream-key-typo": ({"s.toml": BASE + '[exchange.streams.x]\nentrants_per_yer = 5\n'}, "s.toml",
                        ["s.toml", "exchange.streams.x.entrants_per_yer", "did you mean 'entrants_per_year'"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_input_exits_2_with_clear_message(case, command, cli, write, tmp_path):
    files, target, fragments = CASES[case]
    for name, text in files.items():
        write(name, text)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [command, target] + (["--out", "out"] if command == "run" else [])
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in err and "Traceback" not in out
    problem_lines = [line for line in err.splitlines() if fragments[0] in line]
    assert problem_lines, err
    assert any(all(f in line for f in fragments) for line in problem_lines), err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_all_problems_reported_at_once(cli, write):
    write("s.toml", BASE + """
        horizon_years = 0
        [investment]
        realisation_rate = 2
        pledge_jpy_tn = "ten"
        colour = "blue"
        [sampling]
        method = "quasi"
        """.replace("        ", ""))
    code, _, err = cli("run", "s.toml")
    assert code == 2
    for key in ("scenario.horizon_years", "investment.realisation_rate", "investment.pledge_jpy_tn",
                "investment.colour", "sampling.method"):
        assert f"s.toml: {key}:" in err, key
    assert "5 problems found" in err


def test_folder_instead_of_file(cli, tmp_path):
    (tmp_path / "dir.toml").mkdir()
    code, _, err = cli("validate", "dir.toml")
    assert code == 2 and "dir.toml" in err and "folder" in err


@pytest.mark.parametrize("args,fragment", [
    (["run", "s.toml", "--draws", "0"], "--draws"),
    (["run", "s.toml", "--seed", "-1"], "--seed"),
    (["run", "s.toml", "--sampler", "halton"], "--sampler"),
    (["run"], "Missing argument 'SCENARIO'"),
    (["frobnicate"], "No such command"),
])
def test_usage_errors_exit_2(args, fragment, cli, write):
    write("s.toml", BASE)
    code, _, err = cli(*args)
    assert code == 2 and fragment in err
