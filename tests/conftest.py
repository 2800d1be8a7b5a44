import importlib
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# `make test` uses the "ci" profile (bounded time); HYPOTHESIS_PROFILE=fuzz runs many more examples.
settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def under_ci() -> bool:
    """CI sets CI=true (GitHub Actions, GitLab, this project's .ci/run); there nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    """Skip a test whose tool is missing on a developer's machine; fail it under CI, where a skip would
    leave the check unrun while CI stays green."""
    if under_ci():
        pytest.fail(f"{what} (CI=true: a check that cannot run fails instead of being skipped)", pytrace=False)
    pytest.skip(what, allow_module_level=True)


def chromium() -> str:
    """Path of Debian's chromium for the report's browser tests (.ci/ensure-chromium.sh installs it)."""
    path = shutil.which("chromium")
    if path is None:
        missing("Debian's chromium is not installed (.ci/ensure-chromium.sh, run by make test, installs it as root)")
    return path


def require_module(name: str):
    """importorskip that fails under CI: the [test] extra installs every module the tests use."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing(f"{name} cannot be imported ({exc}); install the [test] extra")


@pytest.fixture
def write(tmp_path):
    """Write a scenario file from (dedented) TOML text; returns its path."""
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return _write


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run the ijsim CLI in-process from tmp_path; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")

    def _run(*args: str):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return _run
