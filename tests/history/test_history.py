"""Historical series: provenance of the shipped data, the loader's contract, and every bad-file case
through the CLI (exit 2, one message per problem naming file and row or key, no traceback)."""
from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from simulator.errors import ScenarioError
from simulator.history.series import COLUMNS, PERIODS, UNITS, Series, history_dir, load_history
from simulator.history.files import MAX_CSV_BYTES

ROOT = Path(__file__).resolve().parents[2]
SERIES = ("exports_india_to_japan", "exports_japan_to_india", "exports_india_to_us", "jpy_per_usd",
          "gdp_growth_india", "gdp_growth_japan", "fdi_equity_inflows_japan",
          "indian_residents_japan_total", "indian_residents_japan_total_june", "indian_residents_japan_engineer_humanities",
          "indian_residents_japan_technical_intern", "indian_residents_japan_specified_skilled",
          "indian_students_japan", "visitor_arrivals_india_to_japan", "japanese_residents_india")
HEADER = "year,value,verified,source,note\n"
PAGE = "https://example.org/table"


@pytest.fixture(scope="module")
def shipped() -> dict[str, Series]:
    return load_history()


# --- the shipped data -------------------------------------------------------------------------------

def test_shipped_series_are_the_agreed_ones(shipped):
    assert set(shipped) == set(SERIES)
    for s in shipped.values():
        assert s.unit in UNITS and s.period in PERIODS
        assert s.title and s.description and s.source and s.vintage
        assert list(s.table.columns) == [*COLUMNS, "months"]
        assert s.table["year"].is_monotonic_increasing
        assert not s.table.duplicated(["year", "months"]).any()  # a year's whole and its first months: each once


def test_every_value_has_a_source(shipped):
    for s in shipped.values():
        empty = s.table[s.table["source"].str.strip() == ""]
        assert empty.empty, f"{s.name}: years without a source: {list(empty['year'])}"


def test_every_verified_value_names_a_page(shipped):
    for s in shipped.values():
        verified = s.table[s.table["verified"]]
        bad = verified[~verified["source"].str.match(r"https?://\S+$")]
        assert bad.empty, f"{s.name}: verified rows without a page address: {list(bad['year'])}"


def test_every_unverified_value_says_where_it_came_from(shipped):
    for s in shipped.values():
        unverified = s.table[~s.table["verified"]]
        assert (unverified["note"].str.len() > 20).all(), f"{s.name}: unverified rows need a note"


def test_fy2023_trade_equals_the_seed_figures(shipped):
    with open(ROOT / "seeds" / "article_figures.toml", "rb") as fh:
        figures = tomllib.load(fh)["figures"]
    assert "2023-24" in figures["exports_india_to_japan_usd_bn"]["period"].replace("–", "-")
    assert shipped["exports_india_to_japan"].values(verified_only=False).loc[2023] == \
        figures["exports_india_to_japan_usd_bn"]["value"]
    assert shipped["exports_japan_to_india"].values(verified_only=False).loc[2023] == \
        figures["exports_japan_to_india_usd_bn"]["value"]


def test_values_drop_unverified_rows_unless_asked(shipped):
    s = shipped["exports_india_to_japan"]
    unverified = set(s.table.loc[~s.table["verified"], "year"])
    assert unverified, "the test needs a series with unverified rows"
    verified_only, everything = s.values(), s.values(verified_only=False)
    assert not unverified & set(verified_only.index)
    assert set(everything.index) == set(s.table["year"])
    assert verified_only.name == everything.name == s.name
    assert verified_only.dtype == float and verified_only.index.dtype.kind == "i"


def test_values_are_independent_copies(shipped):
    s = shipped["jpy_per_usd"]
    v = s.values()
    v.iloc[0] = -1.0
    assert s.values().iloc[0] > 0


def test_shipped_folder_is_found_like_the_seeds():
    assert (history_dir() / "series.toml").is_file()
    assert history_dir().parent == (ROOT / "seeds")


# --- loading user files -----------------------------------------------------------------------------

def _write_folder(folder: Path, series: dict[str, Series]) -> None:
    folder.mkdir()
    shutil.copy(history_dir() / "series.toml", folder / "series.toml")
    for s in series.values():
        table = s.table.assign(verified=s.table["verified"].map({True: "true", False: "false"}))
        table.to_csv(folder / f"{s.name}.csv", index=False)


def test_round_trip_through_a_folder(shipped, tmp_path):
    _write_folder(tmp_path / "copy", shipped)
    again = load_history(tmp_path / "copy")
    assert set(again) == set(shipped)
    for name, s in shipped.items():
        pd.testing.assert_frame_equal(again[name].table, s.table)
        assert (again[name].unit, again[name].period, again[name].source) == (s.unit, s.period, s.source)


def test_one_csv_replaces_only_its_series(shipped, tmp_path):
    path = tmp_path / "jpy_per_usd.csv"
    path.write_text(HEADER + f"2024,151.5,true,{PAGE},a newer download\n2023,140.5,false,,\n", encoding="utf-8")
    loaded = load_history(path)
    assert loaded["jpy_per_usd"].values().to_dict() == {2024: 151.5}
    assert list(loaded["jpy_per_usd"].table["year"]) == [2023, 2024]  # sorted by year
    assert loaded["jpy_per_usd"].unit == shipped["jpy_per_usd"].unit
    pd.testing.assert_frame_equal(loaded["gdp_growth_india"].table, shipped["gdp_growth_india"].table)


def test_column_order_blank_lines_and_a_byte_order_mark_are_accepted(tmp_path):
    path = tmp_path / "gdp_growth_japan.csv"
    path.write_bytes(("\ufeffnote,source,verified,value,year\n\n"
                      f"x,{PAGE},TRUE,-4.2,2020\n\n").encode("utf-8"))
    assert load_history(path)["gdp_growth_japan"].values().to_dict() == {2020: -4.2}


def test_gaps_are_allowed_and_reported(tmp_path):
    path = tmp_path / "gdp_growth_japan.csv"
    path.write_text(HEADER + f"2018,0.6,true,{PAGE},\n2021,2.7,true,{PAGE},\n", encoding="utf-8")
    assert load_history(path)["gdp_growth_japan"].gaps() == [2019, 2020]


def test_all_problems_are_reported_together(tmp_path):
    path = tmp_path / "exports_india_to_us.csv"
    path.write_text(HEADER + "20x4,1,true,,\n2015,abc,true,x,\n2016,-1,maybe,,\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_history(path)
    keys = [p.key for p in info.value.problems]
    assert keys.count("row 2") == 2 and keys.count("row 3") == 2 and keys.count("row 4") == 2


# --- bad files through the CLI ----------------------------------------------------------------------

META = """\
[series.demo]
title = "Demo"
description = "A demonstration series"
unit = "{unit}"
period = "{period}"
publisher = "Nobody"
publication = "Nothing"
vintage = "2025"
"""


def _folder(tmp_path: Path, csv: str = HEADER + f"2020,1.5,true,{PAGE},\n", unit="usd_bn",
            period="calendar_year", toml: str | None = None) -> Path:
    folder = tmp_path / "hist"
    folder.mkdir()
    (folder / "series.toml").write_text(toml if toml is not None else META.format(unit=unit, period=period),
                                        encoding="utf-8")
    (folder / "demo.csv").write_text(csv, encoding="utf-8")
    return folder


def _one_csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "exports_india_to_japan.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


BAD_CSVS = {  # body -> (key, words the message must contain)
    "missing year": (f",5.1,true,{PAGE},\n", "row 2", "missing year"),
    "duplicate year": (f"2019,4.5,true,{PAGE},\n2019,4.6,true,{PAGE},\n", "row 3", "2019 appears again"),
    "fiscal label": (f"2023-24,5.15,true,{PAGE},\n", "row 2", "2023 for 2023-24"),
    "text in a number": (f"2019,four,true,{PAGE},\n", "row 2", "not a number"),
    "thousands separator": (f'2019,"5,150",true,{PAGE},\n', "row 2", "thousands separators"),
    "missing value": (f"2019,,true,{PAGE},\n", "row 2", "missing value"),
    "not finite": (f"2019,nan,true,{PAGE},\n", "row 2", "not a finite number"),
    "infinite": (f"2019,inf,true,{PAGE},\n", "row 2", "not a finite number"),
    "negative trade": (f"2019,-4.5,true,{PAGE},\n", "row 2", "negative"),
    "verified not a flag": (f"2019,4.5,yes,{PAGE},\n", "row 2", "true or false"),
    "verified without source": ("2019,4.5,true,,\n", "row 2", "address"),
    "verified with a non-address": ("2019,4.5,true,DGCI&S,\n", "row 2", "not a page address"),
    "wrong field count": (f"2019,4.5,true,{PAGE},a,b\n", "row 2", "fields"),
    "year out of range": (f"1492,4.5,true,{PAGE},\n", "row 2", "outside"),
}


@pytest.mark.parametrize("case", sorted(BAD_CSVS))
def test_bad_rows_exit_2_naming_file_and_row(cli, tmp_path, case):
    body, key, words = BAD_CSVS[case]
    code, out, err = cli("history", "--history", _one_csv(tmp_path, body))
    assert code == 2 and out == ""
    assert f"exports_india_to_japan.csv: {key}: " in err and words in err
    assert "Traceback" not in err and "problem" in err.splitlines()[-1]


BAD_HEADERS = {
    "empty file": ("", "row 1", "no header"),
    "missing column": ("year,value,verified,source\n", "column note", "missing"),
    "unknown column": ("year,value,verified,source,note,comment\n", "column comment", "unknown column"),
    "duplicate column": ("year,value,value,verified,source,note\n", "column value", "appears more than once"),
}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_bad_columns_exit_2_naming_file_and_column(cli, tmp_path, case):
    header, key, words = BAD_HEADERS[case]
    code, out, err = cli("history", "--history", _one_csv(tmp_path, "", header=header))
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"exports_india_to_japan.csv: {key}: {words}" in err


@pytest.mark.parametrize("unit,period,key,words", [
    ("usd_mn", "calendar_year", "series.demo.unit", "unknown unit 'usd_mn'"),
    ("usd_bn", "quarter", "series.demo.period", "unknown period 'quarter'"),
])
def test_unknown_unit_or_period(cli, tmp_path, unit, period, key, words):
    code, out, err = cli("history", "--history", _folder(tmp_path, unit=unit, period=period))
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"series.toml: {key}: {words}" in err


def test_bad_toml(cli, tmp_path):
    code, out, err = cli("history", "--history", _folder(tmp_path, toml="[series.demo\ntitle = 1\n"))
    assert code == 2 and out == "" and "Traceback" not in err
    assert "series.toml: line 1" in err and "invalid TOML" in err


def test_metadata_key_missing_or_unknown(cli, tmp_path):
    toml = META.format(unit="usd_bn", period="calendar_year").replace('vintage = "2025"\n', 'vintag = "2025"\n')
    code, out, err = cli("history", "--history", _folder(tmp_path, toml=toml))
    assert code == 2 and "Traceback" not in err
    assert "series.demo.vintage: missing" in err and "series.demo.vintag: unknown key" in err


def test_missing_file(cli, tmp_path):
    code, out, err = cli("history", "--history", tmp_path / "nowhere.csv")
    assert code == 2 and out == "" and "nowhere.csv: file not found" in err


def test_series_without_its_csv_and_csv_without_metadata(cli, tmp_path):
    folder = _folder(tmp_path)
    (folder / "demo.csv").rename(folder / "other.csv")
    code, out, err = cli("history", "--history", folder)
    assert code == 2 and out == ""
    assert "demo.csv: file not found" in err and "other.csv: no [series.other] table" in err


def test_unknown_series_name_for_a_single_csv(cli, tmp_path):
    path = tmp_path / "exports_to_mars.csv"
    path.write_text(HEADER, encoding="utf-8")
    code, out, err = cli("history", "--history", path)
    assert code == 2 and "exports_to_mars.csv: unknown series 'exports_to_mars'" in err


def test_oversized_file_is_refused_before_reading(cli, tmp_path):
    path = tmp_path / "exports_india_to_japan.csv"
    with open(path, "wb") as fh:
        fh.truncate(MAX_CSV_BYTES + 1)  # sparse: no need to write 2 MiB of data
    code, out, err = cli("history", "--history", path)
    assert code == 2 and "more than the" in err and "allowed" in err


def test_not_utf8(cli, tmp_path):
    path = tmp_path / "exports_india_to_japan.csv"
    path.write_bytes(HEADER.encode() + b"2019,4.5,false,caf\xe9,\n")
    code, out, err = cli("history", "--history", path)
    assert code == 2 and "exports_india_to_japan.csv: line 2: not UTF-8" in err


def test_not_a_csv_or_folder(cli, tmp_path):
    path = tmp_path / "series.xlsx"
    path.write_bytes(b"PK")
    code, out, err = cli("history", "--history", path)
    assert code == 2 and "series.xlsx: not a .csv file or a folder" in err


@pytest.mark.parametrize("verb", [("history",), ("calibrate", "--draws", "100"), ("backtest", "baseline", "--draws", "100")])
def test_a_history_path_that_is_a_loop_of_links_exits_2(cli, tmp_path, verb):
    """Issue 33, point 1: path resolution raised RuntimeError (exit 1, 'internal error')."""
    os.symlink("loop", tmp_path / "loop")
    code, out, err = cli(*verb, "--history", "loop", *(["--out", "out"] if verb[0] != "history" else []))
    assert (code, out) == (2, "")
    assert err.splitlines() == ["loop: cannot be read: a loop of symbolic links", "1 problem found; nothing was run or written"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]


@pytest.mark.parametrize("make, words", [
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a series CSV"),  # reading it would wait for ever
    (lambda p: os.symlink("/dev/zero", p), "is a character device, not a series CSV"),
    (lambda p: os.symlink(p.name, p), "cannot be read: a loop of symbolic links"),
    (lambda p: p.mkdir(), "is a folder, not a series CSV"),
])
def test_special_files_in_a_history_folder_are_named(cli, tmp_path, make, words):
    folder = tmp_path / "h"
    shutil.copytree(history_dir(), folder)
    (folder / "jpy_per_usd.csv").unlink()
    make(folder / "jpy_per_usd.csv")
    code, out, err = cli("history", "--history", folder)
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"h/jpy_per_usd.csv: {words}", "1 problem found; nothing was run or written"]


# --- the command on good data -----------------------------------------------------------------------

def test_history_lists_every_series_with_coverage(cli, shipped):
    code, out, err = cli("history")
    assert code == 0, err
    for s in shipped.values():
        assert s.name in out
        n_verified, n = int(s.table["verified"].sum()), len(s.table)
        assert f"{n_verified} of {n} verified" in out
    assert "https://www.indembassy-tokyo.gov.in/eoityo_pages/NjA," in out


def test_history_hides_unverified_values_unless_all(cli, tmp_path):
    path = _one_csv(tmp_path, f"2019,4.52,true,{PAGE},\n2022,5.46,false,https://example.org/copy,copied page\n")
    code, out, _ = cli("history", "--history", path)
    assert code == 0 and "https://example.org/copy" not in out and "--all" in out
    code, out, _ = cli("history", "--history", path, "--all")
    assert code == 0 and "https://example.org/copy" in out and "copied page" in out
    assert re.search(r"2022\s+5\.46\s+no", out)


MONTHS_HEADER = "year,value,verified,source,note,months\n"


@pytest.mark.parametrize("months, words", [("13", "from 1 to 12"), ("0", "from 1 to 12"), ("ten", "whole number"),
                                           ("9.5", "whole number")])
def test_bad_months_exit_2_naming_file_and_row(cli, tmp_path, months, words):
    path = _one_csv(tmp_path, f"2019,4.5,true,{PAGE},,{months}\n", header=MONTHS_HEADER)
    code, out, err = cli("history", "--history", path)
    assert code == 2 and out == "" and "exports_india_to_japan.csv: row 2: months must be" in err and words in err


def test_a_year_may_have_its_whole_and_its_first_months_but_each_once(cli, tmp_path):
    path = _one_csv(tmp_path, f"2019,4.5,true,{PAGE},,\n2019,3.7,true,{PAGE},,10\n", header=MONTHS_HEADER)
    code, out, err = cli("history", "--history", path)
    assert code == 0, err
    assert re.search(r"2019 \(April-January\)\s+3\.7\s+yes", out)  # the months spelled out for a fiscal year
    path = _one_csv(tmp_path, f"2019,3.7,true,{PAGE},,10\n2019,3.8,true,{PAGE},,10\n", header=MONTHS_HEADER)
    code, _, err = cli("history", "--history", path)
    assert code == 2 and "row 3: year 2019 appears again (first in row 2); one value per year for its first 10 months" in err


def test_partial_years_are_not_whole_years(shipped):
    x = shipped["exports_india_to_japan"]
    assert 2024 not in x.values().index  # the whole of FY2024-25 is unverified; April-January is not a year
    partial = x.partial()
    assert list(zip(partial.year, partial.months)) == [(2023, 10), (2024, 10)]
    assert partial.set_index("year").loc[2024, "value"] == 5.1


def test_history_says_where_a_projection_starts(cli):
    code, out, err = cli("history")
    assert code == 0, err
    assert "projections that start from the history start from FY2024-25: nowcast 6.24" in out
    assert "from April-January's 5.1, with the share those months had in 2023" in out
    assert "nowcast 19.30" in out


def test_history_shows_the_residents_counts_with_their_dates_and_pages(cli):
    # Issue 29: 37,933 is the end-June 2019 count, in its own end-June series; end-2020 from IPSS.
    import re

    def section(out, name):
        block = next(b for b in out.split("\n\n") if b.strip().startswith(f"{name}  "))
        rows = {m.group(1): (m.group(2), m.group(3)) for m in re.finditer(r"^(\d{4})\s+(\d+)\s+(yes|no)", block, re.M)}
        return block, rows

    code, out, err = cli("history")
    assert code == 0, err
    block, rows = section(out, "indian_residents_japan_total_june")
    assert "end of June" in block and rows["2019"] == ("37933", "yes") and "indojapanpulse.com" in block
    assert rows["2023"] == ("46262", "yes") and "2025" not in rows  # unverified: shown only with --all
    block, rows = section(out, "indian_residents_japan_total")
    assert rows["2020"] == ("38558", "yes") and "www.ipss.go.jp" in block and "2019" not in rows
    code, out, err = cli("history", "--all")
    block, rows = section(out, "indian_residents_japan_total_june")
    assert rows["2025"] == ("56686", "no") and "visa-information.jp" in block


# --- the package's names and the Series' views, on small hand-made series -----------------------------

def test_the_package_hands_out_its_modules_objects_by_name():
    import simulator.history as package
    from simulator.history import files, series

    assert package.load_history is series.load_history and package.Series is series.Series
    assert package.history_dir is files.history_dir and package.SERIES_FILE == "series.toml"
    assert package.COLUMNS is files.COLUMNS and package.UNITS is files.UNITS and package.PERIODS is files.PERIODS
    assert dir(package) == ["COLUMNS", "PERIODS", "SERIES_FILE", "Series", "UNITS", "history_dir", "load_history"]
    with pytest.raises(AttributeError) as info:
        package.read_series_csv  # in files, but not one of the package's names
    assert str(info.value) == "module 'simulator.history' has no attribute 'read_series_csv'"


def _series(rows) -> Series:
    """A series from (year, value, verified, months) rows, through the loader's own table."""
    return Series("demo", "Demo", "usd_bn", "calendar_year", "", "", pd.DataFrame(
        [(y, v, ok, PAGE if ok else "", "", m) for y, v, ok, m in rows], columns=[*COLUMNS, "months"]))


def test_partial_years_leave_out_unverified_months_unless_asked():
    s = _series([(2020, 10.0, True, 12), (2021, 8.0, True, 10), (2022, 9.0, False, 11), (2022, 8.5, True, 9)])
    verified = s.partial()
    assert list(verified.columns) == [*COLUMNS, "months"] and list(verified.index) == [0, 1]
    assert list(zip(verified.year, verified.months, verified.value)) == [(2021, 10, 8.0), (2022, 9, 8.5)]
    everything = s.partial(verified_only=False)
    assert list(everything.index) == [0, 1, 2]  # numbered afresh, not by the rows of the whole table
    assert list(zip(everything.year, everything.months)) == [(2021, 10), (2022, 11), (2022, 9)]


def test_years_count_unverified_whole_years_unless_asked_and_gaps_follow_them():
    s = _series([(2015, 1.0, True, 12), (2017, 2.0, False, 12), (2019, 3.0, True, 12), (2020, 2.5, True, 6)])
    assert s.years() == [2015, 2017, 2019]  # 2020 has only its first six months
    assert s.years(verified_only=True) == [2015, 2019]
    assert s.gaps() == [2016, 2018]  # 2017 is there, unverified


def test_a_series_without_whole_years_has_no_years_and_no_gaps(tmp_path):
    path = tmp_path / "gdp_growth_japan.csv"
    path.write_text(HEADER, encoding="utf-8")  # a download with its header only
    s = load_history(path)["gdp_growth_japan"]
    assert s.table.empty and s.years() == [] and s.gaps() == []
    assert _series([(2024, 5.1, True, 10)]).gaps() == []


# --- every problem of a user's files, by its whole message (file: key: message, one line each) ---------

def _refused(path) -> list[str]:
    """The lines of the ScenarioError load_history raises, as ijsim prints them before its last line."""
    with pytest.raises(ScenarioError) as info:
        load_history(path)
    # keys are text for the Python API too: "" where the problem is the whole file
    assert all(isinstance(p.file, str) and isinstance(p.key, str) for p in info.value.problems)
    return str(info.value).splitlines()


def _rows_refused(tmp_path, monkeypatch, body: str, header: str = HEADER) -> list[str]:
    monkeypatch.chdir(tmp_path)
    return _refused(_one_csv(tmp_path, body, header=header).name)


HINT_FISCAL = "write a fiscal year as its first calendar year"
MONTHS = "months must be a whole number of months from 1 to 12 (empty: the whole year), not"
ROW_PROBLEMS = {  # body of exports_india_to_japan.csv (usd_bn) -> the message of its row 2
    "missing year": (f",5.1,true,{PAGE},\n", "missing year"),
    "fiscal label": (f"2023-24,5.15,true,{PAGE},\n", f"year '2023-24' is not a year; {HINT_FISCAL} (2023 for 2023-24)"),
    "fiscal label FY": (f"FY2023/2024,5.15,true,{PAGE},\n",
                        f"year 'FY2023/2024' is not a year; {HINT_FISCAL} (2023 for FY2023/2024)"),
    "not a year": (f"20x4,5.15,true,{PAGE},\n", "year '20x4' is not a year; write the year as four digits, e.g. 2023"),
    "five digits": (f"20234,5.15,true,{PAGE},\n", "year '20234' is not a year; write the year as four digits, e.g. 2023"),
    "before 1900": (f"1899,4.5,true,{PAGE},\n", "year 1899 is outside 1900-2100"),
    "after 2100": (f"2101,4.5,true,{PAGE},\n", "year 2101 is outside 1900-2100"),
    "missing value": (f"2019, ,true,{PAGE},\n", "missing value; leave the year out instead of leaving its value empty"),
    "text value": (f"2019,four,true,{PAGE},\n", "value 'four' is not a number"),
    "thousands": (f'2019,"5,150",true,{PAGE},\n', "value '5,150' is not a number; remove thousands separators"),
    "thousands with decimals": (f'2019,"-1,234.5",true,{PAGE},\n',
                                "value '-1,234.5' is not a number; remove thousands separators"),
    "commas and letters": (f'2019,"1,2a",true,{PAGE},\n', "value '1,2a' is not a number"),
    "two decimal points": (f'2019,"1,2.3.4",true,{PAGE},\n', "value '1,2.3.4' is not a number"),
    "nan": (f"2019,nan,true,{PAGE},\n", "value 'nan' is not a finite number"),
    "minus infinity": (f"2019,-inf,true,{PAGE},\n", "value '-inf' is not a finite number"),
    "negative flow": (f"2019,-4.5,true,{PAGE},\n", "value -4.5 is negative; a usd_bn series cannot be"),
    "verified not a flag": (f"2019,4.5, yes ,{PAGE},\n", "verified must be true or false, not 'yes'"),
    "verified without a page": ("2019,4.5,true, ,\n", "verified = true needs the address (http:// or https://) of the "
                                                      "page that states the value in 'source'"),
    "verified with a name": ("2019,4.5,true,DGCI&S,\n",
                             "source 'DGCI&S' is not a page address (http:// or https://); a verified value needs one"),
    "address after words": (f"2019,4.5,true,see {PAGE},\n",
                            f"source 'see {PAGE}' is not a page address (http:// or https://); a verified value needs one"),
    "address with a space": ("2019,4.5,true,https://example.org/a b,\n", "source 'https://example.org/a b' is not a "
                             "page address (http:// or https://); a verified value needs one"),
    "ftp address": ("2019,4.5,true,ftp://example.org/t,\n", "source 'ftp://example.org/t' is not a "
                    "page address (http:// or https://); a verified value needs one"),
    "too many fields": (f"2019,4.5,true,{PAGE},a,b\n", "has 6 fields, the header has 5; quote fields that contain commas"),
    "too few fields": ("2019,4.5\n", "has 2 fields, the header has 5; quote fields that contain commas"),
}


@pytest.mark.parametrize("case", sorted(ROW_PROBLEMS))
def test_each_bad_row_gets_one_whole_message(tmp_path, monkeypatch, case):
    body, message = ROW_PROBLEMS[case]
    assert _rows_refused(tmp_path, monkeypatch, body) == [f"exports_india_to_japan.csv: row 2: {message}",
                                                          "1 problem found"]


@pytest.mark.parametrize("months", ["0", "13", "ten", "9.5", "012", "-1"])
def test_months_outside_1_to_12_are_refused_whole(tmp_path, monkeypatch, months):
    lines = _rows_refused(tmp_path, monkeypatch, f"2019,4.5,true,{PAGE},,{months}\n", header=MONTHS_HEADER)
    assert lines == [f"exports_india_to_japan.csv: row 2: {MONTHS} {months!r}", "1 problem found"]


def test_every_problem_of_a_row_in_order_and_rows_counted_as_a_spreadsheet_does(tmp_path, monkeypatch):
    # row 2 is blank (skipped, but counted); row 3 has a problem in each column; row 4 repeats the
    # year of a row that had other problems; row 5 repeats a first-months row
    # row 8 has too few fields (and nothing more is said of it), rows 9 and 10 both lack their year
    body = (f"\n20x4,-1,maybe,,,13\n2019,x,true,{PAGE},,\n2019,4.5,true,{PAGE},,\n"
            f"2020,1.5,true,{PAGE},,10\n 2020 ,1.6,false,,, 10 \n2021,-2\n,1,false,,,\n,2,false,,,\n")
    assert _rows_refused(tmp_path, monkeypatch, body, header=MONTHS_HEADER) == [
        "exports_india_to_japan.csv: row 3: year '20x4' is not a year; write the year as four digits, e.g. 2023",
        "exports_india_to_japan.csv: row 3: value -1 is negative; a usd_bn series cannot be",
        "exports_india_to_japan.csv: row 3: verified must be true or false, not 'maybe'",
        f"exports_india_to_japan.csv: row 3: {MONTHS} '13'",
        "exports_india_to_japan.csv: row 4: value 'x' is not a number",
        "exports_india_to_japan.csv: row 5: year 2019 appears again (first in row 4); one value per year",
        "exports_india_to_japan.csv: row 7: year 2020 appears again (first in row 6); one value per year for its "
        "first 10 months",
        "exports_india_to_japan.csv: row 8: has 2 fields, the header has 6; quote fields that contain commas",
        "exports_india_to_japan.csv: row 9: missing year",
        "exports_india_to_japan.csv: row 10: missing year",
        "10 problems found"]


def test_edges_of_the_rules_are_accepted(tmp_path):
    # the first and last years allowed, a zero flow, 1 and 12 months (12: the whole year), flags in
    # any case, http as well as https, a name as the source of an unverified value, spaces trimmed
    path = _one_csv(tmp_path, f"1900,0,TRUE,http://example.org/a,,\n 2100 , 2.5 , False ,DGCI&S , a note ,\n"
                              f"2000,1.0,true,{PAGE},,1\n2001,3.0,true,{PAGE},,12\n2002,4.0,true,{PAGE},,\n",
                    header=MONTHS_HEADER)
    s = load_history(path)["exports_india_to_japan"]
    assert s.values(verified_only=False).to_dict() == {1900: 0.0, 2001: 3.0, 2002: 4.0, 2100: 2.5}
    assert s.values().to_dict() == {1900: 0.0, 2001: 3.0, 2002: 4.0}
    row = s.table.set_index("year").loc[2100]
    assert (row["source"], row["note"], row["verified"], row["months"]) == ("DGCI&S", "a note", False, 12)
    assert list(zip(s.partial().year, s.partial().months, s.partial().value)) == [(2000, 1, 1.0)]


@pytest.mark.parametrize("series, value, message", [
    ("jpy_per_usd", "0", "value 0 must be positive for a jpy_per_usd series"),
    ("jpy_per_usd", "-150", "value -150 must be positive for a jpy_per_usd series"),
    ("indian_students_japan", "-1", "value -1 is negative; a people series cannot be"),
])
def test_what_each_unit_admits(tmp_path, monkeypatch, series, value, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{series}.csv").write_text(HEADER + f"2019,{value},true,{PAGE},\n", encoding="utf-8")
    assert _refused(f"{series}.csv") == [f"{series}.csv: row 2: {message}", "1 problem found"]


def test_a_unit_without_a_rule_admits_any_finite_value(tmp_path):
    from simulator.history.files import read_series_csv

    path = _one_csv(tmp_path, f"2019,-4.5,true,{PAGE},\n2020,0,true,{PAGE},\n")
    rows, problems = read_series_csv(path, "index_points")
    assert problems == [] and rows.value == [-4.5, 0.0]


def test_a_percent_series_admits_any_finite_value_and_a_rate_anything_above_zero(tmp_path):
    path = tmp_path / "gdp_growth_india.csv"
    path.write_text(HEADER + f"2019,-0.5,true,{PAGE},\n2020,0,true,{PAGE},\n", encoding="utf-8")
    assert load_history(path)["gdp_growth_india"].values().to_dict() == {2019: -0.5, 2020: 0.0}
    path = tmp_path / "jpy_per_usd.csv"
    path.write_text(HEADER + f"2019,0.5,true,{PAGE},\n", encoding="utf-8")  # under 1 yen per dollar: odd, allowed
    assert load_history(path)["jpy_per_usd"].values().to_dict() == {2019: 0.5}


HEADER_PROBLEMS = {  # header row -> the problems, in the order they are listed
    "nothing": ("", ["row 1: no header; the first row must name the columns year,value,verified,source,note"]),
    "a blank first row": (" , \n", ["row 1: no header; the first row must name the columns year,value,verified,source,note"]),
    "an unnamed column": ("year,value,verified,source,note,\n", [
        "column (empty): unknown column; the columns are year,value,verified,source,note (and optionally months)"]),
    "several at once": ("value,zeta,value,year,comment,months,months\n", [
        "column comment: unknown column; the columns are year,value,verified,source,note (and optionally months)",
        "column months: appears more than once",
        "column value: appears more than once",
        "column zeta: unknown column; the columns are year,value,verified,source,note (and optionally months)",
        "column verified: missing", "column source: missing", "column note: missing"]),
}


@pytest.mark.parametrize("case", sorted(HEADER_PROBLEMS))
def test_each_bad_header_gets_whole_messages(tmp_path, monkeypatch, case):
    header, problems = HEADER_PROBLEMS[case]
    n = len(problems)
    assert _rows_refused(tmp_path, monkeypatch, f"2019,4.5,true,{PAGE},\n" if header else "", header=header) == [
        *(f"exports_india_to_japan.csv: {p}" for p in problems), f"{n} problem{'s' if n > 1 else ''} found"]


def test_a_header_with_spaces_and_without_months(tmp_path):
    path = _one_csv(tmp_path, f"2019,4.5,true,{PAGE},x\n", header=" year , value ,verified,source, note\n")
    assert load_history(path)["exports_india_to_japan"].table.to_dict("records") == [
        {"year": 2019, "value": 4.5, "verified": True, "source": PAGE, "note": "x", "months": 12}]


def test_files_that_cannot_be_read_are_named_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "exports_india_to_japan.csv"
    with open(path, "wb") as fh:
        fh.truncate(MAX_CSV_BYTES + 1)  # 2 MiB + 1 byte, sparse
    assert _refused(path.name) == ["exports_india_to_japan.csv: file is 2,097,153 bytes, more than the 2,097,152 "
                                   "allowed for a series CSV; is this the right file?", "1 problem found"]
    with pytest.raises(ScenarioError) as info:
        load_history(path.name)
    assert [(p.file, p.key) for p in info.value.problems] == [("exports_india_to_japan.csv", "")]  # the whole file
    path.write_bytes(b"\xff" + HEADER.encode())
    assert _refused(path.name) == ["exports_india_to_japan.csv: line 1: not UTF-8 text (byte 0xff); save the file "
                                   "as UTF-8", "1 problem found"]
    path.write_bytes(HEADER.encode() + f"2019,4.5,true,{PAGE},\n2020,4.6,false,caf".encode() + b"\xe9\n")
    assert _refused(path.name) == ["exports_india_to_japan.csv: line 3: not UTF-8 text (byte 0xe9); save the file "
                                   "as UTF-8", "1 problem found"]


def test_old_mac_line_ends_and_a_line_break_inside_a_quoted_note(tmp_path):
    # "CSV (Macintosh)" ends lines with a lone CR; a quoted note keeps its CRLF as written
    path = tmp_path / "exports_india_to_japan.csv"
    path.write_bytes(HEADER.rstrip("\n").encode() + f'\r2019,4.5,true,{PAGE},"first\r\nsecond"\r2020,4.7,false,,\r'.encode())
    table = load_history(path)["exports_india_to_japan"].table
    assert list(table["year"]) == [2019, 2020] and list(table["note"]) == ["first\r\nsecond", ""]


# --- series.toml: each problem by its whole message ------------------------------------------------

GOOD = META.format(unit="usd_bn", period="calendar_year")


def _toml_refused(tmp_path, monkeypatch, toml: str) -> list[str]:
    """Problems of a folder "h" holding this series.toml and demo.csv (a good CSV for [series.demo])."""
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, toml=toml).rename(tmp_path / "h")
    return _refused("h")


TOML_PROBLEMS = {  # series.toml -> its problems (file "h/series.toml"), in order
    "cut short": (GOOD + "caveat = ", ["invalid TOML: Invalid value (at end of document)"]),
    "not TOML": ("[series.demo\ntitle = 1\n",
                 ["line 1, column 13: invalid TOML: Expected ']' at the end of a table declaration"]),
    "empty": ("", ["series: no [series.<name>] tables"]),
    "an empty [series]": ("[series]\n", ["series: no [series.<name>] tables"]),
    "series not a table": ("series = 1\n[other]\nx = 1\n", [
        "other: unknown table; series are described as [series.<name>]", "series: no [series.<name>] tables"]),
    "unknown table beside series": (GOOD + "[sources]\na = 1\n",
                                    ["sources: unknown table; series are described as [series.<name>]"]),
}


@pytest.mark.parametrize("case", sorted(TOML_PROBLEMS))
def test_each_problem_of_series_toml_gets_a_whole_message(tmp_path, monkeypatch, case):
    toml, problems = TOML_PROBLEMS[case]
    n = len(problems)
    assert _toml_refused(tmp_path, monkeypatch, toml) == [
        *(f"h/series.toml: {p}" for p in problems), f"{n} problem{'s' if n > 1 else ''} found"]


def test_each_bad_key_of_a_series_table_gets_one_whole_message(tmp_path, monkeypatch):
    # [series.demo] is good and has its CSV; the others have none, so that each line is about its table
    toml = "[series]\ng = 1\n\n" + GOOD + """
[series.b]
title = " "
description = "x"
unit = 5
period = " "
publisher = "P"
publication = "Q"
vintage = 2025
vintag = "2025"

[series.c]
title = "c"
description = "x"
period = 7
publisher = "P"
publication = "Q"
table = "T"
caveat = "none"

[series.d]
title = "d"
description = "x"
unit = "usd_mn"
period = "quarter"
publisher = "P"
publication = "Q"
vintage = "2025"

[series.Upper_case]
title = "e"
description = "x"
unit = "percent"
period = "calendar_year"
publisher = "P"
publication = "Q"
vintage = "2025"
"""
    allowed = "title, description, unit, period, publisher, publication, vintage, table, caveat"
    assert _toml_refused(tmp_path, monkeypatch, toml) == [f"h/series.toml: {p}" for p in (
        "series.g: must be a table of title, description, unit, period, publisher, publication, vintage",
        "series.b.title: must be a non-empty string",
        "series.b.unit: must be a non-empty string",  # and not also an unknown unit
        "series.b.period: must be a non-empty string",
        "series.b.vintage: must be a non-empty string",
        f"series.b.vintag: unknown key; allowed: {allowed}",
        "series.c.unit: missing",  # and not also an unknown unit
        "series.c.vintage: missing",
        "series.c.period: must be a non-empty string",
        "series.d.unit: unknown unit 'usd_mn'; known: usd_bn, jpy_per_usd, percent, people",
        "series.d.period: unknown period 'quarter'; known: fiscal_year_april, calendar_year",
        "series.Upper_case: series names are lower-case letters, digits and '_' (the CSV file is <name>.csv)",
    )] + ["12 problems found"]


def test_a_series_toml_that_cannot_be_read_is_named_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = _folder(tmp_path)
    with open(folder / "series.toml", "wb") as fh:
        fh.truncate(256 * 1024 + 1)
    assert _refused("hist") == ["hist/series.toml: file is 262,145 bytes, more than the 262,144 allowed for a "
                                "series.toml; is this the right file?", "1 problem found"]
    (folder / "series.toml").unlink()
    (folder / "series.toml").mkdir()
    assert _refused("hist") == ["hist/series.toml: is a folder, not a series.toml", "1 problem found"]
    (folder / "series.toml").rmdir()
    assert _refused("hist") == ["hist/series.toml: file not found", "1 problem found"]
    (folder / "series.toml").write_bytes(GOOD.encode() + b'caveat = "\x96"\n')  # a Windows-1252 dash
    assert _refused("hist") == ["hist/series.toml: line 9: not UTF-8 text (byte 0x96); save the file as UTF-8",
                                "1 problem found"]


# --- load_history: what it says of paths, and the Series it builds ------------------------------------

def test_paths_that_are_not_history_are_named_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _refused("nowhere") == ["nowhere: file not found; give a folder with series.toml or one series .csv file",
                                   "1 problem found"]
    (tmp_path / "series.xlsx").write_bytes(b"PK")
    assert _refused("series.xlsx") == ["series.xlsx: not a .csv file or a folder; give a folder with series.toml "
                                       "and the CSVs, or one series .csv file", "1 problem found"]
    (tmp_path / "exports_to_mars.csv").write_text(HEADER, encoding="utf-8")
    assert _refused("exports_to_mars.csv") == [
        f"exports_to_mars.csv: unknown series 'exports_to_mars': the file name must be one of "
        f"{', '.join(sorted(SERIES))} (.csv)", "1 problem found"]
    folder = _folder(tmp_path)
    (folder / "other.csv").write_text(HEADER, encoding="utf-8")
    (folder / "demo.csv").write_text(HEADER + "2020,-1,false,,\n", encoding="utf-8")
    assert _refused("hist") == ["hist/demo.csv: row 2: value -1 is negative; a usd_bn series cannot be",
                                "hist/other.csv: no [series.other] table in hist/series.toml says what it is",
                                "2 problems found"]


def test_a_series_carries_its_metadata_and_where_its_values_came_from(tmp_path):
    toml = GOOD + 'caveat = "Provisional"\n' + GOOD.replace("[series.demo]", "[series.plain]").replace(
        'publication = "Nothing"', 'publication = "Nothing"\ntable = "Table 3"')
    folder = _folder(tmp_path, toml=toml)
    (folder / "plain.csv").write_text(HEADER, encoding="utf-8")
    loaded = load_history(folder)
    demo, plain = loaded["demo"], loaded["plain"]
    assert (demo.name, demo.title, demo.description, demo.unit, demo.period, demo.vintage) == (
        "demo", "Demo", "A demonstration series", "usd_bn", "calendar_year", "2025")
    assert (demo.source, demo.caveat, demo.path) == ("Nobody, Nothing", "Provisional", folder / "demo.csv")
    assert (plain.source, plain.caveat, plain.path) == ("Nobody, Nothing, Table 3", "", folder / "plain.csv")
    # the same column types whether a table has rows or none (a header-only download)
    assert demo.table.dtypes.to_dict() == plain.table.dtypes.to_dict() == {
        "year": "int64", "value": "float64", "verified": "bool", "source": "object", "note": "object", "months": "int64"}


def test_values_are_floats_by_whole_year_whatever_the_table_holds():
    # a table made by hand: counts of people as whole numbers, years as floats (as pandas reads a
    # column with a gap); values() still gives floats indexed by integer years named "year"
    table = pd.DataFrame({"year": [2019.0, 2020.0], "value": [37933, 38558], "verified": [True, True],
                          "source": [PAGE, PAGE], "note": ["", ""], "months": [12, 12]})
    v = Series("people", "People", "people", "calendar_year", "", "", table).values()
    assert v.to_dict() == {2019: 37933.0, 2020: 38558.0} and v.name == "people"
    assert (v.dtype, v.index.dtype, v.index.name) == ("float64", "int64", "year")


def test_a_bad_table_is_one_problem(tmp_path, monkeypatch):
    """A [series.<name>] table with a problem is reported for that problem only: its CSV is not
    also called undescribed (found by the mutation review, 2026-12-08)."""
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, unit="usd_mn")
    assert _refused("hist") == ["hist/series.toml: series.demo.unit: unknown unit 'usd_mn'; known: "
                                "usd_bn, jpy_per_usd, percent, people", "1 problem found"]
