"""What the features' ``veilleur`` subcommands share: the settings, with the database migrated.

``bot/__main__.py`` hands a :class:`CliContext` to every subcommand as click's ``obj``, so the
features never read the environment themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click

from bot.core.config import Config
from storage.db import connect
from storage.migrations import apply_migrations


@dataclass(frozen=True)
class CliContext:
    load_config: Callable[[], Config]

    def migrated_config(self) -> Config:
        """Return the settings, once the database is at the current schema."""
        config = self.load_config()
        with connect(config.db_path) as db:
            apply_migrations(db)
        return config


pass_cli = click.make_pass_decorator(CliContext)
