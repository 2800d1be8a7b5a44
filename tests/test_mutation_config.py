"""mutmut's exclusions live in pyproject.toml ([tool.mutmut] do_not_mutate_patterns), not in the code:
each pattern written for one statement must still match exactly that one line, or an edit to the line
would silently bring back the mutants it excludes (mutmut matches patterns line by line)."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_each_single_statement_exclusion_matches_exactly_one_line():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    lines = [(path, line) for path in sorted((ROOT / "simulator").rglob("*.py"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    general = {"^\\s*raise "}  # every line that only raises
    for pattern in config["do_not_mutate_patterns"]:
        hits = [f"{path.relative_to(ROOT)}: {line.strip()}" for path, line in lines if re.search(pattern, line)]
        if pattern in general or "np\\.asarray" in pattern:
            assert hits, f"{pattern!r} matches no line"
        else:
            assert len(hits) == 1, f"{pattern!r} should match one statement, matches {hits or 'none'}"


def test_no_mutation_pragmas_in_the_code():
    marked = [str(p.relative_to(ROOT)) for p in (ROOT / "simulator").rglob("*.py")
              if "pragma: no mutate" in p.read_text(encoding="utf-8")]
    assert marked == [], "keep mutation exclusions in [tool.mutmut] do_not_mutate_patterns (pyproject.toml)"
