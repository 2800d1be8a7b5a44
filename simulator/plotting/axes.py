"""Axes, units and text for figures: what every chart of the package shares.

Drawing functions take ``ax=None`` and return the axes: without one they open a pyplot figure
(`new_axes`), which Jupyter shows with the user's backend; figures for files are plain `Figure`
objects (`file_figure`), which need no display and never appear in a notebook.
"""
from __future__ import annotations

from matplotlib.figure import Figure

from simulator.variables import fiscal_year, unit_label


def axis_unit(unit: str) -> str:
    """A unit for an axis label: 'US$ bn (nominal)', 'people', ..."""
    return "US$ bn (nominal)" if unit == "usd_bn" else unit_label(unit)


def year_axis(ax, fiscal: bool = False) -> None:
    """Whole years on the x axis; trade years as the Indian fiscal years they are (FY2030-31)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6 if fiscal else "auto"))
    if fiscal:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda y, _: fiscal_year(round(y))))
    ax.set_xlabel("fiscal year (April-March)" if fiscal else "year")


def new_axes(figsize: tuple[float, float] = (7, 4.2)):
    """Axes on a new pyplot figure: shown by Jupyter, or by `plt.show()`, with the user's backend."""
    import matplotlib.pyplot as plt  # only when drawing for display

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def file_figure(figsize: tuple[float, float] = (7, 4.2)):
    """(figure, axes) for a file: not registered with pyplot, so no backend or display is involved."""
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def plain_text(text: str) -> str:
    """Scenario text shown verbatim: '$' would otherwise start matplotlib's math mode."""
    return text.replace("$", r"\$")
