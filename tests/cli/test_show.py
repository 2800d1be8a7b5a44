"""--show chooses what the console, plots and report show (issue 30, item 4), and a comparison
orders what it shows by the size of the paired effect, the unchanged left to one line."""
import json
import re

import pandas as pd
import pytest

from simulator.labels import format_value

US = "India's exports to the US"


def _svg_title(path) -> str:
    """The texts matplotlib wrote into an SVG (as comments beside the glyph paths)."""
    return " | ".join(re.findall(r"<!-- (.*?) -->", path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def tariff_comparison(tmp_path_factory):
    """baseline vs us-tariffs-persist with --show trade.exports_india_to_us, and its report:
    (folder, console text, report html)."""
    import contextlib
    import io

    from simulator.cli import main
    folder = tmp_path_factory.mktemp("show") / "c"
    text = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(text):
        mp.setenv("COLUMNS", "220")
        code = main(["compare", "baseline", "us-tariffs-persist", "--draws", "300", "--out", str(folder),
                     "--show", "trade.exports_india_to_us", "--svg"])  # SVG too: its titles are text
        assert code == 0
        assert main(["report", str(folder)]) == 0
    return folder, text.getvalue(), (folder / "report.html").read_text(encoding="utf-8")


def test_compare_show_puts_the_variable_in_the_console(tariff_comparison):
    folder, text, _ = tariff_comparison
    table = pd.read_csv(folder / "comparison.csv")
    row = table[(table.variable == "trade.exports_india_to_us") & (table.year == 2030)
                & (table.scenario == "us-tariffs-persist")].iloc[0]
    values = [line for line in text.splitlines() if US in line and "FY2030-31" in line]
    assert len(values) == 2, values  # its values row and its paired-difference row
    assert format_value(row.p50, "usd_bn") in values[0]
    assert format_value(row.diff_p50, "usd_bn") in values[1] and row.diff_p50 < 0
    # only what was asked for: no headline variable has a row
    assert "Japanese FDI in India" not in text and "India's trade balance with Japan" not in text


def test_compare_show_draws_the_variable_and_nothing_else(tariff_comparison):
    folder, _, _ = tariff_comparison
    plots = sorted(p.name for p in (folder / "plots").glob("*.svg"))
    assert plots == ["compare_trade.exports_india_to_us.svg", "difference_us-tariffs-persist_trade.exports_india_to_us.svg"]
    assert f"{US}: medians and 90% bands" in _svg_title(folder / "plots" / plots[0])
    assert f"{US}: us-tariffs-persist minus baseline" in _svg_title(folder / "plots" / plots[1])


def test_compare_show_reaches_the_report(tariff_comparison):
    folder, _, html = tariff_comparison
    label = US.replace("'", "&#x27;")
    diffs = pd.read_csv(folder / "headline_differences.csv")
    assert set(diffs.variable) == {"trade.exports_india_to_us"}
    d = diffs[diffs.year == 2030].iloc[0]
    assert re.search(rf"<td>{re.escape(label)}</td><td>US\$ bn</td><td class=\"n\">FY2030-31</td>"
                     rf"<td class=\"n\">{re.escape(format_value(d.diff_p50, 'usd_bn'))}</td>", html)
    assert html.count("<figure>") == 2 and f'alt="{label}: each scenario' in html


def test_compare_orders_by_effect_and_leaves_the_unchanged_to_one_line(cli, tmp_path):
    """The issue's report drew 9 overlays of which 7 were unchanged in every draw."""
    code, out, err = cli("compare", "baseline", "us-tariffs-persist", "--draws", "200", "--out", "c")
    assert code == 0, err
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    table = pd.read_csv(tmp_path / "c" / "comparison.csv")
    changed = set(table[(table.scenario != "baseline") & ((table.diff_p05 != 0) | (table.diff_p95 != 0))].variable)
    assert manifest["shown"] and set(manifest["shown"]) <= changed
    assert "investment.fdi_stock" in manifest["unchanged"] and "exchange.cumulative_total" in manifest["unchanged"]
    overlays = sorted(p.stem[len("compare_"):] for p in (tmp_path / "c" / "plots").glob("compare_*.png"))
    assert overlays == sorted(manifest["shown"])  # no overlay of a variable no draw changes
    # largest effect first: |median difference| over the reference's 90% width, 2030 and the final year
    effect = {}
    for v in manifest["shown"]:
        rows = table[(table.variable == v) & table.year.isin([2030, 2034])]
        ref = rows[rows.scenario == "baseline"].set_index("year")
        other = rows[rows.scenario != "baseline"].set_index("year")
        effect[v] = max(abs(other.loc[y, "diff_p50"]) / (ref.loc[y, "p95"] - ref.loc[y, "p05"]) for y in (2030, 2034))
    assert manifest["shown"] == sorted(effect, key=effect.get, reverse=True)
    from simulator.variables import VARIABLES
    labels = [line.split("│")[1].strip() for line in out.split("paired differences")[1].splitlines()
              if line.startswith("│ ")]
    assert list(dict.fromkeys(labels)) == [VARIABLES[v].label for v in manifest["shown"]]
    same = [line for line in out.splitlines() if line.startswith("unchanged in every draw: ")]
    assert len(same) == 1 and "Japanese FDI in India, cumulative" in same[0]
    assert cli("report", "c")[0] == 0
    html = (tmp_path / "c" / "report.html").read_text(encoding="utf-8")
    assert html.count("<figure>") == len(list((tmp_path / "c" / "plots").glob("*.png")))
    assert "Unchanged in every draw: " in html and "Japanese FDI in India, cumulative" in html


def test_run_show_chooses_console_plots_and_report(cli, tmp_path):
    code, out, err = cli("run", "baseline", "--draws", "200", "--out", "r", "--svg", "--show",
                         "trade.exports_india_to_us,exchange.cumulative_total")
    assert code == 0, err
    summary = pd.read_csv(tmp_path / "r" / "summary.csv").set_index(["variable", "year"])
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    assert [r.split("│")[1].strip() for r in rows] == [US, US, "People exchanged to date", "People exchanged to date"]
    assert format_value(summary.loc[("trade.exports_india_to_us", 2034), "p50"], "usd_bn") in rows[1]
    people = format_value(summary.loc[("exchange.cumulative_total", 2030), "p50"], "people")
    assert people in rows[2] and re.search(r"\d{3},\d{3}", people)  # whole people
    assert sorted(p.name for p in (tmp_path / "r" / "plots").glob("*.png")) == [
        "exchange.cumulative_total.png", "trade.exports_india_to_us.png"]
    assert US in _svg_title(tmp_path / "r" / "plots" / "trade.exports_india_to_us.svg")
    assert cli("report", "r")[0] == 0
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert html.count("<figure>") == 2
    assert US.replace("'", "&#x27;") + "</td>" in html and "Japanese FDI in India" not in html


@pytest.mark.parametrize("verb", [["run", "baseline"], ["compare", "baseline", "us-tariffs-persist"]])
def test_unknown_show_is_refused_with_a_suggestion(cli, tmp_path, verb):
    code, out, err = cli(*verb, "--draws", "50", "--out", "x", "--show", "trade.exports_india_to_usa")
    assert code == 2 and out == ""
    assert "--show: unknown variable 'trade.exports_india_to_usa'; did you mean 'trade.exports_india_to_us'?" in err
    assert "Traceback" not in err and not (tmp_path / "x").exists()
    code, _, err = cli(*verb, "--draws", "50", "--out", "x", "--show", "investment.disbursed_by_sector")
    assert code == 2 and "one series per sector" in err and not (tmp_path / "x").exists()
