"""A self-contained HTML report of a run or a comparison folder.

Everything shown from a scenario file (titles, descriptions, parameter values) is HTML-escaped, and
the page carries a Content-Security-Policy that allows no script at all, so text in a scenario
can never run in a reader's browser. Images are embedded as data URIs: the file can be mailed.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from html import escape
from pathlib import Path

import pandas as pd

from simulator._version import __version__
from simulator.errors import UserError
from simulator.montecarlo.summaries import headline_years
from simulator.variables import VARIABLES
from simulator.output import ownership
from simulator.output.folders import read_manifest, verified
from simulator.output.html import Html, breakable, figures, table
from simulator.labels import format_probability, format_value, unit_label, year_label
from simulator.output.report_sections import comparison_probabilities, event_year_label

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
GENERATOR = "ijsim report"
STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #ddd;padding:.3em .6em;
text-align:left;vertical-align:top;overflow-wrap:break-word}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.params td:nth-child(3),table.params td:nth-child(4){white-space:nowrap}
th{background:#f4f4f4}.desc{white-space:pre-wrap;color:#444}figure{display:inline-block;margin:.5em;vertical-align:top;max-width:520px}
img{max-width:520px;border:1px solid #eee}.small{color:#666;font-size:.85em}code{font-size:.9em}
"""


def _value(v) -> str:
    """A parameter value from the manifest as short text."""
    if isinstance(v, dict) and "dist" in v:
        return f"{v['dist']}(" + ", ".join(f"{k} {x:g}" if isinstance(x, (int, float)) else f"{k} {x}"
                                         for k, x in v.items() if k != "dist") + ")"
    if isinstance(v, dict):
        interp = v.get("interpolation")
        points = " → ".join(f"{k}: {x:g}" if isinstance(x, (int, float)) else f"{k}: {x}"
                            for k, x in v.items() if k != "interpolation")
        return points + (f" ({interp})" if interp and interp != "step" else "")
    if isinstance(v, list):
        return ", ".join(map(str, v)) or "—"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, str) and "://" in v:  # page addresses (observed_stock_source, level_source) break after slashes
        return Html(escape(v).replace("/", "/<wbr>"))
    return str(v)


def _provenance(manifest: dict) -> str:
    rows = [[k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v]
            for k, v in manifest.items() if k not in ("parameters", "files", "scenarios", "description")]
    files = [[name, digest] for name, digest in manifest.get("files", {}).items()]
    return (table(["field", "value"], rows) + "<h3>Output files (sha256)</h3>" + table(["file", "sha256"], files))


def _fmt(x: float, unit: str = "") -> str:
    """As the console shows numbers: whole people, enough digits for small differences, never '-0'."""
    return format_value(x, unit)


def _run_body(folder: Path, manifest: dict) -> str:
    summary = pd.read_csv(verified(folder, manifest, "summary.csv"))
    keep = headline_years(sorted(summary.year.unique()))
    rows = []
    shown = manifest.get("show") or [name for name, info in VARIABLES.items() if info.headline]  # --show's, if given
    for name in shown:
        info = VARIABLES[name]
        for y in keep:
            r = summary[(summary.variable == name) & (summary.year == y)]
            if len(r):
                r = r.iloc[0]
                rows.append([info.label, unit_label(r.unit), year_label(name, y), _fmt(r.p50, r.unit), f"{_fmt(r.p05, r.unit)} – {_fmt(r.p95, r.unit)}"])
    parts = [f"<h2>Headline numbers</h2>{table(['variable', 'unit', 'year', 'median', '90% interval'], rows, {2, 3, 4})}"]
    if "events.csv" in manifest["files"]:
        prob = pd.read_csv(verified(folder, manifest, "events.csv"))
        definitions = manifest.get("events", {}) if isinstance(manifest.get("events"), dict) else {}
        parts.append("<h2>Events</h2><p class=\"small\">The share of draws in which each event happens, ± its "
                     "Monte Carlo error in percentage points (pp): how precisely the draws estimate the share, not "
                     "how certain the answer is. The exchange targets appear under each counting reading "
                     "(broad or workers only; calendar 2025-2029 or the Plan's window from August 2025) side "
                     "by side; what each probability depends on follows.</p>"
                     + table(["event", "year", "probability ± MC error"],
                              [[r.title, event_year_label(definitions.get(r.event, {}), r.year),
                                format_probability(r.probability, r.se)] for r in prob.itertuples()], {1, 2}))
    if "event_drivers.csv" in manifest["files"]:
        drivers = pd.read_csv(verified(folder, manifest, "event_drivers.csv"))
        parts.append("<h2>What each event depends on</h2><p class=\"small\">For the assumptions that move each "
                     "probability most (at most six; only differences beyond three standard errors): the "
                     "probability in the draws where the assumption sits in the lowest fifth of its range and "
                     "in the highest fifth, ± standard error in percentage points (event_drivers.csv).</p>"
                     + table(["event", "assumption", "low end", "probability", "high end", "probability"],
                             [[r.title, r.label, r.low_end, format_probability(r.p_low, r.se_low), r.high_end,
                               format_probability(r.p_high, r.se_high)] for r in drivers.itertuples()], {3, 5}))
    params = manifest.get("parameters", {})
    # "set by" names the file, not its whole path (the provenance below has the paths)
    assumptions = [[breakable(path), _value(p["value"]), p.get("unit", ""), Path(p.get("from", "")).name or p.get("from", ""),
                    p.get("source", "")] for path, p in params.items()]
    parts.append("<h2>Plots</h2>" + figures(folder, manifest))
    parts.append("<h2>Parameters and their sources</h2><p class=\"small\">Every parameter with the value used, "
                 "where it was set, and its source; 'assumption' marks numbers without one "
                 "(the scenario file's comments say why).</p>"
                 + table(["parameter", "value", "unit", "set by", "source"], assumptions, css_class="params"))
    return "".join(parts)


def _comparison_body(folder: Path, manifest: dict) -> str:
    scenarios = "".join(f"<h3>{escape(s['scenario'])}: {escape(s.get('title', ''))}</h3>"
                        f"<p class=\"desc\">{escape(s.get('description', '').strip())}</p>"
                        for s in manifest.get("scenarios", []))
    diff = pd.read_csv(verified(folder, manifest, "headline_differences.csv"))  # the shown variables, in order
    unchanged = manifest.get("unchanged")
    if unchanged is None:  # folders of earlier versions: the differences whose 90% interval is not 0
        diff = diff[(diff.diff_p05 != 0) | (diff.diff_p95 != 0)]
    else:
        diff = diff[~diff.variable.isin(unchanged)]
    same = ("<p>Unchanged in every draw: " + escape("; ".join(VARIABLES[v].label for v in unchanged if v in VARIABLES))
            + ".</p>") if unchanged else ""
    rows = [[r.scenario, VARIABLES[r.variable].label if r.variable in VARIABLES else r.variable, unit_label(r.unit),
             year_label(r.variable, r.year),
             _fmt(r.diff_p50, r.unit), f"{_fmt(r.diff_p05, r.unit)} – {_fmt(r.diff_p95, r.unit)}", f"{r.p_greater:.0%}"]
            for r in diff.itertuples()]
    return (f"<h2>Scenarios</h2>{scenarios}<h2>Paired differences against {escape(manifest['reference'])}</h2>"
            "<p class=\"small\">Draw by draw, with common random numbers: inputs the scenarios share take the "
            "same values, so the difference shows only what the scenarios change. Largest effect first.</p>"
            + table(["scenario", "variable", "unit", "year", "median", "90% interval", "P(higher)"], rows,
                     {3, 4, 5, 6}) + same
            + comparison_probabilities(folder, manifest, table)
            + "<h2>Plots</h2>" + figures(folder, manifest))


def build_report(folder: Path) -> str:
    manifest = read_manifest(folder)
    kind = manifest.get("kind", "run")  # manifests of the first versions had no kind: runs
    try:
        if kind == "comparison":
            title = "Comparison: " + " vs ".join(s["scenario"] for s in manifest.get("scenarios", []))
            intro, body = "", _comparison_body(folder, manifest)
        elif kind == "run":
            title = manifest.get("title") or manifest.get("scenario", "")
            intro = f"<p class=\"desc\">{escape((manifest.get('description') or '').strip())}</p>"
            body = _run_body(folder, manifest)
        elif kind in ("flows", "sensitivity"):
            from simulator.output.report_sections import flows_body, sensitivity_body

            what = "people exchange, person by person" if kind == "flows" else "sensitivity analysis"
            title = f"{manifest.get('title') or manifest.get('scenario', '')}: {what}"
            intro = f"<p class=\"desc\">{escape((manifest.get('description') or '').strip())}</p>"
            body = ((flows_body if kind == "flows" else sensitivity_body)(folder, manifest, table)
                    + "<h2>Plots</h2>" + figures(folder, manifest))
        elif kind == "discovery":
            from simulator.output.report_sections import discovery_body

            event = manifest.get("event", {})
            title = (f"Under which inputs: {event.get('title', event.get('name', ''))} "
                     f"(run '{manifest.get('scenario')}')")
            intro, body = "", discovery_body(folder, manifest, table) + "<h2>Plots</h2>" + figures(folder, manifest)
        elif kind == "sweep":
            from simulator.output.sweep_report import sweep_body

            title = f"Sweep of {manifest.get('title') or manifest.get('scenario', '')}"
            intro, body = "", sweep_body(folder, manifest, table) + "<h2>Plots</h2>" + figures(folder, manifest)
        elif kind == "backtest":
            from simulator.output.backtest_report import backtest_body
            title = f"Backtest of the trade process: {manifest.get('scenario')}"
            intro, body = "", backtest_body(folder, manifest)
        else:
            raise UserError(f"{folder}: reports are made for run, compare, sweep, flows, sensitivity, discover and backtest folders, "
                            f"this is a {json.dumps(kind, ensure_ascii=False)[:40]} folder")
        provenance = _provenance(manifest)
    except UserError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # Only a manifest edited along with the files gets here (every file read is checked against it).
        raise UserError(f"{folder}: a damaged results folder ({type(exc).__name__}: {str(exc)[:200]})") from None
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<meta name=\"generator\" content=\"{GENERATOR} {escape(__version__)}\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(str(title))}</title><style>{STYLE}</style></head><body>"
            f"<h1>{escape(str(title))}</h1>{intro}{body}"
            f"<h2>Provenance</h2>{provenance}"
            f"<p class=\"small\">Made by ijsim {escape(__version__)}. Model and sources: docs/model.md.</p>"
            "</body></html>\n")


def _ours(path: Path) -> bool:
    """A report ijsim wrote (recognised by its head), which a new report may replace."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return f'content="{GENERATOR} ' in head or f'content="{CSP}"' in head


def write_report(folder: Path, out: Path | None = None) -> Path:
    """Write report.html into the results folder (or to `out`), atomically; never over a file
    that is not an earlier report."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: no such results folder")
    html = build_report(folder)
    target = Path(out) if out else folder / "report.html"
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give --out a file name such as report.html")
    if os.path.lexists(target) and not (target.is_file() and _ours(target)):
        raise UserError(f"{target}: exists and is not a report ijsim wrote; choose another --out")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=target.parent)
    except OSError as exc:
        raise UserError(f"{target}: cannot write the report: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        if target.name == "report.html" and os.path.samefile(target.parent, folder):
            with contextlib.suppress(OSError):  # unrecorded, the report only makes --force refuse the folder
                ownership.add_file(folder, "report.html")
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{target}: cannot write the report: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
