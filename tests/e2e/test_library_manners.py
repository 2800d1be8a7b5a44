"""Library manners (docs/DESIGN §7): importing ijsim changes nothing global, and costs little.

Each check runs in a fresh interpreter, since what is imported and which matplotlib backend is
active are process-wide.
"""
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import SCENARIOS


def _python(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_importing_and_writing_plots_keeps_the_users_backend(tmp_path):
    done = _python(f"""
        import matplotlib
        matplotlib.use("svg")  # the user's choice, e.g. Jupyter's inline backend
        import matplotlib.pyplot as plt
        from pathlib import Path

        import simulator
        import simulator.output.compare_files, simulator.output.flows_files, simulator.output.plots
        import simulator.output.report, simulator.output.sensitivity_files
        from simulator.output.plots import write_fan_charts

        result = simulator.run(simulator.load_scenario({str(SCENARIOS / "baseline.toml")!r}), draws=20, seed=1)
        written = write_fan_charts(result, Path("plots"))
        print(matplotlib.get_backend(), len(plt.get_fignums()), len(written))
        """, tmp_path)
    assert done.returncode == 0, done.stderr
    backend, open_figures, files = done.stdout.split()
    assert backend == "svg"
    assert open_figures == "0"  # figures written to files are not left in pyplot (nor shown in a notebook)
    assert int(files) > 0 and (tmp_path / "plots" / "trade.png").stat().st_size > 1000


HEAVY = {"numba", "scipy", "pandas"}  # what the quick commands must not import (DESIGN §7)


def _imported(args: list[str], cwd) -> set[str]:
    """Top-level packages a command imports, from `python -X importtime` (the command really runs)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "simulator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    names = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert len(names) > 50, "python -X importtime printed no imports"  # the check itself works
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [["--help"], ["validate", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "us-tariffs-persist.toml")],
                                  ["run", "--help"], ["list"], ["variables"], ["params", "baseline"], ["schema"]],
                         ids=lambda a: " ".join(a)[:30])
def test_quick_commands_do_not_import_the_numerical_stack(args, tmp_path):
    assert not _imported(args, tmp_path) & HEAVY


def test_import_simulator_is_light_and_a_run_still_finds_everything(tmp_path):
    done = _python("""
        import sys
        import simulator
        heavy = sorted({m.split(".")[0] for m in sys.modules} & {"numba", "scipy", "pandas", "numpy", "matplotlib"})
        print(heavy)
        print(sorted(n for n in simulator.__all__ if not hasattr(simulator, n)))
        """, tmp_path)
    assert done.returncode == 0, done.stderr
    heavy, missing = done.stdout.splitlines()
    assert heavy == "[]" and missing == "[]"


def test_the_guard_sees_a_heavy_import(tmp_path):
    # The guard above must be able to fail: a command that does import them is caught.
    assert {"numba", "scipy", "pandas"} <= _imported(["run", str(SCENARIOS / "baseline.toml"), "--draws", "5",
                                                      "--no-plots", "--quiet", "--out", "o"], tmp_path)
