"""Subscribe a channel to a feed: validate, fetch and parse at once, seed the backlog."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.i18n import t
from bot.watch.dedup import store_entries
from bot.watch.errors import FetchError
from bot.watch.fetch import FetchLimits, fetch
from bot.watch.poller import parse_elsewhere
from bot.watch.urls import UrlRejected, canonical_url, check_url
from storage.db import connect, write
from storage.feed_state import record_success
from storage.feeds import POLL_INTERVAL, Feed, add_feed, find_feed


class SubscribeError(Exception):
    """The feed cannot be added; the message is a translated sentence."""


@dataclass(frozen=True)
class Subscription:
    """A new subscription and what its first fetch gave."""

    feed: Feed
    entry_count: int
    new_items: int
    new_ids: tuple[int, ...] = ()  # the items it made, so the reply counts only those posted


def subscribe(
    db_path: str,
    url: str,
    channel_id: str,
    *,
    now: datetime,
    added_by: str = "",
    origin: str = "",
    keywords: tuple[str, ...] = (),
    limits: FetchLimits | None = None,
    parser: Executor | None = None,
    lang: str = "fr",
    interval: timedelta = POLL_INTERVAL,
) -> Subscription:
    """Validate the URL, fetch and parse it, store the feed and its newest few items."""
    limits = limits or FetchLimits()
    try:
        url = check_url(
            url, allow_private=limits.allow_private, allowed_addresses=limits.allowed_addresses
        )
    except UrlRejected as error:
        reason = FetchError(error.code).describe(lang)
        raise SubscribeError(t("watch.add.refused", lang, reason=reason)) from error
    canonical = canonical_url(url)
    with connect(db_path) as db:
        existing = find_feed(db, canonical, channel_id)
    if existing and not existing.removed_at:
        raise SubscribeError(t("watch.add.exists", lang, id=existing.id, channel=channel_id))
    try:
        result = fetch(url, limits=limits)
        parsed = parse_elsewhere(parser, result.body, result.url, result.content_type)
    except FetchError as error:
        raise SubscribeError(t("watch.add.failed", lang, reason=error.describe(lang))) from error
    with connect(db_path) as db, write(db):
        feed = add_feed(
            db,
            url,
            canonical,
            channel_id,
            now=now,
            title=parsed.title,
            origin=origin,
            keywords=keywords,
            added_by=added_by,
        )
        record_success(
            db,
            feed.id,
            now,
            etag=result.etag,
            last_modified=result.last_modified,
            title=parsed.title,
            entry_count=len(parsed.entries),
            interval=interval,
        )
        report = store_entries(db, feed, parsed.entries, now, seed=True)
    return Subscription(feed, len(parsed.entries), len(report.new_items), tuple(report.new_items))
