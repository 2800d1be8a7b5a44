"""Historical series with provenance: what calibration and backtests are fitted to and scored on.

The shipped series live in ``seeds/history/`` (``series.toml`` for what each series is, one CSV
per series for its values, each value with the page that states it). ``load_history`` reads and
checks them, or a user's folder or single CSV, and raises one :class:`ScenarioError` listing every
problem. Unverified values are kept in the table but left out of :meth:`Series.values` by default,
so nothing unconfirmed reaches a fit unless asked for. Layout and sources: docs/data.md.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from simulator.errors import Problem, ScenarioError
from simulator.opening import stat_problem
from simulator.history.files import (COLUMNS, FULL_YEAR, PERIODS, SERIES_FILE, UNITS, display, history_dir,
                                     read_series_csv, read_series_toml)

__all__ = ["Series", "load_history", "history_dir", "COLUMNS", "UNITS", "PERIODS", "SERIES_FILE"]

@dataclass(frozen=True, eq=False)  # eq=False: a DataFrame field makes value equality ambiguous
class Series:
    """One yearly series, its metadata and its values with provenance."""

    name: str
    title: str
    unit: str  # one of UNITS
    period: str  # one of PERIODS
    description: str
    source: str  # publisher, publication and table in one line
    table: pd.DataFrame  # year (int), value (float), verified (bool), source (str), note (str), months (int); by year
    vintage: str = ""
    caveat: str = ""
    path: Path | None = field(default=None, repr=False)  # the CSV the values came from

    def values(self, verified_only: bool = True) -> pd.Series:
        """Whole-year values indexed by year; by default only those a page confirms."""
        rows = self._rows(verified_only)
        rows = rows[rows["months"] == FULL_YEAR]
        return pd.Series(rows["value"].to_numpy(dtype=float), index=pd.Index(rows["year"].to_numpy(dtype=int),
                         name="year"), name=self.name)  # floats already: no dtype= needed

    def partial(self, verified_only: bool = True) -> pd.DataFrame:
        """Values of a year's first months only (``months`` < 12): year, months, value, verified,
        source, note, one row per year and number of months; by default only those a page confirms."""
        rows = self._rows(verified_only)
        return rows[rows["months"] < FULL_YEAR].reset_index(drop=True)

    def _rows(self, verified_only: bool) -> pd.DataFrame:
        return self.table[self.table["verified"]] if verified_only else self.table

    def years(self, verified_only: bool = False) -> list[int]:
        """The years that have a value."""
        return [int(y) for y in self.values(verified_only).index]

    def gaps(self) -> list[int]:
        """Years missing between the first and the last value (allowed; shown by ``ijsim history``)."""
        years = set(self.years())
        return [y for y in range(min(years), max(years) + 1) if y not in years] if years else []


def load_history(path: str | Path | None = None) -> dict[str, Series]:
    """Read and check historical series; raise one ScenarioError listing every problem.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        None: the shipped ``seeds/history``. A folder: its series.toml and CSVs. A single CSV
        file: that series (metadata from the shipped series.toml, matched by file stem), the rest
        shipped.

    Returns
    -------
    dict of str to Series
        Each series by name, with its metadata and its values with provenance; unverified values
        are in its `table` but left out of its `values()` by default.

    Raises
    ------
    ScenarioError
        Listing every problem found: a missing path, a file that is neither a folder nor a .csv,
        an unknown series, or bad rows.

    Examples
    --------
    >>> import simulator
    >>> history = simulator.load_history()
    >>> history["exports_india_to_japan"].unit
    'usd_bn'
    >>> history["exports_india_to_japan"].values().index.name
    'year'
    >>> simulator.load_history("no-such-folder")
    Traceback (most recent call last):
    ...
    simulator.errors.ScenarioError: no-such-folder: file not found; ...
    """
    if path is None:
        return _load_folder(history_dir())
    path = Path(path)
    st, problem = stat_problem(path)  # a loop of symbolic links, a NUL: a message, not an internal error
    if problem == "file not found":
        problem += f"; give a folder with {SERIES_FILE} or one series .csv file"
    if problem:
        raise ScenarioError([Problem(display(path), "", problem)])
    if stat.S_ISDIR(st.st_mode):
        return _load_folder(path)
    if path.suffix.lower() == ".csv":
        return _load_one_csv(path)
    raise ScenarioError([Problem(display(path), "", f"not a .csv file or a folder; give a folder with "
                                                    f"{SERIES_FILE} and the CSVs, or one series .csv file")])


def _load_folder(folder: Path) -> dict[str, Series]:
    metadata, problems = read_series_toml(folder / SERIES_FILE)
    if metadata is None:
        raise ScenarioError(problems)
    series: dict[str, Series] = {}
    for name, meta in metadata.items():
        s, csv_problems = _read_series(name, meta, folder / f"{name}.csv")
        problems += csv_problems
        if s is not None:
            series[name] = s
    # A table that is there but has problems is reported once, for them: its CSV is not "undescribed".
    described = set(metadata) | {p.key.split(".")[1] for p in problems if p.key.startswith("series.")}
    for csv_path in sorted(folder.glob("*.csv")):
        if csv_path.stem not in described:
            problems.append(Problem(display(csv_path), "", f"no [series.{csv_path.stem}] table in "
                                                           f"{display(folder / SERIES_FILE)} says what it is"))
    if problems:
        raise ScenarioError(problems)
    return series


def _load_one_csv(csv_path: Path) -> dict[str, Series]:
    shipped_toml = history_dir() / SERIES_FILE
    metadata, problems = read_series_toml(shipped_toml)
    if metadata is None:  # the installation itself is broken; say so rather than blame the user's file
        raise ScenarioError(problems)
    name = csv_path.stem
    if name not in metadata:
        raise ScenarioError([Problem(display(csv_path), "", f"unknown series {name!r}: the file name must be "
                                                            f"one of {', '.join(sorted(metadata))} (.csv)")])
    mine, problems = _read_series(name, metadata[name], csv_path)
    if mine is None:
        raise ScenarioError(problems)
    series = _load_folder(history_dir())
    series[name] = mine
    return series


def _read_series(name: str, meta: dict, csv_path: Path) -> tuple[Series | None, list[Problem]]:
    rows, problems = read_series_csv(csv_path, meta["unit"])
    if rows is None:
        return None, problems
    table = pd.DataFrame({
        "year": pd.Series(rows.year, dtype="int64"),
        "value": pd.Series(rows.value, dtype="float64"),
        "verified": pd.Series(rows.verified, dtype="bool"),
        "source": pd.Series(rows.source, dtype="object"),
        "note": pd.Series(rows.note, dtype="object"),
        "months": pd.Series(rows.months, dtype="int64"),
    }).sort_values(["year", "months"]).reset_index(drop=True)  # (year, months) pairs are unique: no ties
    source = ", ".join(p for p in (meta["publisher"], meta["publication"], meta.get("table")) if p)
    return Series(name=name, title=meta["title"], unit=meta["unit"], period=meta["period"],
                  description=meta["description"], source=source, table=table,
                  vintage=meta["vintage"], caveat=meta.get("caveat", ""), path=csv_path), []
