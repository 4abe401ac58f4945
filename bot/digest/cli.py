"""`veilleur digest [--format markdown|html] [-o FILE] [--days 7 | --since D --until D]`.

The newsletter export: the items kept "pour la lettre", with their summaries, sources and
notes signed with their authors' names (stored from Slack; an unknown author shows as the ID).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

import click

from bot.core.cli import CliContext, pass_cli
from bot.digest.build import newsletter_entries_between
from bot.digest.newsletter import FORMATS, render_newsletter
from storage.db import connect
from storage.people import known_names

DAY = click.DateTime(["%Y-%m-%d"])


def _period(
    days: int, since: datetime | None, until: datetime | None, now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    """Return the export's period: --since/--until days (team time zone), else the last ``days``."""
    if since is None and until is None:
        return now - timedelta(days=days), now
    end = now
    if until is not None:
        next_day = datetime.combine(until.date() + timedelta(days=1), time(0), tzinfo=zone)
        end = (next_day - timedelta(microseconds=1)).astimezone(UTC)
    start = end - timedelta(days=days)
    if since is not None:
        start = datetime.combine(since.date(), time(0), tzinfo=zone).astimezone(UTC)
    if end < start:
        raise click.BadParameter("--until est avant --since.", param_hint="--until")
    return start, end


@click.command("digest")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: stdout).")  # fmt: skip
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="How many days back to look for items kept for the newsletter.")  # fmt: skip
@click.option("--since", type=DAY, default=None, help="First day (YYYY-MM-DD).")
@click.option("--until", type=DAY, default=None, help="Last day (YYYY-MM-DD).")
@pass_cli
def digest(
    cli: CliContext, fmt: str, output: TextIO, days: int, since: datetime | None,
    until: datetime | None,
) -> None:  # fmt: skip
    """Export the items kept "pour la lettre" (title, link, summary, sources, notes) for the newsletter."""
    config = cli.migrated_config()
    zone = ZoneInfo(config.tz)
    start, end = _period(days, since, until, datetime.now(UTC), zone)
    with connect(config.db_path) as db:
        entries = newsletter_entries_between(db, start, end)
        names = known_names(db)
    output.write(render_newsletter(entries, start, end, fmt, config.lang, zone, names))
