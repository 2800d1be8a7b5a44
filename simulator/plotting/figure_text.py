"""Text in figures that fits: wrapped labels and legends outside the data.

Issue 32 found sensitivity charts giving half their width to one-line labels, a legend over the
top bars and a title cut at the figure's edge. Every figure of ijsim wraps its long labels and
titles here and puts its legend beside the axes, never over what they show; the figure's
constrained layout then makes room for both (tests/output/test_figures_readable.py checks every
default figure for text outside the canvas and legends over the data).
"""
from __future__ import annotations

import textwrap

# Characters per line: tick labels of ranked inputs, legend entries, titles of a 7-9 inch figure.
LABEL_WIDTH = 34
LEGEND_WIDTH = 30
TITLE_WIDTH = 70


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """`text` in lines of at most `width` characters, words kept whole (a file name is one word)."""
    return "\n".join(textwrap.fill(part, width, break_long_words=False, break_on_hyphens=False)
                     for part in str(text).split("\n"))


def outside_legend(ax, handles=None, labels=None, *, fontsize: float = 8, width: int = LEGEND_WIDTH, **kwargs):
    """The axes' legend to the right of them, outside the data, its entries wrapped.

    With ``layout="constrained"`` (every ijsim figure) the axes shrink to make room for it."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    return ax.legend(handles, [wrap(label, width) for label in labels], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                     borderaxespad=0.0, fontsize=fontsize, frameon=False, **kwargs)
