"""Which output variables the console, plots and report show (`--show`), and the order a comparison
shows them in: by the size of their paired effect, the unchanged ones left to one line.

By default a run and a comparison show the headline variables (`ijsim variables` marks them);
`--show trade.exports_india_to_us,trade.balance` shows those instead, in that order, whatever
they are. A comparison then orders what it shows by effect size (`effect_order`): the largest
median paired difference over the headline years (2030 and the final year), in units of the
reference's 90% interval width in the same year, so that US$ bn and people compare. A variable
that no draw changes in any year is "unchanged in every draw" and gets no rows or plots of its own.
"""
from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulator.errors import UserError
from simulator.variables import VARIABLES

if TYPE_CHECKING:
    from simulator.montecarlo.comparison import Comparison

# Whole variables (draw x year): a variable with a third dimension (sector, stream, stage) has
# several series and is read from summary.csv or the ensemble, not shown as one chart.
SHOWABLE = tuple(name for name, info in VARIABLES.items() if info.extra_dim is None)


def default_shown() -> list[str]:
    """The headline variables, in the order of `ijsim variables`."""
    return [name for name in SHOWABLE if VARIABLES[name].headline]


def parse_show(text: str | None) -> list[str] | None:
    """'a,b' -> ['a', 'b'] (repeats dropped, order kept); None if not given. An unknown name raises
    UserError with a did-you-mean; an empty list too."""
    if text is None:
        return None
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise UserError("--show: name at least one variable, e.g. --show trade.exports_india_to_us")
    for name in names:
        if name in SHOWABLE:
            continue
        if name in VARIABLES:
            raise UserError(f"--show: {name!r} has one series per {VARIABLES[name].extra_dim}; it is in summary.csv "
                            "(one row per entry), but --show takes variables with one series")
        close = difflib.get_close_matches(name, SHOWABLE, n=1)
        raise UserError(f"--show: unknown variable {name!r}"
                        + (f"; did you mean {close[0]!r}?" if close else "; `ijsim variables` lists them"))
    return names


def check_present(names: list[str], variables: list[str], source: str) -> None:
    """Refuse a shown variable the run did not compute (an exchange variable without an exchange)."""
    missing = [n for n in names if n not in variables]
    if missing:
        raise UserError(f"{source}: --show: {', '.join(missing)} not computed in this scenario; nothing was written")


def effect_order(comparison: "Comparison", table: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """`variables` ordered by the size of their paired effect, largest first: one row per variable
    with `effect` (the largest |median paired difference| over the headline years and scenarios, in
    units of the reference's 90% interval width that year; the reference's |median| where that width
    is 0) and `changed` (some draw differs from the reference in some year, in some scenario).
    Unchanged variables come last, in the order given. `table`: the comparison's `table()`."""
    from simulator.montecarlo.summaries import headline_years

    years = headline_years(comparison.reference.dataset["year"].values)
    rows = []
    for position, name in enumerate(variables):
        changed = any(bool((comparison.difference(name, other) != 0).any()) for other in comparison.names[1:])
        part = table[(table.variable == name) & table.year.isin(years)]
        reference = part[part.scenario == comparison.names[0]].set_index("year")
        others = part[part.scenario != comparison.names[0]]
        effect = 0.0
        for row in others.itertuples():
            ref = reference.loc[row.year]
            scale = ref.p95 - ref.p05 if ref.p95 > ref.p05 else abs(ref.p50)
            size = abs(row.diff_p50) / scale if scale > 0 else abs(row.diff_p50)
            effect = max(effect, float(size))
        rows.append({"variable": name, "effect": effect, "changed": changed, "position": position})
    frame = pd.DataFrame(rows, columns=["variable", "effect", "changed", "position"])
    # changed first; among them the largest effect first; ties and the unchanged in the order given
    frame = frame.assign(_key=np.where(frame.changed, -frame.effect, np.inf))
    return frame.sort_values(["_key", "position"], kind="stable").drop(columns=["_key", "position"]) \
        .reset_index(drop=True)


def shown_differences(comparison: "Comparison", table: pd.DataFrame, order: pd.DataFrame) -> pd.DataFrame:
    """The paired differences of the variables in `order` (effect_order's rows) in the headline years,
    in that order: the columns of `Comparison.headline`, what headline_differences.csv holds."""
    from simulator.montecarlo.summaries import headline_years

    years = headline_years(comparison.reference.dataset["year"].values)
    rank = {name: i for i, name in enumerate(order.variable)}
    rows = table[table.variable.isin(rank) & table.year.isin(years) & (table.scenario != comparison.names[0])]
    scenarios = {name: i for i, name in enumerate(comparison.names)}
    rows = rows.assign(_rank=rows.variable.map(rank), _s=rows.scenario.map(scenarios)) \
        .sort_values(["_s", "_rank", "year"], kind="stable")
    return rows[["variable", "unit", "year", "scenario", "diff_p50", "diff_p05", "diff_p95", "p_greater"]] \
        .reset_index(drop=True)
