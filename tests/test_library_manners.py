"""Library manners (docs/DESIGN §7): importing ijsim changes nothing global, and costs little.

Each check runs in a fresh interpreter, since what is imported and which matplotlib backend is
active are process-wide.
"""
import subprocess
import sys
import textwrap

from .conftest import SCENARIOS


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
    assert int(files) > 0 and (tmp_path / "plots" / "trade.balance.png").stat().st_size > 1000
