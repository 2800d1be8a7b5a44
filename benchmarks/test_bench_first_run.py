"""The first `ijsim run baseline` on a fresh clone after `make setup` (what `make run` does) against
the second (issue 31: at most 1.5 times as long): set-up compiles the numba kernels into their cache
(Makefile, COMPILE_KERNELS), so a user's first run does not spend its first seconds compiling.

Each round clones the repository, sets it up (pip's cache makes the install quick after the first),
then times the two runs back to back. The ratio is within one round, so it holds whatever the
machine's speed that day; the times themselves are reported, never asserted. Slow (a set-up per
round): `make bench` runs it, `make test` does not."""
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make")
def test_first_run_after_setup_is_close_to_the_second(benchmark, tmp_path):
    rounds = []

    def one_round():
        clone = tmp_path / f"clone{len(rounds)}"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        subprocess.run(["make", "-s", "setup"], cwd=clone, check=True, capture_output=True)
        ijsim = str(clone / ".venv" / "bin" / "ijsim")
        command = [ijsim, "run", "baseline", "--out", "results/b", "--force", "--quiet"]
        first, second = _timed(command, clone), _timed(command, clone)
        rounds.append((first, second))
        shutil.rmtree(clone)
        return first / second

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    ratios = sorted(first / second for first, second in rounds)
    benchmark.extra_info.update(first_s=[round(f, 2) for f, _ in rounds], second_s=[round(s, 2) for _, s in rounds],
                                median_ratio=round(ratios[len(ratios) // 2], 2))
    assert ratios[len(ratios) // 2] <= 1.5, rounds
