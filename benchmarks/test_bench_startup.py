"""How long the quick commands take, start to finish, as a user types them: a fresh process for
`ijsim --help` and for `ijsim validate` of the baseline and a child scenario. What they import is
guarded in tests/e2e/test_library_manners.py; this measures the time it costs."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IJSIM = str(Path(sys.executable).with_name("ijsim"))
COMMANDS = {
    "help": [IJSIM, "--help"],
    "validate": [IJSIM, "validate", str(ROOT / "scenarios" / "baseline.toml"),
                 str(ROOT / "scenarios" / "us-tariffs-persist.toml")],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_quick_command(benchmark, name):
    def once():
        subprocess.run(COMMANDS[name], check=True, capture_output=True)
    benchmark.pedantic(once, rounds=15, iterations=1, warmup_rounds=2)
