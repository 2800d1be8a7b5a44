"""Issue 16, item 8: who a problem is blamed on, what validate counts, what the manifest records,
and what the README says a run writes."""
import json
import re

import pytest

from tests.conftest import ROOT, SCENARIOS

PARENT = """
[scenario]
name = "p"
horizon_start = 2025
[trade]
base_year = 2023
[exchange.stages.a]
[exchange.stages.b]
[exchange.streams.x]
stages = ["a", "b"]
pass_rates = { b = 0.5 }
"""


@pytest.mark.parametrize("child, key", [
    ('[scenario]\nextends = "p.toml"\n', "scenario.name"),  # the child forgot its own name
    ('[scenario]\nname = "c"\nextends = "p.toml"\n[trade]\nbase_year = 2044\n', "trade.base_year"),
    ('[scenario]\nname = "c"\nextends = "p.toml"\n[exchange.streams.x]\nstages = ["a"]\n', "exchange.streams.x.pass_rates"),
    ('[scenario]\nname = "c"\nextends = "p.toml"\n[exchange.streams.y]\nstages = ["b", "a"]\n', "exchange.streams"),
])
def test_a_problem_the_child_causes_is_reported_in_the_child(child, key, cli, write):
    write("p.toml", PARENT)
    write("c.toml", child)
    code, _, err = cli("validate", "c.toml")
    lines = [line for line in err.splitlines() if ": " in line and "problem" not in line]
    assert code == 2 and lines, err
    assert all(line.startswith("c.toml: ") for line in lines), err
    assert any(line.startswith(f"c.toml: {key}: ") for line in lines), err


def test_a_problem_in_the_parent_is_still_the_parents(cli, write):
    write("p.toml", PARENT.replace("base_year = 2023", "base_year = 2030"))
    write("c.toml", '[scenario]\nname = "c"\nextends = "p.toml"\n')
    code, _, err = cli("validate", "c.toml")
    assert code == 2 and re.search(r"^p\.toml: (trade\.base_year|scenario\.horizon_start): the horizon must start after",
                                   err, re.M), err


def test_validate_counts_the_problems(cli, write):
    write("a.toml", '[scenario]\nname = "a"\n[investment]\nrealisation_rate = 2\ndepreciation_rate = -1\n')
    write("b.toml", '[scenario]\nname = "b"\n')
    code, out, err = cli("validate", "a.toml", "b.toml")
    assert code == 2 and "ok  b.toml" in out
    assert err.strip().splitlines()[-1] == "2 problems found in 1 of 2 files"
    code, _, err = cli("validate", "a.toml")
    assert err.strip().splitlines()[-1] == "2 problems found"


@pytest.fixture
def run_folder(plotted_run):
    """The session's plotted baseline run (tests/conftest.py): (folder, console text)."""
    return plotted_run


def test_manifest_lists_the_versions_that_made_it(run_folder):
    folder, _ = run_folder
    versions = json.loads((folder / "manifest.json").read_text())["versions"]
    for package in ("numpy", "scipy", "pandas", "xarray", "matplotlib", "numba", "simpy", "SALib", "dask"):
        assert re.match(r"\d+\.\d+", versions[package]), package


def test_manifest_time_is_the_time_the_console_reports(run_folder):
    folder, console = run_folder
    elapsed = json.loads((folder / "manifest.json").read_text())["elapsed_s"]
    printed = float(re.search(r"results written to .* in ([\d.]+) s", console).group(1))
    assert printed == round(elapsed, 1)


def test_the_readme_lists_every_file_a_run_writes(run_folder):
    folder, _ = run_folder
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| file | what it holds |"):]
    table = table[:table.index("\n\n")]
    for path in folder.iterdir():
        if path.is_file():
            assert f"`{path.name}`" in table, path.name
    plots = sorted({p.stem for p in (folder / "plots").iterdir()})
    for stem in plots:
        assert stem in table, f"plots/{stem} is not described in the README's file table"
