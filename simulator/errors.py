"""Errors a user can cause, kept apart from bugs.

A scenario file is checked completely before anything runs; every problem found becomes one
:class:`Problem` (file, key path, what is wrong and what is allowed), and all of them travel
together in one :class:`ScenarioError` so the user can fix the file in one go.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one key of one file."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return printable(f"{where}: {self.message}")


def printable(text: str) -> str:
    """Control characters (a key can hold any) shown escaped, so one problem stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def safe(text: str) -> str:
    """Text from a file or the command line for the console (rich): no markup, control characters
    escaped (a title can hold a newline or an ANSI escape sequence)."""
    from rich.markup import escape  # here, not at the top: the core imports this module without rich

    return escape(printable(text))


class UserError(Exception):
    """Bad input or usage: reported without a traceback, exit code 2."""


class ScenarioError(UserError, ValueError):
    """One or more problems in a scenario file (or its `extends` chain).

    A `ValueError` too, so that code catching bad values catches bad scenarios. `problems` holds
    every problem found, each a :class:`Problem` naming the file and the key.
    """

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("ScenarioError needs at least one problem")
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found")
        return "\n".join(lines)


class OutputExistsError(UserError):
    """The output folder exists and the user did not ask to replace it."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"{path}: output folder already exists; choose another --out or pass --force to replace it"
        )
