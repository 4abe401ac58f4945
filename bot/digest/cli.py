"""`veilleur digest [--format markdown|html] [-o FILE] [--days 7]`: the newsletter export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TextIO

import click

from bot.core.cli import CliContext, pass_cli
from bot.digest.build import newsletter_entries
from bot.digest.newsletter import FORMATS, render_newsletter
from storage.db import connect


@click.command("digest")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: stdout).")  # fmt: skip
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="How many days back to look for items kept for the newsletter.")  # fmt: skip
@pass_cli
def digest(cli: CliContext, fmt: str, output: TextIO, days: int) -> None:
    """Export the items kept "pour la lettre" (title, link, sources, notes) for the newsletter."""
    config = cli.migrated_config()
    now = datetime.now(UTC)
    with connect(config.db_path) as db:
        entries = newsletter_entries(db, now, days)
    since = now - timedelta(days=days)
    output.write(render_newsletter(entries, since, now, fmt, config.lang, config.tz))
