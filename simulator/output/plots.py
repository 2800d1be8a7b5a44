"""The run's figures as files: each drawn on a plain `Figure` (simulator.plotting draws them),
with a source line, saved as byte-reproducible PNG and SVG, on a pool of forked processes.

matplotlib and the drawing code are imported where a figure is drawn, not with this module: with a
`DrawingPool` the command itself never imports them (its drawing processes do, during the run).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from simulator._version import __version__
from simulator.variables import PANEL_VARIABLES, VARIABLES
from simulator.output import figure_formats

if TYPE_CHECKING:
    from simulator.montecarlo.result import Result
    from simulator.output.drawing_pool import DrawingPool


def save(fig, path_without_suffix: Path, formats: tuple[str, ...] | None = None, dpi: int = 110) -> list[Path]:
    """Save a figure as PNG (and SVG where asked: `figure_formats`), byte-reproducible: no
    timestamps or software tags, and SVG ids hashed from the file's name instead of a random salt
    (distinct between figures, so that SVGs inlined in one page do not share ids)."""
    import matplotlib

    written = []
    for fmt in figure_formats.current() if formats is None else formats:
        # Not with_suffix: variable names contain dots ("investment.fdi_stock").
        path = path_without_suffix.parent / f"{path_without_suffix.name}.{fmt}"
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        with matplotlib.rc_context({"svg.hashsalt": path.name}):
            fig.savefig(path, dpi=dpi, metadata=metadata)
        written.append(path)
        # The layout is in figure coordinates: computed once, for the first format, and kept.
        fig.set_layout_engine("none")
    return written


def source_line(result: Result) -> str:
    from simulator.plotting.axes import plain_text

    s = result.scenario
    return plain_text(f"ijsim {__version__} · scenario '{s.name}' · {s.draws:,} draws ({s.sampler}), seed {s.seed} · "
                      "base figures: seeds/article_figures.toml and docs/model.md")


def write_fan_charts(result: Result, folder: Path, progress=None, processes: int | None = None,
                     history=None, variables: list[str] | None = None, pool: DrawingPool | None = None) -> list[Path]:
    """The sector, trade and exchange panels and a fan chart of each headline variable no panel
    shows (PNG; SVG too if asked); with `variables` (--show), a fan chart of each of those instead,
    and no panels. `progress(done, total)` is called as each plot is written; the trade charts show
    the observed series of `history` (as in `trade_panel`). Drawn on `pool`'s processes if given
    (started before the run, `drawing_pool`), else on `processes` as in `draw_all`."""
    from simulator.plotting.history_overlay import resolve_history

    folder.mkdir(parents=True, exist_ok=True)
    jobs = run_figures(result, variables)
    if pool is not None:
        # The shipped series: read by each drawing process while it waited; another: read here, sent once.
        given = None if history is None else resolve_history(history)
        return pool.draw(draw_run_figure, (result, folder, given), jobs, progress)
    history = resolve_history(history)  # read once, before the drawing processes fork
    return draw_all(jobs, lambda job: _render(result, folder, job, history), progress, processes)


def run_figures(result: Result, variables: list[str] | None = None) -> list[tuple[str, str]]:
    """A run's figures as (kind, name): the panels (the exchange's if the scenario has streams), then
    the fan charts of the headline variables none of them draws; with `variables`, their fans only."""
    if variables:
        return [("fan", name) for name in variables]
    panels = [name for name in PANEL_VARIABLES if name != "exchange" or result.scenario.names("exchange.streams")]
    in_panels = {name for panel in panels for name in PANEL_VARIABLES[panel]}
    fans = [name for name in result.variables if VARIABLES[name].headline and name not in in_panels]
    return [("fan", name) for name in fans] + [("panel", name) for name in panels]


def draw_run_figure(data, job) -> list[Path]:
    """One of a run's figures from (result, folder, history or None for the shipped series): the
    function a `DrawingPool` runs."""
    result, folder, history = data
    return _render(result, folder, job, shipped_history() if history is None else history)


def get_ready() -> None:
    """What a drawing process does while it waits (`drawing_pool`): import matplotlib and the
    drawing code, read the shipped observed series."""
    import simulator.plotting.fans  # noqa: F401  (matplotlib with it)

    shipped_history()


@functools.cache
def shipped_history():
    """The shipped observed series (seeds/history), read once per process."""
    from simulator.plotting.history_overlay import resolve_history

    return resolve_history(None)


def draw_all(jobs: list, render, progress=None, processes: int | None = None) -> list[Path]:
    """render(job) -> files for every job, in the jobs' order, on `processes` processes (by default
    one per CPU available). Drawing is pure Python, so threads would not help; the processes are
    forked, so they start at once and share `render` and its data without copying or pickling."""
    import multiprocessing

    from simulator.parallel import available_cpus

    processes = min(available_cpus(), len(jobs)) if processes is None else processes
    written: dict[int, list[Path]] = {}
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor, as_completed

        global _RENDER
        _RENDER = render
        try:
            with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_render_forked, job): i for i, job in enumerate(jobs)}
                for future in as_completed(futures):
                    written[futures[future]] = future.result()
                    if progress is not None:
                        progress(len(written), len(jobs))
        finally:
            _RENDER = None
    else:
        for i, job in enumerate(jobs):
            written[i] = render(job)
            if progress is not None:
                progress(len(written), len(jobs))
    return [path for i in range(len(jobs)) for path in written[i]]


_RENDER = None  # the render function forked plotting processes inherit


def _render_forked(job) -> list[Path]:
    return _RENDER(job)


def _render(result, folder: Path, job, history) -> list[Path]:
    from simulator.plotting.axes import file_figure
    from simulator.plotting.fans import exchange_panel, sector_stack, trade_panel, variable_fan

    kind, name = job
    fig, ax = file_figure()
    if kind == "panel":
        if name == "trade":
            trade_panel(result, ax=ax, history=history)
        else:
            {"investment_by_sector": sector_stack, "exchange": exchange_panel}[name](result, ax=ax)
        return finish_figure(fig, folder / name, source_line(result))
    variable_fan(result, name, ax=ax, history=history)
    return finish_figure(fig, folder / name, source_line(result))


def finish_figure(fig, path_without_suffix: Path, source: str) -> list[Path]:
    """Add the source line, leave room for it, and save (PNG, and SVG if asked)."""
    fig.text(0.01, 0.005, source, fontsize=6.5, color="0.35", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    return save(fig, path_without_suffix)
