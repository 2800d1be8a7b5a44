"""The `ijsim` command group; each verb module registers itself on it."""
from __future__ import annotations

import click

from simulator._version import __version__


class Verb(click.Command):
    """A verb that reads its scenario files before the heavy imports of its work.

    Importing the model (numpy, scipy, numba, pandas, xarray) takes a second or more; a scenario
    file that is missing, unreadable or not TOML is found by reading it (tomllib, milliseconds), so
    those problems are reported first (issue 31: a missing file or a bad TOML file answered within
    half a second). The loader reads the files again for the full validation, which reports every
    other problem at once as before. Then the command's display opens on the terminal
    (simulator/cli/progress.py), so that every verb shows what it is doing from its first second."""

    def invoke(self, ctx: click.Context):
        from simulator.cli.options import unreadable_scenarios

        problems = unreadable_scenarios(self, ctx)
        if problems:
            from simulator.errors import ScenarioError

            raise ScenarioError(problems)
        from simulator.cli import progress

        from simulator.output.figure_formats import figure_formats

        progress.begin(self.name, bool(ctx.params.get("quiet")))  # on screen from the first second
        try:
            with figure_formats(bool(ctx.params.pop("svg", False))):  # --svg, on every verb that plots
                return super().invoke(ctx)
        finally:
            progress.finish()


class VerbGroup(click.Group):
    command_class = Verb


@click.group(cls=VerbGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ijsim")
def cli() -> None:
    """Scenario simulator for the India–Japan economic partnership.

    Projects Japan's JPY 10 trillion investment pledge, India-Japan trade under tariff scenarios,
    and the 500,000-person exchange, under uncertainty, from scenario files in TOML. Start with
    `ijsim list` and `ijsim run scenarios/baseline.toml`; then `compare`, `sensitivity`, `flows`
    and `report`. Model and sources: docs/model.md.
    """
