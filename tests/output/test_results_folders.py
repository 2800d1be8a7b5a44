"""What `--out` and `--force` may touch, and replacing results safely at every step (issue 14,
points 1, 2 and 9).

Interrupts are injected at each step of putting the results in place with the private hooks of
simulator/_testhooks.py: SIGINT in this process (the hook sends it at exactly that step), SIGKILL in
a subprocess. Both replacement protocols are tested: rename-exchange (Linux) and the two-rename
fallback (IJSIM_TEST_NO_RENAMEAT2=1), whose intermediate state the next run must recover.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import simulator.montecarlo.engine
import simulator.output.run_folder
from simulator.output.folders import sha256_file

from tests.conftest import SCENARIOS

BASELINE = SCENARIOS / "baseline.toml"
RUN = ("run", BASELINE, "--draws", "10", "--no-plots", "--quiet")


def _entries(folder):
    return sorted(p.name for p in folder.iterdir())


def _complete_results_seed(folder):
    """The seed of a complete, untouched results folder (every file as its manifest lists it)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert sha256_file(folder / name) == digest, name
    return manifest["seed"]


# --- point 1: --force replaces only what ijsim wrote ------------------------------------------

def _user_folder(tmp_path, case):
    """A folder --force must not replace, and the files in it that must survive."""
    if case == "current-folder":
        (tmp_path / "mine.toml").write_text("precious")
        return tmp_path, ["mine.toml"]
    if case == "results-plus-notes":  # written by the test itself
        return None, ["notes.txt"]
    target = tmp_path / "target"
    target.mkdir()
    if case == "scenario-folder":
        (target / "s.toml").write_bytes(BASELINE.read_bytes())
        return target, ["s.toml"]
    if case == "foreign-manifest":  # a web app's manifest.json is not ours
        (target / "manifest.json").write_text('{"name": "app", "files": {}}')
        (target / "index.html").write_text("<p>hi</p>")
        return target, ["index.html", "manifest.json"]
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["current-folder", "scenario-folder", "foreign-manifest", "results-plus-notes"])
def test_force_refuses_folders_ijsim_did_not_write(case, cli, tmp_path):
    target, keep = _user_folder(tmp_path, case)
    if target is None:
        assert cli(*RUN, "--out", "target")[0] == 0
        target = tmp_path / "target"
        (target / "notes.txt").write_text("my notes")
        keep += _entries(target)
    before = {name: (target / name).read_bytes() for name in keep}
    code, _, err = cli(*RUN, "--out", target, "--force")
    assert code == 2, err
    assert ("not replaced" in err or "current folder" in err) and "Traceback" not in err
    assert {name: (target / name).read_bytes() for name in keep} == before
    assert _entries(target) == sorted(set(keep))


def test_force_on_the_scenarios_own_folder_keeps_the_scenario(cli, tmp_path):
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "s.toml").write_bytes(BASELINE.read_bytes().replace(b'name = "baseline"', b'name = "s"'))
    code, _, err = cli("run", "scen/s.toml", "--draws", "10", "--no-plots", "--out", "scen", "--force")
    assert code == 2 and "has no manifest.json" in err
    assert _entries(tmp_path / "scen") == ["s.toml"]


def test_force_refuses_a_symbolic_link(cli, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    code, _, err = cli(*RUN, "--out", "link", "--force")
    assert code == 2 and "symbolic link" in err
    assert (tmp_path / "link").is_symlink() and _entries(tmp_path / "real") == []


@pytest.mark.parametrize("case", ["empty", "earlier-results", "earlier-results-and-report"])
def test_force_replaces_empty_folders_and_earlier_results(case, cli, tmp_path):
    if case == "empty":
        (tmp_path / "out").mkdir()
    else:
        assert cli(*RUN, "--seed", "1", "--out", "out")[0] == 0
        if case.endswith("report"):
            assert cli("report", "out")[0] == 0
    code, _, err = cli(*RUN, "--seed", "2", "--out", "out", "--force")
    assert code == 0, err
    assert _complete_results_seed(tmp_path / "out") == 2 and _entries(tmp_path) == ["out"]


# --- issue 33, point 7: the manifest alone does not decide what --force deletes ----------------

def _tamper(folder, case):
    """Change a folder ijsim wrote the way a user might; return the files that must survive --force."""
    import shutil

    if case == "manifest-edited-to-list-a-note":  # the case that lost a user's file
        (folder / "notes.txt").write_text("my notes")
        doc = json.loads((folder / "manifest.json").read_text())
        doc["files"]["notes.txt"] = sha256_file(folder / "notes.txt")
        (folder / "manifest.json").write_text(json.dumps(doc, indent=2))
    elif case == "listed-file-overwritten":
        (folder / "summary.csv").write_text("my own table\n")
    elif case == "report-edited":
        (folder / "report.html").write_text((folder / "report.html").read_text() + "<p>my comments</p>")
    elif case == "no-record":
        (folder / ".ijsim-owner.json").unlink()
    elif case == "a-copy":
        shutil.copytree(folder, folder.parent / "copy")
        shutil.rmtree(folder)
        (folder.parent / "copy").rename(folder)  # same name and bytes, another folder
    elif case == "a-link-in-place-of-a-file":
        (folder.parent / "mine.csv").write_bytes((folder / "events.csv").read_bytes())
        (folder / "events.csv").unlink()
        (folder / "events.csv").symlink_to(folder.parent / "mine.csv")
    return {p.relative_to(folder.parent).as_posix(): p.read_bytes() for p in folder.parent.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case, why", [
    ("manifest-edited-to-list-a-note", "its manifest.json was changed after ijsim wrote it"),
    ("listed-file-overwritten", "it holds files changed after ijsim wrote them: summary.csv"),
    ("report-edited", "it holds files changed after ijsim wrote them: report.html"),
    ("no-record", "it has no valid record that ijsim wrote it (.ijsim-owner.json; results written by earlier "
                  "versions of ijsim have none): remove or rename it yourself"),
    ("a-copy", "it is not the folder ijsim wrote but a copy of one (or its files were moved into another folder)"),
    ("a-link-in-place-of-a-file", "it holds files ijsim did not write: events.csv"),
])
def test_force_refuses_a_folder_it_cannot_show_it_wrote(case, why, cli, tmp_path):
    assert cli(*RUN, "--out", "out")[0] == 0
    assert cli("report", "out")[0] == 0
    before = _tamper(tmp_path / "out", case)
    code, out, err = cli(*RUN, "--seed", "7", "--out", "out", "--force")
    assert (code, out) == (2, "")
    assert err.strip().replace("\n", " ") == (f"ijsim: out: not replaced: --force replaces only an empty folder or one "
                                              f"ijsim wrote, and {why}; nothing was changed")
    after = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_force_replaces_a_folder_ijsim_wrote_after_it_was_moved_and_reported(cli, tmp_path):
    assert cli(*RUN, "--out", "first")[0] == 0
    (tmp_path / "first").rename(tmp_path / "out")  # a rename keeps the folder (its inode)
    assert cli("report", "out")[0] == 0
    code, _, err = cli(*RUN, "--seed", "7", "--out", "out", "--force")
    assert code == 0, err
    assert _complete_results_seed(tmp_path / "out") == 7 and _entries(tmp_path) == ["out"]


# --- point 2: an interrupt at any step of the replacement loses nothing ------------------------

PROTOCOLS = {"exchange": ["commit:start", "commit:exchanged", "commit:cleaned"],
             "two-renames": ["commit:start", "commit:moved-aside", "commit:renamed", "commit:cleaned"]}
STEPS = [(protocol, step) for protocol, steps in PROTOCOLS.items() for step in steps]


def _protocol_env(protocol, monkeypatch=None):
    env = {"IJSIM_TEST_NO_RENAMEAT2": "1"} if protocol == "two-renames" else {}
    if monkeypatch is not None:
        monkeypatch.delenv("IJSIM_TEST_NO_RENAMEAT2", raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
    return env


@pytest.mark.parametrize("protocol,step", STEPS)
def test_sigint_at_each_step_of_the_replacement(protocol, step, cli, tmp_path, monkeypatch):
    assert cli(*RUN, "--seed", "1", "--out", "out")[0] == 0
    _protocol_env(protocol, monkeypatch)
    monkeypatch.setenv("IJSIM_TEST_SIGNAL", f"{step}@INT")
    code, _, err = cli(*RUN, "--seed", "2", "--out", "out", "--force")
    assert code == 130 and "Traceback" not in err
    # Ctrl-C waits for the renames (microseconds): the new results are in place, and the message says so.
    assert "interrupted after the results were written to out" in err
    assert _complete_results_seed(tmp_path / "out") == 2
    assert _entries(tmp_path) == ["out"]


def test_sigint_while_writing_keeps_the_earlier_results(cli, tmp_path, monkeypatch):
    assert cli(*RUN, "--seed", "1", "--out", "out")[0] == 0
    import pandas as pd

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    code, _, err = cli(*RUN, "--seed", "2", "--out", "out", "--force")
    assert code == 130 and "interrupted; no results were written" in err
    monkeypatch.undo()
    assert _complete_results_seed(tmp_path / "out") == 1 and _entries(tmp_path) == ["out"]


def _subprocess_run(args, cwd, env=None, **kwargs):
    return subprocess.run([sys.executable, "-m", "simulator", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300, **kwargs)


@pytest.mark.e2e  # a subprocess killed with SIGKILL
@pytest.mark.parametrize("protocol,step", STEPS)
def test_sigkill_at_each_step_is_recovered_by_the_next_run(protocol, step, cli, tmp_path, monkeypatch):
    assert cli(*RUN, "--seed", "1", "--out", "out")[0] == 0
    env = {**_protocol_env(protocol), "IJSIM_TEST_SIGNAL": f"{step}@KILL"}
    proc = _subprocess_run([*RUN, "--seed", "2", "--out", "out", "--force"], tmp_path, env)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    left = _entries(tmp_path)
    if step == "commit:moved-aside":  # the one state without `out`: the old results wait aside
        assert "out" not in left and any(n.startswith(".out.old-") for n in left)
    else:
        assert _complete_results_seed(tmp_path / "out") in (1, 2)
    # The next run, to the same folder, recovers first: restores the old results if `out` is missing,
    # removes the leftovers, and only then finds the folder exists.
    code, _, err = cli(*RUN, "--seed", "3", "--out", "out")
    assert code == 2 and "already exists" in err
    assert _entries(tmp_path) == ["out"]
    expected = 2 if step in ("commit:exchanged", "commit:renamed", "commit:cleaned") else 1
    assert _complete_results_seed(tmp_path / "out") == expected


def test_previous_results_left_by_an_earlier_version_are_restored(cli, tmp_path):
    """ijsim before this fix moved the old results into .NAME.old-XXXXXXXX/previous."""
    assert cli(*RUN, "--seed", "1", "--out", "out")[0] == 0
    (tmp_path / ".out.old-abcd1234").mkdir()
    (tmp_path / "out").rename(tmp_path / ".out.old-abcd1234" / "previous")
    (tmp_path / ".out.partial-xyz98765").mkdir()
    code, _, err = cli(*RUN, "--seed", "3", "--out", "out")
    assert code == 2 and "already exists" in err
    assert _entries(tmp_path) == ["out"] and _complete_results_seed(tmp_path / "out") == 1


# --- point 9: refusals come before the computation ---------------------------------------------

@pytest.fixture
def no_computation(monkeypatch):
    def computed(*args, **kwargs):
        raise AssertionError("the run computed before refusing")
    monkeypatch.setattr(simulator.output.run_folder, "run_into", computed)


def test_output_below_a_file_is_refused_before_computing(cli, tmp_path, no_computation):
    (tmp_path / "afile").write_text("x")
    code, _, err = cli(*RUN, "--out", "afile/out")
    assert code == 2 and "afile is a file, not a folder" in err
    assert _entries(tmp_path) == ["afile"]


def test_a_missing_parent_created_for_a_failed_run_is_removed(cli, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(simulator.output.run_folder, "run_into", boom)
    code, _, err = cli(*RUN, "--out", "new/deeper/out")
    assert code == 130 and _entries(tmp_path) == []


@pytest.mark.e2e  # two ijsim processes
def test_a_concurrent_run_to_the_same_folder_is_refused_at_once(cli, tmp_path, no_computation):
    marks = tmp_path / "marks"
    marks.mkdir()
    env = {"IJSIM_TEST_MARKS": str(marks), "IJSIM_TEST_SIGNAL": "compute@STOP"}  # holds its folder, frozen
    first = subprocess.Popen([sys.executable, "-m", "simulator", *map(str, RUN), "--out", "out"], cwd=tmp_path,
                             env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not (marks / "compute").exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.05)
        code, _, err = cli(*RUN, "--out", "out", "--force")
        assert code == 2 and "another ijsim run is writing this folder now" in err
    finally:
        first.send_signal(signal.SIGCONT)
        first.wait(timeout=120)
    assert first.returncode == 0
    assert _complete_results_seed(tmp_path / "out") == 20250829 and _entries(tmp_path) == ["marks", "out"]
