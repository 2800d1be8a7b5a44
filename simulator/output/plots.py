"""The run's figures as files: each drawn on a plain `Figure` (simulator.plotting draws them),
with a source line, saved as byte-reproducible PNG and SVG, on a pool of forked processes.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

from simulator._version import __version__
from simulator.montecarlo.result import Result
from simulator.variables import VARIABLES
from simulator.output import figure_formats
from simulator.plotting.axes import file_figure, plain_text
from simulator.plotting.fans import exchange_panel, sector_stack, trade_panel, variable_fan
from simulator.plotting.history_overlay import resolve_history


def save(fig, path_without_suffix: Path, formats: tuple[str, ...] | None = None, dpi: int = 110) -> list[Path]:
    """Save a figure as PNG (and SVG where asked: `figure_formats`), byte-reproducible: no
    timestamps or software tags, and SVG ids hashed from the file's name instead of a random salt
    (distinct between figures, so that SVGs inlined in one page do not share ids)."""
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
    s = result.scenario
    return plain_text(f"ijsim {__version__} · scenario '{s.name}' · {s.draws:,} draws ({s.sampler}), seed {s.seed} · "
                      "base figures: seeds/article_figures.toml and docs/model.md")


def write_fan_charts(result: Result, folder: Path, progress=None, processes: int | None = None,
                     history=None, variables: list[str] | None = None) -> list[Path]:
    """A fan chart per headline variable, and the sector, trade and exchange panels (PNG; SVG too if asked);
    with `variables` (--show), a fan chart of each of those instead, and no panels.
    `progress(done, total)` is called as each plot is written; `processes` as in `draw_all`; the
    trade charts show the observed series of `history` (as in `trade_panel`)."""
    folder.mkdir(parents=True, exist_ok=True)
    history = resolve_history(history)  # read once, before the drawing processes fork
    headline = variables or [name for name in result.variables if VARIABLES[name].headline]
    panels = [] if variables else [name for name in ("investment_by_sector", "trade", "exchange")
                                   if name != "exchange" or result.scenario.names("exchange.streams")]
    jobs = [("fan", name) for name in headline] + [("panel", name) for name in panels]
    return draw_all(jobs, lambda job: _render(result, folder, job, history), progress, processes)


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
_PANELS = {"investment_by_sector": sector_stack, "trade": trade_panel, "exchange": exchange_panel}


def _render_forked(job) -> list[Path]:
    return _RENDER(job)


def _render(result, folder: Path, job, history) -> list[Path]:
    kind, name = job
    fig, ax = file_figure()
    if kind == "panel":
        if name == "trade":
            trade_panel(result, ax=ax, history=history)
        else:
            _PANELS[name](result, ax=ax)
        return finish_figure(fig, folder / name, source_line(result))
    variable_fan(result, name, ax=ax, history=history)
    return finish_figure(fig, folder / name, source_line(result))


def finish_figure(fig, path_without_suffix: Path, source: str) -> list[Path]:
    """Add the source line, leave room for it, and save (PNG, and SVG if asked)."""
    fig.text(0.01, 0.005, source, fontsize=6.5, color="0.35", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    return save(fig, path_without_suffix)
