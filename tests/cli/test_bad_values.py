"""Hostile scenario files (issue 14, points 4, 5, 6, 7 and 9): every one exits 2 with one clear
message per problem naming the file and the key, no traceback, nothing written, in bounded time.

Special files (a FIFO, /dev/zero) run in a subprocess with a timeout: a regression would hang or
eat memory, and must fail the test rather than the test run.
"""
import os
import subprocess
import sys

import pytest

from tests.conftest import SCENARIOS

BASE = '[scenario]\nname = "bad"\ndraws = 3\n'


def _chain(n: int) -> dict[str, str]:
    files = {f"c{i}.toml": f'[scenario]\nname = "c{i}"\nextends = "c{i + 1}.toml"\n' for i in range(n)}
    files[f"c{n}.toml"] = '[scenario]\nname = "end"\n'
    return files


CASES = {
    # id: (files, file to check, fragments of the one message)
    "integer-of-400-digits": ({"s.toml": BASE + "[investment]\npledge_jpy_tn = " + "9" * 400 + "\n"}, "s.toml",
                              ["s.toml", "investment.pledge_jpy_tn", "an integer of 400 digits", "[0, 1000]"]),
    "huge-integer-in-a-distribution": ({"s.toml": BASE + "[investment]\nrealisation_rate = { dist = \"uniform\", "
                                        "min = 0, max = " + "9" * 400 + " }\n"}, "s.toml",
                                       ["s.toml", "investment.realisation_rate", "'max' must be a finite number"]),
    "huge-integer-in-a-path": ({"s.toml": BASE + "[investment]\nfx_jpy_per_usd = { 2025 = " + "9" * 400 + " }\n"},
                               "s.toml", ["s.toml", "investment.fx_jpy_per_usd", "finite number"]),
    "huge-integer-as-a-share": ({"s.toml": BASE + "[investment]\nsector_shares = { infrastructure = "
                                 + "9" * 400 + " }\n"}, "s.toml", ["s.toml", "investment.sector_shares", "[0, 1]"]),
    "integer-too-long-for-toml": ({"s.toml": BASE + "seed = " + "9" * 5000 + "\n"}, "s.toml",
                                  ["s.toml", "thousands of digits"]),
    "inline-tables-2000-deep": ({"s.toml": BASE + "x = " + "{a = " * 2000 + "1" + " }" * 2000 + "\n"}, "s.toml",
                                ["s.toml", "nested too deeply"]),
    "arrays-2000-deep": ({"s.toml": BASE + "x = " + "[" * 2000 + "1" + "]" * 2000 + "\n"}, "s.toml",
                         ["s.toml", "nested too deeply"]),
    "tables-3000-deep": ({"s.toml": BASE + "[" + ".".join(["a"] * 3000) + "]\nx = 1\n"}, "s.toml",
                         ["s.toml", "a.a.a.a.…", "nested more than 16 levels"]),
    "superscript-year": ({"s.toml": BASE + '[investment]\nfx_jpy_per_usd = { "²⁰²⁵" = 140 }\n'}, "s.toml",
                         ["s.toml", "investment.fx_jpy_per_usd", "ASCII digits", "'²⁰²⁵'"]),
    "full-width-year": ({"s.toml": BASE + '[investment]\nfx_jpy_per_usd = { "２０２５" = 140 }\n'}, "s.toml",
                        ["s.toml", "investment.fx_jpy_per_usd", "ASCII digits", "'２０２５'"]),
    "extends-chain-1000-deep": (_chain(1000), "c0.toml", ["c31.toml", "scenario.extends", "longer than 32 files"]),
    "name-ending-in-a-newline": ({"s.toml": '[scenario]\nname = "x\\n"\n'}, "s.toml",
                                 ["s.toml", "scenario.name", "'x\\n' is not a valid name"]),
    "stream-name-ending-in-a-newline": ({"s.toml": BASE + '[exchange.streams."w\\n"]\n'}, "s.toml",
                                        ["s.toml", "exchange.streams.w\\n", "not a valid name"]),
    "service-of-1e7-months": ({"s.toml": BASE + "[exchange.stages.a]\nservice_months = 1e7\n"}, "s.toml",
                              ["s.toml", "exchange.stages.a.service_months", "[0.01, 600]"]),
    "lognormal-service-median-1e30": ({"s.toml": BASE + '[exchange.stages.a]\nservice_months = { dist = "lognormal", '
                                       'median = 1e30, sigma = 1 }\n'}, "s.toml",
                                      ["s.toml", "exchange.stages.a.service_months", "mean", "[0.01, 600]"]),
    "exponential-service-too-short": ({"s.toml": BASE + '[exchange.stages.a]\nservice_months = { dist = '
                                       '"exponential", mean = 1e-6 }\n'}, "s.toml",
                                      ["s.toml", "exchange.stages.a.service_months", "mean", "[0.01, 600]"]),
    "pledge-1e308": ({"s.toml": BASE + "[investment]\npledge_jpy_tn = 1e308\n"}, "s.toml",
                     ["s.toml", "investment.pledge_jpy_tn", "allowed [0, 1000]"]),
    "starting-stock-1.8e308": ({"s.toml": BASE + "[investment]\nfdi_stock_start_usd_bn = 1.7e308\n"}, "s.toml",
                               ["s.toml", "investment.fdi_stock_start_usd_bn", "allowed [0.01, 100000]"]),
    "base-flow-1e-300": ({"s.toml": BASE + "[trade]\nexports_japan_to_india_base_usd_bn = 1e-300\n"}, "s.toml",
                         ["s.toml", "trade.exports_japan_to_india_base_usd_bn", "allowed [0.001, 100000]"]),
    "distribution-beyond-the-limits": ({"s.toml": BASE + '[investment]\npledge_jpy_tn = { dist = "lognormal", '
                                        'median = 10, sigma = 2 }\n'}, "s.toml",
                                       ["s.toml", "investment.pledge_jpy_tn", "most extreme draws", "beyond [0, 1000]"]),
    "beta-too-extreme-to-draw-from": ({"s.toml": BASE + '[investment]\nrealisation_rate = { dist = "beta", '
                                      'alpha = 1e-8, beta = 1 }\n'}, "s.toml",
                                     ["s.toml", "investment.realisation_rate", "too extreme to compute with"]),
    "stage-order-conflict": ({"s.toml": BASE + '[exchange.stages.visa]\n[exchange.stages.test]\n'
                              '[exchange.streams.x]\nstages = ["visa", "test"]\n'
                              '[exchange.streams.y]\nstages = ["test", "visa"]\n'}, "s.toml",
                             ["s.toml", "exchange.streams", "'visa' before 'test' (stream 'x')",
                              "'test' before 'visa' (stream 'y')"]),
    # Calibration to an observed stock (issue 29): the date's form, entrants given twice, a stage passing nobody.
    "stock-date-not-a-month": ({"s.toml": BASE + '[exchange.streams.x]\nobserved_stock = 100\n'
                                'observed_stock_date = "December 2024"\n'}, "s.toml",
                               ["s.toml", "exchange.streams.x.observed_stock_date", "YYYY-MM", "December 2024"]),
    "stock-and-entrants": ({"s.toml": BASE + '[exchange.streams.x]\nobserved_stock = 100\n'
                            'observed_stock_date = "2024-12"\nentrants_per_year = 50\n'}, "s.toml",
                           ["s.toml", "exchange.streams.x.entrants_per_year", "either entrants_per_year or observed_stock"]),
    "calibrated-stage-passes-nobody": ({"s.toml": BASE + '[exchange.stages.visa]\n[exchange.streams.x]\n'
                                        'observed_stock = 100\nobserved_stock_date = "2024-12"\nstages = ["visa"]\n'
                                        'pass_rates = { visa = 0.0 }\n'}, "s.toml",
                                       ["s.toml", "exchange.streams.x.pass_rates", "passes nobody"]),
}


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_value_exits_2_with_one_message(case, command, cli, write, tmp_path):
    files, target, fragments = CASES[case]
    for name, text in files.items():
        write(name, text)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = ("run", target, "--out", "out", "--no-plots") if command == "run" else ("validate", target)
    code, out, err = cli(*args)
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    problems = [line for line in err.splitlines() if line.strip() and "problem" not in line]
    assert len(problems) == 1, err
    for fragment in fragments:
        assert fragment in problems[0], (fragment, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def _run(args, cwd, timeout=60):
    return subprocess.run([sys.executable, "-m", "simulator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.e2e  # ijsim as a subprocess with a timeout
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "symlink-loop", "folder", "nul-character"])
@pytest.mark.parametrize("where", ["extends", "argument"])
def test_special_files_are_refused_at_once(kind, where, tmp_path):
    """A FIFO would block open() for ever, /dev/zero would be read until memory runs out."""
    if kind == "fifo":
        os.mkfifo(tmp_path / "special")
    elif kind == "symlink-loop":
        os.symlink("loop2", tmp_path / "special")
        os.symlink("special", tmp_path / "loop2")
    elif kind == "folder":
        (tmp_path / "special").mkdir()
    ref = {"dev-zero": "/dev/zero", "nul-character": "spe\0cial"}.get(kind, "special")
    if where == "argument":
        if kind == "nul-character":
            pytest.skip("a command-line argument cannot hold a NUL character")
        args, fragments = ["validate", ref], [ref]
    else:
        (tmp_path / "s.toml").write_text(BASE + f'extends = "{ref}"\n'.replace("\0", "\\u0000"), encoding="utf-8")
        args, fragments = ["validate", "s.toml"], ["s.toml: scenario.extends: parent scenario"]
    fragments.append({"fifo": "named pipe (FIFO)", "dev-zero": "character device", "symlink-loop": "loop of symbolic links",
                      "folder": "is a folder", "nul-character": "NUL character"}[kind])
    proc = _run(args, tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip() and "problem" not in line]
    assert len(lines) == 1 and all(f in lines[0] for f in fragments), proc.stderr


def test_file_larger_than_a_megabyte_is_refused(cli, write):
    write("s.toml", BASE + "# " + "x" * (2 << 20) + "\n")
    code, _, err = cli("validate", "s.toml")
    assert code == 2 and "s.toml: is 2,097," in err and "at most 1,048,576" in err


def test_control_characters_are_escaped_in_every_message(cli, write):
    write("s.toml", BASE + 'title = "red \\u001b[31m alarm\\rline\\u202e"\n[investment]\nnot_a_key = 1\n')
    write("t.toml", BASE + 'title = "red \\u001b[31m alarm\\rline\\u202e"\n')
    code, out, err = cli("validate", "t.toml", "s.toml")
    assert code == 2
    assert "\x1b" not in out + err and "\r" not in out + err and "\u202e" not in out + err
    assert "red \\x1b[31m alarm\\rline\\u202e" in out


def test_exchange_target_after_the_horizon_is_a_warning_and_its_events_an_error(cli, write, tmp_path):
    """The baseline's targets fall due in 2029. A child ending in 2027 is warned about the targets;
    the baseline's events ask about 2029-2034, so they are errors until the child drops them
    (issue 17: an event outside the horizon is a scenario error)."""
    parent = (SCENARIOS / "baseline.toml").as_posix()
    write("s.toml", f'[scenario]\nname = "short"\nextends = "{parent}"\nhorizon_years = 3\n')
    code, out, err = cli("validate", "s.toml")
    assert code == 2
    assert "s.toml: events.people_500k_by_2029.by: 2029 is outside the scenario's horizon 2025-2027" in err
    events = ("deficit_narrower_2030", "deficit_narrower_2034", "people_500k_by_2029", "people_500k_plan_window",
              "skilled_50k_by_2029", "skilled_50k_plan_window", "workers_50k_by_2029", "workers_50k_plan_window")
    write("s.toml", f'[scenario]\nname = "short"\nextends = "{parent}"\nhorizon_years = 3\n[events]\n'
                    + "".join(f"{e} = false\n" for e in events))
    code, out, err = cli("validate", "s.toml")
    assert code == 0, err
    # the key is set in the parent, and the warning names the file that holds it
    assert "baseline.toml: exchange.target_years: the exchange targets fall due in 2029" in err
    code, out, err = cli("run", "s.toml", "--draws", "5", "--no-plots", "--out", "o")
    assert code == 0 and "exchange.target_years" in err
    assert (tmp_path / "o" / "events.csv").read_text() == "event,title,year,probability,se\n"


def test_distribution_parameters_of_any_size_do_not_crash(cli, write):
    write("s.toml", BASE + '[investment]\nrealisation_rate = { dist = "pert", min = -1e308, mode = 0, max = 1e308 }\n')
    code, _, err = cli("validate", "s.toml")
    assert code == 2 and "investment.realisation_rate" in err and "within ±1e+15" in err


def test_every_beta_shape_validation_allows_computes():
    """The beta shape range that validation allows ([0.05, 1e4], chosen by probing scipy) is one scipy
    computes with at every corner and inside: the extreme draws and the mean are finite."""
    import itertools

    import numpy as np

    from simulator.scenario.values import BETA_SHAPES, EXTREME_U, parse_distribution

    low, high = BETA_SHAPES
    shapes = [low, 0.1, 1.0, 100.0, high]
    for alpha, beta in itertools.product(shapes, shapes):
        value, errs = parse_distribution({"dist": "beta", "alpha": alpha, "beta": beta})
        assert not errs, (alpha, beta, errs)
        draws = value.ppf(np.array([EXTREME_U, 0.5, 1 - EXTREME_U]))
        assert np.isfinite(draws).all() and np.isfinite(value.mean()), (alpha, beta)
    for outside in (low / 2, high * 2):
        assert parse_distribution({"dist": "beta", "alpha": outside, "beta": 1.0})[0] is None


def test_closed_form_extremes_and_means_agree_with_scipy():
    """Validation's scipy-free extremes and means are the ones scipy computes."""
    import numpy as np

    from simulator.scenario.values import EXTREME_U, parse_distribution

    for raw in ({"dist": "normal", "mean": 2.0, "sd": 3.0}, {"dist": "lognormal", "median": 5.0, "sigma": 0.7},
                {"dist": "exponential", "mean": 4.0},
                {"dist": "truncnormal", "mean": 0.6, "sd": 0.2, "min": 0.0, "max": 1.0},
                {"dist": "truncnormal", "mean": -3.0, "sd": 0.5, "min": 0.0, "max": 1.0},
                {"dist": "pert", "min": 1.0, "mode": 2.0, "max": 6.0}, {"dist": "triangular", "min": 0, "mode": 1, "max": 5},
                {"dist": "beta", "alpha": 2.0, "beta": 5.0, "min": 1.0, "max": 3.0}, {"dist": "uniform", "min": -1, "max": 2}):
        value, errs = parse_distribution(raw)
        assert not errs
        assert value.closed_form_mean() == pytest.approx(value.mean(), rel=1e-9, abs=1e-12), raw
        low, high = value.extremes()
        scipy_low, scipy_high = value.frozen.ppf([EXTREME_U, 1 - EXTREME_U])
        if raw["dist"] in ("normal", "lognormal", "exponential"):
            assert (low, high) == pytest.approx((scipy_low, scipy_high), rel=1e-6), raw
        else:  # bounded: the support, which the draws never leave
            assert low <= scipy_low and scipy_high <= high, raw
