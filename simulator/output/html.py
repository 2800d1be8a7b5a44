"""HTML building blocks of the reports: escaped tables, breakable names, the run's figures inlined.

Public so that every report body (runs, comparisons, backtests, sensitivity, discovery) uses the
same escaping: text from a scenario file never reaches the page unescaped.
"""
from __future__ import annotations

import base64
from html import escape
from pathlib import Path


class Html(str):
    """Text already escaped, with markup of our own (never text from a scenario file unescaped)."""


def breakable(name: str) -> Html:
    """A dotted name that may break after its dots (and nowhere else) in a narrow column."""
    return Html(escape(name).replace(".", ".<wbr>"))


def table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), css_class: str = "") -> str:
    def cell(c) -> str:
        return c if isinstance(c, Html) else escape(str(c))
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td class=\"n\">{cell(c)}</td>" if i in numeric
                                    else f"<td>{cell(c)}</td>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figures(folder: Path, manifest: dict) -> str:
    """The plots in reading order, each captioned by what it shows (report_sections)."""
    from simulator.output.report_sections import ordered_figures

    parts = []
    for png, caption in ordered_figures(folder, manifest):
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{escape(caption)}">'
                     f'<figcaption class="small">{escape(caption)}</figcaption></figure>')
    return "".join(parts) or "<p class=\"small\">No plots in this folder (run without --no-plots).</p>"
