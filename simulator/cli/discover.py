"""`ijsim discover`: under which inputs does an event of a run happen (PRIM or CART)?"""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from simulator import _clock
from simulator.cli.group import cli
from simulator.cli.options import _threads, out, output_options, threads_option
from simulator.cli.progress import step


@cli.command()
@click.argument("run_dir", metavar="RUN_DIR", type=click.Path(path_type=Path))
@click.option("--event", "event_name", required=True,
              help="Name of an event of the run's scenario ([events.<name>]; events.csv lists them).")
@click.option("--method", type=click.Choice(["prim", "cart"]), default="prim", show_default=True,
              help="prim: peeling and pasting (Friedman & Fisher 1999); cart: a classification tree.")
@click.option("--min-density", type=click.FloatRange(0, 1), default=None,
              help="Report the box with the highest coverage among those with at least this density "
                   "[default: the best balance of coverage and density].")
@click.option("--holdout", type=click.FloatRange(0.05, 0.95), default=0.3, show_default=True,
              help="Share of the draws held out to test the box on.")
@click.option("--bootstrap", type=click.IntRange(0, 1000), default=20, show_default=True,
              help="PRIM: resamples for the box's stability (0 skips it).")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05, show_default=True,
              help="A limit is kept only if removing it lowers the density significantly at this level (its "
                   "quasi-p-value) on the search draws and on the held-out draws; the others are dropped and "
                   "listed apart.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
              help="Seed of the split, the bootstrap and the trees [default: the run's seed].")
@output_options("<RUN_DIR>-discover-<event>")
@threads_option
def discover(run_dir, event_name, method, min_density, holdout, bootstrap, alpha, seed, out_dir, force, no_plots,
             quiet, threads) -> None:
    """Find the inputs under which an event of a run happens, from the draws of RUN_DIR (a folder
    written by `ijsim run`), and say it in a sentence.

    Writes boxes.csv (the limits kept, with quasi-p-values on the search and held-out draws and,
    for PRIM, bootstrap stability), dropped.csv (limits found but dropped because removing them
    does not lower the density significantly), tradeoff.csv and its plot (coverage against density
    of the boxes to choose from), scores.csv (extra-trees importance of every input), the box's
    plot, summary.txt and a manifest. The box is found on part of the draws and tested on the rest
    (--holdout).
    """
    # The folder, its manifest and the event are checked before the heavy imports (issue 31: a
    # wrong event name was reported after 12 s): reading them needs json and hashlib only.
    from simulator.errors import UserError
    from simulator.output.folders import read_run_manifest
    from simulator.scenario.event_definitions import Event

    step("discover: reading the run folder")
    manifest = read_run_manifest(run_dir)  # the folder and its ensemble's sha256, before anything else
    events = manifest.get("events") or {}
    if event_name not in events:
        raise UserError(f"{run_dir}: no event {event_name!r} in this run; its events: {', '.join(events) or '(none)'}")
    definition = events[event_name]
    event = Event(event_name, definition["title"], definition["variable"],
                  int(definition.get("year", definition.get("by"))), "by" in definition, definition["op"],
                  definition["threshold"])
    step("discover: loading the model")
    from simulator.analysis.event_discovery import discover_outcome
    from simulator.montecarlo.event_probabilities import manifest_parameter, occurred
    from simulator.montecarlo.inputs import INPUT_PREFIX, flatten_inputs
    from simulator.output.discovery_files import read_run, write_discovery
    from simulator.output.files import check_target

    started = _clock.started()  # the manifest's elapsed_s is the command's, start-up included
    out_dir = out_dir or run_dir.parent / f"{run_dir.name}-discover-{event_name}"
    check_target(out_dir, force)
    step("discover: reading the draws")
    _, dataset = read_run(run_dir, variable=event.variable, manifest=manifest)
    happened = occurred(dataset, event, manifest_parameter(manifest, dataset))
    if happened.all() or not happened.any():
        raise UserError(f"'{event.title}' happens in {'every' if happened.all() else 'no'} draw of this run: "
                        "there is nothing to tell apart")
    import pandas as pd

    inputs = pd.DataFrame({k[len(INPUT_PREFIX):]: v for k, v in flatten_inputs(dataset).items()})
    seed = manifest.get("seed") if seed is None else seed
    step(f"discover: searching {len(inputs):,} draws for the box ({method}"
         + (f", then {bootstrap} bootstrap searches for its stability)" if method == "prim" and bootstrap else ")"))
    found = discover_outcome(inputs, happened, event, method=method, seed=seed, holdout=holdout,
                             bootstrap=bootstrap, min_density=min_density, alpha=alpha,
                             threads=_threads(threads, {"workers": None, "scheduler": None}))
    step("discover: writing the files and plots")
    write_discovery(found, out_dir, run_folder=run_dir, run_manifest=manifest,
                    force=force, plots=not no_plots, started=started, seed=seed)
    if quiet:
        return
    d = found.discovery
    table = Table(title=escape(f"{event.title}: the box ({method}, {found.n_search:,} draws searched)"),
                  title_justify="left")
    held = d.quasi_p_held_out is not None
    for col in ("input", "low", "high", "quasi-p", *(["held-out p"] if held else []),
                *(["bootstrap"] if d.stability is not None else []), "score"):
        table.add_column(col, justify="left" if col == "input" else "right")
    box = found.box_table()

    def worst(row, prefix):
        values = [v for v in (row[f"{prefix}_low"], row[f"{prefix}_high"]) if v == v]
        return f"{max(values):.2g}" if values else ""

    for name, row in box.iterrows():
        cells = [escape(row["label"]), f"{row['low']:.4g}", f"{row['high']:.4g}", worst(row, "quasi_p")]
        cells += [worst(row, "held_out_p")] if held else []
        cells += [f"{row['bootstrap_share']:.0%}"] if d.stability is not None else []
        table.add_row(*cells, f"{row['feature_score']:.3f}")
    out.print(table)
    out.print(escape(found.summary()))
    elapsed = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["elapsed_s"]
    out.print(f"results written to {escape(str(out_dir))}/ in {elapsed:.1f} s")
