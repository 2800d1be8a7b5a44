"""The `ijsim` command group; each verb module registers itself on it."""
from __future__ import annotations

import click

from simulator._version import __version__

@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ijsim")
def cli() -> None:
    """Scenario simulator for the India–Japan economic partnership.

    Projects Japan's JPY 10 trillion investment pledge, India-Japan trade under tariff scenarios,
    and the 500,000-person exchange, under uncertainty, from scenario files in TOML. Start with
    `ijsim list` and `ijsim run scenarios/baseline.toml`; then `compare`, `sensitivity`, `flows`
    and `report`. Model and sources: docs/model.md.
    """
