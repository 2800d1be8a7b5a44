"""`make notebook` (issue 32): the notebook extra installs JupyterLab and ipywidgets from the lock,
and the command it runs starts JupyterLab serving notebooks/.

The test does not install anything (the test venv has the extra: `make test` installs
.[test,notebook]); it asks make which command `make notebook` runs and starts that command
with the options a remote user would add, then asks the server for its notebooks.
"""
from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return {re.split(r"==", l)[0].lower().replace("_", "-"): l.split("==")[1] for l in lines if "==" in l}


def test_the_notebook_extra_is_jupyterlab_and_ipywidgets_pinned_in_the_lock():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["notebook"]
    names = {re.split(r"[<>=\[ ]", requirement)[0].lower() for requirement in extra}
    assert {"jupyterlab", "ipywidgets"} <= names
    pins = _pins()
    assert names <= set(pins), names - set(pins)
    # what the venv has is what the lock pins (the lock was frozen from an install of the extra)
    from importlib.metadata import version

    assert {n: version(n) for n in names} == {n: pins[n] for n in names}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_notebook_starts_jupyterlab_on_the_notebooks(tmp_path):
    port, token = _free_port(), "walk"
    args = f"--no-browser --port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token}"
    stamps = ["-o", ".venv/.installed-notebook", "-o", ".venv/.installed-run", "-o", ".venv/bin/python"]
    # --no-print-directory: under `make test` this make is nested and would announce its directory
    dry = subprocess.run(["make", "--no-print-directory", "-n", *stamps, "notebook", f"JUPYTER_ARGS={args}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()
    assert len(dry) == 1 and "pip install" not in dry[0], dry  # the stamp held: only the start remains
    command = shlex.split(dry[0])
    assert command[0] == ".venv/bin/jupyter" and command[1] == "lab"
    command[0] = str(Path(sys.prefix) / "bin" / "jupyter")  # the test's venv
    env = {"HOME": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        listing = None
        for _ in range(120):
            time.sleep(0.5)
            if server.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=5) as r:
                    listing = json.load(r)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=5) as r:
                    lab = r.status
                break
            except OSError:
                continue
        assert listing is not None, server.stdout.read() if server.poll() is not None else "no answer in 60 s"
        names = {item["name"] for item in listing["content"]}
        assert {"quickstart.ipynb", "sensitivity.ipynb"} <= names
        assert lab == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
