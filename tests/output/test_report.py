"""The HTML report: self-contained, escaped, and rendered by a real browser (headless Chromium)."""

import pytest

from simulator.cli import main
from simulator.output.report import build_report

from tests.conftest import SCENARIOS, require_module
from tests.conftest import chromium as find_chromium

HOSTILE = """
[scenario]
name = "hostile"
extends = "{baseline}"
title = "<script>window.__pwned = 1</script>Tariffs & <b>bold</b> $5 claims"
description = "<img src=x onerror=\\"window.__pwned = 2\\"> \\"quoted\\" <iframe src='https://example.org'></iframe>"
draws = 200
"""

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    scenario = folder / "hostile.toml"
    scenario.write_text(HOSTILE.format(baseline=(SCENARIOS / "baseline.toml").as_posix()), encoding="utf-8")
    out = folder / "results"
    assert main(["run", str(scenario), "--out", str(out), "--quiet"]) == 0
    assert main(["report", str(out)]) == 0
    return out / "report.html"


def test_report_is_self_contained_and_escaped(hostile_report):
    html = hostile_report.read_text(encoding="utf-8")
    assert "<script" not in html and "<iframe" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "&lt;iframe" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert 'src="http' not in html and "src='http" not in html  # nothing loaded from elsewhere
    assert html.count("data:image/png;base64,") >= 6
    for section in ("Headline numbers", "Parameters and their sources", "Provenance", "assumption"):
        assert section in html


@pytest.mark.e2e  # a headless Chromium process
def test_report_renders_in_headless_chromium(hostile_report, tmp_path):
    chromium = find_chromium()
    playwright = require_module("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1600})
            page.goto(hostile_report.as_uri())
            images = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
            assert len(images) >= 6 and all(images), images
            assert page.evaluate("window.__pwned === undefined"), "script from scenario text ran"
            assert page.evaluate("document.querySelectorAll('script, iframe').length") == 0
            assert "<script>" in page.inner_text("h1")  # shown as text, not executed
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000  # a page with images, not a blank one
        finally:
            browser.close()


def test_report_of_a_comparison(cli, tmp_path):
    code, _, err = cli("compare", SCENARIOS / "baseline.toml", SCENARIOS / "us-tariffs-persist.toml",
                       "--draws", "300", "--out", "cmp")
    assert code == 0, err
    assert cli("report", "cmp")[0] == 0
    html = (tmp_path / "cmp" / "report.html").read_text(encoding="utf-8")
    assert "Paired differences against baseline" in html and "us-tariffs-persist" in html


@pytest.mark.parametrize("make", ["missing", "no-manifest", "bad-manifest"])
def test_report_bad_folder_exit_2(make, cli, tmp_path):
    folder = tmp_path / "f"
    if make != "missing":
        folder.mkdir()
    if make == "bad-manifest":
        (folder / "manifest.json").write_text("{not json")
    code, _, err = cli("report", "f")
    assert code == 2 and "f" in err and "Traceback" not in err
    assert not (folder / "report.html").exists()


def test_build_report_escapes_parameter_values(tmp_path):
    import json
    (tmp_path / "plots").mkdir()
    from simulator.output.folders import sha256_file
    (tmp_path / "summary.csv").write_text("variable,unit,year,mean,sd,p05,p25,p50,p75,p95\n")
    (tmp_path / "manifest.json").write_text(json.dumps({
        "kind": "run", "scenario": "x", "title": "t", "description": "d",
        "files": {"summary.csv": sha256_file(tmp_path / "summary.csv")},
        "parameters": {"a.b": {"value": "<b>v</b>", "unit": "u", "from": "f", "source": "<i>s</i>"}}}))
    html = build_report(tmp_path)
    assert "&lt;b&gt;v&lt;/b&gt;" in html and "&lt;i&gt;s&lt;/i&gt;" in html


@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_chromium_fails_under_ci_and_skips_elsewhere(ci, outcome, monkeypatch, tmp_path):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    with pytest.raises(outcome, match="chromium is not installed"):
        find_chromium()
