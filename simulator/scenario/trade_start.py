"""`trade.start = "history"`: the projection starts from the newest observed year.

The base year's figures (the source article's FY2023-24) stay the reference that balances are
compared with; the projection itself starts from the newest year in the history: a whole year's
value, or, where only the first months of the year are published, the nowcast of the whole year
(`simulator.history.nowcast`: a lognormal, drawn in every run). Resolved when the scenario is
built, so adding a newer figure to ``seeds/history`` moves every scenario that starts from it,
with no change to any file of code or scenario; the run's manifest names the history file and
the page of the value the start came from.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from simulator.errors import Problem
from simulator.history.files import SERIES_FILE, read_series_csv, read_series_toml
from simulator.history.nowcast import Nowcast, latest_start
from simulator.scenario.loader import LoadedDocument, display
from simulator.scenario.values import Fixed, parse_distribution

FLOWS = {"exports_india_to_japan": "trade.start_exports_india_to_japan_usd_bn",
         "exports_japan_to_india": "trade.start_exports_japan_to_india_usd_bn"}


def fiscal_label(year: int) -> str:
    return f"FY{year}-{(year + 1) % 100:02d}"


def resolve_start(loaded: LoadedDocument, params: dict[str, Any], base_year: int, horizon_start: int,
                  explicit=frozenset()) -> list[Problem]:
    """Fill `trade.start_year` and the two start values from the history (a value set in `explicit`,
    the scenario's own figure for that year, stays); record where they came from in
    `loaded.origins` (the manifest's "from"). Returns the problems."""
    from simulator.history.files import history_dir

    scenario_file = display(loaded.path)
    folder_text = params.get("trade.history") or ""
    folder = (loaded.path.parent / folder_text) if folder_text else history_dir()
    starts, problems = _starts(str(folder))
    if problems:
        where = f"the history {folder_text!r}" if folder_text else "the shipped history"
        return [Problem(scenario_file, "trade.start", f"cannot read {where}: {len(problems)} problem(s) follow"),
                *problems]
    years = {name: start[0] for name, start in starts.items()}
    if len(set(years.values())) > 1:
        listed = ", ".join(f"{name} {fiscal_label(y)}" for name, y in years.items())
        return [Problem(scenario_file, "trade.start", f"the two flows' newest years differ ({listed}); the start "
                                                      "needs both in the same year")]
    year = next(iter(years.values()))
    if not base_year <= year < horizon_start:
        return [Problem(scenario_file, "trade.start", f"the history's newest year, {fiscal_label(year)}, must lie "
                                                      f"between the base year ({base_year}) and the horizon's start "
                                                      f"({horizon_start})")]
    params["trade.start_year"] = year
    for name, (_, value, _csv, _period) in starts.items():
        if FLOWS[name] in explicit:  # a user's own figure for the start year replaces the history's
            continue
        if isinstance(value, Nowcast):
            dist, errors = parse_distribution({"dist": "lognormal", "median": value.median, "sigma": value.log_sd})
            assert dist is not None, errors  # a nowcast's median and spread are positive and finite
            params[FLOWS[name]] = dist
            # short: it is the "set by" of reports and `ijsim params`; `ijsim history` gives the page
            loaded.origins[FLOWS[name]] = "history: nowcast"
        else:
            params[FLOWS[name]] = Fixed(float(value))
            loaded.origins[FLOWS[name]] = "history"
    loaded.origins["trade.start_year"] = "history"
    return []


@functools.lru_cache(maxsize=16)
def _cached_starts(folder: str, stamps: tuple) -> tuple[dict, tuple[Problem, ...]]:
    starts, problems = {}, []
    metadata, meta_problems = read_series_toml(Path(folder) / SERIES_FILE)
    if metadata is None:
        return {}, tuple(meta_problems)
    for name in FLOWS:
        if name not in metadata:
            problems.append(Problem(display(Path(folder) / SERIES_FILE), f"series.{name}", "missing: a start "
                                    "from the history needs both trade flows"))
            continue
        csv = Path(folder) / f"{name}.csv"
        rows, csv_problems = read_series_csv(csv, metadata[name]["unit"])
        if rows is None:
            problems += csv_problems
            continue
        try:
            year, value = latest_start(rows)
        except ValueError as exc:
            problems.append(Problem(display(csv), "", f"{name}: {exc}"))
            continue
        starts[name] = (year, value, display(csv), metadata[name]["period"])
    return starts, tuple(problems)


def _starts(folder: str) -> tuple[dict, list[Problem]]:
    """Each flow's (year, value or Nowcast, CSV as shown, period), read without pandas (checking a
    scenario stays light) and remembered while the files are unchanged: a sensitivity analysis
    rebuilds the scenario hundreds of times."""
    stamps = []
    for name in (SERIES_FILE, *(f"{f}.csv" for f in FLOWS)):
        try:
            st = (Path(folder) / name).stat()
            stamps.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append((name, None, None))
    starts, problems = _cached_starts(folder, tuple(stamps))
    return starts, list(problems)
