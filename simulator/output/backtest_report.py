"""The report body of a backtest folder (`ijsim report` on the output of `ijsim backtest`)."""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from simulator.output.folders import verified
from simulator.output.html import figures, table

FLOWS = ("trade.exports_india_to_japan", "trade.exports_japan_to_india")


def backtest_body(folder: Path, manifest: dict) -> str:
    scores = pd.read_csv(verified(folder, manifest, "scores.csv"))
    coverage = pd.read_csv(verified(folder, manifest, "coverage.csv"))
    rows = [[r.model, r.variable, r.n, f"{r.coverage_50:.0%}", f"{r.coverage_90:.0%}", f"{r.interval_score:.3f}",
             f"{r.crps:.3f}", f"{r.bias_p50:+.3f}"] for r in scores.itertuples()]
    flows = coverage[coverage.variable.isin(FLOWS)]
    by_horizon = (flows.assign(w90=flows.coverage_90 * flows.n, w50=flows.coverage_50 * flows.n)
                  .groupby(["model", "horizon"], sort=False)[["n", "w50", "w90"]].sum().reset_index())
    horizon_rows = [[r.model, r.horizon, r.n, f"{r.w50 / r.n:.0%}", f"{r.w90 / r.n:.0%}"]
                    for r in by_horizon.itertuples()]
    notes = "".join(f"<li>{escape(n)}</li>" for n in manifest.get("notes", []))
    origins = manifest.get("origins") or [0]
    return (
        f"<p class=\"desc\">Rolling-origin hindcasts of scenario {escape(str(manifest.get('scenario')))} "
        f"(trade process {escape(str(manifest.get('trade_process')))}): from each origin year "
        f"{origins[0]}–{origins[-1]}, every model is re-estimated on the history up to that year only, "
        f"projects {manifest['horizons'][0]}–{manifest['horizons'][-1]} years ahead and is scored against what "
        "happened. A well-calibrated 90% interval covers about 90% of the values; lower interval scores and "
        "CRPS are better (US$ bn). History: " + escape(str(manifest.get("history", ""))) + ".</p>"
        "<h2>Scores by model and variable</h2>"
        + table(["model", "variable", "scored", "50% cover", "90% cover", "interval score", "CRPS", "median bias"],
                 rows, {2, 3, 4, 5, 6, 7})
        + "<h2>Coverage by horizon (both flows)</h2>"
        + table(["model", "years ahead", "scored", "50% cover", "90% cover"], horizon_rows, {1, 2, 3, 4})
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
        + "<h2>Plots</h2>" + figures(folder, manifest))
