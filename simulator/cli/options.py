"""Options shared by the verbs, one definition each, and the two consoles (results on stdout,
messages on stderr).

The run settings (--draws, --seed, --sampler, --block-size) take their allowed values from the
scenario registry, so a bad value is refused by name ("Invalid value for '--draws'") before any
work, with the same limits as in a file.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import click
from rich.console import Console

from simulator.errors import Problem, ScenarioError, printable, safe

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


# Option -> the scenario setting it overrides (engine.configure's keyword, registry path).
RUN_SETTINGS = {"--draws": ("draws", "scenario.draws"), "--seed": ("seed", "scenario.seed"),
                "--sampler": ("sampler", "sampling.method"), "--block-size": ("block_size", "sampling.block_size")}
RUN_HELP = {
    "--draws": "Number of Monte Carlo draws [default: the scenario's].",
    "--seed": "Root random seed [default: the scenario's].",
    "--sampler": "Sampling method: mc (Monte Carlo), lhs (Latin hypercube), sobol (scrambled Sobol') "
                 "[default: the scenario's].",
    "--block-size": "Draws per seeded block [default: the scenario's]; part of what defines the draws.",
}


class ScenarioArgument(click.ParamType):
    """A scenario file, or the name of a shipped scenario: `ijsim run baseline`."""

    name = "scenario"

    def convert(self, value, param, ctx):
        from simulator.shipped import looks_like_a_path, shipped_scenario, shipped_scenarios

        if isinstance(value, Path):
            return value
        path = Path(value)
        if os.path.lexists(path) or looks_like_a_path(value):  # lexists: a link loop is a file's problem
            return path  # a missing file is reported by the loader, with the other problems
        shipped = shipped_scenario(value)
        if shipped is not None:
            return shipped
        names = [p.stem for p in shipped_scenarios()]
        close = difflib.get_close_matches(value, names, n=1)
        self.fail(f"{value!r} is neither a file nor a shipped scenario"
                  + (f"; did you mean {close[0]!r}?" if close else f"; shipped: {', '.join(names)}"), param, ctx)


SCENARIO = ScenarioArgument()


def unreadable_scenarios(command: click.Command, ctx: click.Context) -> list[Problem]:
    """The problems of the scenario files among `command`'s arguments that the loader could not get
    past (a file missing, unreadable or not TOML, its `extends` chain included), found by reading
    them only: the problems the full validation would report for those files, without its imports.
    A file the loader can read yields none here, whatever else is wrong with it."""
    from simulator.scenario.loader import load_document

    problems: list[Problem] = []
    for param in command.params:
        if not isinstance(param.type, ScenarioArgument):
            continue
        value = ctx.params.get(param.name)
        for path in value if isinstance(value, (tuple, list)) else [value]:
            if isinstance(path, Path):
                loaded, found = load_document(path)
                if loaded is None:
                    problems += found
    return problems


def _setting_type(path: str):
    from simulator.scenario.parameters import SPECS

    spec = SPECS[path]
    if spec.kind == "choice":
        return click.Choice(spec.choices)
    return click.IntRange(None if spec.low is None else int(spec.low), None if spec.high is None else int(spec.high))


def run_options(*flags: str):
    """The run settings among --draws, --seed, --sampler, --block-size that a verb takes."""
    def wrap(f):
        for flag in reversed(flags):
            keyword, path = RUN_SETTINGS[flag]
            f = click.option(flag, keyword, type=_setting_type(path), help=RUN_HELP[flag])(f)
        return f
    return wrap


def overrides_of(**values) -> dict:
    """The run settings given on the command line ({keyword: value}), for configure and manifests."""
    return {k: v for k, v in values.items() if v is not None}


def configure(scenario, **overrides):
    """engine.configure, with any problem named by the option that caused it (`--draws: ...`)."""
    from simulator.montecarlo import engine

    try:
        return engine.configure(scenario, **overrides)
    except ScenarioError as exc:
        option_of = {path: flag for flag, (_, path) in RUN_SETTINGS.items()}
        raise ScenarioError([Problem(option_of[p.key], "", p.message) if p.key in option_of else p
                             for p in exc.problems]) from None


def strict_option(f):
    """--strict: warnings (settings that change nothing) stop the command like errors."""
    return click.option("--strict", is_flag=True,
                        help="Treat warnings (settings that cannot change any output, model blocks left at their "
                             "defaults) as errors: report them, run nothing, exit 2.")(f)


def report_warnings(scenarios, strict: bool, quiet: bool, only: tuple[str, ...] = ()) -> None:
    """Print each scenario's warnings on stderr (not with --quiet), or with --strict raise them as
    problems, so that nothing runs. `only`: the model blocks the command uses (flows: the exchange)."""
    warnings = [w for s in scenarios for w in s.warnings() if not only or w.key.split(".")[0] in only]
    if strict and warnings:
        raise ScenarioError(warnings)
    if not quiet:
        for w in warnings:
            err.print(f"warning: {safe(str(w))}")


def parallel_options(f):
    """--workers / --scheduler: the same results on Dask (docs/scaling.md); neither means one process."""
    f = click.option("--scheduler", metavar="ADDRESS",
                     help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (identical results).")(f)
    return click.option("--workers", type=click.IntRange(1, 1024),
                        help="Run on an embedded Dask cluster with N worker processes (identical results).")(f)


def threads_option(f):
    """--threads: blocks of draws computed at once in this process (identical results)."""
    return click.option("--threads", type=click.IntRange(1, 256),
                        help="Blocks of draws computed at once in this process [default: the CPUs available]; "
                             "the results are identical for any number.")(f)


def _threads(threads, parallel: dict) -> int:
    if parallel["workers"] is not None or parallel["scheduler"] is not None:
        return 1  # Dask's workers share out the blocks
    if threads is not None:
        return threads
    from simulator.parallel import available_cpus
    return available_cpus()


def output_options(default: str, plots_help: str = "Skip the plots."):
    """--out, --force, --no-plots, --svg, --quiet: the same on every command that writes a results
    folder (--svg is taken by the command class, simulator/cli/group.py, so the verbs never see it)."""
    def wrap(f):
        f = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (no progress either).")(f)
        f = click.option("--svg", is_flag=True, help="Also write each plot as SVG (vector, for print or "
                                                      "editing); PNG only by default.")(f)
        f = click.option("--no-plots", is_flag=True, help=plots_help)(f)
        f = click.option("--force", is_flag=True, help="Replace the results folder if it exists.")(f)
        return click.option("--out", "out_dir", type=click.Path(path_type=Path),
                            help=f"Results folder [default: {default}].")(f)
    return wrap


def show_option(f):
    """--show VAR[,VAR]: the variables the console, plots and report show (simulator.output.shown)."""
    return click.option("--show", metavar="VAR[,VAR...]",
                         help="Show these output variables (names as in `ijsim variables`, e.g. "
                              "trade.exports_india_to_us) in the console, plots and report, in this order "
                              "[default: the headline variables].")(f)


def _parallel(workers, scheduler) -> dict:
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    return {"workers": workers, "scheduler": scheduler}


# History options shared by `calibrate` and `backtest`.
def history_options(f):
    """--history / --include-unverified: which historical values the estimates rest on."""
    f = click.option("--include-unverified", is_flag=True,
                     help="Also use values no stored page confirms (verified = false); off by default.")(f)
    return click.option("--history", "history_path", type=click.Path(path_type=Path), metavar="PATH",
                        help="A history folder or one series CSV [default: the shipped seeds/history].")(f)


def year_range(text: str | None, option: str) -> range | None:
    """'2008:2019' -> range(2008, 2020); '3' -> range(3, 4)."""
    if text is None:
        return None
    try:
        lo, _, hi = text.partition(":")
        first, last = int(lo), int(hi or lo)
    except ValueError:
        raise click.BadParameter(f"{text!r}: expected FIRST:LAST, e.g. 2008:2019", param_hint=option) from None
    if last < first:
        raise click.BadParameter(f"{text!r}: the last value comes before the first", param_hint=option)
    return range(first, last + 1)


def history_levels(history_path, include_unverified):
    """The two flows (years with both), where they came from, and the whole history."""
    from simulator.estimation.calibration import trade_levels
    from simulator.history.series import load_history

    history = load_history(history_path)
    levels = trade_levels(history, verified_only=not include_unverified)
    source = str(history_path) if history_path else "seeds/history (shipped)"
    return levels, source + (", unverified values included" if include_unverified else ""), history


# Listing verbs (`variables`, `params`): a table for people, or CSV.
CSV_OPTION = click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
