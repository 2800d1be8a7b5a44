"""Reading and checking the files of a history folder: ``series.toml`` and one CSV per series.

Every problem is collected, never raised one at a time, so that a user who drops in a newer
download sees everything that needs fixing in one go. Rows are named as a spreadsheet numbers
them: the header is row 1, the first value row 2 (the same as the line number in a text editor).
"""
from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import Problem
from simulator.opening import display, read_limited

COLUMNS = ("year", "value", "verified", "source", "note")
# Optional: how many months from the start of the period a value covers (1-11: a partial year, as
# ministries publish "April-January" figures before the year closes); empty or 12: the whole year.
OPTIONAL_COLUMNS = ("months",)
FULL_YEAR = 12
# Which values a unit admits: trade flows and investment inflows cannot be negative, an exchange
# rate must be positive, growth rates can be anything finite.
UNITS = {
    "usd_bn": ("US$ billion", "non-negative"),
    "jpy_per_usd": ("yen per US dollar", "positive"),
    "percent": ("percent", "any"),
    "people": ("people", "non-negative"),
}
PERIODS = {
    "fiscal_year_april": "India's fiscal year (April-March), labelled by its first calendar year: 2023 = FY2023-24",
    "calendar_year": "calendar year (January-December)",
}
REQUIRED_KEYS = ("title", "description", "unit", "period", "publisher", "publication", "vintage")
OPTIONAL_KEYS = ("table", "caveat")
YEARS = range(1900, 2101)
# A yearly series is a few kilobytes; these bounds only stop a wrong file (a database dump, a
# binary) from being read into memory.
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_TOML_BYTES = 256 * 1024

_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")
_FISCAL_LABEL = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[-/–]\s*\d{2,4}\s*$", re.IGNORECASE)


SERIES_FILE = "series.toml"


def history_dir() -> Path:
    """The shipped history folder (``seeds/history`` in a checkout, inside the package in a wheel)."""
    from simulator.shipped import seeds_dir

    return seeds_dir() / "history"


@dataclass
class Rows:
    """The checked rows of one CSV file, ready to become a DataFrame."""

    year: list[int]
    value: list[float]
    verified: list[bool]
    source: list[str]
    note: list[str]
    months: list[int]


def read_text(path: Path, limit: int, what: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it being read (missing, a folder, a FIFO or a
    device, a loop of symbolic links, too big, not UTF-8), through the checked opener."""
    name = display(path)
    data, problem = read_limited(path, what, limit, lambda size: f"file is {size:,} bytes, more than the "
                                                                 f"{limit:,} allowed for {what}; is this the right file?")
    if problem:
        return None, [Problem(name, "", problem)]
    try:
        return data.decode("utf-8-sig"), []  # spreadsheets often save UTF-8 with a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(name, "", f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                        "save the file as UTF-8")]


def read_series_toml(path: Path) -> tuple[dict[str, dict] | None, list[Problem]]:
    """``[series.<name>]`` tables of a series.toml, each checked; None if the file is unusable."""
    text, problems = read_text(path, MAX_TOML_BYTES, "a series.toml")
    if text is None:
        return None, problems
    name = display(path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_WHERE.search(msg)
        where = f"line {m.group(1)}, column {m.group(2)}: " if m else ""
        return None, [Problem(name, "", f"{where}invalid TOML: {_TOML_WHERE.sub('', msg).strip()}")]
    for key in doc:
        if key != "series":
            problems.append(Problem(name, key, "unknown table; series are described as [series.<name>]"))
    tables = doc.get("series")  # None when absent: not a table, so refused below
    if not isinstance(tables, dict) or not tables:
        problems.append(Problem(name, "series", "no [series.<name>] tables"))
        return None, problems
    metadata = {}
    for series, table in tables.items():
        table_problems = _check_metadata(name, series, table)
        problems += table_problems
        if not table_problems:
            metadata[series] = table
    return metadata, problems


def _check_metadata(file: str, series: str, table) -> list[Problem]:
    key = f"series.{series}"
    if not isinstance(table, dict):
        return [Problem(file, key, "must be a table of title, description, unit, period, publisher, "
                                   "publication, vintage")]
    problems = []
    if not re.fullmatch(r"[a-z][a-z0-9_]*", series):
        problems.append(Problem(file, key, "series names are lower-case letters, digits and '_' "
                                           "(the CSV file is <name>.csv)"))
    for k in REQUIRED_KEYS:
        if k not in table:
            problems.append(Problem(file, f"{key}.{k}", "missing"))
    for k, v in table.items():
        if k not in REQUIRED_KEYS + OPTIONAL_KEYS:
            problems.append(Problem(file, f"{key}.{k}", f"unknown key; allowed: "
                                                        f"{', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}"))
        elif not isinstance(v, str) or not v.strip():
            problems.append(Problem(file, f"{key}.{k}", "must be a non-empty string"))
    unit, period = table.get("unit"), table.get("period")
    if isinstance(unit, str) and unit.strip() and unit not in UNITS:
        problems.append(Problem(file, f"{key}.unit", f"unknown unit {unit!r}; known: {', '.join(UNITS)}"))
    if isinstance(period, str) and period.strip() and period not in PERIODS:
        problems.append(Problem(file, f"{key}.period", f"unknown period {period!r}; known: {', '.join(PERIODS)}"))
    return problems


def read_series_csv(path: Path, unit: str) -> tuple[Rows | None, list[Problem]]:
    """The rows of one series CSV, each checked against the column rules and the series' unit."""
    text, problems = read_text(path, MAX_CSV_BYTES, "a series CSV")
    if text is None:
        return None, problems
    name = display(path)
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or not any(cell.strip() for cell in lines[0]):
        return None, [Problem(name, "row 1", f"no header; the first row must name the columns {','.join(COLUMNS)}")]
    header = [cell.strip() for cell in lines[0]]
    for col in sorted(set(header)):
        if col not in COLUMNS + OPTIONAL_COLUMNS:
            problems.append(Problem(name, f"column {col or '(empty)'}",
                                    f"unknown column; the columns are {','.join(COLUMNS)} "
                                    f"(and optionally {','.join(OPTIONAL_COLUMNS)})"))
        elif header.count(col) > 1:
            problems.append(Problem(name, f"column {col}", "appears more than once"))
    for col in COLUMNS:
        if col not in header:
            problems.append(Problem(name, f"column {col}", "missing"))
    if problems:
        return None, problems
    at = {col: header.index(col) for col in COLUMNS + OPTIONAL_COLUMNS if col in header}
    rows = Rows([], [], [], [], [], [])
    first_row_of_year: dict[tuple[int, int], int] = {}
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (often at the end of a download) carry nothing
        where = f"row {number}"
        if len(cells) != len(header):
            problems.append(Problem(name, where, f"has {len(cells)} fields, the header has {len(header)}; "
                                                 "quote fields that contain commas"))
            continue
        row_problems = []
        year = _year(cells[at["year"]], row_problems)
        value = _value(cells[at["value"]], unit, row_problems)
        verified = _verified(cells[at["verified"]], row_problems)
        source = cells[at["source"]].strip()
        if verified and not re.match(r"https?://\S+$", source):
            row_problems.append("verified = true needs the address (http:// or https://) of the page "
                                "that states the value in 'source'" if not source else
                                f"source {source!r} is not a page address (http:// or https://); "
                                "a verified value needs one")
        months = _months(cells[at["months"]] if "months" in at else "", row_problems)
        if year is not None and months is not None:
            if (year, months) in first_row_of_year:
                what = "one value per year" if months == FULL_YEAR else f"one value per year for its first {months} months"
                row_problems.append(f"year {year} appears again (first in row {first_row_of_year[year, months]}); {what}")
            else:
                first_row_of_year[year, months] = number
        problems += [Problem(name, where, text) for text in row_problems]
        if not row_problems:
            rows.year.append(year)
            rows.value.append(value)
            rows.verified.append(verified)
            rows.source.append(source)
            rows.note.append(cells[at["note"]].strip())
            rows.months.append(months)
    return (rows if not problems else None), problems


def _year(text: str, problems: list[str]) -> int | None:
    text = text.strip()
    if not text:
        problems.append("missing year")
        return None
    if not re.fullmatch(r"\d{4}", text):
        m = _FISCAL_LABEL.match(text)
        hint = (f"; write a fiscal year as its first calendar year ({m.group(1)} for {text})" if m
                else "; write the year as four digits, e.g. 2023")
        problems.append(f"year {text!r} is not a year{hint}")
        return None
    year = int(text)
    if year not in YEARS:
        problems.append(f"year {year} is outside {YEARS.start}-{YEARS.stop - 1}")
        return None
    return year


def _value(text: str, unit: str, problems: list[str]) -> float | None:
    text = text.strip()
    if not text:
        problems.append("missing value; leave the year out instead of leaving its value empty")
        return None
    try:
        value = float(text)
    except ValueError:
        hint = "; remove thousands separators" if re.fullmatch(r"-?[\d,]+(\.\d+)?", text) else ""
        problems.append(f"value {text!r} is not a number{hint}")
        return None
    if not math.isfinite(value):
        problems.append(f"value {text!r} is not a finite number")
        return None
    admits = UNITS[unit][1] if unit in UNITS else None  # a unit without a rule admits any finite value
    if admits == "non-negative" and value < 0:
        problems.append(f"value {text} is negative; a {unit} series cannot be")
        return None
    if admits == "positive" and value <= 0:
        problems.append(f"value {text} must be positive for a {unit} series")
        return None
    return value


def _months(text: str, problems: list[str]) -> int | None:
    text = text.strip()
    if not text:
        return FULL_YEAR
    if not re.fullmatch(r"\d{1,2}", text) or not 1 <= int(text) <= FULL_YEAR:
        problems.append(f"months must be a whole number of months from 1 to 12 (empty: the whole year), not {text!r}")
        return None
    return int(text)


def _verified(text: str, problems: list[str]) -> bool | None:
    flag = text.strip().lower()
    if flag in ("true", "false"):
        return flag == "true"
    problems.append(f"verified must be true or false, not {text.strip()!r}")
    return None
