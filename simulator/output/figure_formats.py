"""Which file formats the figures are written in: PNG, and SVG as well when asked (`--svg`,
`save_results(..., svg=True)`).

PNG alone by default (issue 31): the report embeds the PNGs, and writing every figure a second
time as SVG took about a third of a run's plotting. SVG is for print and for editing. A light
module (no matplotlib), so the command line can set it before anything heavy is imported; the
drawing processes are forked and inherit it.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

PNG_ONLY = ("png",)
WITH_SVG = ("png", "svg")

_formats = PNG_ONLY


def current() -> tuple[str, ...]:
    """The formats figures are written in now."""
    return _formats


@contextmanager
def figure_formats(svg: bool) -> Iterator[tuple[str, ...]]:
    """Write figures as PNG, and as SVG too if `svg`, inside the block."""
    global _formats
    previous, _formats = _formats, (WITH_SVG if svg else PNG_ONLY)
    try:
        yield _formats
    finally:
        _formats = previous
