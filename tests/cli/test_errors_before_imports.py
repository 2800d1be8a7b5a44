"""A scenario file that is missing, unreadable or not TOML is reported before the model's imports
(issue 31): the message comes in a fraction of a second instead of after numpy, scipy, numba and
pandas load. Checked structurally, in a fresh interpreter: none of them is imported when the
message is printed; the timings themselves are in benchmarks/."""
import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "scipy", "numba", "pandas", "xarray", "matplotlib", "h5py")

PROBE = """
import json, sys
from simulator.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "heavy": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)


def probe(tmp_path, *argv):
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.parametrize("verb", ["run", "sensitivity", "flows", "validate", "params"])
def test_a_missing_scenario_file_is_reported_before_the_heavy_imports(tmp_path, verb):
    outcome, err = probe(tmp_path, verb, "missing.toml")
    assert outcome == {"code": 2, "heavy": []}, err
    assert "missing.toml: file not found" in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_every_unreadable_file_of_a_comparison_is_reported_at_once_before_the_imports(tmp_path):
    (tmp_path / "bad.toml").write_text("[scenario\nname = 1\n", encoding="utf-8")
    outcome, err = probe(tmp_path, "compare", "missing.toml", "bad.toml")
    assert outcome == {"code": 2, "heavy": []}, err
    assert "missing.toml: file not found" in err
    assert "bad.toml: line 1" in err and "invalid TOML" in err
    assert "2 problems found; nothing was run or written" in err


def test_a_parent_that_cannot_be_read_is_reported_with_the_other_problems_as_before(tmp_path):
    """A readable file whose parent is missing goes on to the full validation, which reports the
    parent with every other problem of the file (here an unknown key) at once."""
    (tmp_path / "child.toml").write_text('[scenario]\nname = "c"\nextends = "nowhere.toml"\ndraws = -1\n',
                                         encoding="utf-8")
    outcome, err = probe(tmp_path, "validate", "child.toml")
    assert outcome["code"] == 2
    assert "nowhere.toml" in err and "scenario.draws" in err


def test_a_wrong_event_name_is_reported_before_the_heavy_imports(tmp_path):
    from pathlib import Path

    from tests.conftest import SCENARIOS

    ijsim = str(Path(sys.executable).with_name("ijsim"))
    subprocess.run([ijsim, "run", str(SCENARIOS / "baseline.toml"), "--draws", "100", "--no-plots", "--quiet",
                    "--no-report", "--out", str(tmp_path / "run")], check=True, capture_output=True, timeout=300)
    outcome, err = probe(tmp_path, "discover", "run", "--event", "deficit_narower_2030")
    assert outcome == {"code": 2, "heavy": []}, err
    assert "no event 'deficit_narower_2030' in this run" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # nothing written
