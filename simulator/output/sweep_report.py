"""What people read of a sweep: the console table and the report's body, from the same numbers
(sweep.csv and regret.csv): per shown variable and headline year, each combination's median and
90% interval, its mean regret and the share of draws in which it is best.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from simulator.errors import safe
from simulator.montecarlo.summaries import headline_years
from simulator.variables import VARIABLES
from simulator.output.folders import verified
from simulator.labels import format_interval, format_value, unit_label, year_label

REGRET_NOTE = ("Regret: in each draw, how far the combination falls short of the best combination in that draw "
               "(best = highest, or lowest where stated), averaged over the draws; best in: the share of draws "
               "in which it is the best. Common random numbers: every combination sees the same draws.")


def sweep_rows(table: pd.DataFrame, regret: pd.DataFrame, variable: str, levers: list[str]) -> list[list]:
    """[each lever's value, year, median, 90% interval, mean regret, best in] for each headline year
    and combination (in the combinations' order) of one variable; `levers`: the lever keys,
    columns of sweep.csv."""
    years = headline_years(sorted(table.year.unique()))
    stats = table[table.variable == variable]
    regrets = regret[regret.variable == variable].set_index(["year", "combination"])
    rows = []
    for year in years:
        for s in stats[stats.year == year].to_dict("records"):  # lever keys have dots: no itertuples
            name = s["combination"]
            cells = [*[s[k] for k in levers], year_label(variable, year), format_value(s["p50"], s["unit"]),
                     format_interval(s["p05"], s["p95"], s["unit"])]
            if (year, name) in regrets.index:
                r = regrets.loc[(year, name)]
                cells += [format_value(r.regret_mean, s["unit"]), f"{r.p_best:.0%}"]
            else:
                cells += ["—", "—"]
            rows.append(cells)
    return rows


def variable_title(variable: str, regret: pd.DataFrame) -> str:
    """'India's exports to the US (US$ bn); regret: best is highest'."""
    best = regret[regret.variable == variable].best
    which = ("; regret against the lowest in each draw" if len(best) and best.iloc[0] == "lower" else
             "; regret against the highest in each draw" if len(best) else "")
    return f"{VARIABLES[variable].label} ({unit_label(VARIABLES[variable].unit)}){which}"


def columns(names: list[str]) -> list[str]:
    return [*names, "year", "median", "90% interval", "mean regret", "best in"]


def print_sweep(sweep, table: pd.DataFrame, regret: pd.DataFrame, show: list[str], console: Console) -> None:
    s = sweep.comparison.reference.scenario
    console.print(safe(f"Sweep of {sweep.base.title}: {len(sweep.values)} combinations on the same "
                       f"{s.draws:,} draws (seed {s.seed})"))
    for lever in sweep.settings:
        console.print(safe(f"  {lever.name} ({lever.key})" + (f", from {lever.from_year}" if lever.from_year else "")
                           + ": " + ", ".join(map(str, lever.values))))
    keys = [lever.key for lever in sweep.settings]
    for variable in show:
        out = Table(title=safe(variable_title(variable, regret)), title_justify="left")
        for col in columns([lever.name for lever in sweep.settings]):
            out.add_column(safe(col), justify="right", overflow="fold")
        for row in sweep_rows(table, regret, variable, keys):
            out.add_row(*[safe(str(c)) for c in row])
        console.print(out)
    console.print(REGRET_NOTE)


def sweep_plots(manifest: dict) -> list[tuple[str, str]]:
    """(file stem, caption) of a sweep's plots, in the order of --show."""
    return [(f"sweep_{v}", f"{VARIABLES[v].label}: each combination's median and 90% band")
            for v in manifest.get("show", []) if v in VARIABLES]


def sweep_body(folder: Path, manifest: dict, table) -> str:
    """The levers and combinations, the shown variables per combination with regret, the events."""
    combos = manifest.get("combinations", [])
    labels = {c["combination"]: c["label"] for c in combos}
    levers = [[lv["name"], lv["key"], lv.get("from_year") or "whole horizon", ", ".join(map(str, lv["values"]))]
              for lv in manifest.get("levers", [])]
    sweep_table = pd.read_csv(verified(folder, manifest, "sweep.csv"))
    regret = pd.read_csv(verified(folder, manifest, "regret.csv"))
    keys = [lv["key"] for lv in manifest.get("levers", [])]
    names = [lv["name"] for lv in manifest.get("levers", [])]
    outputs = "".join(f"<h3>{escape(variable_title(v, regret))}</h3>"
                      + table(columns(names), sweep_rows(sweep_table, regret, v, keys),
                              set(range(len(keys))) | set(range(len(keys) + 1, len(keys) + 6)))
                      for v in manifest.get("show", []) if v in VARIABLES)
    events = pd.read_csv(verified(folder, manifest, "sweep_events.csv"))
    names = list(labels)
    wide = events.pivot_table(index=["event", "title", "year"], columns="combination", values="probability",
                              sort=False)
    definitions = manifest.get("events", {}) if isinstance(manifest.get("events"), dict) else {}

    def when(event: str, year) -> str:
        d = definitions.get(event, {})
        return f"{'by ' if 'by' in d else ''}{year_label(d.get('variable', ''), int(year))}"
    event_rows = [[title, when(e, year), *[f"{wide.loc[(e, title, year), n]:.0%}" if n in wide.columns else "—" for n in names]]
                  for e, title, year in wide.index]
    return (f"<p class=\"desc\">{escape((manifest.get('description') or '').strip())}</p>"
            "<h2>Levers swept</h2>" + table(["lever", "key", "values from", "values"], levers)
            + f"<p class=\"small\">{len(combos)} combinations, each run on the same {manifest.get('draws', 0):,} "
              "draws (common random numbers); each combination's scenario file is in scenarios/.</p>"
            + "<h2>What each combination gives</h2>" + outputs
            + f"<p class=\"small\">{escape(REGRET_NOTE)}</p>"
            + "<h2>Events: how likely under each combination</h2>"
            + table(["event", "year", *[labels[n] for n in names]], event_rows, set(range(1, len(names) + 2))))
