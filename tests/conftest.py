import atexit
import importlib
import json
import os
import shutil
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# pytest-xdist's workers inherit COLUMNS=80, and rich fixes a console's width from COLUMNS when the
# console is created (simulator.cli.options, at import): the `cli` fixture's COLUMNS=200 would then
# not reach it and the tables would wrap differently under `-n 2` than in one process.
os.environ.pop("COLUMNS", None)

# pyam (the IAMC test) parses its units with iam-units, which caches pint's parsed definitions in the
# user's cache folder with the absolute path of the installation that wrote them: a cache written by
# another checkout's .venv (since removed) made `iamc.csv reads in pyam` fail with FileNotFoundError.
# The tests use a cache of their own, made and removed by this process.
_IAM_UNITS_CACHE = tempfile.mkdtemp(prefix="ijsim-tests-iam-units-")
os.environ["IAM_UNITS_CACHE"] = _IAM_UNITS_CACHE
atexit.register(shutil.rmtree, _IAM_UNITS_CACHE, True)

from simulator.cli import main  # noqa: E402

from . import mutation_order

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# `make test` uses the "ci" profile (bounded time); HYPOTHESIS_PROFILE=fuzz runs many more examples.
settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# make mutation: each mutant reruns the tests that reach it, so fewer examples per property.
settings.register_profile("mutation", max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# mutmut's phases other than a mutant's run (its stats run records what each fixture costs)
MUTMUT_PHASES = ("stats", "fail", "list_all_tests", "mutant_generation")


def _mutmut_phase() -> str:
    return os.environ.get("MUTANT_UNDER_TEST", "")


# What the stats run measures: set-up seconds per fixture key, the shared keys, what each shared set-up reached
_FIXTURE_S: dict[str, float] = {}
_SHARED: set[str] = set()
_FIXTURE_REACHES: dict[str, set[str]] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """In mutmut's stats run, time every fixture's set-up (tests/mutation_order.py orders by it) and
    note which product functions a shared fixture's set-up reaches (see pytest_runtest_teardown)."""
    if _mutmut_phase() != "stats":
        yield
        return
    from mutmut.state import state

    reached_before = set(state()._stats)
    start = time.perf_counter()
    yield
    key = f"{request.node.nodeid}::{fixturedef.argname}"
    _FIXTURE_S[key] = _FIXTURE_S.get(key, 0.0) + time.perf_counter() - start
    if fixturedef.scope in mutation_order.SHARED_SCOPES:
        _SHARED.add(key)
        _FIXTURE_REACHES[key] = set(state()._stats) - reached_before


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """mutmut records the functions a test reaches at its teardown, so what a module fixture's set-up
    (a run of the model) reached was credited to the first test using it only: the later tests that
    check the run's numbers were never run against those functions' mutants (which then survived:
    regression values never ran against `projection._exchange_layout`). Credit every test using it."""
    if _mutmut_phase() == "stats" and _FIXTURE_REACHES:
        from mutmut.state import state

        for key in _fixture_keys(item):
            state()._stats.update(_FIXTURE_REACHES.get(key, ()))


def pytest_sessionfinish(session, exitstatus):
    if _mutmut_phase() == "stats" and _FIXTURE_S:
        mutation_order.save_costs(Path.cwd(), _FIXTURE_S, _SHARED)


def pytest_collection_modifyitems(config, items):
    """Under mutmut (make mutation) run a mutant's tests cheapest first, fixtures counted, so that a
    killed mutant costs about the cheapest test that kills it (tests/mutation_order.py)."""
    if not _mutmut_phase() or _mutmut_phase() in MUTMUT_PHASES:
        return
    stats = Path("mutmut-stats.json")
    call_s = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {}) if stats.exists() else {}
    costs = mutation_order.load_costs(Path.cwd())
    by_id = {item.nodeid: item for item in items}
    tests = [mutation_order.TestCost(item.nodeid, call_s.get(item.nodeid, 0.0), _fixture_keys(item)) for item in items]
    items[:] = [by_id[test_id] for test_id in mutation_order.cheapest_first(tests, costs["fixture_s"], set(costs["shared"]))]


def _fixture_keys(item) -> tuple[str, ...]:
    keys = []
    for name in item.fixturenames:
        definitions = item._fixtureinfo.name2fixturedefs.get(name)
        if definitions:
            keys.append(mutation_order.fixture_key(definitions[-1].scope, item.nodeid, name))
    return tuple(keys)


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


def no_events(scenario) -> dict:
    """with_params entries that drop a scenario's events: for tests that shorten the horizon below
    the baseline's event years (2029-2034), which would otherwise be refused (issue 17)."""
    return {f"events.{name}": False for name in scenario.names("events")}


@pytest.fixture(scope="session")
def plotted_run(tmp_path_factory):
    """One run of the baseline with its plots (300 draws, through the CLI as a user types it), for the
    tests that look at plots or at the whole folder: (folder, what the console printed). Shared by the
    test files of a worker: read it, or copy it before changing anything. Elsewhere runs use --no-plots."""
    import contextlib
    import io

    folder = tmp_path_factory.mktemp("plotted") / "baseline"
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        assert main(["run", str(SCENARIOS / "baseline.toml"), "--draws", "300", "--out", str(folder)]) == 0
    return folder, text.getvalue()
