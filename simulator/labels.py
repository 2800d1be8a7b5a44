"""How units, years and numbers are shown to people. Files keep the code names (`usd_bn`, `2030`);
tables, plots and reports use these.

Trade figures are Indian fiscal years (April to March) labelled by the year they start in, so the
trade year 2030 is shown as FY2030-31; the pledge and the people exchange run in calendar years.
"""
from __future__ import annotations

import math

# Which years are fiscal is a fact about the variables (simulator.variables); how they read is here too.
from simulator.variables import (FISCAL_YEAR_ATTRS, UNIT_LABELS, fiscal_year, is_fiscal,  # noqa: F401  (re-exported)
                                 unit_label, year_label)

def format_value(x: float, unit: str = "") -> str:
    """A number for a table: people as whole numbers; otherwise two decimals from 1 up and three
    significant digits below, so that a difference of 0.004 is not shown as 0.00. Never '-0'."""
    if x != x:  # NaN
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if unit == "people" or unit.startswith("people/"):
        text = f"{x:,.0f}"
    elif abs(x) >= 1:
        text = f"{x:,.2f}"
    elif x == 0:
        text = "0"
    else:
        text = f"{x:.3g}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def format_interval(low: float, high: float, unit: str = "") -> str:
    return f"{format_value(low, unit)} – {format_value(high, unit)}"


# Probabilities are shares of draws, shown in percent; their standard errors and differences are in
# percentage points, written "pp" in every table, console line and report (issue 32: the console
# printed "23% ± 0.4" with no unit while compare said "points" and the report "percentage points").
PERCENTAGE_POINTS = "pp"
PERCENTAGE_POINTS_NOTE = "pp: percentage points"


def format_probability(p: float, se: float | None = None) -> str:
    """0.23 -> '23%'; with its standard error 0.004 -> '23% ± 0.4 pp'."""
    if p != p:
        return "n/a"
    return f"{p:.0%}" if se is None else f"{p:.0%} ± {100 * se:.1f} {PERCENTAGE_POINTS}"


def format_probability_difference(difference: float, se: float) -> str:
    """A paired difference of two probabilities: 0.012, 0.003 -> '+1.2 ± 0.3 pp'."""
    if difference != difference:
        return "n/a"
    return f"{100 * difference:+.1f} ± {100 * se:.1f} {PERCENTAGE_POINTS}"


def with_fiscal_years(table):
    """A table with `variable` and `year` columns, with a `fiscal_year` column after `year`: the
    fiscal year a trade row's year stands for ('FY2030-31'), empty for calendar-year variables. For
    the CSV files, so that nobody reading them has to know the convention."""
    table = table.copy()
    labels = [fiscal_year(y) if is_fiscal(v) else "" for v, y in zip(table["variable"], table["year"])]
    table.insert(table.columns.get_loc("year") + 1, "fiscal_year", labels)
    return table
