"""Scenario discovery for one event of a run: which inputs does it happen under?

Splits the run's draws into a search set and held-out draws (seeded), finds a box on the search
set (`discover`), drops every limit whose removal does not lower the density significantly on the
search draws or on the held-out ones, measures the box left on the held-out draws (a box that only
fits noise loses its density there), scores every input with extra-trees, and says the answer in a
sentence: the kept limits as conditions, the dropped ones apart.

    >>> import simulator
    >>> result = simulator.run(simulator.load_scenario("baseline"), draws=400, seed=1)
    >>> found = discover_event(result, "deficit_narrower_2030", seed=1, bootstrap=5)
    >>> print(found.summary())  # doctest: +ELLIPSIS
    India's deficit with Japan narrower than in FY2023-24 (in FY2030-31) happens in ...% of all draws, ...
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulator.analysis.discovery import Discovery, discover
from simulator.analysis.discovery_inputs import discovery_inputs, discovery_label
from simulator.analysis.trees import feature_scores

if TYPE_CHECKING:
    from simulator.montecarlo.result import Result
    from simulator.scenario.event_definitions import Event


SHOWN_DROPPED = 5  # dropped limits named in the sentence; dropped.csv lists them all


@dataclass(frozen=True)
class EventDiscovery:
    event: "Event"
    discovery: Discovery  # found on the search draws
    held_out: dict[str, float]  # coverage, density, mass on the held-out draws
    scores: pd.Series  # extra-trees importance of every input for the event (all draws)
    probability: float  # share of all draws in which the event happens
    n_search: int
    n_held_out: int
    labels: dict[str, tuple[str, str]]  # input -> (label, unit)
    ranges: pd.DataFrame  # min and max of every input over the draws (for plots)

    def box_table(self) -> pd.DataFrame:
        """The box with labels, units, quasi-p-values and bootstrap shares: what boxes.csv holds."""
        d = self.discovery
        table = d.box.copy()
        table.insert(0, "unit", [self.labels[k][1] for k in table.index])
        table.insert(0, "label", [self.labels[k][0] for k in table.index])
        if d.quasi_p is not None:
            table["quasi_p_low"], table["quasi_p_high"] = d.quasi_p["low"], d.quasi_p["high"]
        if d.quasi_p_held_out is not None:
            table["held_out_p_low"] = d.quasi_p_held_out["low"]
            table["held_out_p_high"] = d.quasi_p_held_out["high"]
        if d.stability is not None:
            table["bootstrap_share"] = d.stability["restricted_share"].reindex(table.index)
        # reindexed, not assigned as they are: assigned to an empty table (no limit kept), a Series
        # brings its whole index, and the box table gains a row per input with no label
        table["feature_score"] = self.scores.reindex(table.index)
        return table

    def dropped_table(self) -> pd.DataFrame:
        """The limits dropped, in the order dropped: label, unit, side, limit, p_search, p_held_out
        (what dropped.csv holds)."""
        dropped = self.discovery.dropped
        if dropped is None:
            dropped = pd.DataFrame(columns=["side", "limit", "p_search", "p_held_out"], index=pd.Index([], name="input"))
        table = dropped.copy()
        table.insert(0, "unit", [self.labels[k][1] for k in table.index])
        table.insert(0, "label", [self.labels[k][0] for k in table.index])
        return table

    def _show(self, x: float, unit: str) -> str:
        from simulator.labels import format_value, unit_label

        if unit == "share":
            return f"{x:.0%}"
        text = format_value(x, unit)
        return text if unit in ("", "standard normal", "ratio") else f"{text} {unit_label(unit)}"  # (shares returned above)

    def conditions(self) -> list[str]:
        """'Share of the pledge that arrives ≥ 62%' for each kept restriction, most important first."""
        out = []
        order = self.scores.reindex(self.discovery.box.index).sort_values(ascending=False).index
        for name in order:
            low, high = self.discovery.box.loc[name, ["low", "high"]]
            label, unit = self.labels[name]
            if np.isfinite(low) and np.isfinite(high):
                out.append(f"{label} between {self._show(low, unit)} and {self._show(high, unit)}")
            elif np.isfinite(low):
                out.append(f"{label} ≥ {self._show(low, unit)}")
            else:
                out.append(f"{label} ≤ {self._show(high, unit)}")
        return out

    def dropped_conditions(self) -> list[str]:
        """The limits the search found and the test dropped, as they read before dropping, with the
        larger of their two quasi-p-values: the nearest to significance first."""
        dropped = self.discovery.dropped
        if dropped is None:
            return []
        out = []
        worst = dropped[["p_search", "p_held_out"]].max(axis=1).to_numpy()
        for i in sorted(range(len(worst)), key=worst.__getitem__):  # stable: ties keep the order dropped
            name, row = dropped.index[i], dropped.iloc[i]
            label, unit = self.labels[name]
            sign = "≥" if row["side"] == "low" else "≤"
            out.append(f"{label} {sign} {self._show(row['limit'], unit)} "
                       f"(p = {max(row['p_search'], row['p_held_out']):.2g})")
        return out

    def summary(self) -> str:
        """The answer in words, with the numbers on the held-out draws."""
        from simulator.labels import year_label

        e, d, h = self.event, self.discovery, self.held_out
        when = f"by {e.year}" if e.by else f"in {year_label(e.variable, e.year)}"
        if d.box.empty:
            dropped = self.dropped_conditions()
            why = (f"the limits the search found do not raise its share significantly: {'; '.join(dropped)}"
                   if dropped else "the search found no restriction that raises its share")
            return f"{e.title} ({when}) happens in {self.probability:.0%} of the draws; no box of inputs concentrates it ({why})."
        conditions = self.conditions()
        joined = conditions[0] if len(conditions) == 1 else "; ".join(conditions[:-1]) + "; and " + conditions[-1]
        text = (f"{e.title} ({when}) happens in {self.probability:.0%} of all draws, and in {d.density:.0%} of "
                f"the draws in which {joined}. Those draws are {d.mass:.0%} of all and hold {d.coverage:.0%} of "
                f"the cases where it happens. On {self.n_held_out:,} held-out draws the same box gives "
                f"{h['density']:.0%}, {h['mass']:.0%} and {h['coverage']:.0%}.")
        dropped = self.dropped_conditions()
        if dropped:
            shown = "; ".join(dropped[:SHOWN_DROPPED])
            more = f"; and {len(dropped) - SHOWN_DROPPED} more (dropped.csv)" if len(dropped) > SHOWN_DROPPED else ""
            text += (f" {'Limits' if len(dropped) > 1 else 'A limit'} found but dropped (removing "
                     f"{'each' if len(dropped) > 1 else 'it'} does not lower the density significantly): {shown}{more}.")
        return text


def discover_event(result: "Result", event: str, *, method: str = "prim", seed: int | None = None,
                   holdout: float = 0.3, bootstrap: int = 30, min_density: float | None = None,
                   mass_min: float = 0.05, threads: int = 1, alpha: float = 0.05) -> EventDiscovery:
    """Find the inputs under which `event` (a name in the run's scenario) happens.

    Splits the run's draws into a search set and held-out draws (seeded), finds a box on the
    search set with :func:`discover`, drops every limit whose removal does not lower the density
    significantly (quasi-p-value above `alpha` on the search draws or on the held-out ones),
    measures the box left on the held-out draws (a box that only fits noise loses its density
    there), scores every input with extra-trees, and says the answer in a sentence (`summary`):
    the kept limits as conditions, the dropped ones apart.

    Parameters
    ----------
    result : Result
        A run whose scenario defines the event and has uncertain inputs.
    event : str
        The name of one of the scenario's ``[events.<name>]``.
    method : {"prim", "cart"}, default "prim"
        As in :func:`discover`.
    seed : int, optional
        Seeds the split, the bootstrap, the tree and the feature scores.
    holdout : float, default 0.3
        The share of draws held out from the search, in (0, 1).
    bootstrap : int, default 30
        PRIM's resamples for the box's stability (0 skips it).
    min_density, mass_min, threads, alpha
        As in :func:`discover`.

    Returns
    -------
    EventDiscovery
        The box found on the search draws (`discovery`), its coverage, density and mass on the
        held-out draws (`held_out`), every input's feature score (`scores`), the event's
        probability; `box_table()` and `summary()` say it in a table and in words.

    Raises
    ------
    KeyError
        If the scenario has no event of that name.
    ValueError
        A `holdout` outside (0, 1), a run without uncertain inputs, or an event that happens in
        every search draw or in none.

    References
    ----------
    * Bryant, B. P. & Lempert, R. J. (2010). Thinking inside the box: A participatory,
      computer-assisted approach to scenario discovery. *Technological Forecasting and Social
      Change*, 77(1), 34-49.
    * Geurts, P., Ernst, D. & Wehenkel, L. (2006). Extremely randomized trees. *Machine Learning*,
      63(1), 3-42.

    Examples
    --------
    >>> import simulator
    >>> result = simulator.run(simulator.load_scenario("baseline"), draws=400, seed=1)
    >>> found = simulator.discover_event(result, "deficit_narrower_2030", seed=1, bootstrap=5)
    >>> found.n_search, found.n_held_out
    (280, 120)
    >>> found.probability == float(result.event("deficit_narrower_2030").mean())
    True
    >>> found.summary().startswith("India's deficit with Japan narrower than in FY2023-24")
    True
    """
    happened = result.event(event)
    spec = next(e for e in result.scenario.events if e.name == event)
    return discover_outcome(result.inputs, happened, spec, method=method, seed=seed, holdout=holdout,
                            bootstrap=bootstrap, min_density=min_density, mass_min=mass_min, threads=threads,
                            alpha=alpha)


def discover_outcome(inputs: pd.DataFrame, happened: np.ndarray, event: "Event", *, method: str = "prim",
                     seed: int | None = None, holdout: float = 0.3, bootstrap: int = 30,
                     min_density: float | None = None, mass_min: float = 0.05, threads: int = 1,
                     alpha: float = 0.05) -> EventDiscovery:
    """The same from a run's inputs and the event's outcome per draw (what `ijsim discover` reads
    from a results folder)."""
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must be a share in (0, 1), got {holdout}")
    X = discovery_inputs(inputs, event.year)
    if X.shape[1] == 0:
        raise ValueError("the run has no uncertain inputs: there is nothing to discover")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(X))
    n_held_out = int(round(holdout * len(X)))
    test, train = order[:n_held_out], order[n_held_out:]
    found = discover(X.iloc[train], happened[train], method=method, seed=seed, bootstrap=bootstrap,
                     min_density=min_density, mass_min=mass_min, threads=threads,
                     held_out=(X.iloc[test], happened[test]), alpha=alpha)
    held_out = found.evaluate(X.iloc[test], happened[test])
    scores = feature_scores(X, happened, seed=seed)
    labels = {k: discovery_label(k) for k in X.columns}
    ranges = pd.DataFrame({"min": X.min(), "max": X.max()})
    return EventDiscovery(event, found, held_out, scores, float(happened.mean()), len(train), len(test), labels,
                          ranges)
