"""Saving what you change: Scenario.to_toml round-trips through load_scenario, and save_results
writes the folder and report the command line would."""
import json
import re
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import simulator
from simulator.montecarlo.comparison import compare
from simulator.shipped import shipped_scenarios

from tests.conftest import SCENARIOS


def _same(a: simulator.Scenario, b: simulator.Scenario) -> None:
    assert dict(a.params) == dict(b.params)
    for field in ("name", "title", "description", "horizon_start", "horizon_years", "draws", "seed", "sampler",
                  "block_size"):
        assert getattr(a, field) == getattr(b, field), field
    assert a.names("exchange.streams") == b.names("exchange.streams")
    assert a.names("exchange.stages") == b.names("exchange.stages")


@pytest.mark.parametrize("path", shipped_scenarios(), ids=[p.stem for p in shipped_scenarios()])
def test_every_shipped_scenario_round_trips(path, tmp_path):
    scenario = simulator.load_scenario(path)
    written = tmp_path / "elsewhere" / "copy.toml"
    written.parent.mkdir()
    scenario.to_toml(written)
    assert "extends" not in tomllib.loads(written.read_text(encoding="utf-8"))["scenario"]  # stands on its own
    _same(simulator.load_scenario(written), scenario)


def test_a_changed_scenario_round_trips(tmp_path):
    base = simulator.load_scenario(SCENARIOS / "us-tariffs-persist.toml")
    changed = base.with_params({
        "scenario.name": "my-variant",
        "scenario.description": 'Quotes " and \\ backslashes,\nlines, tabs\t, a control \x01 char, yen ¥ and $.',
        "investment.realisation_rate": {"dist": "beta", "alpha": 2.0, "beta": 5.0},
        "investment.fx_jpy_per_usd": {"2025": 147.06, "2030": 160.5, "interpolation": "linear"},
        "tariffs.us_on_india": {"2023": 0.0, "2025": 0.1},
        "exchange.streams.researchers.entrants_per_year": 25_000,
        "trade.shock_correlation": 0.1 + 0.2,  # a float whose shortest text is long
    })
    text = changed.to_toml(tmp_path / "v.toml")
    assert text == (tmp_path / "v.toml").read_text(encoding="utf-8")
    again = simulator.load_scenario(tmp_path / "v.toml")
    _same(again, changed)
    assert again.params["trade.shock_correlation"].value == 0.1 + 0.2


def test_a_saved_scenario_runs_the_same(tmp_path):
    scenario = simulator.load_scenario(SCENARIOS / "talent-bottleneck.toml")
    scenario.to_toml(tmp_path / "t.toml")
    a = simulator.run(scenario, draws=64, seed=3)
    b = simulator.run(simulator.load_scenario(tmp_path / "t.toml"), draws=64, seed=3)
    assert a.dataset.equals(b.dataset)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_title_survives_the_round_trip(title):
    from simulator.scenario.writer import document_to_toml
    doc = {"scenario": {"name": "x", "title": title}}
    assert tomllib.loads(document_to_toml(doc)) == doc


def test_save_results_writes_the_folder_and_the_report(tmp_path):
    import matplotlib.pyplot as plt

    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    result = simulator.run(scenario, draws=100, seed=1)
    folder = simulator.save_results(result, tmp_path / "run")
    names = {p.name for p in folder.iterdir()}
    assert {"summary.csv", "iamc.csv", "ensemble.nc", "events.csv", "manifest.json", "plots",
            "report.html"} <= names
    assert (folder / "plots" / "trade.png").is_file()
    assert "<html" in (folder / "report.html").read_text(encoding="utf-8")
    assert json.loads((folder / "manifest.json").read_text())["draws"] == 100
    assert plt.get_fignums() == []  # nothing left open, so nothing is shown in a notebook
    with pytest.raises(simulator.UserError, match="already exists"):
        simulator.save_results(result, folder)
    simulator.save_results(result, folder, force=True, plots=False, report=False)
    assert not (folder / "plots").exists() and not (folder / "report.html").exists()


def test_save_results_of_a_comparison(tmp_path):
    pair = [simulator.load_scenario(SCENARIOS / n) for n in ("baseline.toml", "us-tariff-deal.toml")]
    comparison = compare(pair, draws=50, seed=2, labels=["Today", "Deal"])
    folder = simulator.save_results(comparison, tmp_path / "cmp", plots=False)
    assert {"comparison.csv", "iamc.csv", "ensemble.nc", "report.html"} <= {p.name for p in folder.iterdir()}
    assert [s["label"] for s in json.loads((folder / "manifest.json").read_text())["scenarios"]] == ["Today", "Deal"]


@pytest.mark.e2e  # a process pool
def test_plots_on_processes_are_the_files_drawn_in_one(tmp_path):
    from simulator.output.figure_formats import figure_formats
    from simulator.output.plots import write_fan_charts

    scenario = simulator.load_scenario(SCENARIOS / "baseline.toml")
    result = simulator.run(scenario, draws=200, seed=2)
    from simulator.output.drawing_pool import DrawingPool

    with figure_formats(svg=True):
        one = write_fan_charts(result, tmp_path / "one", processes=1)
        two = write_fan_charts(result, tmp_path / "two", processes=2)
        with DrawingPool(2) as pool:  # started before the figures' data exist, as `ijsim run` does
            pooled = write_fan_charts(result, tmp_path / "pooled", pool=pool)
    assert [p.name for p in one] == [p.name for p in two] == [p.name for p in pooled]
    # byte for byte, SVGs too (their ids are hashed from the file name, not a random salt)
    assert {p.suffix for p in one} == {".png", ".svg"}
    for a, b, c in zip(one, two, pooled):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes(), a.name
    svg = (tmp_path / "one" / "trade.svg").read_text()
    assert 'id="' in svg and svg.count('id="') == len(set(re.findall(r'id="([^"]+)"', svg)))


def test_plots_are_png_unless_svg_is_asked(tmp_path):
    """Issue 31: PNG only by default (the report embeds PNGs); --svg, or svg=True, adds SVG."""
    result = simulator.run(simulator.load_scenario(SCENARIOS / "baseline.toml"), draws=100, seed=2)
    png = simulator.save_results(result, tmp_path / "png", report=False)
    both = simulator.save_results(result, tmp_path / "both", report=False, svg=True)
    assert {p.suffix for p in (png / "plots").iterdir()} == {".png"}
    assert {p.suffix for p in (both / "plots").iterdir()} == {".png", ".svg"}
    assert sorted(p.stem for p in (png / "plots").iterdir()) == sorted(p.stem for p in (both / "plots").glob("*.svg"))


def test_the_svg_option_writes_svg_beside_png(cli, tmp_path):
    assert cli("run", SCENARIOS / "baseline.toml", "--draws", "60", "--no-report", "--out", "a")[0] == 0
    assert cli("run", SCENARIOS / "baseline.toml", "--draws", "60", "--no-report", "--svg", "--out", "b")[0] == 0
    a, b = tmp_path / "a" / "plots", tmp_path / "b" / "plots"
    assert not list(a.glob("*.svg")) and sorted(p.stem for p in b.glob("*.svg")) == sorted(p.stem for p in a.glob("*.png"))
    for png in a.glob("*.png"):  # the same PNGs either way
        assert png.read_bytes() == (b / png.name).read_bytes(), png.name
