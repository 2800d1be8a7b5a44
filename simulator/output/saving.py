"""Saving from Python what the command line saves: a run's or a comparison's results folder and
its HTML report.

    >>> import simulator
    >>> result = simulator.run(simulator.load_scenario("baseline"), draws=200, seed=1)
    >>> simulator.save_results(result, "results/my-run")         # doctest: +SKIP
    PosixPath('results/my-run')

The folder is the one `ijsim run` (or `ijsim compare`) writes, so `ijsim report` and every tool
that reads results folders take it as they are.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.montecarlo.comparison import Comparison
    from simulator.montecarlo.result import Result


def save_results(result: "Result | Comparison", folder: str | Path, *, plots: bool = True, report: bool = True,
                 force: bool = False, history=None, svg: bool = False) -> Path:
    """Write the results folder of a run (:func:`run`) or a comparison (:func:`compare`).

    The folder is the one ``ijsim run`` (or ``ijsim compare``) writes, so ``ijsim report`` and
    every tool that reads results folders take it as it is. Written atomically. Plots are written
    as files only: nothing is shown in a notebook.

    Parameters
    ----------
    result : Result or Comparison
        A run gives summary.csv, iamc.csv, ensemble.nc, events.csv, event_drivers.csv (when the
        scenario has events), manifest.json and plots/; a
        comparison gives comparison.csv, summaries.csv, headline_differences.csv, events.csv,
        event_differences.csv, iamc.csv, ensemble.nc, manifest.json and plots/.
    folder : str or pathlib.Path
        Where to write.
    plots : bool, default True
        Write the fan charts (plots/).
    report : bool, default True
        Write report.html as well.
    force : bool, default False
        Replace an existing folder.
    svg : bool, default False
        Write each plot as SVG as well as PNG (for print or editing), as ``--svg`` does.
    history : str, pathlib.Path or dict, optional
        The observed series the trade fan charts show leading into the projection: a history
        folder or series CSV, or what :func:`load_history` returned. By default the shipped
        ``seeds/history``.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    UserError
        `OutputExistsError` (a `UserError`) if the folder exists and `force` is False.

    Examples
    --------
    >>> import os, tempfile
    >>> import simulator
    >>> result = simulator.run(simulator.load_scenario("baseline"), draws=200, seed=1)
    >>> folder = simulator.save_results(result, os.path.join(tempfile.mkdtemp(), "my-run"), plots=False)
    >>> sorted(os.listdir(folder))
    ['.ijsim-owner.json', 'ensemble.nc', 'event_drivers.csv', 'events.csv', 'iamc.csv', 'manifest.json', 'report.html', 'summary.csv']
    >>> simulator.save_results(result, folder, report=False)
    Traceback (most recent call last):
    ...
    simulator.errors.OutputExistsError: ...: output folder already exists; ...
    """
    from simulator.output.figure_formats import figure_formats
    from simulator.output.report import write_report

    folder = Path(folder)
    with figure_formats(svg):
        _write(result, folder, plots=plots, force=force, history=history)
    if report:
        write_report(folder)
    return folder


def _write(result, folder: Path, *, plots: bool, force: bool, history) -> None:
    from simulator.montecarlo.comparison import Comparison

    if isinstance(result, Comparison):
        from simulator.output.compare_files import write_comparison

        write_comparison(result, folder, force=force, plots=plots, history=history)
    else:
        import functools

        from simulator.output.files import write_results
        from simulator.output.plots import write_fan_charts

        writer = functools.partial(write_fan_charts, history=history)
        write_results(result, folder, force=force, plots=plots, plot_writer=writer if plots else None)
