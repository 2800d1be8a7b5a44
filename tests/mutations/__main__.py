"""python -m tests.mutations [name ...]: apply each mutation to a copy and confirm its tests fail."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import MUTATIONS, Mutation

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("simulator", "tests", "scenarios", "seeds", "pyproject.toml")


def mutated_copy(m: Mutation, into: Path) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, into / name)
    target = into / m.file
    text = target.read_text(encoding="utf-8")
    if text.count(m.old) != 1:
        raise SystemExit(f"{m.name}: the text to mutate occurs {text.count(m.old)} times in {m.file}; "
                         "update tests/mutations/__init__.py to the code as it is now")
    target.write_text(text.replace(m.old, m.new), encoding="utf-8")


def check(m: Mutation) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix=f"ijsim-mutation-{m.name}-") as tmp:
        mutated_copy(m, Path(tmp))
        env = dict(os.environ, PYTHONPATH=tmp, PYTHONDONTWRITEBYTECODE="1")
        env.pop("CI", None)
        probe = subprocess.run([sys.executable, "-c", "import simulator; print(simulator.__file__)"], cwd=tmp, env=env,
                               capture_output=True, text=True)
        if not probe.stdout.startswith(tmp):
            raise SystemExit(f"{m.name}: the copy is not the code imported ({probe.stdout.strip() or probe.stderr})")
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *m.tests],
                             cwd=tmp, env=env, capture_output=True, text=True)
    failed = re.findall(r"^FAILED (\S+)", run.stdout, flags=re.M)
    if run.returncode == 1 and failed:
        return True, failed[0]
    tail = run.stdout.strip().splitlines()[-1:] or run.stderr.strip().splitlines()[-1:]
    return False, f"pytest exit code {run.returncode}: {' '.join(tail)}"


def main(names: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not names or m.name in names]
    unknown = set(names) - {m.name for m in MUTATIONS}
    if unknown:
        print(f"unknown mutations {sorted(unknown)}; known: {[m.name for m in MUTATIONS]}", file=sys.stderr)
        return 2
    survived = 0
    for m in chosen:
        start = time.perf_counter()
        caught, detail = check(m)
        survived += not caught
        print(f"{'caught  ' if caught else 'SURVIVED'} {m.name:26} {time.perf_counter() - start:5.0f} s  "
              f"{m.what}: {detail}", flush=True)
    print(f"{len(chosen) - survived} of {len(chosen)} mutations caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
