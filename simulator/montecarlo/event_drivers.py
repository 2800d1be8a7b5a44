"""What each event's probability depends on: the probability at the low and the high end of each
assumption's range, as conditional shares of the same draws (event_drivers.csv).

A probability's Monte Carlo standard error says how precisely the draws estimate it, not how much it
would change under other, equally defensible, assumptions. For every drawn assumption (a parameter
given as a distribution in the scenario file) and every event, the draws whose value of that
assumption falls in the lowest fifth of its range (below its 20th percentile) and those in the
highest fifth (above its 80th) each give a share of draws in which the event happened, with the
binomial standard error sqrt(p (1 - p) / m) of a share of m draws. The assumptions whose two ends
differ most are listed first, at most six, and only those whose two ends differ by more than three
standard errors of the difference (with some sixty assumptions drawn, a looser bar would list noise),
and only assumptions that can reach the event's output: the exchange's for an exchange output, the
others for investment and trade (the exchange is computed apart from them). One-at-a-time
conditional probabilities over the joint draws: the
probabilistic counterpart of a tornado diagram (Saltelli et al. 2008, ch. 1; Borgonovo & Plischke
2016 on the sensitivity of a probability to its inputs).

Counts are integers added block by block, so a streamed run and an in-memory one give the same table
whatever the number of threads or workers.

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
Borgonovo, E. & Plischke, E. (2016). Sensitivity analysis: a review of recent advances. *European
Journal of Operational Research*, 248(3), 869-887.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.montecarlo.inputs import INPUT_PREFIX, input_label

LOW, HIGH = 0.2, 0.8  # the lowest and the highest fifth of an assumption's range, by probability
TOP = 6  # assumptions listed per event, at most
SIGNIFICANT = 3.0  # standard errors by which the two ends must differ to be listed
DRIVER_COLUMNS = ["event", "title", "rank", "assumption", "label", "unit", "low_end", "p_low", "se_low", "draws_low",
                  "high_end", "p_high", "se_high", "draws_high", "difference"]


def assumptions(scenario) -> list[str]:
    """The drawn assumptions: every parameter given as a distribution of uncertainty, in file order."""
    return list(scenario.uncertain())


def end_values(scenario) -> dict[str, tuple[float, float]]:
    """Each assumption's 20th and 80th percentiles: the edges of its low and high ends."""
    out = {}
    for path in assumptions(scenario):
        low, high = scenario.params[path].ppf(np.array([LOW, HIGH]))
        out[path] = (float(low), float(high))
    return out


def count_block(scenario, happened: list[np.ndarray], inputs: dict[str, np.ndarray]) -> np.ndarray:
    """(events, assumptions, 4) integer counts for one block: draws at the low end, of which the event
    happened; draws at the high end, of which it happened. `inputs` are the block's drawn values by path
    (or by ``input.<path>``)."""
    ends = end_values(scenario)
    paths = list(ends)
    counts = np.zeros((len(happened), len(paths), 4), dtype=np.int64)
    for k, path in enumerate(paths):
        x = inputs.get(path, inputs.get(f"{INPUT_PREFIX}{path}"))
        if x is None:
            continue
        x = np.asarray(x, dtype=float)
        low, high = x <= ends[path][0], x >= ends[path][1]
        for e, h in enumerate(happened):
            counts[e, k] = (np.count_nonzero(low), np.count_nonzero(low & h),
                            np.count_nonzero(high), np.count_nonzero(high & h))
    return counts


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def end_text(value, edge: float, side: str, unit: str) -> str:
    """'3 to 3.8 years' (low end of a bounded range), 'up to ...' or '... and above' for an unbounded
    side; yearly rates in percent ('-5% to 5.4% a year')."""
    low, high = value.support()
    show = _number
    if unit == "1/year":  # a rate reads better in percent
        show, unit = (lambda x: f"{100 * x:.3g}%"), "a year"
    if side == "low":
        span = f"{show(low)} to {show(edge)}" if np.isfinite(low) else f"up to {show(edge)}"
    else:
        span = f"{show(edge)} to {show(high)}" if np.isfinite(high) else f"{show(edge)} and above"
    return f"{span} {unit}".strip()


def plain_label(scenario, path: str) -> tuple[str, str]:
    """(label, unit) of an assumption in the user's terms: the stream's own words for its uptake where
    the scenario gives them (`uptake_title`), else the registry's (simulator.montecarlo.inputs)."""
    label, unit = input_label(path)
    if path.endswith(".uptake") and path.startswith("exchange.streams."):
        own = scenario.params.get(path[:-len("uptake")] + "uptake_title")
        if own:
            label = own
    return label, unit


def reaches(assumption: str, variable: str) -> bool:
    """Whether an assumption can move an output: the exchange is projected apart from investment and
    trade (simulator.montecarlo.projection), so each side's assumptions move only its own outputs."""
    return assumption.startswith("exchange.") == variable.startswith("exchange.")


def driver_table(scenario, counts: np.ndarray, top: int = TOP) -> pd.DataFrame:
    """event_drivers.csv's rows: per event, the `top` assumptions whose low and high ends give the most
    different probabilities (largest |p_high - p_low| first)."""
    ends = end_values(scenario)
    paths = list(ends)
    rows = []
    for e, event in enumerate(scenario.events):
        candidates = []
        for k, path in enumerate(paths):
            n_low, k_low, n_high, k_high = (int(c) for c in counts[e, k])
            if not n_low or not n_high or not reaches(path, event.variable):
                continue
            p_low, p_high = k_low / n_low, k_high / n_high
            spread = np.sqrt(p_low * (1 - p_low) / n_low + p_high * (1 - p_high) / n_high)
            if abs(p_high - p_low) <= SIGNIFICANT * spread:
                continue
            candidates.append((abs(p_high - p_low), k, path, n_low, p_low, n_high, p_high))
        candidates.sort(key=lambda c: (-c[0], c[1]))  # ties in file order: the same table every time
        for rank, (_, k, path, n_low, p_low, n_high, p_high) in enumerate(candidates[:top], start=1):
            label, unit = plain_label(scenario, path)
            value = scenario.params[path]
            rows.append({"event": event.name, "title": event.title, "rank": rank, "assumption": path,
                         "label": label, "unit": unit,
                         "low_end": end_text(value, ends[path][0], "low", unit),
                         "p_low": p_low, "se_low": float(np.sqrt(p_low * (1 - p_low) / n_low)), "draws_low": n_low,
                         "high_end": end_text(value, ends[path][1], "high", unit),
                         "p_high": p_high, "se_high": float(np.sqrt(p_high * (1 - p_high) / n_high)),
                         "draws_high": n_high, "difference": p_high - p_low})
    return pd.DataFrame(rows, columns=DRIVER_COLUMNS)


__all__ = ["driver_table", "count_block", "end_values", "assumptions", "DRIVER_COLUMNS", "LOW", "HIGH", "TOP"]
