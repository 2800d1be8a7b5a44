"""Signals at the very start, at the very end and inside large blocks (issue 33, points 2, 3, 4 and 9).

Each signal is sent by the process itself at a named point (simulator/_testhooks.py), never after a
sleep: `launch` (the installed `ijsim` script's first instructions, before the package is imported),
`end` (the command line has returned its code), `exit` (the outcome is printed), `shutdown` (Python's
exit handlers are running), `block:start` (a worker thread begins a block of draws).
"""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.output.folders import sha256_file

from tests.conftest import SCENARIOS

ROOT = SCENARIOS.parent
IJSIM = Path(sys.executable).parent / "ijsim"
SIGNALS = [("INT", 130, "interrupted"), ("TERM", 143, "terminated")]


def _ijsim(args, tmp_path, command=(str(IJSIM),), **env):
    work, marks = tmp_path / "work", tmp_path / "marks"
    work.mkdir(exist_ok=True)
    marks.mkdir(exist_ok=True)
    proc = subprocess.run([*command, *map(str, args)], cwd=work, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "IJSIM_TEST_MARKS": str(marks), **env})
    return proc.returncode, proc.stdout, proc.stderr, sorted(p.name for p in work.iterdir()), sorted(os.listdir(marks))


def test_the_installed_command_is_the_launcher_that_notes_signals_before_any_import():
    """The generated console-script wrapper imported `re` and the package first (a Ctrl-C there was a traceback)."""
    installed = IJSIM.read_text(encoding="utf-8").splitlines()
    assert installed[1:] == (ROOT / "scripts" / "ijsim").read_text(encoding="utf-8").splitlines()[1:]
    code = [line for line in installed if line.strip() and not line.startswith("#")]
    assert code[:4] == ["import _signal", "_early = []",
                        "_signal.signal(_signal.SIGINT, lambda signum, frame: _early.append(signum))",
                        "_signal.signal(_signal.SIGTERM, lambda signum, frame: _early.append(signum))"]


@pytest.mark.parametrize("sig,code,word", SIGNALS)
def test_a_signal_at_the_launchers_first_instructions_gives_one_line(sig, code, word, tmp_path):
    rc, out, err, left, marks = _ijsim(["run", "baseline", "--draws", "50", "--no-plots", "--out", "out"], tmp_path,
                                       IJSIM_TEST_SIGNAL=f"launch@{sig}")
    assert (rc, out, err) == (code, "", f"ijsim: {word}; no results were written\n")
    assert left == [] and "start" in marks  # it got as far as the handlers, and no further work was done


@pytest.mark.parametrize("point", ["end", "exit", "shutdown"])
@pytest.mark.parametrize("sig,code,word", SIGNALS)
def test_a_signal_after_the_results_are_published_says_they_were_written(point, sig, code, word, tmp_path):
    """Point 4: a signal in the interpreter's shutdown killed the process without a word, the new results in place."""
    rc, out, err, left, marks = _ijsim(["run", "baseline", "--draws", "50", "--no-plots", "--quiet", "--out", "out"],
                                       tmp_path, IJSIM_TEST_SIGNAL=f"{point}@{sig}")
    assert (rc, out, err) == (code, "", f"ijsim: {word} after the results were written to out\n")
    assert left == ["out"] and point in marks
    folder = tmp_path / "work" / "out"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {name: sha256_file(folder / name) for name in manifest["files"]} == manifest["files"]


@pytest.mark.parametrize("command", [(str(IJSIM),), (sys.executable, "-m", "simulator")])
def test_a_successful_command_still_exits_0_with_its_output(command, tmp_path):
    """The process leaves through os._exit after its exit handlers: its output must be complete."""
    rc, out, err, _, marks = _ijsim(["validate", "baseline"], tmp_path, command=command)
    assert (rc, err) == (0, "") and out.startswith("ok ") and out.endswith(")\n")
    assert "shutdown" in marks


def test_sigterm_inside_large_blocks_does_not_wait_for_them(tmp_path):
    """Point 9: the threads' blocks (here 250,000 draws each) were awaited before the process could stop."""
    args = ["run", "baseline", "--draws", "500000", "--block-size", "250000", "--threads", "2", "--ensemble", "none",
            "--no-plots", "--out", "out"]
    rc, out, err, left, marks = _ijsim(args, tmp_path, IJSIM_TEST_SIGNAL="block:start@TERM")
    assert (rc, out, err) == (143, "", "ijsim: terminated; no results were written\n")
    assert left == []
    assert "block-start" in marks and "block-computed" not in marks  # it left while the blocks were computing


def test_a_signal_landing_in_a_weakref_callback_is_neither_printed_nor_lost(tmp_path):
    """Point 3: 'Exception ignored in ... _remove_dead_weakref ... raise KeyboardInterrupt()' before the message."""
    script = (
        "import os, signal, weakref\n"
        "from simulator import signals\n"
        "signals.install()\n"
        "class Thing: pass\n"
        "thing = Thing()\n"
        "ref = weakref.ref(thing, lambda r: os.kill(os.getpid(), signal.SIGINT))\n"
        "del thing\n"  # the callback runs here; Python cannot propagate what is raised in it
        "print('carried on', flush=True)\n"
        "try:\n"
        "    signals.checkpoint()\n"
        "except KeyboardInterrupt:\n"
        "    print('raised at the checkpoint', flush=True)\n"
        "os._exit(0)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == "carried on\nraised at the checkpoint\n"
