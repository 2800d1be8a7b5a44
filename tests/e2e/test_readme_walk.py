"""The README runs as written (issue 32): every shell block, in order, in a fresh copy of the project.

A new user follows the README top to bottom on a fresh clone. Issue 32 found the second command
exiting 2 (`make run` had already written results/baseline), a `my.toml` that did not exist and
prose that the outputs contradicted. This walk copies the project's files into a temporary
folder, runs each shell block of the README with bash (`set -e`: any command that fails fails the
block), then the README's Python blocks as one script, and checks

* every block's exit code (0),
* that every results path a block names (`--out X`, `results/...` in its commands and comments,
  a file it redirects into) exists afterwards,
* that `make run`'s folder holds every file of the README's table, that its printed headline
  table is the README's sample, that `ijsim discover`'s sentence is the one the README quotes, and
  that the README's sentences about the comparison and the sensitivity hold for the files those
  commands wrote.

The copy uses the test's own .venv (a symlink): `make run` is told the venv is up to date (`make -o`)
so nothing is installed during the test. Lines that are the test suite itself or open a server are
not run; SKIPPED_LINES says why, and a test checks each skipped line is still in the README.
Runnable blocks of docs/*.md are walked too: each shell block there is marked
`<!-- walk: run -->` or `<!-- walk: skip REASON -->` on the line before it, and a test fails on an
unmarked one.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import simulator

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# Lines of README shell blocks the walk does not run, and why.
SKIPPED_LINES = {
    "make test": "the whole test suite, of which this walk is a part",
    "make check": "the fast tier of the test suite",
    "make notebook": "opens JupyterLab and waits; tests/e2e/test_make_notebook.py starts it and checks it serves notebooks/",
}
# `make` must not reinstall the test's venv (the copy links to it): its stamps count as up to date.
MAKE = "make -o .venv/.installed-run -o .venv/.installed-test -o .venv/.installed-notebook -o .venv/bin/python"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MARK = re.compile(r"<!-- walk: (run|skip)\b([^>]*)-->\s*$")
# Paths a block names that it should leave behind: results folders and files, and redirect targets.
NAMED = re.compile(r"(?<![\w/.-])(results/[\w./-]*[\w/]|[\w-][\w.-]*\.(?:json|html))(?![\w*])")


@dataclass
class Block:
    source: str        # "README.md" or "docs/x.md"
    line: int          # the fence's line, 1-based
    language: str
    text: str
    mark: str = "run"  # docs blocks: run or skip


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = MARK.search(before)
        found.append(Block(str(path.relative_to(ROOT)), line, m.group(1), m.group(2), mark.group(1) if mark else ""))
    return found


def shell_blocks(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.language in ("sh", "bash")]


def runnable(block: Block) -> str:
    """The block as a bash script: skipped lines commented out, `make` kept off the venv."""
    lines = []
    for line in block.text.splitlines():
        command = line.split("#", 1)[0].strip()
        if command in SKIPPED_LINES:
            lines.append(f"# not run by the walk: {line}")
        elif command.startswith("make "):
            lines.append(MAKE + line.strip()[len("make"):])
        else:
            lines.append(line)
    return "set -euo pipefail\n" + "\n".join(lines) + "\n"


def named_paths(block: Block) -> list[str]:
    """Results paths and files the block's commands and comments name (globs and inputs left out)."""
    names = []
    for line in block.text.splitlines():
        if line.lstrip().startswith("cat >") or "<<" in line:
            continue
        for name in NAMED.findall(line):
            name = name.rstrip("/")
            if name not in names and not name.startswith("results/<"):
                names.append(name)
    return names


def copy_project(target: Path) -> None:
    """The project's files as a fresh clone has them (tracked and new, not ignored), and the test's venv."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)  # mtimes kept: make compares them
    (target / ".venv").symlink_to(Path(sys.prefix))


def environment() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    # as if the venv were activated: docs write `ijsim` where the README writes `.venv/bin/ijsim`
    env.update(COLUMNS="200", MPLBACKEND="Agg", PATH=f"{Path(sys.prefix) / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return env


@dataclass
class Outcome:
    block: Block
    returncode: int
    stdout: str
    stderr: str


def walk(path: Path, folder: Path, which=lambda b: True) -> list[Outcome]:
    outcomes = []
    for block in shell_blocks(path):
        if not which(block):
            continue
        done = subprocess.run(["bash", "-c", runnable(block)], cwd=folder, env=environment(),
                              capture_output=True, text=True, timeout=900)
        outcomes.append(Outcome(block, done.returncode, done.stdout, done.stderr))
    return outcomes


@pytest.fixture(scope="module")
def readme(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clone")
    copy_project(folder)
    outcomes = walk(README, folder)
    python = "\n".join(b.text for b in blocks(README) if b.language == "python")
    done = subprocess.run([str(folder / ".venv" / "bin" / "python"), "-c", python], cwd=folder, env=environment(),
                          capture_output=True, text=True, timeout=900)
    return folder, outcomes, done


def _where(outcome: Outcome) -> str:
    return f"{outcome.block.source}:{outcome.block.line}"


def test_every_shell_block_of_the_readme_exits_0(readme):
    _, outcomes, _ = readme
    assert len(outcomes) == len(shell_blocks(README)) >= 6
    failed = [f"{_where(o)} exit {o.returncode}: {o.stderr.strip()[-800:]}" for o in outcomes if o.returncode]
    assert not failed, "\n".join(failed)


def test_the_python_blocks_of_the_readme_run(readme):
    _, _, done = readme
    assert done.returncode == 0, done.stderr[-2000:]


def test_every_path_a_block_names_exists_afterwards(readme):
    folder, outcomes, _ = readme
    missing = [f"{_where(o)}: {name}" for o in outcomes for name in named_paths(o.block) if not (folder / name).exists()]
    assert not missing, missing
    assert sum(len(named_paths(o.block)) for o in outcomes) >= 8  # the pattern finds the folders the README names


def test_the_skipped_lines_are_in_the_readme():
    """A skipped line renamed in the README would be run (or, with an alias, silently skipped forever)."""
    commands = {line.split("#", 1)[0].strip() for b in shell_blocks(README) for line in b.text.splitlines()}
    assert set(SKIPPED_LINES) <= commands


def test_make_run_writes_every_file_of_the_readmes_table(readme):
    folder, _, _ = readme
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| file | what it holds |"):]
    table = table[:table.index("\n\n")]
    names = [n for n in re.findall(r"^\| `([^`]+)`", table, re.MULTILINE) if "<" not in n]
    assert len(names) >= 8
    run = folder / "results" / "baseline"
    # a plot is named without its suffix ("`plots/trade` (PNG and SVG)")
    missing = [n for n in names if not (run / n).exists() and not (run / f"{n}.png").exists()]
    assert not missing, missing


def _table_rows(text: str) -> list[tuple[str, ...]]:
    return [tuple(cell.strip() for cell in line.strip().strip("│").split("│"))
            for line in text.splitlines() if line.strip().startswith("│")]


def test_the_headline_sample_is_what_make_run_prints(readme):
    """The README's sample of `make run`'s table: every row as printed (same seed, same numbers)."""
    _, outcomes, _ = readme
    text = README.read_text(encoding="utf-8")
    sample = text[text.index("`make run` prints the headline numbers:"):]
    sample = sample[:sample.index("\n```\n", sample.index("```") + 3)]
    printed = next(o.stdout for o in outcomes if "make run" in o.block.text)
    expected = _table_rows(sample)
    assert len(expected) >= 10
    assert expected == _table_rows(printed)


def test_discover_says_what_the_readme_quotes(readme):
    _, outcomes, _ = readme
    text = README.read_text(encoding="utf-8")
    start = text.index("> India's deficit with Japan narrower")
    quote = " ".join(line[1:].strip() for line in text[start:].split("\n\n", 1)[0].splitlines())
    printed = next(o.stdout for o in outcomes if "ijsim discover" in o.block.text)
    assert " ".join(quote.split()) in " ".join(printed.split())


def test_the_comparison_is_as_the_readme_says(readme):
    """"positive in every draw from FY2026-27 ...; less than US$0.3 bn a year at the median, growing";
    "the two scenarios' bands overlap almost entirely"."""
    import xarray as xr

    folder, _, _ = readme
    with xr.open_dataset(folder / "results" / "compare" / "ensemble.nc") as ds:
        exports = ds["trade.exports_india_to_japan"].load()
    base, persist = (exports.sel(scenario=s) for s in exports["scenario"].values)
    difference = (persist - base).sel(year=slice(2026, None))
    assert bool((difference > 0).all()), "not positive in every draw"
    assert float(abs((persist - base).sel(year=2025)).max()) == 0.0  # the two part in FY2026-27, not before
    medians = difference.median("draw").values
    assert medians.max() < 0.3 and (pd.Series(medians).diff().dropna() > 0).all()
    # overlap: each year, the reference's 90% band holds the other's whole 50% band
    q = lambda da, p: da.quantile(p, dim="draw")  # noqa: E731
    assert bool(((q(base, 0.05) <= q(persist, 0.25)) & (q(persist, 0.75) <= q(base, 0.95))).all())


def test_the_sensitivity_is_as_the_readme_says(readme):
    """"For the baseline's 2034 trade balance, year-to-year luck in trade and the trade trend explain
    nearly all the variance; input by input, the yearly shocks to, and the median growth of, Japan's
    exports to India": the groups from the file the README's command wrote, the inputs from the same
    analysis by input (the command's `--by input`)."""
    from simulator.analysis import sensitivity

    folder, _, _ = readme
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "year-to-year luck in trade and the trade trend explain nearly all the variance" in text
    table = pd.read_csv(folder / "results" / "baseline-sensitivity-sobol" / "sensitivity.csv", index_col=0)
    ranked = table.sort_values("ST", ascending=False)
    assert set(ranked["label"][:2]) == {"year-to-year luck in trade", "trade trend (estimated from history)"}, ranked
    assert ranked["ST"][2:].sum() < 0.02  # "nearly all": every other group, interactions included, under 2%
    scenario = simulator.load_scenario(ROOT / "scenarios" / "baseline.toml")
    inputs = sensitivity(scenario, "trade.balance", 2034, method="sobol", by="input", n=512, seed=1)
    assert set(inputs.sort_values("ST", ascending=False).index[:2]) == {"trade.shock_japan_to_india",
                                                                        "trade.growth_japan_to_india"}


# docs/*.md: the marked blocks, each document in its own fresh copy (as a reader who starts there).
DOCS = sorted((ROOT / "docs").glob("*.md"))


def test_every_docs_shell_block_is_marked():
    unmarked = [f"{b.source}:{b.line}" for p in DOCS for b in shell_blocks(p) if not b.mark]
    assert not unmarked, "mark each with <!-- walk: run --> or <!-- walk: skip REASON --> on the line before"


RUNNABLE_DOCS = [p for p in DOCS if any(b.mark == "run" for b in shell_blocks(p))]


@pytest.mark.parametrize("path", RUNNABLE_DOCS, ids=[p.stem for p in RUNNABLE_DOCS])
def test_the_runnable_docs_blocks_run(path, tmp_path):
    copy_project(tmp_path)
    outcomes = walk(path, tmp_path, lambda b: b.mark == "run")
    failed = [f"{_where(o)} exit {o.returncode}: {o.stderr.strip()[-800:]}" for o in outcomes if o.returncode]
    assert not failed, "\n".join(failed)
    missing = [f"{_where(o)}: {n}" for o in outcomes for n in named_paths(o.block) if not (tmp_path / n).exists()]
    assert not missing, missing


def test_the_walk_would_notice_a_failing_line(tmp_path):
    """The runner is bash with set -e: a failing command in the middle fails the block."""
    block = Block("x.md", 1, "sh", "true\nfalse   # fails\ntouch results-should-not-exist\n")
    done = subprocess.run(["bash", "-c", runnable(block)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0 and not (tmp_path / "results-should-not-exist").exists()
    assert runnable(Block("x", 1, "sh", "make run   # x\nmake test\n")).splitlines()[1:] == [
        MAKE + " run   # x", "# not run by the walk: make test"]
    assert named_paths(Block("x", 1, "sh", "ijsim run a.toml --out results/b7   # into results/b7/\n"
                                          "ijsim schema > scenario.schema.json\nls results/<scenario>")) == [
        "results/b7", "scenario.schema.json"]
