"""python -m tests.mutation_score: the score of the last `make mutation`, per module, from mutants/.

Score = (killed + timed out) / (mutants run - those judged equivalent), the target being at least 95% in
every module (issue 34);
mutants not run yet (a stopped run) are counted apart, in the column "unrun".
Mutants judged equivalent (no test can tell them from the original: same numbers, same files) are
listed with the reason in tests/mutation_equivalent.txt, one per line: `<mutant name>  # <why>`;
docs/testing.md summarises them. Survivors not in that list are printed, so they can be killed or judged.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")
TARGET = 0.95  # of the non-equivalent mutants run, in every module
# mutmut's exit-code meanings (mutmut.stats.status_by_exit_code)
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", None: "not checked"}


def equivalent() -> dict[str, str]:
    out = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            name, _, why = line.partition("#")
            if name.strip():
                out[name.strip()] = why.strip()
    return out


def results() -> dict[str, tuple[str, str]]:
    """mutant name -> (module, status)."""
    out = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        module = meta.relative_to(MUTANTS).as_posix()[:-len(".meta")]
        for name, code in json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {}).items():
            out[name] = (module, STATUS.get(code, "suspicious"))
    return out


def main() -> int:
    found = results()
    if not found:
        print("no mutation results: run `make mutation` first", file=sys.stderr)
        return 2
    judged = equivalent()
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for name, (module, status) in found.items():
        if status == "survived" and name in judged:
            status = "equivalent"
        by_module[module][status] += 1
        if status in ("survived", "no tests", "suspicious"):
            survivors.append(f"{status:11} {name}")
    total = Counter()
    print(f"{'module':32} {'mutants':>7} {'killed':>7} {'timeout':>7} {'equiv.':>7} {'survived':>8} {'no tests':>8} "
          f"{'unrun':>6}  score (of those run)")
    for module, c in sorted(by_module.items()):
        total.update(c)
        print(_row(module, c))
    print(_row("all", total))
    stale = sorted(set(judged) - {n for n, (_, s) in found.items() if s == "survived"})
    if stale:
        print(f"\n{len(stale)} entries of {EQUIVALENT.name} are no longer survivors (killed now, or renamed):")
        print("\n".join(f"  {n}" for n in stale))
    if survivors:
        print(f"\n{len(survivors)} mutants neither killed nor judged equivalent:")
        print("\n".join(f"  {s}" for s in sorted(survivors)))
    low = [m for m, c in by_module.items() if _score(c) < TARGET]
    if low:
        print(f"\nbelow {TARGET:.0%}: {', '.join(sorted(low))}")
    return 1 if low else 0


def _score(c: Counter) -> float:
    considered = sum(c.values()) - c["equivalent"] - c["skipped"] - c["not checked"]
    return (c["killed"] + c["timeout"]) / considered if considered else 1.0


def _row(module: str, c: Counter) -> str:
    return (f"{module:32} {sum(c.values()):7} {c['killed']:7} {c['timeout']:7} {c['equivalent']:7} "
            f"{c['survived']:8} {c['no tests']:8} {c['not checked']:6}  {_score(c):.1%}")


if __name__ == "__main__":
    sys.exit(main())
