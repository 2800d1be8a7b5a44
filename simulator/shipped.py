"""Where the data shipped with ijsim lives: the seed figures and the scenario files.

In a wheel they are copied into ``simulator/_shipped``; in a checkout (editable install) they are
the repository's top-level ``seeds/`` and ``scenarios/`` folders.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    for candidate in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ijsim installation is incomplete: no '{name}' folder next to {_PACKAGE}")


def seeds_dir() -> Path:
    return _locate("seeds")


def scenarios_dir() -> Path:
    return _locate("scenarios")


def shipped_scenarios() -> list[Path]:
    return sorted(scenarios_dir().glob("*.toml"))


def looks_like_a_path(text: str) -> bool:
    """'scenarios/x.toml', 'x.toml', './x': a path; 'baseline': perhaps the name of a shipped scenario."""
    return "/" in text or "\\" in text or text.endswith(".toml") or text.startswith(".")


def shipped_scenario(name: str) -> Path | None:
    """The shipped scenario file called `name` (`ijsim run baseline`), or None."""
    path = scenarios_dir() / f"{name}.toml"
    return path if path in shipped_scenarios() else None
