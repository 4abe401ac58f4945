"""`veilleur feeds import <file.opml> --channel C…` and `veilleur feeds export` (OPML)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import click

from bot.core.cli import CliContext, pass_cli
from bot.watch.errors import FetchError
from bot.watch.opml import OpmlError, read_opml, write_opml
from bot.watch.urls import UrlRejected, canonical_url, check_url
from storage.db import connect, write
from storage.feed_state import poll_next_round
from storage.feeds import add_feed, find_feed, list_feeds


@click.group("feeds")
def feeds() -> None:
    """Import or export the watched feeds (OPML)."""


@feeds.command("import")
@click.argument("opml_file", type=click.File("rb"))
@click.option("--channel", required=True, help="Slack channel id (C…) to post the items in.")
@click.option("--origin", default="", help="Origin shown on items (default: the OPML folder).")
@click.option("--added-by", default="", help="Slack user id to notify if a feed is paused.")
@pass_cli
def import_feeds(cli: CliContext, opml_file, channel: str, origin: str, added_by: str) -> None:
    """Subscribe CHANNEL to every feed of an OPML file; their backlog is not posted."""
    config = cli.migrated_config()
    db_path, allow_private, lang = config.db_path, config.allow_private_urls, config.lang
    try:
        outlines = read_opml(opml_file.read())
    except OpmlError as error:
        raise click.ClickException(f"fichier OPML illisible : {error}") from error
    counts: Counter[str] = Counter()
    refused: list[str] = []
    now = datetime.now(UTC)
    with connect(db_path) as db, click.progressbar(outlines, label="Import des flux") as bar:
        for outline in bar:
            try:
                url = check_url(outline.url, allow_private=allow_private)
            except UrlRejected as error:
                refused.append(f"{outline.url} : {FetchError(error.code).describe(lang)}")
                continue
            with write(db):
                existing = find_feed(db, canonical_url(url), channel)
                if existing and not existing.removed_at:
                    counts["there"] += 1
                    continue
                feed = add_feed(
                    db,
                    url,
                    canonical_url(url),
                    channel,
                    now=now,
                    title=outline.title,
                    origin=origin or outline.category,
                    added_by=added_by,
                )
                poll_next_round(db, feed.id)
            counts["added"] += 1
    click.echo(
        f"{counts['added']} ajouté(s), {counts['there']} déjà suivi(s), {len(refused)} refusé(s)"
    )
    for line in refused:
        click.echo(f"  refusé : {line}")


@feeds.command("export")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File (default: stdout).")
@click.option("--channel", default=None, help="Only this channel's feeds.")
@pass_cli
def export_feeds(cli: CliContext, output, channel: str | None) -> None:
    """Write the watched feeds as OPML (FreshRSS and Miniflux import it)."""
    with connect(cli.migrated_config().db_path) as db:
        output.write(write_opml(list_feeds(db, channel)))
