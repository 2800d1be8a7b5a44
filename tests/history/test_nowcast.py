"""A year from its first months (issue 28, item 5): the nowcast's closed form, where a projection
starts, and that a newer figure in a copy of the history moves the baseline with no other change."""
import math
import shutil

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.history import load_history
from simulator.history.nowcast import SHARE_LOG_SD_FLOOR, SHARE_LOG_SD_UNSEASONAL, latest_start, months_label, nowcast
from simulator.history.files import Rows
from simulator.history.series import Series, history_dir

from tests.conftest import SCENARIOS


def series(rows) -> Series:
    table = pd.DataFrame(rows, columns=["year", "value", "months", "verified"]).assign(
        source="https://example.org/page", note="")
    return Series("x", "x", "usd_bn", "fiscal_year_april", "", "", table)


def test_the_share_of_earlier_years_scales_the_first_months_up():
    s = series([(2021, 12.0, 12, True), (2021, 9.0, 10, True), (2022, 10.0, 12, True), (2022, 8.0, 10, True),
                (2023, 11.0, 10, True)])
    cast = nowcast(s)
    shares = np.log([9 / 12, 8 / 10])
    assert cast.year == 2023 and cast.months == 10 and cast.share_years == (2021, 2022)
    assert cast.median == pytest.approx(11.0 / np.exp(shares.mean()), rel=1e-12)
    assert cast.log_sd == pytest.approx(max(shares.std(ddof=1), SHARE_LOG_SD_FLOOR), rel=1e-12)
    lo, hi = cast.quantile([0.05, 0.95])
    assert lo < cast.median < hi and math.log(hi / cast.median) == pytest.approx(1.6448536 * cast.log_sd, rel=1e-6)


def test_one_earlier_year_gives_the_floor_and_none_the_calendar_share():
    one = nowcast(series([(2022, 10.0, 12, True), (2022, 8.0, 10, True), (2023, 11.0, 10, True)]))
    assert one.median == pytest.approx(11.0 / 0.8) and one.log_sd == SHARE_LOG_SD_FLOOR
    none = nowcast(series([(2022, 10.0, 12, True), (2023, 11.0, 10, True)]))
    assert none.median == pytest.approx(11.0 * 12 / 10) and none.log_sd == SHARE_LOG_SD_UNSEASONAL
    assert none.share_years == ()


def test_unverified_months_are_left_out_unless_asked_for():
    s = series([(2022, 10.0, 12, True), (2022, 8.0, 10, True), (2023, 11.0, 10, True), (2023, 12.5, 11, False)])
    assert nowcast(s).months == 10
    assert nowcast(s, verified_only=False).months == 11  # the most months published


def test_the_start_is_the_newest_year_whole_or_nowcast():
    whole = series([(2022, 10.0, 12, True), (2023, 11.0, 12, True), (2022, 8.0, 10, True)])
    assert latest_start(whole) == (2023, 11.0)
    partial = series([(2022, 10.0, 12, True), (2022, 8.0, 10, True), (2023, 9.0, 10, True)])
    year, cast = latest_start(partial)
    assert year == 2023 and cast.median == pytest.approx(9.0 / 0.8)
    with pytest.raises(ValueError, match="no partial-year value"):
        nowcast(whole)


def test_months_are_named_for_the_period():
    assert months_label("fiscal_year_april", 10) == "April-January"
    assert months_label("calendar_year", 6) == "January-June"
    assert months_label("fiscal_year_april", 1) == "April"


def test_the_baseline_starts_from_fy2024_25s_nowcast():
    """April-January FY2024-25 (US$5.1 and 15.92 bn, PTI, Feb 2025) over April-January's share of
    FY2023-24 (derived from the same report's growth rates)."""
    baseline = simulator.load_scenario(SCENARIOS / "baseline.toml")
    assert baseline.params["trade.start_year"] == 2024
    x = dict(baseline.params["trade.start_exports_india_to_japan_usd_bn"].params)
    m = dict(baseline.params["trade.start_exports_japan_to_india_usd_bn"].params)
    assert x["median"] == pytest.approx(5.1 * 5.15 / (5.1 / 1.2112), rel=1e-4)
    assert m["median"] == pytest.approx(15.92 * 17.69 / (15.92 / 1.091), rel=1e-4)
    assert x["sigma"] == m["sigma"] == SHARE_LOG_SD_FLOOR
    assert baseline.origin("trade.start_exports_india_to_japan_usd_bn") == "history: nowcast"


def _copy_history(tmp_path):
    folder = tmp_path / "history"
    shutil.copytree(history_dir(), folder)
    return folder


def _with_row(folder, name, row: str):
    path = folder / f"{name}.csv"
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")


def _publish_whole_year(folder, name, year: int, value: float):
    """The year's whole-year row (the shipped one is an unverified report) replaced by a verified value."""
    import csv
    import io
    path = folder / f"{name}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, body = rows[0], [r for r in rows[1:] if r]
    at = {c: i for i, c in enumerate(header)}
    body = [r for r in body if not (int(r[at["year"]]) == year and r[at["months"]] in ("", "12"))]
    new = [""] * len(header)
    new[at["year"]], new[at["value"]], new[at["verified"]] = str(year), str(value), "true"
    new[at["source"]], new[at["note"]] = "https://example.org/whole-year", "test value"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body, new])
    path.write_text(out.getvalue(), encoding="utf-8")


def _median_2025(scenario) -> tuple[float, float]:
    r = simulator.run(scenario, draws=2000, seed=3)
    return tuple(float(np.median(r[v].sel(year=2025).values))
                 for v in ("trade.exports_india_to_japan", "trade.exports_japan_to_india"))


def test_a_newer_figure_in_the_history_moves_the_baseline_towards_it(tmp_path, write):
    """The whole of FY2024-25 published (here: values of our own, verified) replaces the nowcast;
    the projection's first year moves towards them. No file but the history changes."""
    folder = _copy_history(tmp_path)
    _publish_whole_year(folder, "exports_india_to_japan", 2024, 7.5)
    _publish_whole_year(folder, "exports_japan_to_india", 2024, 17.0)
    write("mine.toml", f'[scenario]\nname = "mine"\nextends = "{SCENARIOS / "baseline.toml"}"\n'
                       f'[trade]\nhistory = "{folder}"\n')
    mine = simulator.load_scenario(tmp_path / "mine.toml")
    assert mine.params["trade.start_year"] == 2024
    assert mine.params["trade.start_exports_india_to_japan_usd_bn"].value == 7.5
    base_x, base_m = _median_2025(simulator.load_scenario(SCENARIOS / "baseline.toml"))
    new_x, new_m = _median_2025(mine)
    assert base_x < new_x and abs(new_x / 7.5 - 1) < abs(base_x / 7.5 - 1)
    assert base_m > new_m and abs(new_m / 17.0 - 1) < abs(base_m / 17.0 - 1)


def test_more_months_of_the_year_move_the_nowcast(tmp_path, write):
    folder = _copy_history(tmp_path)
    _with_row(folder, "exports_india_to_japan", "2024,6.4,true,https://example.org/apr-feb,test value,11")
    _with_row(folder, "exports_japan_to_india", "2024,17.5,true,https://example.org/apr-feb,test value,11")
    history = load_history(folder)
    cast = nowcast(history["exports_india_to_japan"])
    assert cast.months == 11 and cast.median == pytest.approx(6.4 * 12 / 11)  # no earlier April-February: k/12
    write("mine.toml", f'[scenario]\nname = "mine"\nextends = "{SCENARIOS / "baseline.toml"}"\n'
                       f'[trade]\nhistory = "{folder}"\n')
    start = simulator.load_scenario(tmp_path / "mine.toml").params["trade.start_exports_india_to_japan_usd_bn"]
    assert dict(start.params)["median"] == pytest.approx(6.4 * 12 / 11)


def test_a_start_from_the_history_is_refused_where_it_cannot_be(write, cli):
    write("ar1.toml", f'[scenario]\nname = "x"\nextends = "{SCENARIOS / "baseline.toml"}"\n[trade]\nprocess = "ar1"\n')
    code, _, err = cli("validate", "ar1.toml")
    assert code == 2 and "trade.start: 'history' needs process = 'random_walk'" in err
    write("year.toml", f'[scenario]\nname = "x"\nextends = "{SCENARIOS / "baseline.toml"}"\n[trade]\nstart_year = 2024\n')
    code, _, err = cli("validate", "year.toml")
    assert code == 2 and "trade.start_year: set from the history" in err and "Traceback" not in err
    write("nohist.toml", f'[scenario]\nname = "x"\nextends = "{SCENARIOS / "baseline.toml"}"\n[trade]\nhistory = "nowhere"\n')
    code, _, err = cli("validate", "nohist.toml")
    assert code == 2 and "cannot read the history 'nowhere'" in err and "Traceback" not in err


def test_a_figure_of_ones_own_for_the_start_year_replaces_the_nowcast(write):
    path = write("own.toml", f'[scenario]\nname = "x"\nextends = "{SCENARIOS / "baseline.toml"}"\n'
                             '[trade]\nstart_exports_india_to_japan_usd_bn = 6.0\n')
    own = simulator.load_scenario(path)
    assert own.params["trade.start_exports_india_to_japan_usd_bn"].value == 6.0
    assert own.params["trade.start_year"] == 2024  # the year still the history's


def rows_of(rows, sources=None) -> Rows:
    """A CSV's checked rows (what a scenario reads, without pandas): no series name."""
    years, values, months, verified = (list(c) for c in zip(*rows))
    sources = sources or [f"https://example.org/{y}-{k}" for y, k in zip(years, months)]
    return Rows(years, values, verified, sources, [""] * len(years), months)


def test_the_nowcast_names_the_page_of_its_partial_value():
    cast = nowcast(rows_of([(2022, 12.0, 12, True), (2023, 5.0, 6, True), (2023, 8.0, 9, True)]))
    assert (cast.months, cast.partial, cast.source) == (9, 8.0, "https://example.org/2023-9")
    assert latest_start(rows_of([(2022, 12.0, 12, True), (2023, 8.0, 9, True)]))[1].source == \
        "https://example.org/2023-9"


def test_refusals_name_the_series_or_say_the_series():
    with pytest.raises(ValueError, match=r"^x: no partial-year value after the last whole year$"):
        nowcast(series([(2022, 12.0, 12, True)]))
    with pytest.raises(ValueError, match=r"^the series: no partial-year value for 2021 without a whole-year value$"):
        nowcast(rows_of([(2022, 12.0, 12, True), (2023, 8.0, 9, True)]), 2021)
    with pytest.raises(ValueError, match=r"^the series: no values$"):
        latest_start(rows_of([(2023, 8.0, 9, False)]))


def test_the_start_is_a_whole_year_newer_than_any_partial_one_and_unverified_values_when_asked():
    # the newest year is whole: an older year's first months do not move the start
    assert latest_start(series([(2022, 8.0, 10, True), (2023, 12.0, 12, True)])) == (2023, 12.0)
    # only first months, no whole year at all: their nowcast (s_k = 10/12)
    year, cast = latest_start(series([(2023, 10.0, 10, True)]))
    assert year == 2023 and cast.median == pytest.approx(12.0)
    # an unverified newer partial value counts when asked for, and its nowcast uses it
    s = series([(2022, 12.0, 12, True), (2023, 10.0, 10, False)])
    assert latest_start(s) == (2022, 12.0)
    year, cast = latest_start(s, verified_only=False)
    assert year == 2023 and cast.partial == 10.0
