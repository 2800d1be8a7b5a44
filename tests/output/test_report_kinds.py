"""A report for every kind of results folder, plots in reading order with real captions, per-scenario
event probabilities, and a parameter table that a browser 1280 px wide shows without wrapping
units and file names letter by letter."""
import re
from html import unescape

import pytest

from simulator.cli import main
from simulator.output.report_sections import run_plots

from tests.conftest import ROOT, SCENARIOS, require_module

# Four commands with their plots and reports (about 10 s) before the first check: make test, not make check.
pytestmark = pytest.mark.slow
from tests.conftest import chromium as find_chromium

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """One folder of each kind, each with its report.html: {kind: path of the report}."""
    root = tmp_path_factory.mktemp("kinds")
    small = ROOT / "tests" / "scenarios" / "small_exchange.toml"
    commands = {
        "run": ["run", SCENARIOS / "us-tariffs-persist.toml", "--draws", "300"],
        "comparison": ["compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml", "--draws", "300",
                       "--label", "Today", "--label", "Tariffs stay"],
        "flows": ["flows", small, "-r", "2"],
        "sensitivity": ["sensitivity", SCENARIOS / "baseline.toml", "--method", "sobol", "--n", "32",
                        "--output", "trade.balance", "--year", "2030"],
    }
    out = {}
    for kind, args in commands.items():
        folder = root / kind
        assert main([str(a) for a in args] + ["--out", str(folder), "--quiet"]) == 0, kind
        assert main(["report", str(folder)]) == 0, kind
        out[kind] = folder / "report.html"
    return out


def _captions(html: str) -> list[str]:
    return [unescape(c) for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html)]


@pytest.mark.parametrize("kind, sections", [
    ("run", ["Headline numbers", "Parameters and their sources"]),
    ("comparison", ["Paired differences", "Events: how likely in each scenario"]),
    ("flows", ["Stages", "The exchange, year by year"]),
    ("sensitivity", ["Inputs by influence", "S1 is the share"]),
])
def test_every_kind_of_folder_gets_a_report(reports, kind, sections):
    html = reports[kind].read_text(encoding="utf-8")
    for section in sections:
        assert section in html, (kind, section)
    assert len(_captions(html)) >= 1 and "data:image/png;base64," in html


def test_run_plots_come_in_reading_order_with_captions(reports):
    folder = reports["run"].parent
    captions = _captions(reports["run"].read_text(encoding="utf-8"))
    # run_plots foresees every fan chart a run folder may hold (earlier ones had the trade flows' own);
    # the report shows those this folder has, every one of them, in that order
    expected = [caption for stem, caption in run_plots({}) if (folder / "plots" / f"{stem}.png").is_file()]
    assert captions == expected and len(captions) == len(list((folder / "plots").glob("*.png"))) == 9
    assert captions[0].startswith("Pledge disbursed in the year")
    assert "fiscal years" in next(c for c in captions if c.startswith("India–Japan goods trade"))
    assert not [c for c in captions if re.fullmatch(r"[\w.]+", c)], "a caption is a file name"
    # the trade charts lead in with the observed years (issue 28); the others have none to show
    observed = [c for c in captions if "after the observed years (hollow: unverified)" in c]
    assert len(observed) == 1 and observed[0].startswith("India–Japan goods trade"), observed  # the trade panel


def test_flows_plots_follow_the_pipeline(reports):
    captions = _captions(reports["flows"].read_text(encoding="utf-8"))
    assert [c.split(" ")[0] for c in captions] == ["People", "Arrivals", "Skilled"]
    html = reports["flows"].read_text(encoding="utf-8")
    assert html.index(">training<") < html.index(">coe<") < html.index(">visa<")


def test_comparison_report_has_each_scenarios_event_probabilities(reports):
    html = reports["comparison"].read_text(encoding="utf-8")
    section = html[html.index("Events: how likely in each scenario"):]
    section = section[:section.index("</table>")]
    assert "Today" in section and "Tariffs stay" in section and "FY2030-31" in section
    assert len(re.findall(r"\d+%", section)) >= 8  # four events, two scenarios
    captions = _captions(html)
    assert any("Tariffs stay minus Today, paired" in c for c in captions)
    assert any(c.startswith("India's trade balance with Japan: each scenario's") and "observed years" in c
               for c in captions)


@pytest.mark.e2e  # a headless Chromium process
def test_parameter_table_is_readable_at_1280_px(reports, tmp_path):
    chromium = find_chromium()
    playwright = require_module("playwright.sync_api")
    lines_per_cell = """(column) => Array.from(document.querySelectorAll('table.params tbody tr')).map(tr => {
        const range = document.createRange(); range.selectNodeContents(tr.cells[column]);
        return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size; })"""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(reports["run"].as_uri())
            header = page.evaluate("Array.from(document.querySelectorAll('table.params th')).map(t => t.innerText)")
            assert header == ["parameter", "value", "unit", "set by", "source"]
            for column in (2, 3):  # unit, set by: one line each
                lines = page.evaluate(lines_per_cell, column)
                assert len(lines) > 50 and max(lines) <= 1, (header[column], max(lines))
            assert max(page.evaluate(lines_per_cell, 0)) <= 3  # the longest names break at their dots, nowhere else
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scrolling
            page.locator("table.params").screenshot(path=str(tmp_path / "parameters.png"))
            assert (tmp_path / "parameters.png").stat().st_size > 20_000
        finally:
            browser.close()


def test_report_tables_read_like_the_console(reports):
    html = reports["run"].read_text(encoding="utf-8")
    headline = html[html.index("Headline numbers"):html.index("Plots")]
    assert "US$ bn" in headline and "usd_bn" not in headline
    assert "FY2030-31" in headline and "FY2034-35" in headline
    people = re.findall(r"People exchanged to date</td><td>people</td><td[^>]*>2030</td><td[^>]*>([^<]+)<", headline)
    assert people and re.fullmatch(r"\d{1,3}(,\d{3})+", people[0])
    diffs = reports["comparison"].read_text(encoding="utf-8")
    diffs = diffs[diffs.index("Paired differences"):diffs.index("Events: how likely")]
    assert "-0.00" not in diffs and re.search(r">0\.0\d\d", diffs)  # small differences keep their digits
