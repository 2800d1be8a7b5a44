"""The report body of a backtest folder (`ijsim report` on the output of `ijsim backtest`)."""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from simulator.estimation import forecast_evaluation as fe
from simulator.output.folders import verified
from simulator.output.html import figures, table

FLOWS = fe.FLOWS
BENCHMARK = "random_walk"  # the per-horizon table: against the random walk with drift


def _p(p: float) -> str:
    return "–" if pd.isna(p) else f"{p:.2g}" if p >= 0.001 else "<0.001"


def _number(x: float, fmt: str) -> str:
    return "–" if pd.isna(x) else format(x, fmt)


def backtest_body(folder: Path, manifest: dict) -> str:
    scores = pd.read_csv(verified(folder, manifest, "scores.csv"))
    coverage = pd.read_csv(verified(folder, manifest, "coverage.csv"))
    hindcasts = pd.read_csv(verified(folder, manifest, "backtest.csv"))
    if "pit" not in hindcasts:  # a folder written before the PIT was recorded
        hindcasts["pit"] = float("nan")
    has_bias = "above_median" in scores
    rows = [[r.model, r.variable, r.n, f"{r.coverage_50:.0%}", f"{r.coverage_90:.0%}", f"{r.interval_score:.3f}",
             f"{r.crps:.3f}", f"{r.bias_p50:+.3f}",
             *([_number(r.above_median, ".0%"), _p(r.above_median_p)] if has_bias else [])]
            for r in scores.itertuples()]
    pooled = fe.summary(hindcasts[hindcasts.variable.isin(FLOWS)], ["model"])
    pooled_rows = [[r.model, r.n, f"{r.coverage_50:.0%}", f"{r.coverage_90:.0%}", f"{r.interval_score:.3f}",
                    f"{r.crps:.3f}", _number(r.above_median, ".0%"), _p(r.above_median_p), _number(r.pit_sd, ".2f")]
                   for r in pooled.itertuples()]
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
        + _caveats(len(origins), manifest)
        + "<h2>Both flows together</h2>"
        + table(["model", "scored", "50% cover", "90% cover", "interval score", "CRPS", "above median",
                 "p (binomial)", "PIT sd"], pooled_rows, set(range(1, 9)))
        + "<p class=\"small\">Above median: share of outcomes above the forecast median (about 50% if the "
          "forecasts are unbiased), with the two-sided exact binomial p-value of that share against 50%, "
          "which treats the outcomes as independent and so overstates the evidence. PIT sd: spread of the "
          "share of forecast draws below each outcome, 0.29 if calibrated, larger if the bands are too "
          "narrow, smaller if too wide.</p>"
        + _diebold_mariano(folder, manifest)
        + "<h2>Scores by model and variable</h2>"
        + table(["model", "variable", "scored", "50% cover", "90% cover", "interval score", "CRPS", "median bias",
                 *(["above median", "p (binomial)"] if has_bias else [])], rows, set(range(2, 10)))
        + "<h2>Coverage by horizon (both flows)</h2>"
        + table(["model", "years ahead", "scored", "50% cover", "90% cover"], horizon_rows, {1, 2, 3, 4})
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
        + "<h2>Plots</h2>" + figures(folder, manifest))


def _caveats(n_origins: int, manifest: dict) -> str:
    horizons = manifest.get("horizons") or [1]
    independent = fe.independent_origins(manifest.get("origins") or [], max(horizons))
    return (
        "<p class=\"desc\"><b>How much evidence this is.</b> "
        f"{n_origins} origins; forecasts from neighbouring origins are scored on partly the same years, so "
        f"only {independent} of the origins have forecasts {max(horizons)} years ahead that share no scored "
        "year, and the two flows of one year move together. The data are today's vintage: the history as "
        "stored now, with later revisions, not the figures a forecaster had at each origin "
        "(real-time data), so the scores are those of forecasts made with hindsight about revisions.</p>")


def _diebold_mariano(folder: Path, manifest: dict) -> str:
    if "diebold_mariano.csv" not in manifest["files"]:
        return ""
    dm = pd.read_csv(verified(folder, manifest, "diebold_mariano.csv"), dtype={"horizon": str})

    def cells(r) -> list:
        return [r.model, r.benchmark, f"{r.crps_model:.3f}", f"{r.crps_benchmark:.3f}", f"{r.mean_difference:+.3f}",
                _number(r.statistic, "+.2f"), _p(r.p_value), f"{r.origins} ({r.independent_origins})"]
    pooled = [cells(r) for r in dm[dm.horizon == "all"].itertuples()]
    by_h = [[r.horizon, *cells(r)] for r in dm[(dm.horizon != "all") & (dm.benchmark == BENCHMARK)].itertuples()]
    head = ["model", "benchmark", "CRPS", "benchmark's CRPS", "difference", "DM statistic", "p-value",
            "origins (independent)"]
    return (
        "<h2>Against the benchmarks (Diebold-Mariano test on CRPS)</h2>"
        "<p class=\"small\">Each model's CRPS minus the benchmark's, averaged per origin over both flows "
        "and all horizons; a negative difference and statistic mean the model forecast better. The "
        "difference is the mean over origins, each counting once though later origins have fewer horizons "
        "scored, so it need not equal the difference of the two CRPS columns (means over values). The "
        "statistic uses a Newey-West variance with a lag of the longest horizon less one (forecasts "
        "overlap) and the Harvey-Leybourne-Newbold small-sample correction, against Student's t with "
        "origins − 1 degrees of freedom. no_change is a random walk without drift, random_walk one with "
        "drift. diebold_mariano.csv has every pair by horizon.</p>"
        + table(head, pooled, set(range(2, 8)))
        + f"<h3>By years ahead, against {BENCHMARK} (with drift)</h3>"
        + table(["years ahead", *head], by_h, {0, *range(3, 9)}))
