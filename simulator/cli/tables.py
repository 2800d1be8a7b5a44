"""Tables of `ijsim list`, `params` and `variables` that fit the terminal: cells wrap at spaces,
names that are there to be copied (file names, parameter keys) are never split, and nothing is cut.

Issue 32: at 80 columns `ijsim list` split "capacity-expansio / n.toml", and `ijsim params` cut
yearly paths with an ellipsis even at 220 columns. When the columns that must stay whole leave the
others too little room, each row is printed as a record instead: its first cell on a line, then one
indented "column: value" line per other cell, wrapped at spaces.
"""
from __future__ import annotations

import textwrap

from rich.table import Table

from simulator.errors import printable, safe

# The narrowest a wrapping column may get before the table becomes records: a few words a line.
MIN_WRAPPED_WIDTH = 12
LONGEST_KEPT_WORD = 40


def _shown(cell) -> str:
    """A cell as printed: control characters escaped (a title's ESC is four characters, not one)."""
    return safe(str(cell))


def _whole_widths(columns: list[str], rows: list[list[str]], whole: tuple[str, ...]) -> dict[str, int]:
    """The width each whole column needs: its longest cell or its header."""
    return {col: max([len(col), *(len(_shown(row[i])) for row in rows)]) for i, col in enumerate(columns) if col in whole}


def _wrapped_needs(columns, rows, whole) -> dict[str, tuple[int, int]]:
    """(narrowest without splitting a word, widest cell) of each column that wraps."""
    needs = {}
    for i, col in enumerate(columns):
        if col in whole:
            continue
        cells = [_shown(row[i]) for row in rows] + [col]
        longest_word = max(len(word) for cell in cells for word in (cell.split() or [""]))
        # a word longer than LONGEST_KEPT_WORD (a web address in a value) may be folded onto lines
        needs[col] = (max(min(longest_word, LONGEST_KEPT_WORD), min(MIN_WRAPPED_WIDTH, max(map(len, cells)))),
                      max(map(len, cells)))
    return needs


def column_widths(columns: list[str], rows: list[list[str]], whole: tuple[str, ...], width: int) -> dict[str, int] | None:
    """Each column's width, or None when the table cannot fit `width` without splitting a word.

    Whole columns get their longest cell; the others share what is left: a column whose widest
    cell fits its share gets just that, and the rest divide the remainder (never below their
    longest word)."""
    widths = _whole_widths(columns, rows, whole)
    needs = _wrapped_needs(columns, rows, whole)
    available = width - sum(widths.values()) - 2 * len(columns) - 2  # rich pads each cell by one a side
    if sum(low for low, _ in needs.values()) > available:
        return None
    left = dict(needs)
    while left:
        share = available // len(left)
        # first the columns that need no more than a share, then those that need more (their
        # longest word), then the rest divide what is left
        settled = ({col: widest for col, (_, widest) in left.items() if widest <= share}
                   or {col: low for col, (low, _) in left.items() if low >= share})
        if not settled:
            for col in left:
                widths[col] = share
            break
        for col, chosen in settled.items():
            widths[col] = chosen
            available -= chosen
            del left[col]
    return widths


def table_of(columns: list[str], rows: list[list[str]], widths: dict[str, int], whole: tuple[str, ...]) -> Table:
    table = Table(show_edge=False, box=None)
    for col in columns:
        # a whole column never wraps; the others wrap at spaces (fold only a word wider than its column)
        table.add_column(col, no_wrap=col in whole, overflow="fold", width=widths[col])
    for row in rows:
        table.add_row(*[_shown(c) for c in row])
    return table


def records(columns: list[str], rows: list[list[str]], width: int) -> str:
    """Each row as a record: the first cell, then "column: value" lines wrapped at spaces. A value
    whose first word does not fit after its column's name starts on the next line; only a word longer
    than a whole line (a web address) is broken."""
    width = max(width, 40)
    lines = []
    for row in rows:
        lines.append(printable(str(row[0])))
        for col, cell in zip(columns[1:], row[1:]):
            words = printable(str(cell)).split()
            if not words:
                continue
            prefix, indent = f"  {col}: ", "    "
            if len(prefix) + len(words[0]) > width:
                lines.append(prefix.rstrip())
                prefix = indent
            lines += textwrap.wrap(" ".join(words), width=width, initial_indent=prefix, subsequent_indent=indent,
                                   break_long_words=any(len(w) > width - len(indent) for w in words),
                                   break_on_hyphens=False)
    return "\n".join(lines)


def print_rows(columns: list[str], rows: list[list[str]], as_csv: bool, whole: tuple[str, ...] = ()) -> None:
    """A table for people (records when it cannot fit), or CSV for spreadsheets and scripts. The
    first column and the columns in `whole` are never split."""
    from simulator.cli.options import out

    if as_csv:
        import csv
        import sys

        # Control characters escaped as in every message (a title's ESC[2J would clear the screen of
        # whoever looks at the output), which also keeps one record per line.
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.replace(" ", "_") for c in columns])
        writer.writerows([printable(str(c)) for c in row] for row in rows)
        return
    whole = (columns[0], *whole)
    widths = column_widths(columns, rows, whole, out.width)
    if widths is not None:
        out.print(table_of(columns, rows, widths, whole))
    else:
        out.print(records(columns, rows, out.width), markup=False, highlight=False)
