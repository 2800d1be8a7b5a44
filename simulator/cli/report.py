"""`ijsim report`: a self-contained HTML report of a results folder."""
from __future__ import annotations

from pathlib import Path

import click

from simulator.cli.group import cli
from simulator.cli.options import out, safe

@cli.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="Where to write [default: RESULTS_DIR/report.html].")
def report(results_dir: Path, out_file) -> None:
    """Write a self-contained HTML report (report.html) of a results folder: a run, a comparison,
    a flows or a sensitivity folder. Plots come in reading order with captions saying what they show."""
    from simulator.output.report import write_report

    path = write_report(results_dir, out_file)
    out.print(f"report written to {safe(str(path))}")
