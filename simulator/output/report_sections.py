"""Parts of the HTML report that depend on the kind of results folder: the plots in reading order
with captions people can read, the bodies of flows and sensitivity reports, and a comparison's
event probabilities per scenario. `report.py` assembles the page; everything here returns HTML
whose text is escaped.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from simulator.variables import VARIABLES
from simulator.output.folders import verified
from simulator.plotting.history_overlay import has_history
from simulator.labels import format_probability_difference, format_value, is_fiscal, year_label

PANELS = {  # run plots that are not one variable's fan chart, each after the block it belongs to
    "investment": ("investment_by_sector", "Pledge disbursed by sector (medians of each sector, stacked)"),
    "trade": ("trade", "India–Japan goods trade: exports both ways and India's balance, medians and 90% bands, "
                       "after the observed years (hollow: unverified) and the base year (fiscal years)"),
    "exchange": ("exchange", "People exchanged and skilled workers arrived, against the Action Plan's targets"),
}
FLOWS_PLOTS = {"backlog": "People waiting at each stage at year end, stages in the order people pass them "
                          "(median and 90% band across replications)",
               "arrivals": "Arrivals per year by stream (median and 90% band across replications)",
               "skilled_stock": "Skilled Indian workers in Japan at year end (simpy replications)"}


OBSERVED = ", after the observed years (hollow: unverified) and the base year"


def _fan_caption(variable: str) -> str:
    fiscal = " (fiscal years)" if is_fiscal(variable) else ""
    observed = OBSERVED if has_history(variable) else ""
    return f"{VARIABLES[variable].label}: median, 50% and 90% bands{observed}{fiscal}"


def run_plots(manifest: dict) -> list[tuple[str, str]]:
    """(file stem, caption) of a run's plots: investment, then trade, then the exchange, each block's
    fan charts in the order of `ijsim variables` followed by its panel."""
    if manifest.get("show"):  # --show: a fan chart of each chosen variable, in the order given
        return [(v, _fan_caption(v)) for v in manifest["show"] if v in VARIABLES]
    out = []
    for block in ("investment", "trade", "exchange"):
        out += [(v, _fan_caption(v)) for v, info in VARIABLES.items() if info.headline and v.startswith(block + ".")]
        out.append(PANELS[block])
    return out


def comparison_plots(manifest: dict) -> list[tuple[str, str]]:
    """Each headline variable's overlay, then each scenario's paired difference from the reference."""
    scenarios = manifest.get("scenarios", [])
    label = {s["scenario"]: s.get("label") or s["scenario"] for s in scenarios}
    reference = manifest.get("reference", scenarios[0]["scenario"] if scenarios else "")
    out = []
    # The shown variables, largest paired effect first (recorded since --show); earlier folders: the headline ones
    shown = manifest.get("shown", [v for v, info in VARIABLES.items() if info.headline])
    for v in (v for v in shown if v in VARIABLES):
        info = VARIABLES[v]
        fiscal = " (fiscal years)" if is_fiscal(v) else ""
        observed = OBSERVED if has_history(v) else ""
        out.append((f"compare_{v}", f"{info.label}: each scenario's median and 90% band{observed}{fiscal}"))
        out += [(f"difference_{name}_{v}", f"{info.label}: {label[name]} minus {label.get(reference, reference)}, "
                                           f"paired draw by draw (median, 50% and 90% bands){fiscal}")
                for name in label if name != reference]
    return out


def sensitivity_plots(manifest: dict) -> list[tuple[str, str]]:
    from simulator.plotting.sensitivity import METHOD_NAMES, output_label

    what = f"Sensitivity of {output_label(manifest['output'], manifest['year'])}: {METHOD_NAMES[manifest['method']]}"
    notes = {"tornado": "each input at its 5% and 95% quantile, the others at their medians",
             "sobol_indices": "S1: share of the variance due to the input alone; ST: with all its interactions; "
                              "bars show 95% intervals",
             "morris_mu_star": "mu*: mean absolute elementary effect, with its 95% interval",
             "feature_scores": "extra-trees importance (sums to 1) beside the Sobol' total index ST with its "
                               "95% interval"}
    return [(stem, f"{what}. {note}") for stem, note in notes.items()]


DISCOVERY_PLOTS = {
    "tradeoff": "Coverage against density of every box the search passed through; the reported box circled",
    "box": "The reported box: each restricted input's range within the range of its draws",
}


def discovery_body(folder: Path, manifest: dict, table) -> str:
    """The answer in words, the box, and its numbers on the search and the held-out draws."""
    boxes = pd.read_csv(verified(folder, manifest, "boxes.csv"))
    rows = [[r["label"], format_value(r["low"]), format_value(r["high"]),
             *([format_value(r.get("quasi_p_low")), format_value(r.get("quasi_p_high")),
                format_value(r.get("bootstrap_share"))] if "quasi_p_low" in boxes else []),
             format_value(r["feature_score"])] for _, r in boxes.iterrows()]
    extra = ["quasi-p (low)", "quasi-p (high)", "bootstrap share"] if "quasi_p_low" in boxes else []
    s, h = manifest.get("search", {}), manifest.get("held_out", {})
    numbers = [[what, f"{part.get('draws', 0):,}", f"{part.get('coverage', 0):.0%}", f"{part.get('density', 0):.0%}",
                f"{part.get('mass', 0):.0%}"] for what, part in (("search", s), ("held out", h))]
    dropped = ""
    if "dropped.csv" in manifest.get("files", {}):  # folders of earlier versions have none
        gone = pd.read_csv(verified(folder, manifest, "dropped.csv"))
        if len(gone):
            dropped = ("<h2>Limits dropped (removing them does not lower the density significantly)</h2>"
                       + table(["input", "side", "limit", "quasi-p (search)", "quasi-p (held out)"],
                               [[r["label"], r["side"], format_value(r["limit"]), format_value(r["p_search"]),
                                 format_value(r["p_held_out"])] for _, r in gone.iterrows()], {2, 3, 4}))
    return (f"<p>{escape(manifest.get('summary', ''))}</p><h2>The box ({escape(str(manifest.get('method')))})</h2>"
            + table(["input", "low", "high", *extra, "feature score"], rows, set(range(1, len(extra) + 4)))
            + dropped + "<h2>Coverage, density and mass</h2>"
            + table(["draws", "number", "coverage", "density", "mass"], numbers, {1, 2, 3, 4}))


BACKTEST_PLOTS = {
    "coverage_by_horizon": "Share of held-out values inside the 50% and 90% intervals, by years ahead, "
                           "against the nominal level",
    "hindcast_fans": "Hindcasts from each origin (median and 90% band) against the actual series, "
                     "per model and flow (US$ bn)",
    "pit": "Where the outcomes fell in their forecast distributions (PIT), both flows: flat if calibrated, "
           "piled to the right if outcomes came in above the forecasts; the band is the sampling range "
           "of independent values (the held-out values overlap, so it is too narrow)",
}


def ordered_figures(folder: Path, manifest: dict) -> list[tuple[Path, str]]:
    """The folder's PNG plots in reading order with their captions; any plot not foreseen comes
    last, captioned by its file name."""
    kind = manifest.get("kind", "run")
    plans = {"run": run_plots, "comparison": comparison_plots, "sensitivity": sensitivity_plots,
             "flows": lambda m: list(FLOWS_PLOTS.items()),
             "backtest": lambda m: list(BACKTEST_PLOTS.items()),
             "discovery": lambda m: list(DISCOVERY_PLOTS.items()),
             "sweep": _sweep_plots}.get(kind, lambda m: [])(manifest)
    # Only plots the manifest lists, each checked against its sha256: a report shows what ijsim wrote.
    files = {Path(name).stem: verified(folder, manifest, name)
             for name in sorted(manifest["files"]) if name.startswith("plots/") and name.endswith(".png")}
    ordered = [(files.pop(stem), caption) for stem, caption in plans if stem in files]
    return ordered + [(p, stem) for stem, p in files.items()]


def _sweep_plots(manifest: dict) -> list[tuple[str, str]]:
    from simulator.output.sweep_report import sweep_plots

    return sweep_plots(manifest)


def event_year_label(definition: dict, year) -> str:
    """'FY2030-31' or 'by 2029', from an event's definition as the manifest records it."""
    variable = definition.get("variable", "")
    return f"{'by ' if 'by' in definition else ''}{year_label(variable, int(year))}"


def comparison_probabilities(folder: Path, manifest: dict, table) -> str:
    """The events, one column per scenario, and the paired differences from the reference (older
    comparison folders have neither file)."""
    if "events.csv" not in manifest["files"]:
        return ""
    prob = pd.read_csv(verified(folder, manifest, "events.csv"))
    scenarios = manifest.get("scenarios", [])
    label = {s["scenario"]: s.get("label") or s["scenario"] for s in scenarios}
    definitions = {}
    for s in scenarios:
        definitions.update(s.get("events", {}) if isinstance(s.get("events"), dict) else {})
    names = list(dict.fromkeys(prob.scenario))
    wide = prob.pivot_table(index=["event", "title", "year"], columns="scenario", values="probability", sort=False)
    rows = [[title, event_year_label(definitions.get(event, {}), year)]
            + [f"{wide.loc[(event, title, year), n]:.0%}" if pd.notna(wide.loc[(event, title, year), n]) else "—"
               for n in names]
            for event, title, year in wide.index]
    html = ("<h2>Events: how likely in each scenario</h2>"
            + table(["event", "year", *[label.get(n, n) for n in names]], rows, set(range(1, len(names) + 2))))
    if "event_differences.csv" in manifest["files"]:
        diff = pd.read_csv(verified(folder, manifest, "event_differences.csv"))
        rows = [[f"{label.get(r.scenario, r.scenario)} minus {label.get(r.reference, r.reference)}", r.title,
                 event_year_label(definitions.get(r.event, {}), r.year),
                 format_probability_difference(r.difference, r.se)] for r in diff.itertuples()]
        if rows:
            html += ("<h3>Paired differences (common draws), ± standard error, in percentage points (pp)</h3>"
                     + table(["scenarios", "event", "year", "difference"], rows, {2, 3}))
    return html


def flows_body(folder: Path, manifest: dict, table) -> str:
    """Per-stage waits, queues and utilisation, and the exchange's yearly figures across replications."""
    stages = pd.read_csv(verified(folder, manifest, "stage_stats.csv"))
    rows = [[r.stage, f"{r.served:,.0f}", f"{r.mean_wait_months:.2f} ± {r.mean_wait_months_ci95:.2f}",
             f"{r.p95_wait_months:.2f}", f"{r.mean_queue:,.0f}", f"{r.utilisation:.0%}"] for r in stages.itertuples()]
    parts = [f"<p>{manifest.get('replications', '')} replications of the person-level (simpy) model, "
             f"{manifest.get('events', 0):,} events. Stages in the order people pass them; ± is a 95% "
             "confidence half-width across replications.</p>",
             "<h2>Stages</h2>" + table(["stage", "served (people)", "mean wait (months)", "p95 wait (months)",
                                         "mean queue (people)", "utilisation"], rows, {1, 2, 3, 4, 5})]
    summary = pd.read_csv(verified(folder, manifest, "flows_summary.csv"))
    keep = [v for v in ("exchange.cumulative_total", "exchange.skilled_cumulative", "exchange.skilled_stock")
            if v in set(summary.variable)]
    rows = [[VARIABLES[r.variable].label, r.year, format_value(r.p50, "people"),
             f"{format_value(r.p05, 'people')} – {format_value(r.p95, 'people')}"]
            for r in summary[summary.variable.isin(keep)].itertuples()]
    parts.append("<h2>The exchange, year by year (people)</h2>"
                 + table(["variable", "year", "median", "90% interval"], rows, {1, 2, 3}))
    return "".join(parts)


def sensitivity_body(folder: Path, manifest: dict, table) -> str:
    """The ranking of the inputs, with what the numbers mean."""
    from simulator.plotting.sensitivity import METHOD_NAMES, output_label

    ranking = pd.read_csv(verified(folder, manifest, "sensitivity.csv"))
    method = manifest["method"]
    columns = {"sobol": ["S1", "S1_conf", "ST", "ST_conf"], "morris": ["mu_star", "mu_star_conf", "sigma"],
               "oat": ["low", "high", "swing"], "trees": ["importance", "ST", "ST_conf"]}[method]
    several = "output" in ranking and len(set(zip(ranking["output"], ranking["year"]))) > 1
    rows = [[i, r["label"], *([output_label(r["output"], int(r["year"]))] if several else []),
             *[format_value(r[c]) for c in columns]] for i, (_, r) in enumerate(ranking.iterrows(), 1)]
    meaning = {"sobol": "S1 is the share of the output's variance due to the input alone, ST the share with all "
                        "its interactions (ST − S1 is what it does together with others); _conf are 95% "
                        "half-widths.",
               "morris": "mu* is the mean absolute elementary effect over the input's quantile range (its 95% "
                         "half-width beside it); a large sigma flags nonlinearity or interactions.",
               "oat": "The output with the input at its 5% and at its 95% quantile, the others at their "
                      "medians; swing is the distance between them.",
               "trees": "importance is the extra-trees feature score (mean decrease in impurity over 4,096 Monte "
                        "Carlo runs, summing to 1): a ranking, not a share of variance; ST and its 95% half-width "
                        "are the Sobol' total index beside it."}[method]
    return (f"<p>{escape(output_label(manifest['output'], manifest['year']))}: {escape(METHOD_NAMES[method])}, "
            f"{manifest.get('evaluations', 0):,} model evaluations, seed {escape(str(manifest.get('seed')))}. "
            f"{escape(meaning)}</p><h2>Inputs by influence</h2>"
            + table(["rank", manifest.get("by", "input"), *(["output"] if several else []), *columns], rows,
                    set(range(2 + several, len(columns) + 2 + several)) | {0}))
