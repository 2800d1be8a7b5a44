"""Tables fit to read (issue 32): at 80 columns `ijsim list` split "capacity-expansio / n.toml",
`ijsim params` cut yearly paths with an ellipsis even at 220 columns, and probabilities printed as
"23% ± 0.4" (no unit) beside "points" in compare and "percentage points" in the report."""
from __future__ import annotations

import pytest

from simulator.cli.tables import column_widths, records
from simulator.shipped import shipped_scenarios

from tests.conftest import SCENARIOS


@pytest.fixture
def at(cli, monkeypatch):
    """Run a read-only verb from the project's folder (files shown as a user there sees them) with the
    terminal `width` columns wide (rich reads COLUMNS when it prints)."""
    def run(width: int, *args):
        monkeypatch.chdir(SCENARIOS.parent)
        monkeypatch.setenv("COLUMNS", str(width))
        code, out, err = cli(*args)
        assert code == 0, err
        return out
    return run


def _lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize("width", [80, 120, 220])
def test_list_keeps_every_file_name_whole(at, width):
    out = at(width, "list")
    assert max(map(len, _lines(out))) <= width
    for path in shipped_scenarios():
        name = f"scenarios/{path.name}"
        assert any(name in line for line in _lines(out)), f"{name} split at {width} columns"
    assert "…" not in out


@pytest.mark.parametrize("width", [80, 220])
def test_params_shows_yearly_paths_whole_and_cuts_nothing(at, width):
    out = at(width, "params", "us-tariffs-persist")
    assert "…" not in out and max(map(len, _lines(out))) <= width
    flat = " ".join(out.split())  # a value may wrap between its years, never lose one
    assert "2023: 0, 2025: 0.2938, 2026: 0.25" in flat
    assert "2025: 0.011, 2026: 0.007, 2027: 0.006" in flat  # Japan's growth path, inherited
    for name in ("scenarios/us-tariffs-persist.toml", "scenarios/baseline.toml"):
        assert any(name in line for line in _lines(out))


def test_params_at_220_columns_is_a_table_and_at_80_records(at):
    wide = at(220, "params", "us-tariffs-persist")
    assert any(line.split()[:1] == ["tariffs.us_on_india"] and "share" in line for line in _lines(wide))
    narrow = at(80, "params", "us-tariffs-persist")
    assert "tariffs.us_on_india" in _lines(narrow)
    assert "  value: 2023: 0, 2025: 0.2938, 2026: 0.25" in _lines(narrow)


@pytest.mark.parametrize("width", [80, 200])
def test_variables_fit(at, width):
    out = at(width, "variables")
    assert max(map(len, _lines(out))) <= width and "…" not in out
    assert "trade.exports_india_to_japan" in out


def test_column_widths_share_what_is_left_and_refuse_what_cannot_fit():
    columns = ["name", "title", "file"]
    rows = [["a", "a title of several words " * 3, "scenarios/capacity-expansion.toml"]]
    widths = column_widths(columns, rows, ("name", "file"), 80)
    assert widths["file"] == len("scenarios/capacity-expansion.toml") and widths["name"] == 4
    assert sum(widths.values()) + 2 * len(columns) + 2 <= 80
    assert column_widths(columns, rows, ("name", "file"), 40) is None  # the file name and a few words do not fit
    lines = records(columns, rows, 40).splitlines()
    assert lines[-2:] == ["  file:", "    scenarios/capacity-expansion.toml"]  # on its own line, whole
    assert max(map(len, lines)) <= 40


def test_probabilities_and_their_differences_are_in_percentage_points(cli):
    code, out, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml",
                         "--draws", "200", "--no-plots", "--out", "cmp")
    assert code == 0, err
    probability = [line for line in out.splitlines() if "%" in line and "±" in line]
    assert probability and all(" pp" in line for line in probability)
    assert "points" not in out.replace("percentage points", "")
    assert "percentage points (pp)" in out
